/**
 * Delta format 2 (store/snapshot/snapshot-delta.ts): proven by the base's rows where it changes them, applied in place
 * when asked, format 1 still read, other formats refused; and a delta sync that changes the previous snapshot in place.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifest } from '../../src-main/data-platform/publish.js';
import { startPlatformServer, type PlatformServer } from '../../src-main/data-platform/serve.js';
import { systemClock } from '../../src-main/platform/clock.js';
import { syncOnce } from '../../src-main/services/sync/sync-engine.js';
import { openEncrypted } from '../../src-main/store/sqlcipher.js';
import { applyDelta, computeDelta } from '../../src-main/store/snapshot/snapshot-delta.js';
import { snapshotContentDigest } from '../../src-main/store/snapshot/snapshot-digest.js';
import { LocalSnapshots } from '../../src-main/store/snapshot/local-snapshots.js';
import { amend, evolve, makePublication, makeSnapshot, type BuiltSnapshot, type Publication } from '../helpers/platform-fixture.js';

let root: string;
let a: BuiltSnapshot;
let b: BuiltSnapshot;
let other: BuiltSnapshot;
let deltaFile: string;

const digestOf = (file: string, key: Buffer) => {
  const db = openEncrypted(file, key, { readonly: true });
  try {
    return snapshotContentDigest(db);
  } finally {
    db.close();
  }
};
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'aw-delta-'));
  a = makeSnapshot(join(root, 'built'), 'D-06');
  b = amend(a, join(root, 'built'), 'D-07', '2024-07-31');
  // Another July on the same June: same base id in its history, other rows where the delta changes them.
  other = amend(a, join(root, 'built'), 'D-07x', '2024-07-31', 0.02);
  deltaFile = join(root, 'delta.db');
  computeDelta({ oldFile: a.file, oldKey: a.key, oldId: a.id, newFile: b.file, newKey: b.key, newId: b.id, deltaFile });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const apply = (base: BuiltSnapshot, out: string, extra: { consumeBase?: boolean; fullProof?: boolean; delta?: string } = {}) =>
  applyDelta({ baseFile: base.file, baseKey: base.key, baseId: 'D-06', deltaFile: extra.delta ?? deltaFile, newKey: b.key, newId: b.id, expectedDigest: digestOf(b.file, b.key), outFile: out, ...extra });

describe('delta format 2', () => {
  it('gives the published content, proven by the rows it changes (or by the whole digest when asked)', () => {
    const out = join(root, 'out-1.db');
    expect(apply(a, out)).toEqual({ proof: 'touched-rows' });
    expect(digestOf(out, a.key)).toBe(digestOf(b.file, b.key));
    expect(apply(a, join(root, 'out-2.db'), { fullProof: true })).toEqual({ proof: 'content-digest' });
  });

  it('refuses a base that holds other rows where the delta changes it, before changing anything', () => {
    const before = sha(other.file);
    const out = join(root, 'out-wrong.db');
    expect(() => apply(other, out)).toThrow(/does not match the published content digest: the base holds other \w+ rows than D-06/);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.assembling`)).toBe(false);
    expect(sha(other.file)).toBe(before);
  });

  it('changes a consumed base in place: the base file becomes the result, no copy is left', () => {
    mkdirSync(join(root, 'consumed'));
    const base = amend(a, join(root, 'consumed'), 'D-06', a.asOf, 0); // fraction 0: every row kept, only a fresh key
    const out = join(root, 'out-consumed.db');
    apply(base, out, { consumeBase: true });
    expect(existsSync(base.file)).toBe(false);
    expect(digestOf(out, base.key)).toBe(digestOf(b.file, b.key));
  });

  it('applies a delta in transactions of a few rows each (its journal in memory, no journal file) with the same result, format 2 and 1', () => {
    // The month's changes (evolve): new payments, changed incomes, deleted visits, new deaths — in many transactions.
    const e = evolve(a, join(root, 'built'), 'D-07e', '2024-07-31');
    const v2 = join(root, 'delta-e.db');
    const v1 = join(root, 'delta-e-v1.db');
    for (const file of [v2, v1]) computeDelta({ oldFile: a.file, oldKey: a.key, oldId: a.id, newFile: e.file, newKey: e.key, newId: e.id, deltaFile: file });
    const db = openEncrypted(v1, e.key, { journal: 'delete' });
    db.exec(`DELETE FROM delta_meta WHERE key NOT IN ('from', 'to')`);
    db.close();
    const expected = digestOf(e.file, e.key);
    for (const [delta, proof] of [
      [v2, 'touched-rows'],
      [v1, 'content-digest'],
    ] as const) {
      const out = join(root, `out-e-${proof}.db`);
      expect(applyDelta({ baseFile: a.file, baseKey: a.key, baseId: a.id, deltaFile: delta, newKey: e.key, newId: e.id, expectedDigest: expected, outFile: out, rowsPerTransaction: 7 })).toEqual({ proof });
      expect(digestOf(out, a.key)).toBe(expected);
      expect(existsSync(`${out}-journal`) || existsSync(`${out}.assembling-journal`)).toBe(false);
    }
  });

  it('still reads format 1 (proven by the whole digest) and refuses an unknown format by name', () => {
    const v1 = join(root, 'delta-v1.db');
    const v3 = join(root, 'delta-v3.db');
    for (const [file, edit] of [
      [v1, `DELETE FROM delta_meta WHERE key NOT IN ('from', 'to')`],
      [v3, `UPDATE delta_meta SET value = '3' WHERE key = 'format'`],
    ] as const) {
      computeDelta({ oldFile: a.file, oldKey: a.key, oldId: a.id, newFile: b.file, newKey: b.key, newId: b.id, deltaFile: file });
      const db = openEncrypted(file, b.key, { journal: 'delete' });
      db.exec(edit);
      db.close();
    }
    const out = join(root, 'out-v1.db');
    expect(apply(a, out, { delta: v1 })).toEqual({ proof: 'content-digest' });
    expect(digestOf(out, a.key)).toBe(digestOf(b.file, b.key));
    expect(() => apply(a, join(root, 'out-v3.db'), { delta: v3 })).toThrow(/delta format 3 is not one this app reads/);
    // A format-1 delta on the wrong base is caught by the whole digest, as before.
    expect(() => apply(other, join(root, 'out-v1-wrong.db'), { delta: v1 })).toThrow(/does not match the published content digest/);
  });
});

describe('a delta sync from the previous snapshot', () => {
  let pub: Publication;
  let server: PlatformServer;
  beforeAll(async () => {
    pub = await makePublication(join(root, 'platform'));
    await pub.publish(a);
    server = await startPlatformServer({ pubDir: pub.pubDir, state: pub.state, exchange: pub.exchange, tokens: ['t'] });
  });
  afterAll(async () => {
    await server.close();
    await pub.close();
  });

  it('changes the previous snapshot in place through both deltas, leaving the current one untouched', async () => {
    const keys = new Map<string, Buffer>();
    const local = new LocalSnapshots(join(root, 'ws'));
    const credentials = pub.credentials(server.url, 't', keys);
    await syncOnce({ clock: systemClock, credentials, local });
    await pub.publish(b);
    expect(await syncOnce({ clock: systemClock, credentials, local })).toMatchObject({ via: 'delta', snapshotId: 'D-07' });
    const august = amend(b, join(root, 'built'), 'D-08', '2024-08-31');
    await pub.publish(august);
    const july = local.path(local.current()!.file);
    const julyBytes = sha(july);
    const june = local.path(local.previous()!.file);
    const outcome = await syncOnce({ clock: systemClock, credentials, local, deltaBase: 'previous' });
    const deltas = readManifest(pub.pubDir)!.body.deltas;
    expect(outcome).toMatchObject({ result: 'installed', via: 'delta', snapshotId: 'D-08', bytesDownloaded: deltas.at(-2)!.size + deltas.at(-1)!.size });
    expect(existsSync(june)).toBe(false);
    expect(sha(july)).toBe(julyBytes);
    expect(local.previous()?.snapshotId).toBe('D-07');
    // The result opens with June's local key (the file it was made of) and holds August's content.
    expect(digestOf(local.path(local.current()!.file), keys.get('D-08')!)).toBe(digestOf(august.file, august.key));
    expect(keys.get('D-08')).toEqual(keys.get('D-06'));
    expect(statSync(local.path(local.current()!.file)).size).toBeGreaterThan(0);
  });
});
