/**
 * One generator profile, end to end, as a platform and an auditor would meet it (issue 16): clean CSV feeds → the
 * platform build (in its own process: rows/s and peak RSS) → the six seed rules on the workstation, timed twice: as
 * `runChecks` inside this process (opening the snapshot and the two rule threads included; process start and writing the
 * report file not) and as a whole `cli check --rules …` process from outside (bench/cli-process.ts: the measure),
 * started both as shipped (the bundled build, `npm run build:cli`) and as in development (`npm run cli`, through tsx)
 * → the whole library → the same six rules on DuckDB over the same CSV files (bench/duckdb-peer.ts),
 * with the findings of both compared subject by subject and amount by amount.
 *
 * DuckDB runs two sets of statements over one load of the feeds: rules.md v2 at the policy defaults (`peer`, the
 * like-for-like comparison: the workstation runs v2 at its defaults) and rules.md v1 (`peerV1`, the first peer), which is
 * compared both with the workstation's default run and with the workstation's six rules at the `v1` preset (rules.md §E).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { FeedWriter } from '../src-main/data-platform/feed-writer.js';
import { generateDistrict, type GeneratorProfile, type TruthRow } from '../src-main/generator/district-generator.js';
import { systemClock } from '../src-main/platform/clock.js';
import { runChecks, type CheckOptions, type Finding } from '../src-main/services/checks/rule-engine.js';
import { SnapshotDb } from '../src-main/store/snapshot/snapshot-db.js';
import { BUILTIN_RULES, ruleModule } from '../src-main/rules/index.js';
import { timeCliCheck } from './cli-process.js';
import { withoutStoredParameterRules } from './stored-results.js';
import { PEER_V1, PEER_V2, runPeer, type PeerFinding, type PeerSetRun } from './duckdb-peer.js';

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

/** One run over a snapshot file, timed from opening it (the rule threads included) to its findings. */
async function timedRun(file: string, key: Uint8Array, o: Omit<CheckOptions, 'clock'>) {
  const started = performance.now();
  const snapshot = SnapshotDb.open(file, key);
  try {
    const run = await runChecks(snapshot, { clock: systemClock, ...o });
    return { run, ms: Math.round(performance.now() - started) };
  } finally {
    snapshot.close();
  }
}

const round = (x: number, digits = 1) => +x.toFixed(digits);

