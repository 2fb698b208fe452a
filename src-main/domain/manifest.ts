/**
 * The publication manifest: what the platform says its newest snapshot is, signed with its Ed25519 key.
 * The signature covers the canonical JSON of `body`; the workstation trusts nothing in a publication that the
 * manifest does not name together with its size and SHA-256.
 */
import { canonicalJson } from './canonical-json.js';

export const MANIFEST_FORMAT = 1;

export interface FileRef {
  path: string;
  size: number;
  sha256: string;
}

export interface DeltaRef extends FileRef {
  from: string;
  to: string;
  /** Content digest (store/snapshot/snapshot-digest.ts) of `to`, to check the result of applying this delta. */
  toContentDigest: string;
}

export interface ManifestBody {
  format: number;
  /** Strictly increasing per publication: a replayed older manifest (even one with the same as_of) is refused. */
  sequence: number;
  snapshotId: string;
  baseSnapshotId: string | null;
  asOf: string;
  jurisdiction: string[];
  createdAt: string;
  schemaVersion: number;
  full: FileRef;
  contentDigest: string;
  /** Deltas between consecutive snapshots, oldest first, ending at `snapshotId`. */
  deltas: DeltaRef[];
  /** Where the per-device wrapped keys of snapshot S live: `${keysPath}/${S}/${deviceId}.json`. */
  keysPath: string;
  /** The platform's backup escrow key (base64 SPKI, X25519): workstations wrap each backup set's key for it. */
  escrowKey?: string;
  /** The platform's upload-authentication key (base64 SPKI, X25519): uploads naming a device carry a MAC under it. */
  uploadAuthKey?: string;
}

export interface SignedManifest {
  body: ManifestBody;
  /** base64 Ed25519 signature over canonicalManifest(body) */
  signature: string;
}

export function canonicalManifest(body: ManifestBody): Buffer {
  return Buffer.from(canonicalJson(body), 'utf8');
}

/** Snapshot ids end up in file names: letters, digits, dot, dash, underscore; no path, no leading dot. */
export const SNAPSHOT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Every name in a manifest that becomes a path or a file name, checked before any of it is used. */
export function manifestNamesAreSafe(b: ManifestBody): boolean {
  const ids = [b.snapshotId, ...b.deltas.flatMap((d) => [d.from, d.to])];
  return (
    ids.every((id) => SNAPSHOT_ID.test(id)) &&
    b.keysPath === 'keys' &&
    b.full.path === `snapshots/${b.snapshotId}.db` &&
    SHA256_HEX.test(b.full.sha256) &&
    b.deltas.every((d) => d.path === `deltas/${d.from}__${d.to}.db` && SHA256_HEX.test(d.sha256)) &&
    Number.isInteger(b.sequence) &&
    [b.full, ...b.deltas].every((f) => Number.isSafeInteger(f.size) && f.size > 0)
  );
}
