/**
 * Backups of a user's workspace and of the team store, full and incremental, and their reconstruction.
 *
 * A piece copies database pages as they are in the encrypted files — so neither the piece nor a restore ever holds
 * plaintext — together with the files' keys, all under the set key. An incremental piece carries only the pages whose
 * hash changed since the last piece (the hashes are kept in the workspace). Each piece names the digest it applies on
 * top of and the digest it yields, so the reconstruction checks every step and stops at the last good one.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readdirSync, readSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { because, CallError, type ReasonDetail } from '../../contract/errors.js';
import { BackupPieceError, pieceFileName, readPiece, writePiece, type DbName, type PageRecord, type PieceHeader } from '../../platform/backup-pieces.js';
import type { WorkspaceDb } from '../../store/workspace/workspace-db.js';
import { listPieces, pieceProblem, readSetFile, setDirName, writeSetFile } from './backup-sets.js';

const HASH_BYTES = 16;
/** After this many incremental pieces the next one is full again, so a restore never replays a long chain. */
const FULL_EVERY = 30;
const S = { set: 'backup_set', folder: 'backup_folder', dir: 'backup_dir', piece: 'backup_piece', lastFull: 'backup_last_full', last: 'backup_last', key: 'backup_set_key' };

export interface BackupSource {
  name: DbName;
  key: Buffer;
  holdStill<T>(read: (file: string, pageSize: number, pageCount: number) => T): T;
}

export interface BackupRunResult {
  setId: string;
  dir: string;
  piece: number;
  kind: PieceHeader['kind'];
  pages: number;
  bytes: number;
  ms: number;
  auditHeadSeq: number;
  escrow: boolean;
}

export interface BackupRunInput {
  folder: string;
  username: string;
  password: string;
  workspace: WorkspaceDb;
  sources: BackupSource[];
  escrowPublicKey: Buffer | null;
  now: string;
  kdfCost?: { N: number; r: number; p: number };
}

/** Hash of every page of a file (16 bytes each). */
function pageHashes(file: string, pageSize: number, pageCount: number): Buffer {
  const hashes = Buffer.alloc(pageCount * HASH_BYTES);
  for (const { pageNo, page } of readPages(file, pageSize, pageCount)) {
    createHash('sha256').update(page).digest().copy(hashes, (pageNo - 1) * HASH_BYTES, 0, HASH_BYTES);
  }
  return hashes;
}

/** A file's pages, read 256 at a time; each `page` is valid only until the next one is asked for. */
function* readPages(file: string, pageSize: number, pageCount: number): Generator<{ pageNo: number; page: Buffer }> {
  const fd = openSync(file, 'r');
  const chunk = Buffer.alloc(pageSize * 256);
  try {
    for (let first = 1; first <= pageCount; first += 256) {
      const n = Math.min(256, pageCount - first + 1);
      const got = readSync(fd, chunk, 0, n * pageSize, (first - 1) * pageSize);
      if (got !== n * pageSize) throw new Error(`${file}: short read at page ${first}`);
      for (let i = 0; i < n; i++) yield { pageNo: first + i, page: chunk.subarray(i * pageSize, (i + 1) * pageSize) };
    }
  } finally {
    closeSync(fd);
  }
}

const digestOf = (hashes: Buffer) => createHash('sha256').update(hashes).digest('hex');

/** Runs `read` with every source held still at once, so the piece is one consistent moment of all of them. */
function holdAll<T>(sources: BackupSource[], read: (files: { file: string; pageSize: number; pageCount: number }[]) => T, held: { file: string; pageSize: number; pageCount: number }[] = []): T {
  if (held.length === sources.length) return read(held);
  return sources[held.length]!.holdStill((file, pageSize, pageCount) => holdAll(sources, read, [...held, { file, pageSize, pageCount }]));
}

