/**
 * `BENCH_ONLY=exchange npm run bench`: the load run against the exchange service as deployed.
 *
 * Two `platform serve` node **processes** on one throwaway PostgreSQL cluster, behind nginx terminating TLS (HTTP/2,
 * a throwaway CA's certificate, the publication served by nginx itself). BENCH_DEVICES (default 200) simulated
 * workstations in 4 jurisdictions, each on its own HTTP/2 connection with the CA pinned, all at once: enrol (the
 * operator approves as requests come), sync (manifest, wrapped key, snapshot file), announce a member, then for
 * BENCH_ROUNDS (default 3) rounds upload 10 signed case events, 20 audit entries and an export register part with 100
 * row marks, and read the feed (test/helpers/exchange-load.ts). Records p50/p99 per call and the throughput, and checks
 * that nothing is lost or doubled, every anchor verifies and every register part is whole.
 *
 * Everything shares one machine (the simulated workstations sign, MAC and verify too; nginx, PostgreSQL and both
 * nodes): the figures are a floor for servers of their own.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isoTime, systemClock } from '../src-main/platform/clock.js';
import { deployExchange, type Deployment } from '../test/helpers/exchange-front.js';
import { runExchangeLoad } from '../test/helpers/exchange-load.js';
import { startPostgresCluster } from '../test/helpers/postgres-cluster.js';

const DEVICES = Number(process.env.BENCH_DEVICES ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const JURISDICTIONS = [['320111'], ['320116'], ['320102'], ['320104']];
const TOKEN = 'bench-exchange';

const cluster = await startPostgresCluster();
if (!cluster) throw new Error('PostgreSQL is not installed (apt-get install postgresql)');
const dir = mkdtempSync(join(tmpdir(), 'aw-bench-exchange-'));
let deployment: Deployment | null = null;

try {
  deployment = await deployExchange({ dir, cluster, token: TOKEN, persons: 300, workerConnections: 4 * DEVICES + 256 });
  const { exchange, state, pubDir, front, nodes } = deployment;
  const load = await runExchangeLoad({ url: front.tlsUrl, ca: front.ca, token: TOKEN, exchange, state, pubDir, devices: DEVICES, rounds: ROUNDS, jurisdictions: JURISDICTIONS, deadlineMs: 600_000 });
  if (load.check.lost || load.check.doubled || load.check.devicesWhoseFeedEqualsTheirJurisdiction !== DEVICES || load.check.headsVerified !== DEVICES) {
    throw new Error(`exchange load: ${JSON.stringify(load.check)}`);
  }
  const result = {
    benchmark: 'exchange',
    at: isoTime(systemClock),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version, note: 'shared with other work while measured; everything below on this one machine' },
    setup: {
      devices: DEVICES,
      jurisdictions: JURISDICTIONS.length,
      rounds: ROUNDS,
      nodes: `${nodes.length} \`platform serve\` processes`,
      front: 'nginx, TLS 1.3, HTTP/2, 1 worker; one HTTP/2 connection per workstation with the CA pinned',
      database: 'PostgreSQL 15 (throwaway cluster, fsync off)',
      snapshotBytes: deployment.snapshotBytes,
    },
    ...load,
  };
  mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(join(import.meta.dirname, 'results', 'exchange.json'), JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify(result, null, 2));
} finally {
  await deployment?.stop();
  cluster.stop();
  rmSync(dir, { recursive: true, force: true });
}
