/**
 * `npm run bench`: every benchmark, each writing JSON to bench/results/.
 *   BENCH_ONLY=foundation|snapshots|checks|triage|exports|backup|reports|anchor|exchange|province|monitoring  runs one;
 *   BENCH_PERSONS (default 1,000,000) sizes the snapshot benchmark and the library run of the checks benchmark;
 *   BENCH_PEER_PERSONS (default 200,000) sizes its per-profile runs beside DuckDB.
 * Issue 16's "Must show", per generator profile (sparse and dense; docs/performance.md, "What is measured"):
 *   checks.json     the DuckDB ratio, build rows/s and peak RSS, snapshot vs feed bytes, the full library
 *                   (`profiles.<profile>`, BENCH_PROFILES); the full library and pre-check p99 at BENCH_PERSONS
 *                   (top level: sparse, `denseLibrary`: dense; the 10,000-applicant batch sparse only);
 *   snapshots.json  full vs delta sync time and bytes, the 1 % delta, build and publish (`profiles.<profile>`,
 *                   BENCH_SNAPSHOT_PROFILES; sparse's also at the top level);
 *   triage.json     the inbox first render with 200,000 findings (`profiles.<profile>.inboxFirstRender`,
 *                   BENCH_TRIAGE_PROFILES; the other triage figures sparse only, at the top level);
 *   province.json   the 3,000,000-person run, one profile per run (BENCH_PROVINCE_PROFILE, BENCH_PROVINCE_OUT).
 */
import { execFileSync } from 'node:child_process';

const only = process.env.BENCH_ONLY;
for (const name of ['foundation', 'snapshots', 'checks', 'triage', 'exports', 'backup', 'reports', 'anchor', 'exchange', 'province', 'monitoring']) {
  if (only && only !== name) continue;
  console.log(`\n== ${name} ==`);
  execFileSync(process.execPath, ['--import', 'tsx', `bench/${name}.ts`], { stdio: 'inherit' });
}