/** Which set this backup continues, or null when it must start a new one (new folder, set gone, pieces not ours). */
function continuedSet(ws: WorkspaceDb, folder: string): { setId: string; dir: string; piece: number; lastFull: number; key: Buffer } | null {
  const setId = ws.getSetting(S.set);
  const dir = ws.getSetting(S.dir);
  const key = ws.getSecret(S.key);
  const piece = Number(ws.getSetting(S.piece) ?? '0');
  if (!setId || !dir || !key || ws.getSetting(S.folder) !== folder || !existsSync(dir)) return null;
  try {
    if (readSetFile(dir).setId !== setId) return null;
  } catch {
    return null;
  }
  const pieces = listPieces(dir);
  if (pieces.length === 0 || pieces.at(-1)!.piece !== piece || pieces.at(-1)!.problem) return null;
  return { setId, dir, piece, lastFull: Number(ws.getSetting(S.lastFull) ?? '1'), key };
}

export async function runBackup(input: BackupRunInput): Promise<BackupRunResult> {
  const started = performance.now();
  const ws = input.workspace;
  const folder = resolve(input.folder);
  if (!existsSync(folder)) throw new CallError('NOT_FOUND', `备份文件夹 ${folder} 不存在：请插入U盘或移动硬盘，或先建好该文件夹，再重试。`, because('backupFolderMissing', { folder }));
  const continued = continuedSet(ws, folder);
  const setId = continued?.setId ?? randomUUID();
  const setKey = continued?.key ?? randomBytes(32);
  const dir = continued?.dir ?? join(folder, setDirName(input.username, setId));
  const piece = (continued?.piece ?? 0) + 1;
  const kind: PieceHeader['kind'] = !continued || piece - continued.lastFull >= FULL_EVERY ? 'full' : 'incremental';
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // A piece cut short by a crash left only its .part: it was never part of the set.
  for (const f of readdirSync(dir)) if (f.endsWith('.part')) rmSync(join(dir, f), { force: true });
  const createdAt = continued ? readSetFile(dir).createdAt : input.now;
  // Re-wrapped at every run, so the set opens with the password in use now (and, while enrolled, the escrow key).
  await writeSetFile(dir, { setId, setKey, username: input.username, password: input.password, createdAt, now: input.now, escrowPublicKey: input.escrowPublicKey, kdfCost: input.kdfCost });

  const auditHeadSeq = ws.auditHead()?.seq ?? 0;
  const previous = new Map(input.sources.map((s) => [s.name, kind === 'incremental' ? ws.backupPages(s.name) : null]));
  const file = join(dir, pieceFileName(piece, kind));
  const { bytes, pages, recorded } = holdAll(input.sources, (held) => {
    const dbs = held.map((h, i) => {
      const source = input.sources[i]!;
      const hashes = pageHashes(h.file, h.pageSize, h.pageCount);
      const before = previous.get(source.name);
      const usable = before && before.setId === setId && before.pageSize === h.pageSize ? before : null;
      const changed = (pageNo: number) => {
        if (!usable || (pageNo - 1) * HASH_BYTES >= usable.hashes.length) return true;
        const at = (pageNo - 1) * HASH_BYTES;
        return !hashes.subarray(at, at + HASH_BYTES).equals(usable.hashes.subarray(at, at + HASH_BYTES));
      };
      let count = 0;
      for (let p = 1; p <= h.pageCount; p++) if (changed(p)) count++;
      return { source, held: h, hashes, changed, count, baseDigest: usable ? digestOf(usable.hashes) : null };
    });
    const header: PieceHeader = {
      format: 1,
      setId,
      piece,
      kind,
      createdAt: input.now,
      dbs: dbs.map((d) => ({ name: d.source.name, pageSize: d.held.pageSize, pageCount: d.held.pageCount, digest: digestOf(d.hashes), baseDigest: d.baseDigest })),
      auditHeadSeq,
      pages: dbs.reduce((n, d) => n + d.count, 0),
    };
    function* records(): Generator<PageRecord> {
      for (const [i, d] of dbs.entries()) {
        for (const { pageNo, page } of readPages(d.held.file, d.held.pageSize, d.held.pageCount)) {
          if (d.changed(pageNo)) yield { db: i, pageNo, bytes: Buffer.from(page) };
        }
      }
    }
    const keys = Object.fromEntries(dbs.map((d) => [d.source.name, d.source.key.toString('hex')]));
    const written = writePiece(file, setKey, header, { keys }, records());
    return {
      bytes: written,
      pages: header.pages,
      recorded: dbs.map((d) => ({ db: d.source.name, setId, piece, pageSize: d.held.pageSize, hashes: d.hashes })),
    };
  });
  // Only once the piece is safely in place does the workspace count it (a crash before this starts a new set next time).
  if (!continued) ws.setSecret(S.key, setKey);
  const result: BackupRunResult = { setId, dir, piece, kind, pages, bytes, ms: Math.round(performance.now() - started), auditHeadSeq, escrow: input.escrowPublicKey !== null };
  ws.recordBackupPiece(recorded, {
    [S.set]: setId,
    [S.folder]: folder,
    [S.dir]: dir,
    [S.piece]: String(piece),
    [S.lastFull]: String(kind === 'full' ? piece : continued!.lastFull),
    [S.last]: JSON.stringify({ at: input.now, piece, kind, pages, bytes, dir }),
  });
  return result;
}

