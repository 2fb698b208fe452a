/**
 * One sync with the platform: check who is talking (pinned key), what is offered (signed manifest), whether it may be
 * taken (format, schema, jurisdiction, no rollback), fetch it (resumable, hashed), assemble it (full file or deltas),
 * verify it (integrity, content digest), and only then swap it in. Any refusal leaves the current snapshot as it was.
 * Finally the outbox goes up: the audit entries since the last anchored head (the platform anchors the new head only if
 * they extend the old one), the case events and the export register.
 *
 * The engine knows nothing of sessions or Electron: the app and the headless `cli sync` both drive it.
 */
import type { AuditEntry, ChainHead } from '../../domain/audit-chain.js';
import type { MemberCard } from '../../domain/authorship.js';
import { canonicalReceipt, isReceiptBody, type SignedAuditReceipt } from '../../domain/audit-receipt.js';
import { createHash, type Hash } from 'node:crypto';
import { closeSync, existsSync, openSync, renameSync, rmSync, statSync, truncateSync, writevSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalManifest, manifestNamesAreSafe, MANIFEST_FORMAT, type DeltaRef, type FileRef, type ManifestBody, type SignedManifest } from '../../domain/manifest.js';
import { isoTime, type Clock } from '../../platform/clock.js';
import type { ReasonDetail } from '../../domain/reasons.js';
import { isCanonicalBase64, parseWrappedKey, unwrapForDevice, type DeviceKeyPair } from '../../platform/device-keys.js';
import { DEVICE_ID_HEADER, DEVICE_MAC_HEADER, DEVICE_TOKEN_HEADER, deviceToken, uploadMac, uploadMacKey } from '../../platform/upload-auth.js';
import { verifyBytes } from '../../platform/signing.js';
import { hashFileInto, sha256File } from '../../platform/file-hash.js';
import { describeTransportError, platformFetch, type PlatformTls } from '../../platform/platform-transport.js';
import { openEncrypted } from '../../store/sqlcipher.js';
import { applyDelta, DeltaMismatchError } from '../../store/snapshot/snapshot-delta.js';
import type { InstalledSnapshot, LocalSnapshots } from '../../store/snapshot/local-snapshots.js';
import { SUPPORTED_SNAPSHOT_SCHEMAS } from '../../store/snapshot/schema.js';

export type SyncRefusal =
  | 'PLATFORM_KEY_CHANGED'
  | 'BAD_SIGNATURE'
  | 'UNKNOWN_FORMAT'
  | 'UNKNOWN_SCHEMA'
  | 'WRONG_JURISDICTION'
  | 'ROLLBACK'
  | 'NOT_ENROLLED'
  | 'HASH_MISMATCH'
  | 'INTEGRITY'
  | 'DIGEST_MISMATCH'
  | 'DELTA_MISMATCH'
  | 'NETWORK'
  /** Plain HTTP to a non-loopback address, or a certificate that does not match the pinned CA or fingerprint. */
  | 'PLATFORM_TLS'
  | 'AUDIT_ROLLED_BACK';

export class SyncRefusedError extends Error {
  constructor(
    readonly refusal: SyncRefusal,
    message: string,
    /** The cause in the user's words, when more particular than the refusal (the transport's: which address, why). */
    readonly reason?: ReasonDetail,
  ) {
    super(message);
    this.name = 'SyncRefusedError';
  }
}

export interface SyncProgress {
  phase: 'checking' | 'downloading' | 'assembling' | 'verifying' | 'installing' | 'uploading' | 'done';
  bytesDone: number;
  bytesTotal: number;
  file?: string;
}

/** What the engine needs from the user's workspace (pins, keys) — implemented over WorkspaceDb by the service. */
export interface SyncCredentials {
  url: string;
  token: string;
  platformPublicKey: Buffer;
  jurisdiction: string[];
  device: DeviceKeyPair;
  deviceId: string;
  /** The key that opens the *local* file of an installed snapshot (never used for published files). */
  snapshotKey(snapshotId: string): Buffer | undefined;
  /** Records that key durably, before the pointer names the file. */
  saveSnapshotKey(snapshotId: string, key: Buffer): void;
  /** The highest manifest sequence this workstation has accepted (0 before the first sync). */
  highestSequence(): number;
  recordSequence(sequence: number): void;
  /** The platform's upload-authentication key (from the signed manifest): uploads naming this device carry a MAC. */
  uploadAuthKey?: Buffer | null;
  /** The pinned CA and/or certificate fingerprint of an HTTPS platform (platform/platform-transport.ts). */
  tls?: PlatformTls | undefined;
}

export interface OutboxItem {
  kind: 'outbox';
  body: unknown;
}

/** The user's audit chain, as the sync reads it to anchor its head at the platform. */
export interface AuditTrailSource {
  head(): ChainHead | null;
  /** The hash of one entry (null when the chain has none at that seq). */
  hashAt(seq: number): string | null;
  /** Up to `limit` entries after `seq`, oldest first. */
  entriesAfter(seq: number, limit: number): AuditEntry[];
}

