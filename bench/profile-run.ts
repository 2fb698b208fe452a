/**
 * One generator profile, end to end, as a platform and an auditor would meet it (issue 16): clean CSV feeds → the
 * platform build (in its own process: rows/s and peak RSS) → the six seed rules on the workstation, timed as a whole
 * `cli check --rules …` run (opening the snapshot and the two rule threads included; process startup and writing the
 * report file excluded) → the whole library → the same six rules on DuckDB over the same CSV files (bench/duckdb-peer.ts),
 * with the findings of both compared subject by subject and amount by amount.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FeedWriter } from '../src-main/data-platform/feed-writer.js';
import { generateDistrict, type GeneratorProfile, type TruthRow } from '../src-main/generator/district-generator.js';
import { systemClock } from '../src-main/platform/clock.js';
import { runChecks, type Finding } from '../src-main/services/checks/rule-engine.js';
import { SnapshotDb } from '../src-main/store/snapshot/snapshot-db.js';
import { BUILTIN_RULES, ruleModule } from '../src-main/rules/index.js';
import { runPeer, type PeerFinding } from './duckdb-peer.js';

export const SEED_RULES = ['R-DEATH', 'R-HUKOU-OUT', 'R-MUTEX', 'R-ATTR', 'R-EXIT', 'R-COVER'] as const;

export interface RuleComparison {
  workstation: number;
  peer: number;
  onlyWorkstation: number;
  onlyPeer: number;
  amountDiffers: number;
  /** A few of the differences, to explain them. */
  examples: string[];
}

export type ProfileResult = Awaited<ReturnType<typeof profileRun>>;

const round = (x: number, digits = 1) => +x.toFixed(digits);

