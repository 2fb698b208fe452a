/**
 * The file format of backups: a backup **set** is a folder with `set.json` (how to get the set's key) and numbered
 * **pieces** (`000001-full.awb`, `000002-incremental.awb`, …). A piece carries database pages — the SQLCipher files'
 * own encrypted pages, so a piece holds no plaintext even once decrypted — plus the keys that open those files.
 *
 * Piece layout: MAGIC | u32 header length | header (JSON, no personal data) | frames.
 * Each frame is u32 length (top bit: last frame) | 12-byte IV | AES-256-GCM ciphertext | 16-byte tag, under the set key, with the header's
 * hash, the frame's index and a last-frame flag as associated data: a changed header, a reordered, removed or altered
 * frame and a cut-off tail all fail authentication. Frame 0 holds the keys (JSON); the others hold pages.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseWrappedKey, unwrapForDevice, type DeviceKeyPair, type WrappedSnapshotKey } from './device-keys.js';
import type { KdfParams } from './key-wrap.js';

const MAGIC = Buffer.from('AWBACKUP1\n', 'latin1');
const MAX_HEADER = 64 * 1024;
const PAGES_PER_FRAME = 256;
/** 256 pages of at most 64 KiB, plus their 5-byte labels: nothing honest is longer. */
const MAX_FRAME = PAGES_PER_FRAME * (65536 + 5) + 64;

export type DbName = 'workspace' | 'team';

export interface PieceDb {
  name: DbName;
  pageSize: number;
  pageCount: number;
  /** SHA-256 over the file's page hashes after this piece is applied (what the restore checks its result against). */
  digest: string;
  /** The digest this piece applies on top of; null for a full piece. */
  baseDigest: string | null;
}

export interface PieceHeader {
  format: 1;
  setId: string;
  piece: number;
  kind: 'full' | 'incremental';
  createdAt: string;
  dbs: PieceDb[];
  /** How long the user's audit chain was when the piece was taken (a count, not a content). */
  auditHeadSeq: number;
  pages: number;
}

export interface PieceKeys {
  /** The SQLCipher key of each database in the piece, hex. */
  keys: Partial<Record<DbName, string>>;
}

export interface PageRecord {
  db: number; // index into header.dbs
  pageNo: number; // 1-based, as SQLite counts
  bytes: Buffer;
}

export class BackupPieceError extends Error {
  constructor(
    readonly file: string,
    readonly reason: 'not_a_piece' | 'damaged' | 'truncated' | 'wrong_key',
    message: string,
  ) {
    super(message);
    this.name = 'BackupPieceError';
  }
}

export function pieceFileName(piece: number, kind: PieceHeader['kind']): string {
  return `${String(piece).padStart(6, '0')}-${kind}.awb`;
}

export const PIECE_FILE = /^(\d{6})-(full|incremental)\.awb$/;

const frameAad = (headerHash: Buffer, index: number, last: boolean) => {
  const aad = Buffer.alloc(headerHash.length + 5);
  headerHash.copy(aad);
  aad.writeUInt32BE(index, headerHash.length);
  aad[headerHash.length + 4] = last ? 1 : 0;
  return aad;
};

/**
 * Writes a piece to `file.part`, fsyncs and renames it into place: a piece is either whole or absent (a crash leaves
 * only a `.part`, which the next backup removes).
 */
