/**
 * `npm run bench`: every benchmark, each writing JSON to bench/results/.
 *   BENCH_ONLY=foundation|snapshots|checks|triage|exports|backup|reports|anchor|exchange  runs one;  BENCH_PERSONS (default 1,000,000) sizes the snapshot benchmark
 *   and the library run of the checks benchmark; BENCH_PEER_PERSONS (default 200,000) sizes its per-profile runs beside
 *   DuckDB (BENCH_PROFILES=sparse,dense; docs/performance.md).
 */
import { execFileSync } from 'node:child_process';

const only = process.env.BENCH_ONLY;
for (const name of ['foundation', 'snapshots', 'checks', 'triage', 'exports', 'backup', 'reports', 'anchor', 'exchange', 'province', 'monitoring']) {
  if (only && only !== name) continue;
  console.log(`\n== ${name} ==`);
  execFileSync(process.execPath, ['--import', 'tsx', `bench/${name}.ts`], { stdio: 'inherit' });
}
