/**
 * Publish → serve → sync: full and delta sync, resumed downloads, and every refusal the issue names — a bit flipped
 * anywhere, a delta on the wrong base, a rollback, a wrong jurisdiction, an unknown schema — each leaving the current
 * snapshot exactly as it was.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readManifest, writeAtomic } from '../../src-main/data-platform/publish.js';
import { startPlatformServer, type PlatformServer } from '../../src-main/data-platform/serve.js';
import { canonicalManifest } from '../../src-main/domain/manifest.js';
import { SeededRandom } from '../../src-main/domain/random.js';
import { signBytes } from '../../src-main/platform/signing.js';
import { openEncrypted } from '../../src-main/store/sqlcipher.js';
import { applyDelta } from '../../src-main/store/snapshot/snapshot-delta.js';
import { snapshotContentDigest } from '../../src-main/store/snapshot/snapshot-digest.js';
import { LocalSnapshots } from '../../src-main/store/snapshot/local-snapshots.js';
import { syncOnce, type SyncCredentials } from '../../src-main/services/sync/sync-engine.js';
import { evolve, makePublication, makeSnapshot, type BuiltSnapshot, type Publication } from '../helpers/platform-fixture.js';

let root: string;
let pub: Publication;
let server: PlatformServer;
let a: BuiltSnapshot;
let b: BuiltSnapshot;
const TOKEN = 'test-token-123';

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'aw-sync-'));
  pub = makePublication(root);
  a = makeSnapshot(join(root, 'built'), 'S2024-06');
  b = evolve(a, join(root, 'built'), 'S2024-07', '2024-07-31');
  pub.publish(a);
  server = await startPlatformServer({ pubDir: pub.pubDir, state: pub.state, tokens: [TOKEN] });
});
afterEach(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

function digestOf(file: string, key: Buffer): string {
  const db = openEncrypted(file, key, { readonly: true });
  try {
    return snapshotContentDigest(db);
  } finally {
    db.close();
  }
}

function client(name = 'ws'): { local: LocalSnapshots; keys: Map<string, Buffer>; creds: SyncCredentials } {
  const keys = new Map<string, Buffer>();
  return { local: new LocalSnapshots(join(root, name)), keys, creds: pub.credentials(server.url, TOKEN, keys) };
}

describe('sync', () => {
  it('installs a full snapshot, then the next one as a delta, equal in content to the published files', async () => {
    const c = client();
    const first = await syncOnce({ credentials: c.creds, local: c.local });
    expect(first).toMatchObject({ result: 'installed', snapshotId: 'S2024-06', via: 'full' });
    expect(digestOf(c.local.path(c.local.current()!.file), c.keys.get('S2024-06')!)).toBe(digestOf(a.file, a.key));

    expect(await syncOnce({ credentials: c.creds, local: c.local })).toMatchObject({ result: 'up_to_date' });

    pub.publish(b);
    const fullSize = statSync(join(pub.pubDir, 'snapshots', 'S2024-07.db')).size;
    const second = await syncOnce({ credentials: c.creds, local: c.local, outbox: [{ kind: 'audit-head', body: { seq: 7, hash: 'ab' } }] });
    expect(second).toMatchObject({ result: 'installed', snapshotId: 'S2024-07', via: 'delta' });
    expect(second.bytesDownloaded).toBeLessThan(fullSize);
    expect(second.uploads).toMatchObject([{ kind: 'audit-head', status: 'sent' }]);
    expect(digestOf(c.local.path(c.local.current()!.file), c.keys.get('S2024-07')!)).toBe(digestOf(b.file, b.key));
    expect(c.local.previous()?.snapshotId).toBe('S2024-06');
    // The upload is stored append-only on the platform.
    expect(readdirSync(join(pub.state.dir, 'uploads', 'audit-head'))).toHaveLength(1);
  });

  it('resumes an interrupted download where it stopped', async () => {
    const c = client();
    const manifest = readManifest(pub.pubDir)!.body;
    const full = readFileSync(join(pub.pubDir, manifest.full.path));
    writeFileSync(join(c.local.downloadsDir, `${manifest.full.sha256}.bin.part`), full.subarray(0, Math.floor(full.length / 3)));
    const outcome = await syncOnce({ credentials: c.creds, local: c.local });
    expect(outcome.result).toBe('installed');
    expect(outcome.bytesDownloaded).toBe(full.length - Math.floor(full.length / 3));
  });

  it('refuses a bit flipped anywhere in any published file, and keeps the current snapshot', async () => {
    const c = client();
    await syncOnce({ credentials: c.creds, local: c.local });
    pub.publish(b);
    const manifest = readManifest(pub.pubDir)!.body;
    const rnd = new SeededRandom(2024);
    const files: [string, readonly string[]][] = [
      ['manifest.json', ['BAD_SIGNATURE']],
      ['platform.pub', ['PLATFORM_KEY_CHANGED']],
      [manifest.deltas.at(-1)!.path, ['HASH_MISMATCH']],
      [`keys/S2024-07/${c.creds.deviceId}.json`, ['NOT_ENROLLED']],
    ];
    for (const [path, refusals] of files) {
      const file = join(pub.pubDir, path);
      const original = readFileSync(file);
      for (let i = 0; i < 6; i++) {
        const flipped = Buffer.from(original);
        const at = rnd.int(0, original.length - 1);
        flipped[at]! ^= 1 << rnd.int(0, 7);
        writeFileSync(file, flipped);
        const attempt = syncOnce({ credentials: c.creds, local: c.local });
        await expect(attempt, `${path} byte ${at}`).rejects.toMatchObject({ refusal: expect.stringMatching(new RegExp(`^(${refusals.join('|')})$`)) });
        expect(c.local.current()?.snapshotId).toBe('S2024-06');
      }
      writeFileSync(file, original);
    }
    // And the full file, which a fresh workstation downloads whole.
    const fresh = client('fresh');
    const full = join(pub.pubDir, manifest.full.path);
    const original = readFileSync(full);
    for (let i = 0; i < 3; i++) {
      const flipped = Buffer.from(original);
      flipped[rnd.int(0, original.length - 1)]! ^= 1 << rnd.int(0, 7);
      writeFileSync(full, flipped);
      await expect(syncOnce({ credentials: fresh.creds, local: fresh.local })).rejects.toMatchObject({ refusal: 'HASH_MISMATCH' });
      expect(fresh.local.current()).toBeNull();
    }
    writeFileSync(full, original);
    expect((await syncOnce({ credentials: c.creds, local: c.local })).snapshotId).toBe('S2024-07');
  });

  it('refuses a delta applied to the wrong base', () => {
    const c = evolve(a, join(root, 'built'), 'S-other', '2024-07-31', 5); // a different July
    pub.publish(b);
    const manifest = readManifest(pub.pubDir)!.body;
    const delta = join(pub.pubDir, manifest.deltas.at(-1)!.path);
    const out = join(root, 'assembled.db');
    // Wrong base id.
    expect(() => applyDelta({ baseFile: c.file, baseKey: c.key, baseId: 'S-other', deltaFile: delta, newKey: b.key, newId: 'S2024-07', expectedDigest: manifest.contentDigest, outFile: out })).toThrow(/goes from S2024-06/);
    // Right id claimed, wrong content underneath.
    expect(() => applyDelta({ baseFile: c.file, baseKey: c.key, baseId: 'S2024-06', deltaFile: delta, newKey: b.key, newId: 'S2024-07', expectedDigest: manifest.contentDigest, outFile: out })).toThrow(/does not match the published content digest/);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a rollback, a wrong jurisdiction and an unknown schema version, each changing nothing', async () => {
    const c = client();
    pub.publish(b);
    await syncOnce({ credentials: c.creds, local: c.local });
    const resign = (edit: (body: ReturnType<typeof readManifest> & object) => void) => {
      const signed = readManifest(pub.pubDir)!;
      edit(signed);
      signed.signature = signBytes(pub.state.signingKey(), canonicalManifest(signed.body)).toString('base64');
      writeAtomic(join(pub.pubDir, 'manifest.json'), JSON.stringify(signed));
    };
    const good = readFileSync(join(pub.pubDir, 'manifest.json'));
    resign((m) => Object.assign(m.body, { snapshotId: 'S2024-05', asOf: '2024-05-31' }));
    await expect(syncOnce({ credentials: c.creds, local: c.local })).rejects.toMatchObject({ refusal: 'ROLLBACK' });
    writeFileSync(join(pub.pubDir, 'manifest.json'), good);
    resign((m) => Object.assign(m.body, { jurisdiction: ['320106'] }));
    await expect(syncOnce({ credentials: c.creds, local: c.local })).rejects.toMatchObject({ refusal: 'WRONG_JURISDICTION' });
    writeFileSync(join(pub.pubDir, 'manifest.json'), good);
    resign((m) => Object.assign(m.body, { schemaVersion: 99, snapshotId: 'S2024-08', asOf: '2024-08-31' }));
    await expect(syncOnce({ credentials: c.creds, local: c.local })).rejects.toMatchObject({ refusal: 'UNKNOWN_SCHEMA', message: expect.stringMatching(/schema version 99/) });
    expect(c.local.current()?.snapshotId).toBe('S2024-07');
    expect(digestOf(c.local.path(c.local.current()!.file), c.keys.get('S2024-07')!)).toBe(digestOf(b.file, b.key));
  });

  it('refuses a device the platform never enrolled, and a wrong token', async () => {
    const c = client();
    const stranger = { ...c.creds, device: { ...c.creds.device }, deviceId: 'f'.repeat(32) };
    await expect(syncOnce({ credentials: stranger, local: c.local })).rejects.toMatchObject({ refusal: 'NOT_ENROLLED' });
    await expect(syncOnce({ credentials: { ...c.creds, token: 'wrong' }, local: c.local })).rejects.toMatchObject({ refusal: 'NOT_ENROLLED' });
    expect(c.local.current()).toBeNull();
  });
});