/** What the workspace knows of its last backup (for the screen). */
export function lastBackup(ws: WorkspaceDb): { at: string; piece: number; kind: string; pages: number; bytes: number; dir: string } | null {
  const v = ws.getSetting(S.last);
  return v ? (JSON.parse(v) as { at: string; piece: number; kind: string; pages: number; bytes: number; dir: string }) : null;
}

/** The set key of the set this workspace backs up to (lets the user verify it without typing the password). */
export function ownSetKey(ws: WorkspaceDb, setId: string): Buffer | null {
  return ws.getSetting(S.set) === setId ? (ws.getSecret(S.key) ?? null) : null;
}

// ---- reconstruction ---------------------------------------------------------------------------------------------

export interface PieceCheck {
  piece: number;
  kind: PieceHeader['kind'];
  createdAt: string | null;
  ok: boolean;
  problem: string | null;
  /** `problem` in the user's words (reasons.pieceProblems.*). */
  why: ReasonDetail | null;
}

export interface Reconstruction {
  setId: string;
  /** The last piece whose result is in the files; null when not even a full piece could be read. */
  upTo: { piece: number; createdAt: string; auditHeadSeq: number } | null;
  piecesInSet: number;
  /** The first piece that could not be used after `upTo`, and why: the restore stops there and says so. */
  stoppedAt: { piece: number; reason: string; why: ReasonDetail } | null;
  files: Partial<Record<DbName, { file: string; key: Buffer }>>;
  checks: PieceCheck[];
}

/** Checks every piece of a set (authentication, and that each increment fits the one before), writing nothing. */
export function verifySet(dir: string, setKey: Buffer): PieceCheck[] {
  const digests = new Map<DbName, string>();
  return listPieces(dir).map((p) => {
    try {
      const { header } = readPiece(p.file, setKey);
      assertFits(header, digests, p.piece);
      for (const d of header.dbs) digests.set(d.name, d.digest);
      return { piece: p.piece, kind: p.kind, createdAt: header.createdAt, ok: true, problem: null, why: null };
    } catch (error) {
      if (!(error instanceof BackupPieceError) && !(error instanceof CallError)) throw error;
      digests.clear();
      return { piece: p.piece, kind: p.kind, createdAt: p.createdAt, ok: false, problem: error.message, why: pieceProblem(error) };
    }
  });
}

function assertFits(header: PieceHeader, digests: Map<DbName, string>, piece: number): void {
  if (header.piece !== piece) throw new CallError('INVALID_INPUT', `piece ${piece}: its header says it is piece ${header.piece} (renamed or copied from elsewhere)`, because('pieceProblems.renamed', { piece, other: header.piece }));
  if (header.kind === 'full') return;
  for (const d of header.dbs) {
    if (d.baseDigest !== null && digests.get(d.name) !== d.baseDigest) {
      throw new CallError('INVALID_INPUT', `piece ${piece} applies on top of a state of the ${d.name} database that the pieces before it do not produce (a piece is missing or damaged)`, because('pieceProblems.does_not_fit', { piece }));
    }
  }
}

/**
 * Rebuilds the databases of a set into `workDir`: from the newest full piece that is intact, then every following
 * incremental piece until the first one that is missing, damaged or does not fit — where it stops, and says so.
 */
