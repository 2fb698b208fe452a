/**
 * The publication manifest: what the platform says its newest snapshot is, signed with its Ed25519 key.
 * The signature covers the canonical JSON of `body`; the workstation trusts nothing in a publication that the
 * manifest does not name together with its size and SHA-256.
 */
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
}

export interface SignedManifest {
  body: ManifestBody;
  /** base64 Ed25519 signature over canonicalManifest(body) */
  signature: string;
}

export function canonicalManifest(body: ManifestBody): Buffer {
  const sort = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sort) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])])) : v;
  return Buffer.from(JSON.stringify(sort(body)), 'utf8');
}