/**
 * The triage part of the outbox: case events made here go up, the team's events from other workstations come down
 * and are merged (union by event id; concurrent decisions become conflicts for a supervisor, nothing is dropped).
 */
export interface CaseExchange {
  unsent(): unknown[];
  markUploaded(eventIds: string[]): void;
  /** How far into the platform's case feed this workstation has read. */
  cursor(): number;
  /** The cursor with the id of the event read at it: the platform must still hold that event there. */
  feedMark(): { cursor: number; eventId: string } | null;
  /** The platform lost what it had acknowledged: mark everything authored here to go up again, read the feed anew. */
  platformLost(): { events: number; exports: number };
  /** Merges a page of the feed and moves the cursor; events that do not verify are kept aside and counted. */
  receive(events: unknown[], next: number): { added: number; skipped: number };
  /** This workstation's member cards the platform has not acknowledged yet (domain/authorship.ts). */
  unannouncedMembers(): { card: MemberCard; proof: string }[];
  membersAnnounced(cards: MemberCard[]): void;
  /** The platform's roster of certified cards: those its pinned key signed are recorded. */
  rosterReceived(entries: unknown[], platformKey: Buffer): { members: number; refused: number };
}

/** The export register's part of the outbox: settled exports go up (with their row marks, in parts) until acknowledged. */
export interface RegisterExchange {
  unsent(): { exportId: string; entry: unknown }[];
  marks(exportId: string, after: string, limit: number): { rowMark: string; identity: string }[];
  markUploaded(exportId: string): void;
}

export interface RegisterExchangeOutcome {
  status: 'done' | 'unsupported' | 'failed';
  exports: number;
}

export interface CaseExchangeOutcome {
  status: 'done' | 'unsupported' | 'failed';
  sent: number;
  received: number;
  skipped: number;
  /** Set when the platform no longer held what it had acknowledged (restored from an earlier copy): what goes up again. */
  resent?: { events: number; exports: number };
}

export interface SyncOutcome {
  result: 'installed' | 'up_to_date';
  snapshotId: string;
  asOf: string;
  via: 'full' | 'delta' | null;
  bytesDownloaded: number;
  uploads: { kind: string; status: 'sent' | 'unsupported' | 'failed'; receipt?: string }[];
  cases?: CaseExchangeOutcome;
  exports?: RegisterExchangeOutcome;
  /** The platform's signed receipt for the audit head sent up (verified against the pinned key). */
  anchor?: SignedAuditReceipt;
  /** The platform holds a later (or different) head for this device than the one sent: this workspace was rolled back. */
  anchorRefused?: boolean;
  /** The platform's backup escrow key, from the signed manifest (base64 SPKI). */
  escrowKey?: string;
  uploadAuthKey?: string;
}

export interface SyncOptions {
  /** Stamps the install and the audit head sent up. */
  clock: Clock;
  credentials: SyncCredentials;
  local: LocalSnapshots;
  outbox?: OutboxItem[];
  audit?: AuditTrailSource;
  cases?: CaseExchange;
  exports?: RegisterExchange;
  onProgress?: (p: SyncProgress) => void;
  /** Told when a delta could not be used and the full snapshot is fetched instead. */
  onFallback?: (reason: string) => void;
  /**
   * Which local snapshot a delta sync starts from: 'auto' (default) decides by size (deltaStart); 'previous' changes the
   * previous snapshot in place whenever the chain reaches it, 'current' always copies the current one (tests, benchmark).
   */
  deltaBase?: 'auto' | 'previous' | 'current';
  /** Test hook: awaited between steps, so a test can stretch or stop the process at chosen points. */
  checkpoint?: (step: string) => void | Promise<void>;
}

/**
 * Downloads are written in batches of this many bytes (fetch hands over chunks of tens of kilobytes). Not more: a process
 * killed outright loses the batch not yet written, and the next attempt resumes from what reached the file.
 */
const WRITE_BATCH = 1 << 20;

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join(',') === [...b].sort().join(',');

class PlatformClient {
  constructor(private readonly c: SyncCredentials) {}

  private url(path: string): string {
    return `${this.c.url.replace(/\/+$/, '')}/${path}`;
  }

