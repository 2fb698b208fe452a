/**
 * Publish → serve → sync: full and delta sync, resumed downloads, and every refusal the issue names — a bit flipped
 * anywhere, a delta on the wrong base, a rollback, a wrong jurisdiction, an unknown schema — each leaving the current
 * snapshot exactly as it was.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
import { syncOnce, type AuditTrailSource, type SyncCredentials } from '../../src-main/services/sync/sync-engine.js';
import { sealSignedEntry, type AuditEntry } from '../../src-main/domain/audit-chain.js';
import { memoryTrail } from '../helpers/audit-trail.js';
import { evolve, makePublication, makeSnapshot, type BuiltSnapshot, type Publication } from '../helpers/platform-fixture.js';
import { systemClock } from '../../src-main/platform/clock.js';

let root: string;
let pub: Publication;
let server: PlatformServer;
let a: BuiltSnapshot;
let b: BuiltSnapshot;
const TOKEN = 'test-token-123';

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'aw-sync-'));
  pub = await makePublication(root);
  a = makeSnapshot(join(root, 'built'), 'S2024-06');
  b = evolve(a, join(root, 'built'), 'S2024-07', '2024-07-31');
  await pub.publish(a);
  server = await startPlatformServer({ pubDir: pub.pubDir, state: pub.state, exchange: pub.exchange, tokens: [TOKEN] });
});
afterEach(async () => {
  await server.close();
  await pub.close();
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
    const first = await syncOnce({ clock: systemClock, credentials: c.creds, local: c.local });
    expect(first).toMatchObject({ result: 'installed', snapshotId: 'S2024-06', via: 'full' });
    expect(digestOf(c.local.path(c.local.current()!.file), c.keys.get('S2024-06')!)).toBe(digestOf(a.file, a.key));

    expect(await syncOnce({ clock: systemClock, credentials: c.creds, local: c.local })).toMatchObject({ result: 'up_to_date' });

    await pub.publish(b);
    const fullSize = statSync(join(pub.pubDir, 'snapshots', 'S2024-07.db')).size;
    const trail = memoryTrail(7);
    const second = await syncOnce({ clock: systemClock, credentials: c.creds, local: c.local, audit: trail });
    expect(second).toMatchObject({ result: 'installed', snapshotId: 'S2024-07', via: 'delta' });
    expect(second.bytesDownloaded).toBeLessThan(fullSize);
    expect(second.uploads).toMatchObject([{ kind: 'audit-head', status: 'sent' }]);
    // The head is anchored: the platform's receipt, signed and verified, names it.
    expect(second.anchor?.body).toMatchObject({ deviceId: c.creds.deviceId, seq: 7, hash: trail.entries[6]!.hash });
    expect(second.anchorRefused).toBeUndefined();
    expect(digestOf(c.local.path(c.local.current()!.file), c.keys.get('S2024-07')!)).toBe(digestOf(b.file, b.key));
    expect(c.local.previous()?.snapshotId).toBe('S2024-06');
    // The upload is kept on the platform.
    expect(await pub.exchange.uploads('audit-head')).toHaveLength(1);
  });

  it('anchors an audit head only on entries that extend the last anchored one under its signing keys', async () => {
    const c = client();
    const uploaded = async () => (await pub.exchange.uploads('audit-head')).map((u) => u.items);
    const trail = memoryTrail(7);
    expect((await syncOnce({ clock: systemClock, credentials: c.creds, local: c.local, audit: trail })).anchor?.body.seq).toBe(7);
    // Only what is new goes up; a long stretch goes up in batches, each anchored in turn.
    trail.append(3);
    expect((await syncOnce({ clock: systemClock, credentials: c.creds, local: c.local, audit: trail })).anchor?.body.seq).toBe(10);
    trail.append(2500);
    const long = await syncOnce({ clock: systemClock, credentials: c.creds, local: c.local, audit: trail });
    expect(long.anchor?.body).toMatchObject({ seq: 2510, hash: trail.entries[2509]!.hash });
    expect(await uploaded()).toEqual([7, 3, 1000, 1000, 500]);

    // A patched workstation that hides its local check and sends whatever it likes. The platform itself refuses:
    const lying = (entries: AuditEntry[]): AuditTrailSource => ({
      head: () => ({ seq: entries.at(-1)!.seq, hash: entries.at(-1)!.hash }),
      hashAt: (seq) => trail.hashAt(seq), // claims to hold the anchored head as it is
      entriesAfter: (seq, limit) => entries.filter((e) => e.seq > seq).slice(0, limit),
    });
    const refusedWith = async (entries: AuditEntry[]) => {
      const outcome = await syncOnce({ clock: systemClock, credentials: c.creds, local: c.local, audit: lying(entries) });
      expect(outcome.anchorRefused).toBe(true);
      expect(outcome.anchor?.body).toMatchObject({ seq: 2510, hash: trail.entries[2509]!.hash });
    };
    // - the whole chain rewritten with keys of one's own (longer than the anchor, valid in itself);
    await refusedWith(memoryTrail(2600).entries);
    // - entries that link to the anchored head but are signed with another key than the one it named;
    const { entry } = sealSignedEntry(randomBytes(32), { seq: 2510, hash: trail.entries[2509]!.hash }, { userId: 'u1', username: 'auditor1', action: 'case.viewed', target: 'x', outcome: 'ok' }, new Date().toISOString());
    await refusedWith([...trail.entries, entry]);
    // - an entry edited after the fact (its hash no longer matches), even with its signature kept.
    trail.append(1);
    const edited = [...trail.entries];
    edited[2510] = { ...edited[2510]!, target: 'someone-else' };
    await refusedWith(edited);
    expect(await uploaded()).toHaveLength(8); // the refused uploads are kept too, as evidence

    // The platform still holds the genuine head after a restart (the signing key it expects is in its log) …
    await server.close();
    server = await startPlatformServer({ pubDir: pub.pubDir, state: pub.state, exchange: pub.exchange, tokens: [TOKEN] });
    c.creds = { ...c.creds, url: server.url };
    await refusedWith([...trail.entries.slice(0, 2510), entry]);
    // … and the genuine chain goes on being anchored.
    expect((await syncOnce({ clock: systemClock, credentials: c.creds, local: c.local, audit: trail })).anchor?.body.seq).toBe(2511);
    // A workspace put back to an older copy is told so by the head the platform holds, without sending anything.
    const older = { ...trail, head: () => ({ seq: 2000, hash: trail.entries[1999]!.hash }), hashAt: (seq: number) => (seq <= 2000 ? trail.hashAt(seq) : null) };
    const rolledBack = await syncOnce({ clock: systemClock, credentials: c.creds, local: c.local, audit: older });
    expect(rolledBack).toMatchObject({ anchorRefused: true, anchor: { body: { seq: 2511 } } });
    expect(await uploaded()).toHaveLength(10);
  });

  it('copes with a kept-alive connection the platform closed while the workstation was busy', async () => {
    const c = client();
    expect((await syncOnce({ clock: systemClock, credentials: c.creds, local: c.local })).result).toBe('installed');
    // The main process busy for longer than the platform keeps an idle connection (5 s): the socket it would reuse is gone.
    const until = Date.now() + 5_500;
    while (Date.now() < until) {
      // busy, as during a long synchronous step
    }
    expect((await syncOnce({ clock: systemClock, credentials: c.creds, local: c.local })).result).toBe('up_to_date');
  }, 30_000);

  it('resumes an interrupted download where it stopped', async () => {
    const c = client();
    const manifest = readManifest(pub.pubDir)!.body;
    const full = readFileSync(join(pub.pubDir, manifest.full.path));
    writeFileSync(join(c.local.downloadsDir, `${manifest.full.sha256}.bin.part`), full.subarray(0, Math.floor(full.length / 3)));
    const outcome = await syncOnce({ clock: systemClock, credentials: c.creds, local: c.local });
    expect(outcome.result).toBe('installed');
    expect(outcome.bytesDownloaded).toBe(full.length - Math.floor(full.length / 3));
  });

  it('refuses a bit flipped in every byte of the small published files, and anywhere in the large ones', async () => {
    const c = client();
    await syncOnce({ clock: systemClock, credentials: c.creds, local: c.local });
    await pub.publish(b);
    const manifest = readManifest(pub.pubDir)!.body;
    const rnd = new SeededRandom(2024);
    const attempt = async (path: string, flipped: Buffer, refusals: readonly string[], local = c) => {
      writeFileSync(join(pub.pubDir, path), flipped);
      const result = await syncOnce({ clock: systemClock, credentials: local.creds, local: local.local }).then(
        () => 'ACCEPTED',
        (e: { refusal?: string }) => e.refusal ?? 'ERROR',
      );
      return refusals.includes(result) ? null : `${path}: ${result}`;
    };
    const failures: string[] = [];
    // Every byte of the manifest, the platform key and this device's wrapped key, each with one bit flipped.
    const small: [string, readonly string[]][] = [
      ['manifest.json', ['BAD_SIGNATURE']],
      ['platform.pub', ['PLATFORM_KEY_CHANGED']],
      [`keys/S2024-07/${c.creds.deviceId}.json`, ['NOT_ENROLLED']],
    ];
    for (const [path, refusals] of small) {
      const original = readFileSync(join(pub.pubDir, path));
      for (let at = 0; at < original.length; at++) {
        const flipped = Buffer.from(original);
        flipped[at]! ^= 1 << rnd.int(0, 7);
        const failure = await attempt(path, flipped, refusals);
        if (failure) failures.push(`${failure} at byte ${at}`);
      }
      writeFileSync(join(pub.pubDir, path), original);
    }
    // Random positions of the delta and of the full file (which a fresh workstation downloads whole).
    const fresh = client('fresh');
    for (const [path, local] of [[manifest.deltas.at(-1)!.path, c], [manifest.full.path, fresh]] as const) {
      const original = readFileSync(join(pub.pubDir, path));
      for (let i = 0; i < 12; i++) {
        const flipped = Buffer.from(original);
        flipped[rnd.int(0, original.length - 1)]! ^= 1 << rnd.int(0, 7);
        // A damaged delta makes the engine fall back to the full file, which is intact: that is not a failure,
        // as long as what gets installed is the genuine snapshot. So for the delta, check the outcome separately.
        if (path === manifest.full.path) {
          const failure = await attempt(path, flipped, ['HASH_MISMATCH'], local);
          if (failure) failures.push(failure);
        } else {
          writeFileSync(join(pub.pubDir, path), flipped);
          await expect(syncOnce({ clock: systemClock, credentials: client(`d${i}`).creds, local: client(`d${i}`).local })).resolves.toBeDefined();
        }
      }
      writeFileSync(join(pub.pubDir, path), original);
    }
    expect(failures).toEqual([]);
    expect(c.local.current()?.snapshotId).toBe('S2024-06');
    expect(fresh.local.current()).toBeNull();
    expect((await syncOnce({ clock: systemClock, credentials: c.creds, local: c.local })).snapshotId).toBe('S2024-07');
  }, 120_000);

  it('never installs from a damaged delta: it falls back to the full snapshot', async () => {
    const c = client();
    await syncOnce({ clock: systemClock, credentials: c.creds, local: c.local });
    await pub.publish(b);
    const delta = readManifest(pub.pubDir)!.body.deltas.at(-1)!;
    const file = join(pub.pubDir, delta.path);
    const bytes = readFileSync(file);
    bytes[bytes.length >> 1]! ^= 0x10;
    writeFileSync(file, bytes);
    // The delta's hash is in the signed manifest, so the damaged download is refused; the full file is used instead.
    const fallbacks: string[] = [];
    const outcome = await syncOnce({ clock: systemClock, credentials: c.creds, local: c.local, onFallback: (r) => fallbacks.push(r) });
    expect(outcome).toMatchObject({ result: 'installed', via: 'full', snapshotId: 'S2024-07' });
    expect(fallbacks).toEqual([expect.stringMatching(/does not match the manifest/)]);
    expect(digestOf(c.local.path(c.local.current()!.file), c.keys.get('S2024-07')!)).toBe(digestOf(b.file, b.key));
  });

  it('refuses a delta applied to the wrong base', async () => {
    const c = evolve(a, join(root, 'built'), 'S-other', '2024-07-31', 5); // a different July
    await pub.publish(b);
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
    await pub.publish(b);
    await syncOnce({ clock: systemClock, credentials: c.creds, local: c.local });
    const good = readFileSync(join(pub.pubDir, 'manifest.json'));
    const resign = (edit: (body: ReturnType<typeof readManifest> & object) => void) => {
      const signed = JSON.parse(good.toString('utf8')) as NonNullable<ReturnType<typeof readManifest>>;
      edit(signed);
      signed.signature = signBytes(pub.state.signingKey(), canonicalManifest(signed.body)).toString('base64');
      writeAtomic(join(pub.pubDir, 'manifest.json'), JSON.stringify(signed));
    };
    const rename = (m: { body: { full: { path: string } } }, id: string) => ({ snapshotId: id, full: { ...m.body.full, path: `snapshots/${id}.db` } });
    resign((m) => Object.assign(m.body, { ...rename(m, 'S2024-05'), asOf: '2024-05-31' }));
    await expect(syncOnce({ clock: systemClock, credentials: c.creds, local: c.local })).rejects.toMatchObject({ refusal: 'ROLLBACK' });
    // A replayed older manifest with the same as_of (a correction published later) is caught by its sequence.
    resign((m) => Object.assign(m.body, { ...rename(m, 'S2024-07-replay'), sequence: m.body.sequence - 1 }));
    await expect(syncOnce({ clock: systemClock, credentials: c.creds, local: c.local })).rejects.toMatchObject({ refusal: 'ROLLBACK', message: expect.stringMatching(/replayed/) });
    // The same id with other content is not "up to date".
    resign((m) => Object.assign(m.body, { contentDigest: 'f'.repeat(64) }));
    await expect(syncOnce({ clock: systemClock, credentials: c.creds, local: c.local })).rejects.toMatchObject({ refusal: 'DIGEST_MISMATCH' });
    // A manifest naming files outside the publication layout.
    resign((m) => Object.assign(m.body, { snapshotId: '../../etc', sequence: m.body.sequence + 1, asOf: '2024-09-30' }));
    await expect(syncOnce({ clock: systemClock, credentials: c.creds, local: c.local })).rejects.toMatchObject({ refusal: 'UNKNOWN_FORMAT' });
    writeFileSync(join(pub.pubDir, 'manifest.json'), good);
    resign((m) => Object.assign(m.body, { jurisdiction: ['320106'] }));
    await expect(syncOnce({ clock: systemClock, credentials: c.creds, local: c.local })).rejects.toMatchObject({ refusal: 'WRONG_JURISDICTION' });
    writeFileSync(join(pub.pubDir, 'manifest.json'), good);
    resign((m) => Object.assign(m.body, { schemaVersion: 99, ...rename(m, 'S2024-08'), asOf: '2024-08-31', sequence: m.body.sequence + 1 }));
    await expect(syncOnce({ clock: systemClock, credentials: c.creds, local: c.local })).rejects.toMatchObject({ refusal: 'UNKNOWN_SCHEMA', message: expect.stringMatching(/schema version 99/) });
    expect(c.local.current()?.snapshotId).toBe('S2024-07');
    expect(digestOf(c.local.path(c.local.current()!.file), c.keys.get('S2024-07')!)).toBe(digestOf(b.file, b.key));
  });

  it('never republishes an id', async () => {
    await pub.publish(b);
    await expect(pub.publish(a)).rejects.toThrow(/was published before/);
  });

  it('refuses a device the platform never enrolled, and a wrong token', async () => {
    const c = client();
    const stranger = { ...c.creds, device: { ...c.creds.device }, deviceId: 'f'.repeat(32) };
    await expect(syncOnce({ clock: systemClock, credentials: stranger, local: c.local })).rejects.toMatchObject({ refusal: 'NOT_ENROLLED' });
    await expect(syncOnce({ clock: systemClock, credentials: { ...c.creds, token: 'wrong' }, local: c.local })).rejects.toMatchObject({ refusal: 'NOT_ENROLLED' });
    expect(c.local.current()).toBeNull();
  });
});