export function reconstruct(dir: string, setKey: Buffer, workDir: string): Reconstruction {
  const set = readSetFile(dir);
  const pieces = listPieces(dir);
  const checks: PieceCheck[] = [];
  mkdirSync(workDir, { recursive: true, mode: 0o700 });
  const fulls = pieces.filter((p) => p.kind === 'full').reverse();
  let start = -1;
  let stoppedAt: Reconstruction['stoppedAt'] = null;
  for (const full of fulls) {
    try {
      readPiece(full.file, setKey);
      start = pieces.indexOf(full);
      break;
    } catch (error) {
      if (!(error instanceof BackupPieceError)) throw error;
      if (error.reason === 'wrong_key' && fulls.every((f) => f === full)) throw new CallError('BAD_CREDENTIALS', error.message, pieceProblem(error));
      checks.push({ piece: full.piece, kind: 'full', createdAt: full.createdAt, ok: false, problem: error.message, why: pieceProblem(error) });
    }
  }
  if (start < 0) {
    return { setId: set.setId, upTo: null, piecesInSet: pieces.length, stoppedAt: {
        piece: fulls[0]?.piece ?? 1,
        reason: fulls.length ? 'no full piece of this set is intact' : 'the set has no full piece',
        why: because(fulls.length ? 'pieceProblems.no_intact_full' : 'pieceProblems.no_full'),
      }, files: {}, checks };
  }
  const files = new Map<DbName, { file: string; key: Buffer; fd: number; pageSize: number; digest: string }>();
  let upTo: Reconstruction['upTo'] = null;
  try {
    for (let i = start; i < pieces.length; i++) {
      const p = pieces[i]!;
      if (i > start && p.piece !== pieces[i - 1]!.piece + 1) {
        stoppedAt = { piece: pieces[i - 1]!.piece + 1, reason: `piece ${pieces[i - 1]!.piece + 1} is missing from the set`, why: because('pieceProblems.missing', { piece: pieces[i - 1]!.piece + 1 }) };
        break;
      }
      let header: PieceHeader;
      let keys: Partial<Record<DbName, string>>;
      try {
        // First pass: authenticate the whole piece and check that it fits, before any of it is applied.
        ({ header, keys } = (() => {
          const r = readPiece(p.file, setKey);
          return { header: r.header, keys: r.keys.keys };
        })());
        assertFits(header, new Map([...files].map(([name, f]) => [name, f.digest])), p.piece);
      } catch (error) {
        if (!(error instanceof BackupPieceError) && !(error instanceof CallError)) throw error;
        stoppedAt = { piece: p.piece, reason: error.message, why: pieceProblem(error) };
        checks.push({ piece: p.piece, kind: p.kind, createdAt: p.createdAt, ok: false, problem: error.message, why: pieceProblem(error) });
        break;
      }
      // Second pass: apply.
      for (const d of header.dbs) {
        let f = files.get(d.name);
        if (!f || d.baseDigest === null) {
          if (f) closeSync(f.fd);
          const file = join(workDir, `${d.name}.db`);
          f = { file, key: Buffer.from(keys[d.name] ?? '', 'hex'), fd: openSync(file, 'w+', 0o600), pageSize: d.pageSize, digest: '' };
          files.set(d.name, f);
        }
        f.key = Buffer.from(keys[d.name] ?? '', 'hex');
      }
      readPiece(p.file, setKey, (page) => {
        const d = header.dbs[page.db]!;
        const f = files.get(d.name)!;
        writeSync(f.fd, page.bytes, 0, page.bytes.length, (page.pageNo - 1) * d.pageSize);
      });
      for (const d of header.dbs) {
        const f = files.get(d.name)!;
        ftruncateSync(f.fd, d.pageCount * d.pageSize);
        f.digest = digestOf(pageHashes(f.file, d.pageSize, d.pageCount));
        if (f.digest !== d.digest) throw new CallError('INTERNAL', `piece ${p.piece}: the rebuilt ${d.name} database does not match the piece's digest`);
      }
      checks.push({ piece: p.piece, kind: p.kind, createdAt: header.createdAt, ok: true, problem: null, why: null });
      upTo = { piece: p.piece, createdAt: header.createdAt, auditHeadSeq: header.auditHeadSeq };
    }
  } finally {
    for (const f of files.values()) closeSync(f.fd);
  }
  return {
    setId: set.setId,
    upTo,
    piecesInSet: pieces.length,
    stoppedAt,
    files: Object.fromEntries([...files].map(([name, f]) => [name, { file: f.file, key: f.key }])),
    checks,
  };
}
