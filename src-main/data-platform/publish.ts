/**
 * `npm run platform -- publish`: turns a built snapshot into a static publication folder that any web server can
 * serve (our `platform serve`, or nginx):
 *
 *   platform.pub                         the platform's Ed25519 public key (SPKI, base64) — pinned by workstations
 *   manifest.json                        { body, signature }: newest snapshot, its hash, deltas, key locations
 *   snapshots/<id>.db                    full snapshots (SQLCipher), the newest two kept
 *   deltas/<from>__<to>.db               deltas between consecutive snapshots, the newest five kept
 *   keys/<id>/<deviceId>.json            the snapshot's data key wrapped for each enrolled device
 *
 * The platform's own state (signing key, enrolled devices, snapshot keys) lives in a separate state folder that is
 * never published. The manifest is written last and atomically, so a server never hands out a manifest that points
 * at files not yet there.
 */
import { randomUUID } from 'node:crypto';
import { sha256File } from '../platform/file-hash.js';
import { isoTime, systemClock, type Clock } from '../platform/clock.js';
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalManifest, MANIFEST_FORMAT, SNAPSHOT_ID, type DeltaRef, type FileRef, type ManifestBody, type SignedManifest } from '../domain/manifest.js';
import { generateDeviceKeyPair, wrapForDevice, type DeviceKeyPair } from '../platform/device-keys.js';
import type { ExchangeQueries } from '../store/exchange/exchange-queries.js';
import { generateSigningKeyPair, signBytes } from '../platform/signing.js';
import { openEncrypted } from '../store/sqlcipher.js';
import { snapshotContentDigest } from '../store/snapshot/snapshot-digest.js';
import { applyDelta, computeDelta, deltaPossible } from '../store/snapshot/snapshot-delta.js';

const KEEP_DELTAS = 5;
const KEEP_FULL = 2;

/** What publishing needs of a device: its id and the key its copy of a snapshot's data key is wrapped for. */
export interface EnrolledDevice {
  deviceId: string;
  publicKey: string; // base64 SPKI
}

/**
 * The platform's private state folder: its keys (signing, escrow, upload authentication, each snapshot's data key).
 * Every service node needs the same folder (a copy, read-only once created); everything else the service keeps —
 * devices, uploads, the feed — is in the exchange database (store/exchange/).
 */
export class PlatformState {
  constructor(readonly dir: string) {}

  /** Creates the keys on first use (all of them, so that nodes started from a copy of the folder never make their own). */
  init(): void {
    mkdirSync(join(this.dir, 'keys'), { recursive: true, mode: 0o700 });
    if (!existsSync(join(this.dir, 'signing.key'))) {
      const pair = generateSigningKeyPair();
      writeFileSync(join(this.dir, 'signing.key'), pair.privateKeyDer, { mode: 0o600 });
      writeFileSync(join(this.dir, 'signing.pub'), pair.publicKeyDer.toString('base64') + '\n');
    }
    this.escrowKeyPair();
    this.uploadAuthKeyPair();
  }

  /**
   * The escrow key pair, created on first use: backup sets' keys are wrapped for its public half, and only the operator,
   * with this state folder, can open one (`platform escrow`), which is logged in the exchange database's escrow log.
   */
  escrowKeyPair(): DeviceKeyPair {
    const file = join(this.dir, 'escrow.key');
    if (!existsSync(file)) {
      const pair = generateDeviceKeyPair();
      writeFileSync(file, pair.privateKeyDer, { mode: 0o600 });
      writeFileSync(join(this.dir, 'escrow.pub'), pair.publicKeyDer.toString('base64') + '\n');
    }
    return { privateKeyDer: readFileSync(file), publicKeyDer: Buffer.from(readFileSync(join(this.dir, 'escrow.pub'), 'utf8').trim(), 'base64') };
  }

  /** The key pair uploads are authenticated against (platform/upload-auth.ts), created on first use. */
  uploadAuthKeyPair(): DeviceKeyPair {
    const file = join(this.dir, 'upload-auth.key');
    if (!existsSync(file)) {
      const pair = generateDeviceKeyPair();
      writeFileSync(file, pair.privateKeyDer, { mode: 0o600 });
      writeFileSync(join(this.dir, 'upload-auth.pub'), pair.publicKeyDer.toString('base64') + '\n');
    }
    return { privateKeyDer: readFileSync(file), publicKeyDer: Buffer.from(readFileSync(join(this.dir, 'upload-auth.pub'), 'utf8').trim(), 'base64') };
  }

  signingKey(): Buffer {
    return readFileSync(join(this.dir, 'signing.key'));
  }

