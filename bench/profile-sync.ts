/**
 * Where a sync spends its time: `npx tsx bench/profile-sync.ts SNAPSHOT.db [KEYFILE]` publishes the snapshot, evolves
 * the next month from it (test/helpers/platform-fixture.ts's evolve), publishes that with its delta, serves both over
 * loopback, times each step a sync performs on its own (download, SHA-256 of the file, open, integrity check, content
 * digest, copy of the base, applying the delta, fsync), then a whole full sync and a whole delta sync with the time
 * between the engine's checkpoints and the process's CPU time, then two deltas of 1 % of the rows (copying the current
 * snapshot; in place). Prints JSON; writes nothing outside a temporary folder.
 */
import { closeSync, copyFileSync, fsyncSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PlatformState, publishSnapshot, readManifest } from '../src-main/data-platform/publish.js';
import { startPlatformServer } from '../src-main/data-platform/serve.js';
import { enrolDevice } from '../src-main/data-platform/enrolment.js';
import { ExchangeStore } from '../src-main/store/exchange/exchange-store.js';
import { generateDeviceKeyPair } from '../src-main/platform/device-keys.js';
import { sha256File } from '../src-main/platform/file-hash.js';
import { openEncrypted } from '../src-main/store/sqlcipher.js';
import { snapshotContentDigest } from '../src-main/store/snapshot/snapshot-digest.js';
import { LocalSnapshots } from '../src-main/store/snapshot/local-snapshots.js';
import { syncOnce } from '../src-main/services/sync/sync-engine.js';
import { benchCredentials } from './sync-credentials.js';
import { amend, evolve } from '../test/helpers/platform-fixture.js';
import { isoTime, systemClock } from '../src-main/platform/clock.js';

const [source, keyFile = `${process.argv[2]}.key`] = process.argv.slice(2);
if (!source) throw new Error('usage: npx tsx bench/profile-sync.ts SNAPSHOT.db [KEYFILE]');
const dir = mkdtempSync(join(tmpdir(), 'aw-prof-sync-'));
const ms = (from: number) => Math.round(performance.now() - from);
const timed = <T>(label: string, out: Record<string, number>, f: () => T): T => {
  const t0 = performance.now();
  const r = f();
  out[label] = ms(t0);
  return r;
};