  /**
   * Who asks: the bearer token for everything, and once the platform's upload key is known, this device's id and token,
   * which the exchange service's reads (feed, roster, audit head) need to answer for this device's jurisdiction.
   */
  private identity(): Record<string, string> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.c.token}` };
    if (this.c.uploadAuthKey) {
      headers[DEVICE_ID_HEADER] = this.c.deviceId;
      headers[DEVICE_TOKEN_HEADER] = deviceToken(this.macKey());
    }
    return headers;
  }

  private macKeyCache: Buffer | undefined;

  private macKey(): Buffer {
    this.macKeyCache ??= uploadMacKey(this.c.device.privateKeyDer, this.c.uploadAuthKey!, this.c.deviceId);
    return this.macKeyCache;
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    let res: Response;
    const attempt = () => platformFetch(this.url(path), { headers: { ...this.identity(), ...headers } }, this.c.tls);
    try {
      // Once more on a network error: a kept-alive connection the platform closed while this process was busy fails the
      // first request on it, and a GET is safe to repeat.
      res = await attempt().catch(attempt);
    } catch (error) {
      const { trust, message, reason } = describeTransportError(this.c.url, error);
      throw new SyncRefusedError(trust ? 'PLATFORM_TLS' : 'NETWORK', message, reason);
    }
    if (res.status === 401 || res.status === 403) throw new SyncRefusedError('NOT_ENROLLED', `the platform refused the token (${res.status})`);
    return res;
  }

  async json<T>(path: string): Promise<T> {
    const res = await this.get(path);
    if (!res.ok) throw new SyncRefusedError('NETWORK', `${path}: the platform answered ${res.status}`);
    try {
      return JSON.parse(await res.text()) as T;
    } catch {
      throw new SyncRefusedError('BAD_SIGNATURE', `${path} is damaged (not valid JSON): refused`);
    }
  }

  async text(path: string): Promise<string> {
    const res = await this.get(path);
    if (!res.ok) throw new SyncRefusedError('NETWORK', `${path}: the platform answered ${res.status}`);
    return res.text();
  }

  async post(path: string, body: unknown): Promise<Response> {
    const text = JSON.stringify(body);
    const headers: Record<string, string> = { Authorization: `Bearer ${this.c.token}`, 'Content-Type': 'application/json' };
    if (this.c.uploadAuthKey) headers[DEVICE_MAC_HEADER] = uploadMac(this.macKey(), text);
    return platformFetch(this.url(path), { method: 'POST', headers, body: text }, this.c.tls);
  }

  /**
   * Downloads a published file into `dir`, resuming a partial download of the same content (files are named by their
   * SHA-256, so a partial file can only ever be continued with the bytes it started with).
   */
  async download(ref: FileRef, dir: string, onBytes: (n: number) => void): Promise<{ file: string; fetched: number }> {
    const final = join(dir, `${ref.sha256}.bin`);
    if (existsSync(final) && statSync(final).size === ref.size && sha256File(final) === ref.sha256) return { file: final, fetched: 0 };
    const part = `${final}.part`;
    let have = existsSync(part) ? statSync(part).size : 0;
    if (have > ref.size) {
      rmSync(part);
      have = 0;
    }
    let fetched = 0;
    let hash: Hash | undefined;
    if (have < ref.size) {
      const res = await this.get(ref.path, have > 0 ? { Range: `bytes=${have}-` } : {});
      if (res.status === 200 && have > 0) {
        truncateSync(part, 0); // the server ignored the range: start over
        have = 0;
      } else if (res.status === 206) {
        const start = Number(/^bytes (\d+)-/.exec(res.headers.get('content-range') ?? '')?.[1] ?? -1);
        if (start !== have) throw new SyncRefusedError('NETWORK', `${ref.path}: the platform resumed at ${start}, not ${have}`);
      } else if (!res.ok) {
        throw new SyncRefusedError('NETWORK', `${ref.path}: the platform answered ${res.status}`);
      }
      onBytes(have);
      // The SHA-256 is taken as the bytes arrive, so a finished download is not read back a second time (for a snapshot
      // of a gigabyte that second read was a fifth of the sync); a resumed one first hashes the part it already holds.
      hash = createHash('sha256');
      if (have > 0) hashFileInto(hash, part);
      const fd = openSync(part, 'a', 0o600);
      // Chunks arrive in tens of kilobytes; they are written in batches of WRITE_BATCH, one system call each.
      let pending: Uint8Array[] = [];
      let pendingBytes = 0;
      const flush = () => {
        if (pendingBytes > 0) writevSync(fd, pending);
        pending = [];
        pendingBytes = 0;
      };
      let overflow = false;
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          // Never more than the manifest promised: a misbehaving server must not fill the disk.
          if (have + fetched + chunk.length > ref.size) {
            overflow = true;
            throw new SyncRefusedError('HASH_MISMATCH', `${ref.path} is longer than the manifest says (${ref.size} bytes): refused`);
          }
          hash.update(chunk);
          pending.push(chunk);
          pendingBytes += chunk.length;
          fetched += chunk.length;
          if (pendingBytes >= WRITE_BATCH) flush();
          onBytes(have + fetched);
        }
      } finally {
        // What arrived before a network error is kept for the next attempt to resume from.
        if (!overflow) flush();
        closeSync(fd);
        if (overflow) rmSync(part, { force: true });
      }
    }
    const size = statSync(part).size;
    const sha256 = hash ? hash.digest('hex') : sha256File(part);
    if (size !== ref.size || sha256 !== ref.sha256) {
      rmSync(part, { force: true });
      throw new SyncRefusedError('HASH_MISMATCH', `${ref.path} does not match the manifest (size ${size} vs ${ref.size}, or SHA-256 differs): refused`);
    }
    renameSync(part, final);
    return { file: final, fetched };
  }
}

/** Checks everything the manifest claims before any file is fetched. Returns the verified body. */
async function verifiedManifest(client: PlatformClient, c: SyncCredentials, current: InstalledSnapshot | null): Promise<ManifestBody> {
  // Exactly one line of canonical base64: a lenient decoder would skip a damaged character and still "match".
  const offered = (await client.text('platform.pub')).replace(/\n$/, '');
  const offeredKey = Buffer.from(offered, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(offered) || offeredKey.toString('base64') !== offered || !offeredKey.equals(c.platformPublicKey)) {
    throw new SyncRefusedError('PLATFORM_KEY_CHANGED', "the platform's public key differs from the one pinned at enrolment: refused");
  }
  const signed = await client.json<SignedManifest>('manifest.json');
  if (
    !signed?.body ||
    !isCanonicalBase64(signed.signature, 64) ||
    !verifyBytes(c.platformPublicKey, canonicalManifest(signed.body), Buffer.from(signed.signature, 'base64'))
  ) {
    throw new SyncRefusedError('BAD_SIGNATURE', 'the manifest is not signed by the pinned platform key: refused');
  }
  const body = signed.body;
  if (body.format !== MANIFEST_FORMAT) throw new SyncRefusedError('UNKNOWN_FORMAT', `manifest format ${body.format} is not one this app reads: refused`);
  if (!manifestNamesAreSafe(body)) throw new SyncRefusedError('UNKNOWN_FORMAT', 'the manifest names files outside the publication layout: refused');
  const highest = c.highestSequence();
  if (body.sequence < highest || (body.sequence === highest && current !== null && body.snapshotId !== current.snapshotId)) {
    throw new SyncRefusedError('ROLLBACK', `the platform offers publication ${body.sequence} (${body.snapshotId}), but ${highest} was already accepted: an older manifest replayed, refused`);
  }
  if (!SUPPORTED_SNAPSHOT_SCHEMAS.includes(body.schemaVersion)) {
    throw new SyncRefusedError('UNKNOWN_SCHEMA', `snapshot schema version ${body.schemaVersion} is not one this app knows (${SUPPORTED_SNAPSHOT_SCHEMAS.join(', ')}): update the app`);
  }
  if (!sameSet(body.jurisdiction, c.jurisdiction)) {
    throw new SyncRefusedError('WRONG_JURISDICTION', `the snapshot covers ${body.jurisdiction.join(', ')}, this workstation is enrolled for ${c.jurisdiction.join(', ')}: refused`);
  }
  if (current && body.snapshotId === current.snapshotId && body.contentDigest !== current.contentDigest) {
    throw new SyncRefusedError('DIGEST_MISMATCH', `the platform offers ${body.snapshotId} with different content than the copy installed here: refused`);
  }
  if (current && body.snapshotId !== current.snapshotId && body.asOf < current.asOf) {
    throw new SyncRefusedError('ROLLBACK', `the platform offers ${body.snapshotId} as of ${body.asOf}, older than the current ${current.snapshotId} as of ${current.asOf}: refused`);
  }
  return body;
}

/** The *published* data key of a snapshot, unwrapped with this device's key (local keys are never substituted). */
async function keyFor(client: PlatformClient, c: SyncCredentials, keysPath: string, snapshotId: string): Promise<Buffer> {
  const res = await client.get(`${keysPath}/${snapshotId}/${c.deviceId}.json`);
  if (res.status === 404) throw new SyncRefusedError('NOT_ENROLLED', `snapshot ${snapshotId} has no key for this device (${c.deviceId}): ask the platform to enrol it`);
  if (!res.ok) throw new SyncRefusedError('NETWORK', `the platform answered ${res.status} for the snapshot key`);
  const wrapped = parseWrappedKey(await res.text());
  if (!wrapped) throw new SyncRefusedError('NOT_ENROLLED', 'the wrapped snapshot key is damaged: refused');
  const key = unwrapForDevice(c.device, wrapped, snapshotId);
  if (!key) throw new SyncRefusedError('NOT_ENROLLED', 'the wrapped snapshot key does not open with this device key: refused');
  return key;
}

/** The chain of deltas from `from` to the manifest's snapshot, or null when there is none. */
function deltaChain(body: ManifestBody, from: string): DeltaRef[] | null {
  const start = body.deltas.findIndex((d) => d.from === from);
  if (start < 0) return null;
  const chain = body.deltas.slice(start);
  for (let i = 1; i < chain.length; i++) if (chain[i]!.from !== chain[i - 1]!.to) return null;
  return chain.at(-1)?.to === body.snapshotId ? chain : null;
}

export async function syncOnce(o: SyncOptions): Promise<SyncOutcome> {
  const c = o.credentials;
  const client = new PlatformClient(c);
  const progress = (p: SyncProgress) => o.onProgress?.(p);
  const step = async (name: string) => o.checkpoint?.(name);
  progress({ phase: 'checking', bytesDone: 0, bytesTotal: 0 });
  const current = o.local.current();
  const body = await verifiedManifest(client, c, current);
  await step('manifest-verified');

  let outcome: SyncOutcome;
  const escrowKey = {
    ...(isCanonicalBase64(body.escrowKey, 44) ? { escrowKey: body.escrowKey } : {}),
    ...(isCanonicalBase64(body.uploadAuthKey, 44) ? { uploadAuthKey: body.uploadAuthKey } : {}),
  };
  if (current?.snapshotId === body.snapshotId) {
    outcome = { result: 'up_to_date', snapshotId: body.snapshotId, asOf: body.asOf, via: null, bytesDownloaded: 0, uploads: [], ...escrowKey };
  } else {
    const key = await keyFor(client, c, body.keysPath, body.snapshotId);
    const target = `${body.snapshotId}.db`;
    const start = deltaStart(o.local, c, body, o.deltaBase ?? 'auto');
    let fetched = 0;
    let via: 'full' | 'delta' = 'full';
    let assembledKey: Buffer | undefined;
    if (start) {
      try {
        const got = await viaDeltas(client, c, o, body, start, progress, step);
        fetched = got.fetched;
        assembledKey = got.key;
        via = 'delta';
      } catch (error) {
        // A damaged delta (or local base) is refused, but it does not block the update: the full file stands alone.
        if (!(error instanceof SyncRefusedError && (error.refusal === 'DELTA_MISMATCH' || error.refusal === 'HASH_MISMATCH'))) throw error;
        o.onFallback?.(error.message);
      }
    }
    if (via === 'full') {
      const got = await client.download(body.full, o.local.downloadsDir, (n) => progress({ phase: 'downloading', bytesDone: n, bytesTotal: body.full.size, file: body.full.path }));
      fetched += got.fetched;
      await step('full-downloaded');
      progress({ phase: 'verifying', bytesDone: body.full.size, bytesTotal: body.full.size });
      const check = `${o.local.path(target)}.checking`;
      renameSync(got.file, check);
      try {
        verifySnapshotFile(check, key, body);
      } catch (error) {
        rmSync(check, { force: true });
        throw error;
      }
      renameSync(check, o.local.path(target));
    }
    await step('assembled');
    progress({ phase: 'installing', bytesDone: 0, bytesTotal: 0 });
    // Assembled files keep the local key of their base (see applyDelta); full downloads open with the published key.
    c.saveSnapshotKey(body.snapshotId, assembledKey ?? key);
    await step('key-saved');
    o.local.install({ snapshotId: body.snapshotId, file: target, asOf: body.asOf, jurisdiction: body.jurisdiction, contentDigest: body.contentDigest }, isoTime(o.clock));
    await step('installed');
    outcome = { result: 'installed', snapshotId: body.snapshotId, asOf: body.asOf, via, bytesDownloaded: fetched, uploads: [], ...escrowKey };
  }
  c.recordSequence(body.sequence);

  progress({ phase: 'uploading', bytesDone: 0, bytesTotal: 0 });
  if (o.audit) await anchorAuditTrail(client, c, o.audit, o.clock, outcome);
  for (const item of o.outbox ?? []) {
    try {
      const res = await client.post(`upload/${item.kind}`, item.body);
      if (res.status === 201) outcome.uploads.push({ kind: item.kind, status: 'sent', receipt: ((await res.json()) as { receipt: string }).receipt });
      else outcome.uploads.push({ kind: item.kind, status: [404, 405, 501].includes(res.status) ? 'unsupported' : 'failed' });
    } catch {
      outcome.uploads.push({ kind: item.kind, status: 'failed' });
    }
  }
  if (o.cases) outcome.cases = await exchangeCaseEvents(client, c, o.cases);
  if (o.exports) outcome.exports = await uploadExportRegister(client, c, o.exports);
  progress({ phase: 'done', bytesDone: 0, bytesTotal: 0 });
  return outcome;
}

/** Audit entries per upload: the platform takes up to 2,000, and a long stretch goes up in several. */
const AUDIT_UPLOAD_BATCH = 1000;

/**
 * Anchors the audit chain's head at the platform. It asks which head the platform holds for this device: one this chain
 * does not reach, or holds differently, means the workspace was rolled back or rewritten (refused, with that receipt).
 * Otherwise it sends the entries after that head (all of them the first time), in batches; the platform anchors each
 * new head only if the entries extend the old one under its signing keys, and signs a receipt for it.
 */
async function anchorAuditTrail(client: PlatformClient, c: SyncCredentials, audit: AuditTrailSource, clock: Clock, outcome: SyncOutcome): Promise<void> {
  const report = (status: 'sent' | 'unsupported' | 'failed', receipt?: string): void => {
    outcome.uploads.push({ kind: 'audit-head', status, ...(receipt ? { receipt } : {}) });
  };
  const head = audit.head();
  if (!head) return;
  try {
    let anchoredSeq = 0;
    const held = await client.get(`audit-head?device=${encodeURIComponent(c.deviceId)}`);
    if (held.status === 200) {
      const receipt = verifiedReceipt(((await held.json()) as { signed?: unknown }).signed, c);
      if (!receipt) return report('failed');
      outcome.anchor = receipt;
      if (receipt.body.seq > head.seq || audit.hashAt(receipt.body.seq) !== receipt.body.hash) {
        outcome.anchorRefused = true;
        return report('sent');
      }
      anchoredSeq = receipt.body.seq;
    }
    let lastReceipt: string | undefined;
    for (;;) {
      const entries = audit.entriesAfter(anchoredSeq, AUDIT_UPLOAD_BATCH);
      const last = entries.at(-1);
      if (!last) return report('sent', lastReceipt);
      const res = await client.post('upload/audit-head', { deviceId: c.deviceId, seq: last.seq, hash: last.hash, at: isoTime(clock), entries });
      if (res.status !== 201 && res.status !== 409) return report([404, 405, 501].includes(res.status) ? 'unsupported' : 'failed');
      const reply = (await res.json()) as { receipt?: string; signed?: unknown };
      const receipt = verifiedReceipt(reply.signed, c);
      if (!receipt) return report('failed');
      outcome.anchor = receipt;
      if (res.status === 409) {
        outcome.anchorRefused = true;
        return report('sent', reply.receipt);
      }
      anchoredSeq = last.seq;
      lastReceipt = reply.receipt;
    }
  } catch {
    return report('failed');
  }
}

/** A receipt is kept only if the pinned platform key signed it, for this device. */
function verifiedReceipt(signed: unknown, c: SyncCredentials): SignedAuditReceipt | undefined {
  const r = signed as Partial<SignedAuditReceipt> | null | undefined;
  if (!r || !isReceiptBody(r.body) || r.body.deviceId !== c.deviceId || typeof r.signature !== 'string' || !isCanonicalBase64(r.signature, 64)) return undefined;
  return verifyBytes(c.platformPublicKey, canonicalReceipt(r.body), Buffer.from(r.signature, 'base64')) ? (r as SignedAuditReceipt) : undefined;
}

const CASE_UPLOAD_BATCH = 500;

/** The case exchange alone (syncOnce runs it after the snapshot; tests and a future "send decisions now" use it). */
export function syncCaseEvents(c: SyncCredentials, x: CaseExchange): Promise<CaseExchangeOutcome> {
  return exchangeCaseEvents(new PlatformClient(c), c, x);
}

/**
 * Sends this workstation's unsent case events in batches (each marked sent only once the platform acknowledged it),
 * then reads the team's feed from the saved cursor. A static server (no case feed) answers 404: nothing is lost,
 * the events stay in the outbox.
 */
async function exchangeCaseEvents(client: PlatformClient, c: SyncCredentials, x: CaseExchange): Promise<CaseExchangeOutcome> {
  const result: CaseExchangeOutcome = { status: 'done', sent: 0, received: 0, skipped: 0 };
  try {
    // First the roster: this workstation's members' cards go up (the platform certifies them and checks every event's
    // signature against them), and the team's certified cards come down (events from the feed are checked against them).
    const cards = x.unannouncedMembers();
    if (cards.length > 0) {
      const res = await client.post('upload/member-key', { deviceId: c.deviceId, cards });
      if (res.status !== 201) return { ...result, status: [404, 405, 501].includes(res.status) ? 'unsupported' : 'failed' };
      const reply = (await res.json()) as { accepted?: unknown };
      const accepted = new Set(Array.isArray(reply.accepted) ? reply.accepted : []);
      // The platform answers with the positions of the cards it certified (or already held): those are announced.
      x.membersAnnounced(cards.filter((_, i) => accepted.has(i)).map(({ card }) => card));
    }
    const roster = await client.get('members');
    if (!roster.ok) return { ...result, status: roster.status === 404 ? 'unsupported' : 'failed' };
    const members = ((await roster.json()) as { members?: unknown }).members;
    x.rosterReceived(Array.isArray(members) ? members : [], c.platformPublicKey);
    const mark = x.feedMark();
    if (mark && (await feedLost(client, mark))) result.resent = x.platformLost();
    for (let batch = x.unsent().slice(0, CASE_UPLOAD_BATCH); batch.length > 0; batch = x.unsent().slice(0, CASE_UPLOAD_BATCH)) {
      const res = await client.post('upload/case-events', { deviceId: c.deviceId, events: batch });
      if (res.status !== 201) return { ...result, status: [404, 405, 501].includes(res.status) ? 'unsupported' : 'failed' };
      x.markUploaded(batch.map((e) => (e as { eventId: string }).eventId));
      result.sent += batch.length;
    }
    for (;;) {
      const cursor = x.cursor();
      const res = await client.get(`case-events?after=${cursor}`);
      if (!res.ok) return { ...result, status: res.status === 404 ? 'unsupported' : 'failed' };
      const page = (await res.json()) as { events?: { seq: number; event: unknown }[]; next?: number };
      const events = Array.isArray(page.events) ? page.events : [];
      const next = typeof page.next === 'number' && page.next > cursor ? page.next : cursor;
      if (events.length === 0 || next === cursor) break;
      const merged = x.receive(events.map((e) => e.event), next);
      result.received += merged.added;
      result.skipped += merged.skipped;
    }
    return result;
  } catch {
    return { ...result, status: 'failed' };
  }
}

/**
 * Whether the platform lost the feed this workstation read: the event read at the cursor must still be there, at the
 * same number. A database restored from an earlier copy lacks it — and hands its number to a later upload, so the
 * cursor would skip that upload. Only an answer proves a loss; an unanswered read proves nothing (the read after it fails).
 */
async function feedLost(client: PlatformClient, mark: { cursor: number; eventId: string }): Promise<boolean> {
  const res = await client.get(`case-events?after=${mark.cursor - 1}&limit=1`);
  if (!res.ok) return false;
  const first = ((await res.json()) as { events?: { seq?: unknown; event?: { eventId?: unknown } }[] }).events?.[0];
  return first?.seq !== mark.cursor || first.event?.eventId !== mark.eventId;
}

/** The register upload alone (syncOnce runs it after the case exchange). */
export function syncExportRegister(c: SyncCredentials, x: RegisterExchange): Promise<RegisterExchangeOutcome> {
  return uploadExportRegister(new PlatformClient(c), c, x);
}

/** Row marks per upload: 20,000 marks are about 1.3 MB of JSON, well inside the platform's 4 MiB limit. */
const MARKS_PER_PART = 20_000;

/**
 * Sends each settled export of the register (its entry, then its row marks in parts) and marks it sent once every part
 * was acknowledged; a part sent twice after a failure is harmless (the platform keeps every upload, marks are unique).
 */
async function uploadExportRegister(client: PlatformClient, c: SyncCredentials, x: RegisterExchange): Promise<RegisterExchangeOutcome> {
  const result: RegisterExchangeOutcome = { status: 'done', exports: 0 };
  try {
    for (let batch = x.unsent(); batch.length > 0; batch = x.unsent()) {
      for (const { exportId, entry } of batch) {
        let after = '';
        for (let part = 0; ; part++) {
          const marks = x.marks(exportId, after, MARKS_PER_PART);
          const res = await client.post('upload/export-register', { deviceId: c.deviceId, entry, part, marks });
          if (res.status !== 201) return { ...result, status: [404, 405, 501].includes(res.status) ? 'unsupported' : 'failed' };
          if (marks.length < MARKS_PER_PART) break;
          after = marks[marks.length - 1]!.rowMark;
        }
        x.markUploaded(exportId);
        result.exports++;
      }
    }
    return result;
  } catch {
    return { ...result, status: 'failed' };
  }
}

/** Where a delta sync starts: which local snapshot, the chain of deltas from it, and whether its file may be consumed. */
interface DeltaStart {
  chain: DeltaRef[];
  base: { file: string; id: string; key: Buffer };
  /** The base is the previous snapshot, changed in place (after the pointer stops naming it) instead of copied. */
  consume: boolean;
}

/**
 * Applying a delta costs far more per byte than copying a file: its rows are spread over the tables, so 1 % of the rows
 * (scattered, as amend() makes them) touches about 14 % of the file's pages, each read, its HMAC checked and decrypted,
 * changed, encrypted, its HMAC computed and written — SHA-512 and AES are most of the time (docs/performance.md). At
 * 200,000 persons (244 MB, 2 loaded cores) a 1 MB delta of 1 % of the rows applies in 0.3–0.45 s; copying the snapshot
 * and flushing the copy costs 0.1–0.2 s. Copying the current snapshot and applying one delta took 0.51–0.57 s; changing
 * the previous one in place through two deltas 0.78–0.98 s. So the previous snapshot is changed in place (one delta
 * further back than the current one) only when that extra delta is smaller than the snapshot by this factor — deltas
 * that touch few pages, or a disk much slower than the processor; otherwise the current snapshot is copied.
 */
const IN_PLACE_FACTOR = 500;

/**
 * The start of a delta sync, or null when the full file must be fetched. From the current snapshot (copied, it stays in
 * use until the swap), or — when the chain reaches back to the previous snapshot and that extra delta is small — from the
 * previous snapshot's file, changed in place: no second copy of the snapshot is written, and the current one is untouched.
 */
function deltaStart(local: LocalSnapshots, c: SyncCredentials, body: ManifestBody, choice: 'auto' | 'previous' | 'current'): DeltaStart | null {
  const current = local.current();
  const currentKey = current ? c.snapshotKey(current.snapshotId) : undefined;
  const fromCurrent = current && currentKey ? deltaChain(body, current.snapshotId) : null;
  if (!current || !currentKey || !fromCurrent) return null;
  const previous = local.previous();
  const previousKey = previous ? c.snapshotKey(previous.snapshotId) : undefined;
  const fromPrevious = previous && previousKey && previous.snapshotId !== body.snapshotId ? deltaChain(body, previous.snapshotId) : null;
  const file = previous ? local.path(previous.file) : '';
  if (choice !== 'current' && previous && previousKey && fromPrevious && fromPrevious.length === fromCurrent.length + 1 && fromPrevious[0]!.to === current.snapshotId && existsSync(file)) {
    if (choice === 'previous' || fromPrevious[0]!.size * IN_PLACE_FACTOR < statSync(file).size) return { chain: fromPrevious, base: { file, id: previous.snapshotId, key: previousKey }, consume: true };
  }
  return { chain: fromCurrent, base: { file: local.path(current.file), id: current.snapshotId, key: currentKey }, consume: false };
}

/**
 * Downloads every delta of the chain (nothing local changes while that can still fail), then applies them in turn into
 * the new snapshot's file; returns the bytes fetched and the local key that opens the result (the base's).
 */
async function viaDeltas(
  client: PlatformClient,
  c: SyncCredentials,
  o: SyncOptions,
  body: ManifestBody,
  start: DeltaStart,
  progress: (p: SyncProgress) => void,
  step: (name: string) => Promise<void>,
): Promise<{ fetched: number; key: Buffer }> {
  const total = start.chain.reduce((n, d) => n + d.size, 0);
  let before = 0;
  let fetched = 0;
  const downloaded: { delta: DeltaRef; file: string; publishedKey: Buffer }[] = [];
  for (const delta of start.chain) {
    const publishedKey = await keyFor(client, c, body.keysPath, delta.to);
    const got = await client.download(delta, o.local.downloadsDir, (n) => progress({ phase: 'downloading', bytesDone: before + n, bytesTotal: total, file: delta.path }));
    fetched += got.fetched;
    before += delta.size;
    downloaded.push({ delta, file: got.file, publishedKey });
    await step('delta-downloaded');
  }
  progress({ phase: 'assembling', bytesDone: total, bytesTotal: total });
  // The previous snapshot's file becomes the work file only once the pointer no longer names it.
  if (start.consume) {
    o.local.releasePrevious();
    await step('previous-released');
  }
  const out = o.local.path(`${body.snapshotId}.db`);
  let base = { ...start.base, owned: start.consume };
  try {
    for (const { delta, file, publishedKey } of downloaded) {
      try {
        // Every step after the first works on the file the one before assembled: in place, never another copy.
        applyDelta({ baseFile: base.file, baseKey: base.key, baseId: base.id, deltaFile: file, newKey: publishedKey, newId: delta.to, expectedDigest: delta.toContentDigest, outFile: out, consumeBase: base.owned });
      } catch (error) {
        // Whatever went wrong assembling (wrong base, damaged base, a delta that does not open) is a mismatch.
        throw new SyncRefusedError('DELTA_MISMATCH', error instanceof DeltaMismatchError ? error.message : `the delta could not be applied: ${(error as Error).message}`);
      }
      rmSync(file, { force: true });
      base = { file: out, id: delta.to, key: base.key, owned: true }; // assembled files keep the local key (see applyDelta)
      await step('delta-applied');
    }
  } catch (error) {
    // A half-assembled chain is no snapshot, and a delta that did not fit this base will not fit it next time: both go.
    if (base.owned) rmSync(out, { force: true });
    for (const { file } of downloaded) rmSync(file, { force: true });
    throw error;
  }
  return { fetched, key: base.key };
}

/**
 * A downloaded full snapshot is, byte for byte, the file the platform signed: download() refused it unless its size and
 * SHA-256 are the ones in the signed manifest. That is the proof of content; SQLite's integrity check and the content
 * digest over every row would prove nothing more about a file whose bytes are already known (and took three quarters of
 * a full sync). What is left to check is what the hash cannot say: that it opens with the key the platform wrapped for
 * this device (which also authenticates its first page) and that its meta names the snapshot the manifest names.
 */
function verifySnapshotFile(file: string, key: Buffer, body: ManifestBody): void {
  let db;
  try {
    db = openEncrypted(file, key, { readonly: true });
  } catch {
    throw new SyncRefusedError('INTEGRITY', `snapshot ${body.snapshotId} does not open with its key: refused`);
  }
  try {
    const meta = Object.fromEntries((db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
    if (meta.snapshot_id !== body.snapshotId || meta.as_of !== body.asOf || meta.schema_version !== String(body.schemaVersion)) throw new SyncRefusedError('DIGEST_MISMATCH', 'the snapshot is not the one the manifest names: refused');
  } finally {
    db.close();
  }
}
