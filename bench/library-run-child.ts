/**
 * The full library run once, live, as the app runs it: bench/cli-process.ts bundles this file with the worker modules
 * (scripts/build-cli.mjs), so the two rule threads start from bundled JavaScript, as in Electron and the shipped
 * command line, not from TypeScript transpiled by tsx as in the benchmark's own process (about 0.4 s of each thread's
 * start, session 17). Times runChecks alone — from the call to its result: opening the snapshot and process start are
 * outside, as in the in-process figure — and prints one JSON line.
 *
 *   node <bundle>/library-run.js SNAPSHOT KEY_FILE
 */
import { readFileSync } from 'node:fs';
import { systemClock } from '../src-main/platform/clock.js';
import { runChecks } from '../src-main/services/checks/rule-engine.js';
import { SnapshotDb } from '../src-main/store/snapshot/snapshot-db.js';

const [file, keyFile] = process.argv.slice(2);
if (!file || !keyFile) throw new Error('usage: library-run.js SNAPSHOT KEY_FILE');
const snapshot = SnapshotDb.open(file, Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'hex'));
const cpu = process.cpuUsage();
const started = performance.now();
const run = await runChecks(snapshot, { clock: systemClock });
const ms = Math.round(performance.now() - started);
const used = process.cpuUsage(cpu);
snapshot.close();
console.log(JSON.stringify({ ms, cpuSeconds: +((used.user + used.system) / 1e6).toFixed(2), findings: run.findings.length, live: run.rules.filter((r) => !r.storedAtBuild).length }));
