/**
 * Snapshot benchmark: a district of BENCH_PERSONS (default 1,000,000) persons as dirty CSV feeds → platform build
 * (rows/s, peak memory) → publish → the next month's snapshot published as a delta → full sync and delta sync of it
 * over loopback, then two more months with 1 % of the rows changed, installed by copying the current snapshot and by
 * changing the previous one in place (issue 16: full sync ≥ 100 MB/s, a 1 % delta in ≤ 10 % of the full sync's time and
 * bytes). Per generator profile (BENCH_SNAPSHOT_PROFILES, default sparse,dense): `profiles.sparse`, `profiles.dense`,
 * the same fields each; sparse's are also kept at the top level, where docs/performance.md reads them. A profile not run
 * keeps its figures from the last results file. Writes bench/results/snapshots.json; BENCH_PERSONS sizes it (a quick
 * run: 200000).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { FeedWriter } from '../src-main/data-platform/feed-writer.js';
import { PlatformState, publishSnapshot, readManifest } from '../src-main/data-platform/publish.js';
import { startPlatformServer } from '../src-main/data-platform/serve.js';
import { enrolDevice } from '../src-main/data-platform/enrolment.js';
import { ExchangeStore } from '../src-main/store/exchange/exchange-store.js';
import { generateDistrict, type GeneratorProfile } from '../src-main/generator/district-generator.js';
import { generateDeviceKeyPair } from '../src-main/platform/device-keys.js';
import { LocalSnapshots } from '../src-main/store/snapshot/local-snapshots.js';
import { syncOnce } from '../src-main/services/sync/sync-engine.js';
import { benchCredentials } from './sync-credentials.js';
import { amend, evolve } from '../test/helpers/platform-fixture.js';
import { openEncrypted } from '../src-main/store/sqlcipher.js';
import { snapshotTables } from '../src-main/store/snapshot/schema.js';
import { isoTime, systemClock } from '../src-main/platform/clock.js';

const PERSONS = Number(process.env.BENCH_PERSONS ?? 1_000_000);
const PROFILES = (process.env.BENCH_SNAPSHOT_PROFILES ?? 'sparse,dense').split(',') as GeneratorProfile[];
const RESULTS = join(import.meta.dirname, 'results', 'snapshots.json');
const t = () => process.hrtime.bigint();
const secs = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e9;
const mib = (bytes: number) => Math.round(bytes / 1024 / 1024);

/** One district of the given profile, from its feeds to the 1 % deltas: the figures of one profile. */
async function snapshotRun(profile: GeneratorProfile) {
  const dir = mkdtempSync(join(tmpdir(), `aw-bench-snap-${profile}-`));
  try {
    let t0 = t();
    const feeds = new FeedWriter({ dir: join(dir, 'feeds'), format: 'csv', dirty: true, seed: 1 });
    const summary = generateDistrict({ seed: 1, persons: PERSONS, profile }, { row: (r) => feeds.write(r), truth: () => undefined });
    await feeds.close();
    const generateSeconds = secs(t0);
    console.log(`[${profile}] generated ${summary.persons} persons as dirty CSV feeds in ${generateSeconds.toFixed(1)} s`);

    const key = randomBytes(32);
    const fileA = join(dir, 'A.db');
    const build = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', 'bench/build-child.ts', join(dir, 'feeds'), fileA, key.toString('hex'), summary.asOf], { encoding: 'utf8', maxBuffer: 1 << 20 }).trim().split('\n').at(-1)!) as {
      seconds: number;
      rows: number;
      rowsPerSecond: number;
      rejected: number;
      peakRssMiB: number;
    };
    console.log(`[${profile}] built snapshot: ${build.rows} rows in ${build.seconds.toFixed(1)} s (${build.rowsPerSecond} rows/s), peak RSS ${build.peakRssMiB} MiB`);
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
    console.log(`[${profile}] published: full ${mib(manifest.full.size)} MiB, delta ${mib(delta.size)} MiB (publish with delta ${publishDeltaSeconds.toFixed(1)} s)`);

    const server = await startPlatformServer({ pubDir, state, exchange, tokens: ['bench'] });
    const keys = new Map<string, Buffer>();
    const credentials = benchCredentials({ url: server.url, token: 'bench', state, jurisdiction: manifest.jurisdiction, device, keys });
    const timedSync = async (local: LocalSnapshots, deltaBase: 'auto' | 'previous' | 'current' = 'auto') => {
      const started = t();
      const outcome = await syncOnce({ clock: systemClock, credentials, local, deltaBase });
      const seconds = secs(started);
      return { seconds: +seconds.toFixed(2), via: outcome.via, bytes: outcome.bytesDownloaded, mbPerSecond: +(outcome.bytesDownloaded / 1e6 / seconds).toFixed(1) };
    };
    // Full: a fresh workstation takes bench-B whole.
    const full = await timedSync(new LocalSnapshots(join(dir, 'ws-full')));
    rmSync(join(dir, 'ws-full'), { recursive: true, force: true });
    // Delta: a workstation holding bench-A takes the month's delta (evolve: new payments, 1/7 of the incomes changed, …).
    const deltaLocal = new LocalSnapshots(join(dir, 'ws-delta'));
    copyFileSync(fileA, join(deltaLocal.dir, 'bench-A.db'));
    keys.set('bench-A', key);
    deltaLocal.install({ snapshotId: 'bench-A', file: 'bench-A.db', asOf: summary.asOf, jurisdiction: manifest.jurisdiction, contentDigest: 'n/a' }, isoTime(systemClock));
    const month = await timedSync(deltaLocal);
    console.log(`[${profile}] sync over loopback: full ${full.seconds} s (${full.via}, ${full.mbPerSecond} MB/s), month's delta ${month.seconds} s (${month.via})`);

    // 1 % of the rows changed (issue 16's target), twice: C from B, then D from C. C is installed by copying the current
    // snapshot; D once the same way (on a copy of the workstation) and once by changing the previous snapshot in place.
    const totalRows = (() => {
      const db = openEncrypted(b.file, b.key, { readonly: true });
      try {
        return snapshotTables(db).reduce((n, table) => n + (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n, 0);
      } finally {
        db.close();
      }
    })();
    const c = amend(b, dir, 'bench-C', '2024-08-31');
    const publishedC = await publishSnapshot({ state, exchange, pubDir, snapshotFile: c.file, snapshotKey: c.key });
    const onePercentCopy = await timedSync(deltaLocal, 'current');
    const d = amend(c, dir, 'bench-D', '2024-09-30');
    await publishSnapshot({ state, exchange, pubDir, snapshotFile: d.file, snapshotKey: d.key });
    cpSync(deltaLocal.dir, join(dir, 'ws-copy'), { recursive: true });
    const copyKeys = new Map(keys);
    const onePercentCopyAgain = await timedSync(new LocalSnapshots(join(dir, 'ws-copy')), 'current');
    rmSync(join(dir, 'ws-copy'), { recursive: true, force: true });
    keys.clear();
    for (const [id, k] of copyKeys) keys.set(id, k);
    const onePercentInPlace = await timedSync(deltaLocal, 'previous');
    const changedRows = Object.values(publishedC.deltaRows ?? {}).reduce((n, v) => n + v, 0);
    const onePercentDelta = readManifest(pubDir)!.body.deltas.at(-1)!;
    console.log(
      `[${profile}] 1 % delta (${changedRows} of ${totalRows} rows, ${mib(onePercentDelta.size)} MiB): copying the current snapshot ${onePercentCopy.seconds} s / ${onePercentCopyAgain.seconds} s, in place on the previous ${onePercentInPlace.seconds} s`,
    );
    await server.close();
    await exchange.close();

    return {
      persons: summary.persons,
      households: summary.households,
      generateFeedsSeconds: +generateSeconds.toFixed(1),
      build: { ...build, snapshotMiB: mib(statSync(fileA).size) },
      publish: { fullSeconds: +publishFullSeconds.toFixed(1), withDeltaSeconds: +publishDeltaSeconds.toFixed(1), fullMiB: mib(manifest.full.size), deltaMiB: mib(delta.size), evolveSeconds: +evolveSeconds.toFixed(1) },
      sync: {
        fullSeconds: full.seconds,
        fullVia: full.via,
        fullBytes: full.bytes,
        fullMBps: full.mbPerSecond,
        deltaSeconds: month.seconds,
        deltaVia: month.via,
        deltaBytes: month.bytes,
        onePercent: {
          changedRows,
          totalRows,
          deltaBytes: onePercentDelta.size,
          copyCurrent: onePercentCopy,
          copyCurrentAgain: onePercentCopyAgain,
          inPlacePrevious: onePercentInPlace,
          // Issue 16's target: ≤ 0.10 of the full sync's time and bytes.
          timeToFull: +(Math.min(onePercentCopyAgain.seconds, onePercentInPlace.seconds) / full.seconds).toFixed(3),
          bytesToFull: +(onePercentDelta.size / full.bytes).toFixed(4),
        },
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type SnapshotResult = Awaited<ReturnType<typeof snapshotRun>>;
const previous = existsSync(RESULTS) ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as { [field: string]: unknown; profiles?: Record<string, SnapshotResult> }) : {};
const profiles: Record<string, SnapshotResult> = { ...(previous.profiles ?? {}) };
for (const profile of PROFILES) profiles[profile] = await snapshotRun(profile);
const result = {
  // The last file's top level stays when sparse is not run (a file from before profiles holds sparse's figures there only).
  ...previous,
  benchmark: 'snapshots',
  at: new Date().toISOString(),
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version, loadAverage: loadavg().map((l) => +l.toFixed(1)) },
  // The sparse profile's figures at the top level, as before profiles (docs/performance.md reads them).
  ...profiles.sparse,
  profiles,
};
mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
writeFileSync(RESULTS, JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify(result, null, 2));
