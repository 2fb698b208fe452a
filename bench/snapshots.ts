/**
 * Snapshot benchmark: a district of BENCH_PERSONS (default 1,000,000) persons as dirty CSV feeds → platform build
 * (rows/s, peak memory) → publish → the next month's snapshot published as a delta → full sync and delta sync of it
 * over loopback. Writes bench/results/snapshots.json.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { FeedWriter } from '../src-main/data-platform/feed-writer.js';
import { PlatformState, publishSnapshot, readManifest } from '../src-main/data-platform/publish.js';
import { startPlatformServer } from '../src-main/data-platform/serve.js';
import { enrolDevice } from '../src-main/data-platform/enrolment.js';
import { ExchangeStore } from '../src-main/store/exchange/exchange-store.js';
import { generateDistrict } from '../src-main/generator/district-generator.js';
import { deviceIdOf, generateDeviceKeyPair } from '../src-main/platform/device-keys.js';
import { LocalSnapshots } from '../src-main/store/snapshot/local-snapshots.js';
import { syncOnce, type SyncCredentials } from '../src-main/services/sync/sync-engine.js';
import { evolve } from '../test/helpers/platform-fixture.js';
import { isoTime, systemClock } from '../src-main/platform/clock.js';

const PERSONS = Number(process.env.BENCH_PERSONS ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'aw-bench-snap-'));
const t = () => process.hrtime.bigint();
const secs = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e9;
const mib = (bytes: number) => Math.round(bytes / 1024 / 1024);

try {
  let t0 = t();
  const feeds = new FeedWriter({ dir: join(dir, 'feeds'), format: 'csv', dirty: true, seed: 1 });
  const summary = generateDistrict({ seed: 1, persons: PERSONS }, { row: (r) => feeds.write(r), truth: () => undefined });
  await feeds.close();
  const generateSeconds = secs(t0);
  console.log(`generated ${summary.persons} persons as dirty CSV feeds in ${generateSeconds.toFixed(1)} s`);

  const key = randomBytes(32);
  const fileA = join(dir, 'A.db');
  const build = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', 'bench/build-child.ts', join(dir, 'feeds'), fileA, key.toString('hex'), summary.asOf], { encoding: 'utf8', maxBuffer: 1 << 20 }).trim().split('\n').at(-1)!) as {
    seconds: number;
    rows: number;
    rowsPerSecond: number;
    rejected: number;
    peakRssMiB: number;
  };
  console.log(`built snapshot: ${build.rows} rows in ${build.seconds.toFixed(1)} s (${build.rowsPerSecond} rows/s), peak RSS ${build.peakRssMiB} MiB`);
  rmSync(join(dir, 'feeds'), { recursive: true, force: true });

  const state = new PlatformState(join(dir, 'state'));
  state.init();
  const device = generateDeviceKeyPair();
  const exchange = await ExchangeStore.open({ dataDir: join(dir, 'exchange-db') });
  await enrolDevice(exchange, device.publicKeyDer, 'bench', ['320111', '320116'], isoTime(systemClock));
  const pubDir = join(dir, 'pub');
  t0 = t();
  await publishSnapshot({ state, exchange, pubDir, snapshotFile: fileA, snapshotKey: key });
  const publishFullSeconds = secs(t0);
  const a = { file: fileA, key, id: 'bench-A', asOf: summary.asOf };
  t0 = t();
  const b = evolve(a, dir, 'bench-B', '2024-07-31');
  const evolveSeconds = secs(t0);
  t0 = t();
  await publishSnapshot({ state, exchange, pubDir, snapshotFile: b.file, snapshotKey: b.key });
  const publishDeltaSeconds = secs(t0);
  const manifest = readManifest(pubDir)!.body;
  const delta = manifest.deltas.at(-1)!;
  console.log(`published: full ${mib(manifest.full.size)} MiB, delta ${mib(delta.size)} MiB (publish with delta ${publishDeltaSeconds.toFixed(1)} s)`);

  const server = await startPlatformServer({ pubDir, state, exchange, tokens: ['bench'] });
  const keys = new Map<string, Buffer>();
  const credentials: SyncCredentials = {
    url: server.url,
    token: 'bench',
    platformPublicKey: state.publicKey(),
    jurisdiction: manifest.jurisdiction,
    device,
    deviceId: deviceIdOf(device.publicKeyDer),
    snapshotKey: (id) => keys.get(id),
    saveSnapshotKey: (id, k) => void keys.set(id, k),
    highestSequence: () => 0,
    recordSequence: () => undefined,
  };
  // Full: a fresh workstation takes bench-B whole.
  t0 = t();
  const full = await syncOnce({ clock: systemClock, credentials, local: new LocalSnapshots(join(dir, 'ws-full')) });
  const fullSyncSeconds = secs(t0);
  // Delta: a workstation holding bench-A takes the delta. Give it bench-A first (not timed).
  keys.clear();
  const deltaLocal = new LocalSnapshots(join(dir, 'ws-delta'));
  mkdirSync(deltaLocal.dir, { recursive: true });
  writeFileSync(join(deltaLocal.dir, 'bench-A.db'), readFileSync(fileA));
  keys.set('bench-A', key);
  deltaLocal.install({ snapshotId: 'bench-A', file: 'bench-A.db', asOf: summary.asOf, jurisdiction: manifest.jurisdiction, contentDigest: 'n/a' }, isoTime(systemClock));
  t0 = t();
  const viaDelta = await syncOnce({ clock: systemClock, credentials, local: deltaLocal });
  const deltaSyncSeconds = secs(t0);
  await server.close();
  await exchange.close();
  console.log(`sync over loopback: full ${fullSyncSeconds.toFixed(1)} s (${full.via}), delta ${deltaSyncSeconds.toFixed(1)} s (${viaDelta.via})`);

  const result = {
    benchmark: 'snapshots',
    at: new Date().toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
    persons: summary.persons,
    households: summary.households,
    generateFeedsSeconds: +generateSeconds.toFixed(1),
    build: { ...build, snapshotMiB: mib(statSync(fileA).size) },
    publish: { fullSeconds: +publishFullSeconds.toFixed(1), withDeltaSeconds: +publishDeltaSeconds.toFixed(1), fullMiB: mib(manifest.full.size), deltaMiB: mib(delta.size), evolveSeconds: +evolveSeconds.toFixed(1) },
    sync: { fullSeconds: +fullSyncSeconds.toFixed(1), fullVia: full.via, deltaSeconds: +deltaSyncSeconds.toFixed(1), deltaVia: viaDelta.via, deltaBytes: viaDelta.bytesDownloaded },
  };
  mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(join(import.meta.dirname, 'results', 'snapshots.json'), JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify(result, null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