export async function profileRun(profile: GeneratorProfile, persons: number) {
  const dir = mkdtempSync(join(tmpdir(), `aw-bench-${profile}-`));
  try {
    // Clean feeds: DuckDB's plain read_csv reads them as they are; the importer's repairs of dirty feeds are
    // bench/snapshots.ts's subject.
    let t = performance.now();
    const feedsDir = join(dir, 'feeds');
    const feeds = new FeedWriter({ dir: feedsDir, format: 'csv', dirty: false, seed: 3 });
    const truth: TruthRow[] = [];
    const summary = generateDistrict({ seed: 3, persons, profile }, { row: (r, v2) => feeds.write(r, v2), truth: (x) => truth.push(x) });
    await feeds.close();
    const generateSeconds = (performance.now() - t) / 1000;
    const feedBytes = readdirSync(feedsDir).reduce((n, f) => n + statSync(join(feedsDir, f)).size, 0);
    const feedRows = Object.values(summary.rows).reduce((a, b) => a + b, 0);
    console.log(`[${profile}] ${summary.persons} persons, ${feedRows} feed rows (${(feedRows / summary.persons).toFixed(1)} per person), ${mib(feedBytes)} MiB of CSV in ${generateSeconds.toFixed(1)} s`);

    const key = randomBytes(32);
    const file = join(dir, 'snapshot.db');
    const buildOut = execFileSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'build-child.ts'), feedsDir, file, key.toString('hex'), summary.asOf], { encoding: 'utf8', maxBuffer: 1 << 20 });
    const build = JSON.parse(buildOut.trim().split('\n').at(-1)!) as { seconds: number; rows: number; rowsPerSecond: number; cpuSeconds: number; rowsPerCpuSecond: number; rejected: number; peakRssMiB: number };
    const snapshotBytes = statSync(file).size;
    console.log(`[${profile}] build: ${build.rows} rows in ${build.seconds.toFixed(1)} s (${build.rowsPerSecond} rows/s; ${build.rowsPerCpuSecond} per CPU second), peak RSS ${build.peakRssMiB} MiB, snapshot ${mib(snapshotBytes)} MiB`);

    // The workstation: the six rules as `cli check --rules` runs them, then the whole library.
    t = performance.now();
    let snapshot = SnapshotDb.open(file, key);
    const six = await runChecks(snapshot, { clock: systemClock, ruleIds: SEED_RULES });
    const sixMs = Math.round(performance.now() - t);
    snapshot.close();
    t = performance.now();
    snapshot = SnapshotDb.open(file, key);
    const full = await runChecks(snapshot, { clock: systemClock });
    const fullMs = Math.round(performance.now() - t);
    snapshot.close();
    console.log(`[${profile}] workstation: six seed rules ${sixMs} ms, whole library ${fullMs} ms`);

    const peer = await runPeer(feedsDir, summary.asOf, summary.jurisdiction);
    console.log(`[${profile}] DuckDB: load ${peer.loadMs} ms, six rules ${peer.queriesMs} ms`);

    const comparison = Object.fromEntries(SEED_RULES.map((rule) => [rule, compare(six.findings.filter((f) => f.ruleId === rule), peer.findings[rule] ?? [])]));
    const mismatches = Object.values(comparison).reduce((n, c) => n + c.onlyWorkstation + c.onlyPeer + c.amountDiffers, 0);
    console.log(`[${profile}] ratio workstation/DuckDB ${(sixMs / peer.queriesMs).toFixed(1)}, mismatches ${mismatches}`);

    return {
      persons: summary.persons,
      households: summary.households,
      feeds: { rows: feedRows, rowsPerPerson: round(feedRows / summary.persons), bytes: feedBytes, generateSeconds: round(generateSeconds) },
      build: { ...build, snapshotBytes, snapshotToFeedBytes: round(snapshotBytes / feedBytes, 2) },
      workstation: {
        sixRulesMs: sixMs,
        perRule: Object.fromEntries(six.rules.map((r) => [r.id, { ms: r.ms, findings: r.count }])),
        fullLibraryMs: fullMs,
        fullLibraryFindings: full.findings.length,
        fullLibraryPerRule: Object.fromEntries(full.rules.map((r) => [r.id, { ms: r.ms, findings: r.count }])),
      },
      truth: precisionRecall(full.findings, truth),
      peer: {
        engine: 'DuckDB 1.5.6 (@duckdb/node-api), in memory, default threads',
        loadMs: peer.loadMs,
        queriesMs: peer.queriesMs,
        perRule: peer.perRule,
        /** Workstation time / DuckDB time for the six seed rules: how many times slower the workstation is. */
        ratio: round(sixMs / Math.max(1, peer.queriesMs)),
        ratioWithLoad: round(sixMs / Math.max(1, peer.queriesMs + peer.loadMs), 2),
        mismatches,
        comparison,
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function compare(workstation: readonly Finding[], peer: readonly PeerFinding[]): RuleComparison {
  const w = new Map(workstation.map((f) => [f.subjectId, f.amountCents]));
  const p = new Map(peer.map((f) => [f.subject, f.amountCents]));
  const examples: string[] = [];
  let onlyWorkstation = 0;
  let onlyPeer = 0;
  let amountDiffers = 0;
  for (const [subject, amount] of w) {
    if (!p.has(subject)) {
      onlyWorkstation++;
      if (examples.length < 5) examples.push(`${subject}: workstation only`);
    } else if ((p.get(subject) ?? null) !== (amount ?? null)) {
      amountDiffers++;
      if (examples.length < 5) examples.push(`${subject}: workstation ${amount} vs DuckDB ${p.get(subject)} cents`);
    }
  }
  for (const subject of p.keys()) {
    if (w.has(subject)) continue;
    onlyPeer++;
    if (examples.length < 5) examples.push(`${subject}: DuckDB only`);
  }
  return { workstation: w.size, peer: p.size, onlyWorkstation, onlyPeer, amountDiffers, examples };
}

/**
 * The library's findings against the generator's truth (rule|subject), as the rule-engine test counts them: for the
 * rules the generator's (v1) references judge. A rule with a truth of its own (rules/<rule>/truth.ts, the v2 rules and
 * the changed v1 ones) is held to that truth by rule-truth.test.ts, at several seeds; the generator's v1 reading of it
 * would count its v2 findings as false.
 */
function precisionRecall(findings: readonly Finding[], truth: readonly TruthRow[]) {
  const judged = (rule: string) => !ruleModule(rule)?.truth;
  // Rows the importer refuses are truth of another kind (dirty feeds only); clean feeds have none.
  const expected = new Set(truth.filter((x) => judged(x.rule)).map((x) => `${x.rule}|${x.subjectId}`));
  const found = new Set(findings.filter((f) => judged(f.ruleId)).map((f) => `${f.ruleId}|${f.subjectId}`));
  const hits = [...found].filter((x) => expected.has(x)).length;
  return {
    rules: BUILTIN_RULES.filter((r) => judged(r.id)).map((r) => r.id),
    truth: expected.size,
    found: found.size,
    precision: round(found.size ? hits / found.size : 1, 4),
    recall: round(expected.size ? hits / expected.size : 1, 4),
  };
}

function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}