export function writePiece(file: string, setKey: Buffer, header: PieceHeader, keys: PieceKeys, pages: Iterable<PageRecord>): number {
  const part = `${file}.part`;
  const fd = openSync(part, 'w', 0o600);
  let bytes = 0;
  try {
    const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
    const headerHash = createHash('sha256').update(headerBytes).digest();
    const lengths = Buffer.alloc(4);
    lengths.writeUInt32BE(headerBytes.length);
    const put = (b: Buffer) => {
      writeSync(fd, b);
      bytes += b.length;
    };
    put(MAGIC);
    put(lengths);
    put(headerBytes);
    let index = 0;
    const frame = (plain: Buffer, last: boolean) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', setKey, iv);
      cipher.setAAD(frameAad(headerHash, index++, last));
      const ct = Buffer.concat([cipher.update(plain), cipher.final()]);
      const len = Buffer.alloc(4);
      // The top bit says "last frame"; it is also in the associated data, so flipping it fails authentication.
      len.writeUInt32BE((last ? 0x8000_0000 : 0) + ct.length);
      put(Buffer.concat([len, iv, ct, cipher.getAuthTag()]));
    };
    frame(Buffer.from(JSON.stringify(keys), 'utf8'), false);
    let batch: Buffer[] = [];
    let count = 0;
    for (const p of pages) {
      const label = Buffer.alloc(5);
      label[0] = p.db;
      label.writeUInt32BE(p.pageNo, 1);
      batch.push(label, p.bytes);
      if (++count === PAGES_PER_FRAME) {
        frame(Buffer.concat(batch), false);
        batch = [];
        count = 0;
      }
    }
    frame(Buffer.concat(batch), true);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(part, file);
  syncDir(dirname(file));
  return bytes;
}

/** Makes a rename durable: the directory entry is flushed too. */
export function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Reads only a piece's header (no key needed): what a listing shows. */
export function readPieceHeader(file: string): PieceHeader {
  const fd = openSync(file, 'r');
  try {
    return readHeader(fd, file).header;
  } finally {
    closeSync(fd);
  }
}

function readExactly(fd: number, length: number, position: number): Buffer | null {
  const b = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, b, got, length - got, position + got);
    if (n === 0) return null;
    got += n;
  }
  return b;
}

function readHeader(fd: number, file: string): { header: PieceHeader; headerHash: Buffer; offset: number } {
  const magic = readExactly(fd, MAGIC.length + 4, 0);
  if (!magic || !magic.subarray(0, MAGIC.length).equals(MAGIC)) throw new BackupPieceError(file, 'not_a_piece', `${file}: not a backup piece`);
  const length = magic.readUInt32BE(MAGIC.length);
  if (length > MAX_HEADER) throw new BackupPieceError(file, 'damaged', `${file}: header length ${length} is out of range`);
  const headerBytes = readExactly(fd, length, MAGIC.length + 4);
  if (!headerBytes) throw new BackupPieceError(file, 'truncated', `${file}: the file ends inside its header`);
  let header: PieceHeader;
  try {
    header = JSON.parse(headerBytes.toString('utf8')) as PieceHeader;
  } catch {
    throw new BackupPieceError(file, 'damaged', `${file}: the header is not valid JSON`);
  }
  if (header?.format !== 1 || !Array.isArray(header.dbs) || !Number.isSafeInteger(header.piece)) {
    throw new BackupPieceError(file, 'damaged', `${file}: the header is not a format-1 piece header`);
  }
  return { header, headerHash: createHash('sha256').update(headerBytes).digest(), offset: MAGIC.length + 4 + length };
}

/**
 * Reads and authenticates a whole piece, frame by frame. `onPage` sees pages only from frames that authenticated;
 * callers that must not act on a piece that later turns out damaged read it twice (once to check, once to apply).
 */
export function readPiece(file: string, setKey: Buffer, onPage?: (p: PageRecord) => void): { header: PieceHeader; keys: PieceKeys } {
  const fd = openSync(file, 'r');
  try {
    const { header, headerHash, offset } = readHeader(fd, file);
    let position = offset;
    let index = 0;
    let keys: PieceKeys | null = null;
    for (;;) {
      const len = readExactly(fd, 4, position);
      if (!len) throw new BackupPieceError(file, 'truncated', `${file}: the piece ends after frame ${index} without its last frame`);
      const word = len.readUInt32BE(0);
      const isLast = word >= 0x8000_0000;
      const ctLength = word & 0x7fff_ffff;
      if (ctLength > MAX_FRAME) throw new BackupPieceError(file, 'damaged', `${file}: frame ${index} claims ${ctLength} bytes`);
      const body = readExactly(fd, 12 + ctLength + 16, position + 4);
      if (!body) throw new BackupPieceError(file, 'truncated', `${file}: the piece ends inside frame ${index}`);
      position += 4 + body.length;
      const plain = tryOpen(setKey, body, headerHash, index, isLast);
      if (!plain) {
        throw new BackupPieceError(file, index === 0 ? 'wrong_key' : 'damaged', index === 0 ? `${file}: the key does not open this piece (wrong password or code, or the piece is damaged)` : `${file}: frame ${index} is damaged`);
      }
      if (index === 0) {
        try {
          keys = JSON.parse(plain.toString('utf8')) as PieceKeys;
        } catch {
          throw new BackupPieceError(file, 'damaged', `${file}: the key frame is not valid`);
        }
      } else if (onPage) {
        forEachPage(plain, header, file, onPage);
      }
      index++;
      if (isLast) break;
    }
    if (!keys) throw new BackupPieceError(file, 'damaged', `${file}: no key frame`);
    return { header, keys };
  } finally {
    closeSync(fd);
  }
}

