/** Builds a snapshot from feeds in its own process, so its peak memory (VmHWM) is measured alone. */
import { readFileSync } from 'node:fs';
import { buildSnapshot } from '../src-main/data-platform/build.js';

const [feedsDir, outFile, keyHex, asOf] = process.argv.slice(2) as [string, string, string, string];
const started = Date.now();
let derivedMs = 0;
const report = await buildSnapshot({ feedsDir, outFile, key: Buffer.from(keyHex, 'hex'), snapshotId: 'bench-A', asOf, jurisdiction: ['320111', '320116'], onRulesDerived: (ms) => (derivedMs = ms) });
const seconds = (Date.now() - started) / 1000;
// CPU time as well as wall time: on a shared machine the wall clock also counts the other processes' turns.
const cpu = process.cpuUsage();
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const rows = report.files.reduce((n, f) => n + f.rows, 0);
const peakKb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0);
console.log(JSON.stringify({ seconds, rows, rowsPerSecond: Math.round(rows / seconds), cpuSeconds: +cpuSeconds.toFixed(1), rowsPerCpuSecond: Math.round(rows / cpuSeconds), rejected: report.rejectionCount, peakRssMiB: Math.round(peakKb / 1024), rulesDerivedSeconds: +(derivedMs / 1000).toFixed(1) }));