export async function profileRun(profile: GeneratorProfile, persons: number) {
  const dir = mkdtempSync(join(tmpdir(), `aw-bench-${profile}-`));
  // The machine may be shared: absolute times move with the load (ratios were taken in the same run).
  const loadAtStart = loadavg().map((x) => +x.toFixed(2));
  try {
    // Clean feeds: DuckDB's plain read_csv reads them as they are; the importer's repairs of dirty feeds are
    // bench/snapshots.ts's subject.
    const t = performance.now();
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
    let file = join(dir, 'snapshot.db');
    const buildOut = execFileSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'build-child.ts'), feedsDir, file, key.toString('hex'), summary.asOf], { encoding: 'utf8', maxBuffer: 1 << 20 });
    const build = JSON.parse(buildOut.trim().split('\n').at(-1)!) as { seconds: number; rows: number; rowsPerSecond: number; cpuSeconds: number; rowsPerCpuSecond: number; rejected: number; peakRssMiB: number; rulesDerivedSeconds: number };
    const snapshotBytes = statSync(file).size;
    console.log(`[${profile}] build: ${build.rows} rows in ${build.seconds.toFixed(1)} s (${build.rowsPerSecond} rows/s; ${build.rowsPerCpuSecond} per CPU second), peak RSS ${build.peakRssMiB} MiB, snapshot ${mib(snapshotBytes)} MiB`);

    // The workstation live — on a copy without the stored rows of the rules with parameters (bench/stored-results.ts),
    // as a run with any value changed goes: the six rules as `cli check --rules` runs them, then the whole library.
    const built = file;
    file = withoutStoredParameterRules(built, key, join(dir, 'live.db'));
    const { run: six, ms: sixMs } = await timedRun(file, key, { ruleIds: SEED_RULES });
    const { run: full, ms: fullMs } = await timedRun(file, key, {});
    console.log(`[${profile}] workstation: six seed rules ${sixMs} ms, whole library ${fullMs} ms`);

    // The same six rules as the issue counts them: a whole `cli check --rules …` process, started as an operator would
    // (the bundled build), and as `npm run cli` starts it in development (tsx transpiles the sources as they load).
    const cli = timeCliCheck(file, key, SEED_RULES, 2, 'bundled');
    const cliTsx = timeCliCheck(file, key, SEED_RULES, 2, 'tsx');
    console.log(`[${profile}] workstation: six seed rules as a whole cli check process ${cli.ms} ms bundled (runs ${cli.runs.join(', ')} ms; ${cli.cpuSeconds} CPU s), ${cliTsx.ms} ms through tsx (runs ${cliTsx.runs.join(', ')} ms; ${cliTsx.cpuSeconds} CPU s)`);

    // The same six rules at the v1 preset (rules.md §E), to set beside the v1 peer.
    const { run: sixV1, ms: sixV1Ms } = await timedRun(file, key, { ruleIds: SEED_RULES, preset: 'v1' });
    console.log(`[${profile}] workstation at the v1 preset: six seed rules ${sixV1Ms} ms`);

    // As shipped: the built snapshot, whose stored rows a run at the policy defaults reads back.
    const { run: sixStored, ms: sixStoredMs } = await timedRun(built, key, { ruleIds: SEED_RULES });
    const { run: fullStored, ms: fullStoredMs } = await timedRun(built, key, {});
    const cliStored = timeCliCheck(built, key, SEED_RULES);
    const sameFindings = JSON.stringify(fullStored.findings.map((f) => f.fingerprint)) === JSON.stringify(full.findings.map((f) => f.fingerprint));
    console.log(`[${profile}] workstation reading the stored rows: six seed rules ${sixStoredMs} ms (cli process ${cliStored.ms} ms), whole library ${fullStoredMs} ms; same findings as live: ${sameFindings}`);
    if (!sameFindings || sixStored.findings.length !== six.findings.length) throw new Error(`[${profile}] the stored rows differ from the live run`);

    const peer = await runPeer(feedsDir, summary.asOf, summary.jurisdiction, [PEER_V2, PEER_V1]);
    const v2 = peer.sets[PEER_V2.name]!;
    const v1 = peer.sets[PEER_V1.name]!;
    console.log(`[${profile}] DuckDB: load ${peer.loadMs} ms (v2's tables ${v2.loadMs} ms, v1's ${v1.loadMs} ms), six rules v2 ${v2.queriesMs} ms, v1 ${v1.queriesMs} ms`);

    const compared = compareAll(six.findings, v2);
    const comparedV1 = compareAll(six.findings, v1);
    const comparedV1Preset = compareAll(sixV1.findings, v1);
    console.log(`[${profile}] ratio workstation/DuckDB v2 ${(sixMs / v2.queriesMs).toFixed(1)}, mismatches ${compared.mismatches}; v1 peer ${(sixMs / v1.queriesMs).toFixed(1)}, mismatches ${comparedV1.mismatches} (at the v1 preset ${comparedV1Preset.mismatches})`);
    const engine = 'DuckDB 1.5.6 (@duckdb/node-api), in memory, default threads';

    return {
      loadAverage: { atStart: loadAtStart, atEnd: loadavg().map((x) => +x.toFixed(2)), note: 'os.loadavg(): 1, 5 and 15 minutes' },
      persons: summary.persons,
      households: summary.households,
      feeds: { rows: feedRows, rowsPerPerson: round(feedRows / summary.persons), bytes: feedBytes, generateSeconds: round(generateSeconds) },
      build: { ...build, snapshotBytes, snapshotToFeedBytes: round(snapshotBytes / feedBytes, 2) },
      workstation: {
        sixRulesMs: sixMs,
        /** The six rules as a whole `cli check --rules …` process as shipped (the bundled build: module loading, threads, the JSON report), best of two. */
        sixRulesCliProcess: cli,
        /** The same process started through tsx (`npm run cli`, development: the sources transpiled as they load), best of two. */
        sixRulesCliProcessTsx: cliTsx,
        perRule: Object.fromEntries(six.rules.map((r) => [r.id, { ms: r.ms, findings: r.count }])),
        fullLibraryMs: fullMs,
        fullLibraryFindings: full.findings.length,
        fullLibraryPerRule: Object.fromEntries(full.rules.map((r) => [r.id, { ms: r.ms, findings: r.count }])),
        /**
         * The same on the snapshot as built: every rule's rows at the policy defaults stored at build and read back (a
         * run at the defaults; the figures above are live, as any changed value runs). Same findings as live.
         */
        storedAtBuild: { sixRulesMs: sixStoredMs, sixRulesCliProcess: cliStored, fullLibraryMs: fullStoredMs, ratioToPeerQueries: round(sixStoredMs / Math.max(1, v2.queriesMs), 2), ratioCliProcessToPeerQueries: round(cliStored.ms / Math.max(1, v2.queriesMs), 2) },
      },
      truth: precisionRecall(full.findings, truth),
      /** The like-for-like peer: rules.md v2 at the policy defaults, as the workstation runs them (bench/duckdb-peer-v2.ts). */
      peer: {
        engine,
        rules: 'rules.md v2 at the policy defaults (bench/duckdb-peer-v2.ts)',
        /** Loading the CSV files of the tables these statements read (the v1 set's tables are shared). */
        loadMs: v2.loadMs,
        queriesMs: v2.queriesMs,
        perRule: v2.perRule,
        /** Workstation time / DuckDB time for the six seed rules: how many times slower the workstation is. */
        ratio: round(sixMs / Math.max(1, v2.queriesMs)),
        ratioWithLoad: round(sixMs / Math.max(1, v2.queriesMs + v2.loadMs), 2),
        /** The same with the whole `cli check` process as shipped (bundled), the issue's own measure (against DuckDB's queries alone). */
        ratioCliProcess: round(cli.ms / Math.max(1, v2.queriesMs)),
        /** The same with the `cli check` process started through tsx (`npm run cli`). */
        ratioCliProcessTsx: round(cliTsx.ms / Math.max(1, v2.queriesMs)),
        mismatches: compared.mismatches,
        comparison: compared.comparison,
        rows: peer.rows,
        tableLoadMs: peer.tableLoadMs,
      },
      /** The first peer: rules.md v1's naive semantics (less work, other findings), against the workstation's default run. */
      peerV1: {
        engine,
        rules: 'rules.md v1 (bench/duckdb-peer.ts PEER_SQL)',
        loadMs: v1.loadMs,
        queriesMs: v1.queriesMs,
        perRule: v1.perRule,
        ratio: round(sixMs / Math.max(1, v1.queriesMs)),
        ratioWithLoad: round(sixMs / Math.max(1, v1.queriesMs + v1.loadMs), 2),
        mismatches: comparedV1.mismatches,
        comparison: comparedV1.comparison,
        /** Like for like the other way: the workstation's six rules at the `v1` preset (rules.md §E) against the v1 peer. */
        atV1Preset: {
          workstationSixRulesMs: sixV1Ms,
          workstationPerRule: Object.fromEntries(sixV1.rules.map((r) => [r.id, { ms: r.ms, findings: r.count }])),
          ratio: round(sixV1Ms / Math.max(1, v1.queriesMs)),
          ratioWithLoad: round(sixV1Ms / Math.max(1, v1.queriesMs + v1.loadMs), 2),
          mismatches: comparedV1Preset.mismatches,
          comparison: comparedV1Preset.comparison,
        },
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The six rules' findings against a peer's, rule by rule, and the number of differences. */
export function compareAll(findings: readonly Finding[], peer: Pick<PeerSetRun, 'findings'>) {
  const comparison = Object.fromEntries(SEED_RULES.map((rule) => [rule, compare(findings.filter((f) => f.ruleId === rule), peer.findings[rule] ?? [])]));
  const mismatches = Object.values(comparison).reduce((n, c) => n + c.onlyWorkstation + c.onlyPeer + c.amountDiffers, 0);
  return { comparison, mismatches };
}

/** Findings compare on subject and amount at risk (cents; NULL for a rule or finding without money). */
export function compare(workstation: readonly Finding[], peer: readonly PeerFinding[]): RuleComparison {
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