function tryOpen(key: Buffer, body: Buffer, headerHash: Buffer, index: number, last: boolean): Buffer | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, body.subarray(0, 12));
    decipher.setAAD(frameAad(headerHash, index, last));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(12, body.length - 16)), decipher.final()]);
  } catch {
    return null;
  }
}

function forEachPage(plain: Buffer, header: PieceHeader, file: string, onPage: (p: PageRecord) => void): void {
  let at = 0;
  while (at < plain.length) {
    const db = plain[at]!;
    const size = header.dbs[db]?.pageSize;
    if (!size || at + 5 + size > plain.length) throw new BackupPieceError(file, 'damaged', `${file}: a page record is malformed`);
    onPage({ db, pageNo: plain.readUInt32BE(at + 1), bytes: plain.subarray(at + 5, at + 5 + size) });
    at += 5 + size;
  }
}

// ---- the set's key: a check value and the recovery code -------------------------------------------------------

/** Lets a wrong password or code be told apart from a damaged piece, without revealing anything about the key. */
export function keyCheck(setKey: Buffer, setId: string): string {
  return createHmac('sha256', setKey).update(`aw-backup-check:v1:${setId}`).digest('base64');
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The set key as 52 Crockford base-32 characters in groups of four: what the platform's escrow hands out. */
export function recoveryCodeOf(key: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of key) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += CROCKFORD[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += CROCKFORD[(value << (5 - bits)) & 31];
  return out.match(/.{1,4}/g)!.join('-');
}

/** The key back from a typed recovery code (case, dashes and spaces ignored; I/L read as 1, O as 0); null if malformed. */
export function keyFromRecoveryCode(code: string): Buffer | null {
  const clean = code.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (clean.length !== 52 || /[^0-9A-HJKMNP-TV-Z]/.test(clean)) return null;
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    value = ((value << 5) | CROCKFORD.indexOf(ch)) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return out.length === 32 ? Buffer.from(out) : null;
}

// ---- the set file and escrow ------------------------------------------------------------------------------------

/**
 * A set's `set.json`: the set key wrapped under the user's password (scrypt) and, when the workstation is enrolled
 * with a platform, under the platform's escrow key (X25519). No personal data about the people in the records.
 */
export interface BackupSetFile {
  format: 1;
  setId: string;
  createdAt: string;
  updatedAt: string;
  username: string;
  /** HMAC of the set id under the set key: tells a wrong password or code apart from a damaged piece. */
  check: string;
  password: { kdf: KdfParams; wrapped: string };
  escrow: { fingerprint: string; wrapped: WrappedSnapshotKey } | null;
}

/** The label a set key is wrapped under for the platform's escrow key. */
export const escrowLabel = (setId: string) => `backup-${setId}`;

/** The platform operator's side of escrow: the set key from the escrow private key. */
export function escrowOpen(set: BackupSetFile, escrow: DeviceKeyPair): Buffer | null {
  if (!set.escrow) return null;
  const wrapped = parseWrappedKey(JSON.stringify(set.escrow.wrapped));
  const key = wrapped ? unwrapForDevice(escrow, wrapped, escrowLabel(set.setId)) : null;
  return key && keyCheck(key, set.setId) === set.check ? key : null;
}