try {
  const key = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'hex');
  const fileA = join(dir, 'A.db');
  copyFileSync(source, fileA);
  const db = openEncrypted(fileA, key, { journal: 'delete' });
  const asOf = (db.prepare(`SELECT value FROM meta WHERE key = 'as_of'`).get() as { value: string }).value;
  db.prepare(`UPDATE meta SET value = 'prof-A' WHERE key = 'snapshot_id'`).run();
  db.close();
  const state = new PlatformState(join(dir, 'state'));
  state.init();
  const device = generateDeviceKeyPair();
  const exchange = await ExchangeStore.open({ dataDir: join(dir, 'exchange-db') });
  await enrolDevice(exchange, device.publicKeyDer, 'prof', ['320111', '320116'], isoTime(systemClock));
  const pubDir = join(dir, 'pub');
  const publish: Record<string, number> = {};
  let t0 = performance.now();
  await publishSnapshot({ state, exchange, pubDir, snapshotFile: fileA, snapshotKey: key });
  publish.fullMs = ms(t0);
  const digestA = readManifest(pubDir)!.body.contentDigest;
  const b = timed('evolveMs', publish, () => evolve({ file: fileA, key, id: 'prof-A', asOf }, dir, 'prof-B', '2099-12-31'));
  t0 = performance.now();
  await publishSnapshot({ state, exchange, pubDir, snapshotFile: b.file, snapshotKey: b.key });
  publish.withDeltaMs = ms(t0);
  const manifest = readManifest(pubDir)!.body;
  const delta = manifest.deltas.at(-1)!;
  const server = await startPlatformServer({ pubDir, state, exchange, tokens: ['prof'] });

  // Each step alone.
  const steps: Record<string, number> = {};
  const scratch = join(dir, 'scratch');
  mkdirSync(scratch);
  t0 = performance.now();
  const res = await fetch(`${server.url}/${manifest.full.path}`, { headers: { Authorization: 'Bearer prof' } });
  const fd = openSync(join(scratch, 'full.bin'), 'w');
  let chunks = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    writeSync(fd, chunk);
    chunks++;
  }
  steps.downloadToFileMs = ms(t0);
  steps.downloadChunks = chunks;
  timed('fsyncDownloadedMs', steps, () => fsyncSync(fd));
  closeSync(fd);
  timed('sha256FileMs', steps, () => sha256File(join(scratch, 'full.bin')));
  const full = timed('openMs', steps, () => openEncrypted(join(scratch, 'full.bin'), b.key, { readonly: true }));
  timed('integrityCheckMs', steps, () => full.pragma('integrity_check', { simple: true }));
  timed('contentDigestMs', steps, () => snapshotContentDigest(full));
  full.close();
  timed('copyBaseMs', steps, () => copyFileSync(fileA, join(scratch, 'copy.db')));
  rmSync(join(scratch, 'full.bin'));
  rmSync(join(scratch, 'copy.db'));

  const keys = new Map<string, Buffer>();
  const credentials = benchCredentials({ url: server.url, token: 'prof', state, jurisdiction: manifest.jurisdiction, device, keys });
  /** The time between the engine's checkpoints and its progress phases, in order. */
  const traced = async (local: LocalSnapshots, deltaBase: 'auto' | 'previous' | 'current' = 'auto') => {
    const marks: [string, number][] = [];
    let last = performance.now();
    const mark = (name: string) => {
      const now = performance.now();
      marks.push([name, Math.round(now - last)]);
      last = now;
    };
    let phase = '';
    const started = performance.now();
    const cpu = process.cpuUsage();
    const outcome = await syncOnce({
      clock: systemClock,
      credentials,
      local,
      deltaBase,
      checkpoint: (s) => mark(s),
      onProgress: (p) => {
        if (p.phase !== phase) mark(`→${(phase = p.phase)}`);
      },
    });
    const used = process.cpuUsage(cpu);
    // CPU of the whole process (the platform server runs in it too): steadier than wall time on a shared machine.
    return { ms: ms(started), cpuMs: Math.round((used.user + used.system) / 1000), via: outcome.via, bytes: outcome.bytesDownloaded, marks };
  };
  const fullSync = await traced(new LocalSnapshots(join(dir, 'ws-full')));
  keys.clear();
  const deltaLocal = new LocalSnapshots(join(dir, 'ws-delta'));
  copyFileSync(fileA, join(deltaLocal.dir, 'prof-A.db'));
  keys.set('prof-A', key);
  deltaLocal.install({ snapshotId: 'prof-A', file: 'prof-A.db', asOf, jurisdiction: manifest.jurisdiction, contentDigest: digestA }, isoTime(systemClock));
  const deltaSync = await traced(deltaLocal);
  // 1 % of the rows changed, twice: C installed by copying the current snapshot, D by changing the previous in place.
  const c = amend(b, dir, 'prof-C', '2100-01-31');
  await publishSnapshot({ state, exchange, pubDir, snapshotFile: c.file, snapshotKey: c.key });
  const onePercentCopy = await traced(deltaLocal, 'current');
  const d = amend(c, dir, 'prof-D', '2100-02-28');
  await publishSnapshot({ state, exchange, pubDir, snapshotFile: d.file, snapshotKey: d.key });
  const onePercentInPlace = await traced(deltaLocal, 'previous');
  await server.close();
  await exchange.close();
  console.log(
    JSON.stringify(
      { fullBytes: manifest.full.size, deltaBytes: delta.size, fileASize: statSync(fileA).size, publish, steps, fullSync, deltaSync, onePercentCopy, onePercentInPlace, mbPerSecondFull: +(manifest.full.size / 1e6 / (fullSync.ms / 1000)).toFixed(1) },
      null,
      2,
    ),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