  publicKey(): Buffer {
    return Buffer.from(readFileSync(join(this.dir, 'signing.pub'), 'utf8').trim(), 'base64');
  }

  wasPublished(snapshotId: string): boolean {
    return existsSync(join(this.dir, 'keys', `${snapshotId}.key`));
  }

  saveSnapshotKey(snapshotId: string, key: Uint8Array): void {
    writeFileSync(join(this.dir, 'keys', `${snapshotId}.key`), Buffer.from(key).toString('hex'), { mode: 0o600 });
  }

  snapshotKey(snapshotId: string): Buffer {
    return Buffer.from(readFileSync(join(this.dir, 'keys', `${snapshotId}.key`), 'utf8').trim(), 'hex');
  }
}

/** Write to a temporary sibling, flush, rename: readers see the old file or the new one, never half of one. */
export function writeAtomic(file: string, content: string | Buffer): void {
  const tmp = `${file}.${randomUUID()}.tmp`;
  const fd = openSync(tmp, 'w', 0o644);
  try {
    writeFileSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

function fileRef(pubDir: string, path: string): FileRef {
  const file = join(pubDir, path);
  return { path, size: statSync(file).size, sha256: sha256File(file) };
}

export function readManifest(pubDir: string): SignedManifest | null {
  const file = join(pubDir, 'manifest.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SignedManifest) : null;
}

export interface PublishResult {
  manifest: ManifestBody;
  deltaRows: Record<string, number> | null;
  seconds: number;
}

/** `clock` (default: the system's) dates a manifest whose snapshot does not say when it was made. */
export async function publishSnapshot(o: { state: PlatformState; exchange: ExchangeQueries; pubDir: string; snapshotFile: string; snapshotKey: Uint8Array; clock?: Clock }): Promise<PublishResult> {
  const started = performance.now();
  o.state.init();
  mkdirSync(join(o.pubDir, 'snapshots'), { recursive: true });
  mkdirSync(join(o.pubDir, 'deltas'), { recursive: true });

  const db = openEncrypted(o.snapshotFile, o.snapshotKey, { readonly: true });
  const meta = Object.fromEntries((db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
  const contentDigest = snapshotContentDigest(db);
  db.close();
  const snapshotId = meta.snapshot_id ?? '';
  if (!SNAPSHOT_ID.test(snapshotId)) throw new Error(`snapshot id "${snapshotId}" is not usable (letters, digits, . _ -; at most 64)`);
  // An id is never reused: a workstation holding the old one would take the new one for "up to date".
  if (o.state.wasPublished(snapshotId)) throw new Error(`snapshot ${snapshotId} was published before; give the new one a new id`);
  const previous = readManifest(o.pubDir)?.body ?? null;
  if (previous) {
    if (meta.as_of! < previous.asOf) throw new Error(`snapshot ${snapshotId} (as of ${meta.as_of}) is older than the published ${previous.snapshotId} (as of ${previous.asOf})`);
  }

  // 1. The full snapshot, copied in atomically.
  const fullPath = `snapshots/${snapshotId}.db`;
  const fullTmp = join(o.pubDir, `${fullPath}.tmp`);
  copyFileSync(o.snapshotFile, fullTmp);
  renameSync(fullTmp, join(o.pubDir, fullPath));

  // 2. The delta from the previous snapshot. Across a schema change, or a build that stores other derived tables (an
  // upgraded platform), the tables differ: no delta, and the old ones lead nowhere (a workstation behind takes the full file).
  const schemaVersion = Number(meta.schema_version);
  const sameTables =
    previous !== null &&
    previous.schemaVersion === schemaVersion &&
    deltaPossible({ oldFile: join(o.pubDir, previous.full.path), oldKey: o.state.snapshotKey(previous.snapshotId), newFile: join(o.pubDir, fullPath), newKey: o.snapshotKey });
  let deltas: DeltaRef[] = sameTables ? previous.deltas : [];
  let deltaRows: Record<string, number> | null = null;
  if (previous && sameTables) {
    const path = `deltas/${previous.snapshotId}__${snapshotId}.db`;
    deltaRows = computeDelta({
      oldFile: join(o.pubDir, previous.full.path),
      oldKey: o.state.snapshotKey(previous.snapshotId),
      oldId: previous.snapshotId,
      newFile: join(o.pubDir, fullPath),
      newKey: o.snapshotKey,
      newId: snapshotId,
      deltaFile: join(o.pubDir, path),
    });
    // The one full proof of the delta: applied to the published previous snapshot, it must give this one's content
    // digest. Workstations then check only the rows it changes (store/snapshot/snapshot-delta.ts).
    const check = join(o.state.dir, `${snapshotId}.delta-check.db`);
    try {
      applyDelta({
        baseFile: join(o.pubDir, previous.full.path),
        baseKey: o.state.snapshotKey(previous.snapshotId),
        baseId: previous.snapshotId,
        deltaFile: join(o.pubDir, path),
        newKey: o.snapshotKey,
        newId: snapshotId,
        expectedDigest: contentDigest,
        outFile: check,
        fullProof: true,
      });
    } catch (error) {
      // Nothing of this snapshot stays: the id can be published again once the delta is right.
      rmSync(join(o.pubDir, path), { force: true });
      rmSync(join(o.pubDir, fullPath), { force: true });
      throw new Error(`the delta ${previous.snapshotId} → ${snapshotId} does not reproduce ${snapshotId} (${(error as Error).message}): nothing published`);
    } finally {
      rmSync(check, { force: true });
    }
    deltas = [...deltas, { ...fileRef(o.pubDir, path), from: previous.snapshotId, to: snapshotId, toContentDigest: contentDigest }].slice(-KEEP_DELTAS);
  }

  o.state.saveSnapshotKey(snapshotId, o.snapshotKey);

  // 3. The data key, wrapped for every approved device (not a pending, not a revoked one).
  for (const device of await o.exchange.devices('approved')) wrapKeyFor(o.pubDir, device, snapshotId, o.snapshotKey);

  // 4. The signed manifest, last.
  const body: ManifestBody = {
    format: MANIFEST_FORMAT,
    sequence: (previous?.sequence ?? 0) + 1,
    snapshotId,
    baseSnapshotId: previous?.snapshotId ?? null,
    asOf: meta.as_of!,
    jurisdiction: (meta.jurisdiction ?? '').split(',').filter(Boolean),
    createdAt: meta.created_at ?? isoTime(o.clock ?? systemClock),
    schemaVersion,
    full: fileRef(o.pubDir, fullPath),
    contentDigest,
    deltas,
    keysPath: 'keys',
    escrowKey: o.state.escrowKeyPair().publicKeyDer.toString('base64'),
    uploadAuthKey: o.state.uploadAuthKeyPair().publicKeyDer.toString('base64'),
  };
  writeAtomic(join(o.pubDir, 'platform.pub'), o.state.publicKey().toString('base64') + '\n');
  const signed: SignedManifest = { body, signature: signBytes(o.state.signingKey(), canonicalManifest(body)).toString('base64') };
  writeAtomic(join(o.pubDir, 'manifest.json'), JSON.stringify(signed, null, 2));

  prune(o.pubDir, body);
  return { manifest: body, deltaRows, seconds: (performance.now() - started) / 1000 };
}

/** Writes one device's wrapped copy of a snapshot's data key into the publication. */
export function wrapKeyFor(pubDir: string, device: EnrolledDevice, snapshotId: string, snapshotKey: Uint8Array): void {
  const dir = join(pubDir, 'keys', snapshotId);
  mkdirSync(dir, { recursive: true });
  writeAtomic(join(dir, `${device.deviceId}.json`), JSON.stringify(wrapForDevice(Buffer.from(device.publicKey, 'base64'), Buffer.from(snapshotKey), snapshotId)));
}

/**
 * At an approval: the device gets the current snapshot's key at once instead of waiting for the next publish.
 * Answers the file written (null when nothing is published yet).
 */
export function wrapCurrentKeyFor(state: PlatformState, pubDir: string, device: EnrolledDevice): string | null {
  const manifest = readManifest(pubDir)?.body;
  if (!manifest || !SNAPSHOT_ID.test(manifest.snapshotId)) return null;
  wrapKeyFor(pubDir, device, manifest.snapshotId, state.snapshotKey(manifest.snapshotId));
  return join(pubDir, 'keys', manifest.snapshotId, `${device.deviceId}.json`);
}

/** Keeps the newest full snapshots and the deltas the manifest names; older files go. */
function prune(pubDir: string, body: ManifestBody): void {
  const keepDeltas = new Set(body.deltas.map((d) => d.path.split('/')[1]));
  for (const f of readdirSync(join(pubDir, 'deltas'))) if (!keepDeltas.has(f)) rmSync(join(pubDir, 'deltas', f), { force: true });
  const fulls = readdirSync(join(pubDir, 'snapshots'))
    .filter((f) => f.endsWith('.db'))
    .map((f) => ({ f, t: statSync(join(pubDir, 'snapshots', f)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  for (const { f } of fulls.slice(KEEP_FULL)) if (`snapshots/${f}` !== body.full.path) rmSync(join(pubDir, 'snapshots', f), { force: true });
}
