/**
 * Runs rules over one snapshot and turns their rows into findings with fingerprints. Each rule is one SQL statement
 * (set-oriented); between rules the engine yields to the event loop, reports progress and honours cancellation.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import {
  findingFingerprint,
  passOf,
  planRulePasses,
  resolveParameters,
  type RegionalParameter,
  type RuleDefinition,
  type RulePass,
  type SubjectKind,
} from '../../domain/rules/rule-library.js';
import { JsonText } from '../../domain/json-text.js';
import type { ParameterPreset } from '../../domain/rules/parameters.js';
import { isoTime, type Clock } from '../../platform/clock.js';
import type { RuleRow, SnapshotDb } from '../../store/snapshot/snapshot-db.js';
import { BUILTIN_RULES, ruleModule, ruleStatement } from '../../rules/index.js';
import { runOnSnapshotThreads, unitsByPrelude, type SnapshotJob } from '../../store/snapshot-threads/thread-pool.js';

export interface Finding {
  ruleId: string;
  ruleVersion: number;
  /** The rule's family and severity, as the team store files the finding (an own rule: custom, medium). */
  family: string;
  severity: string;
  subjectKind: SubjectKind;
  subjectId: string;
  householdId: string | null;
  divisionCode: string | null;
  amountCents: number | null;
  facts: string | null;
  /**
   * The evidence as the rule's statement wrote it, JSON text (rules.md §E's shape). Kept as text from the statement to
   * the team store and the check report: a district's run makes tens of thousands of findings, and parsing each one's
   * evidence into objects that are only written out again as JSON cost the run about a second of the main thread
   * (most of it garbage collection) at a million persons. Parse it where it is read (explainEvidence, tests).
   */
  evidenceJson: string;
  fingerprint: string;
  /** Rules with money: the payments behind amountCents and what each contributes. */
  payments?: [string, number][];
  /** The parameter values of the pass that produced this finding (a region's own, or the base values). */
  parameters?: Record<string, unknown>;
}

export interface RuleRunInfo {
  id: string;
  version: number;
  parameters: Record<string, unknown>;
  /** Regions that used their own values, and those values. */
  regional?: { region: string; parameters: Record<string, unknown> }[];
  count: number;
  ms: number;
  /** Not run: the feeds it requires that the snapshot was not delivered (rules.md §F: 未运行：缺少 X 数据). */
  missingFeeds?: string[];
  /** Ran, but without these parameters part of it did not (RuleModule.partialWithout). */
  missingParameters?: string[];
  /**
   * Read back from the snapshot: the platform's build ran this statement with exactly these values and stored its rows
   * (store/snapshot/derived-results.ts), so `ms` is the reading, not the rule's work.
   */
  storedAtBuild?: true;
}

export interface CheckRun {
  snapshotId: string;
  asOf: string;
  startedAt: string;
  finishedAt: string;
  scope: string[] | null;
  rules: RuleRunInfo[];
  findings: Finding[];
  cancelled: boolean;
}

export interface CheckOptions {
  /** Stamps the run's start and end. */
  clock: Clock;
  ruleIds?: readonly string[];
  /** Division prefixes; null or absent: the whole snapshot. */
  scope?: readonly string[] | null;
  /** Parameter overrides per rule id for this run (recorded in the run). */
  overrides?: Record<string, Record<string, unknown>>;
  /** The values parameters take where nobody set one: the policy defaults (default), or the v1 preset (rules.md §E). */
  preset?: ParameterPreset;
  /** Values set per region and effective date (each region's own pass; recorded in the run). */
  regional?: readonly RegionalParameter[];
  onProgress?: (p: { ruleId: string; done: number; total: number }) => void;
  isCancelled?: () => boolean;
  /** 1: run on this thread even for a snapshot file (tests comparing both ways). */
  threads?: 1 | 2;
}

/** Each rule's statement and passes, as the threads take them (unitsByPrelude groups the household judgement's). */
function threadUnits(rules: readonly RuleDefinition[], passes: (id: string) => RulePass[]): SnapshotJob[][] {
  return unitsByPrelude(
    rules.map((r) => ({ id: r.id, statement: ruleStatement(ruleModule(r.id)!), passes: passes(r.id).map((p) => ({ parameters: p.parameters, scope: p.scope })) })),
  );
}

export async function runChecks(snapshot: SnapshotDb, o: CheckOptions): Promise<CheckRun> {
  const rules = o.ruleIds ? BUILTIN_RULES.filter((r) => o.ruleIds!.includes(r.id)) : BUILTIN_RULES;
  const unknown = (o.ruleIds ?? []).filter((id) => !BUILTIN_RULES.some((r) => r.id === id));
  if (unknown.length) throw new Error(`unknown rule(s): ${unknown.join(', ')}`);
  // A rule whose required feeds were not delivered does not run (§F): it is recorded as not run, and its open findings
  // stay as they are (recordRun resolves only what ran).
  const delivered = snapshot.deliveredFeeds();
  const missingOf = (id: string) => (ruleModule(id)?.requires ?? []).filter((table) => !(table in delivered));
  const runnable = rules.filter((r) => missingOf(r.id).length === 0);
  const run = await (snapshot.location && o.threads !== 1 ? runOnWorkers(snapshot, runnable, o) : runInline(snapshot, runnable, o));
  for (const r of rules.filter((x) => missingOf(x.id).length > 0)) run.rules.push({ id: r.id, version: r.version, parameters: {}, count: 0, ms: 0, missingFeeds: missingOf(r.id) });
  for (const info of run.rules) {
    const missing = (ruleModule(info.id)?.partialWithout ?? []).filter((name) => !info.missingFeeds && (info.parameters[name] === null || info.parameters[name] === undefined));
    if (missing.length) info.missingParameters = missing;
  }
  return run;
}

function newRun(snapshot: SnapshotDb, o: CheckOptions): CheckRun {
  const meta = snapshot.meta();
  return {
    snapshotId: meta.snapshotId,
    asOf: meta.asOf,
    startedAt: isoTime(o.clock),
    finishedAt: '',
    scope: o.scope ? [...o.scope] : null,
    rules: [],
    findings: [],
    cancelled: false,
  };
}

/** The passes of each rule for this run (one, unless regions set their own values). */
function passesOf(rule: RuleDefinition, o: CheckOptions, asOf: string): RulePass[] {
  return planRulePasses(rule, resolveParameters(rule, o.overrides?.[rule.id], o.preset), o.regional ?? [], asOf, o.scope ?? null);
}

/** Keeps each pass's rows for the divisions that pass governs, then records them. */
function addPassResults(run: CheckRun, rule: RuleDefinition, passes: RulePass[], rowsPerPass: RuleRow[][], ms: number): void {
  const rows = passes.flatMap((pass, i) => rowsPerPass[i]!.filter((r) => passOf(passes, r.division_code) === pass));
  const regional = passes.filter((p) => p.region).map((p) => ({ region: p.region!, parameters: p.parameters }));
  addFindings(run, rule, rows, passes[0]!.parameters, ms, regional.length ? regional : undefined, (r) => passOf(passes, r.division_code)?.parameters);
}

function addFindings(
  run: CheckRun,
  rule: RuleDefinition,
  rows: RuleRow[],
  parameters: Record<string, unknown>,
  ms: number,
  regional?: RuleRunInfo['regional'],
  parametersOf: (r: RuleRow) => Record<string, unknown> | undefined = () => parameters,
): void {
  for (const r of rows) {
    run.findings.push({
      ruleId: rule.id,
      ruleVersion: rule.version,
      family: rule.family,
      severity: rule.severity,
      subjectKind: rule.subjectKind,
      subjectId: r.subject_id,
      householdId: r.household_id,
      divisionCode: r.division_code,
      amountCents: r.amount_cents,
      facts: r.facts,
      evidenceJson: r.evidence,
      ...(r.payments ? { payments: JSON.parse(r.payments) as [string, number][] } : {}),
      fingerprint: findingFingerprint(rule.id, rule.subjectKind, r.subject_id, r.facts),
      parameters: parametersOf(r) ?? parameters,
    });
  }
  run.rules.push({ id: rule.id, version: rule.version, parameters, ...(regional ? { regional } : {}), count: rows.length, ms });
}

/**
 * The rules on the two snapshot threads — except those whose every pass the snapshot already holds rows for (derived
 * when it was built, derived-results.ts): reading them back takes milliseconds, so they are read here while the
 * threads run, and no thread is started when nothing is left to run live.
 */
async function runOnWorkers(snapshot: SnapshotDb, rules: readonly RuleDefinition[], o: CheckOptions): Promise<CheckRun> {
  const run = newRun(snapshot, o);
  const plans = new Map(rules.map((r) => [r.id, passesOf(r, o, run.asOf)]));
  const stored = rules.filter((r) => plans.get(r.id)!.every((p) => snapshot.hasStoredResults(ruleModule(r.id)!, p.parameters)));
  const live = rules.filter((r) => !stored.includes(r));
  let done = 0;
  const threads = live.length
    ? runOnSnapshotThreads(snapshot.location!, threadUnits(live, (id) => plans.get(id)!), {
        onStarted: (ruleId) => o.onProgress?.({ ruleId, done, total: rules.length }),
        onResult: () => done++,
        isCancelled: o.isCancelled,
      })
    : Promise.resolve({ results: new Map<string, { rows: unknown[][]; ms: number }>(), cancelled: false });
  const read = new Map<string, { rows: RuleRow[][]; ms: number }>();
  snapshot.startRun();
  for (const rule of stored) {
    if (o.isCancelled?.()) break;
    const started = performance.now();
    read.set(rule.id, { rows: plans.get(rule.id)!.map((pass) => snapshot.runRule(ruleModule(rule.id)!, pass.parameters, pass.scope)), ms: Math.round(performance.now() - started) });
    done++;
    await yieldToEventLoop();
  }
  const { results, cancelled } = await threads;
  run.cancelled = cancelled || read.size < stored.length;
  // Findings in library order, whatever order the threads finished in.
  for (const rule of rules) {
    const result = read.get(rule.id) ?? results.get(rule.id);
    if (result) addPassResults(run, rule, plans.get(rule.id)!, result.rows as RuleRow[][], result.ms);
  }
  markStored(run, read.keys());
  o.onProgress?.({ ruleId: '', done: run.rules.length, total: rules.length });
  run.finishedAt = isoTime(o.clock);
  return run;
}

async function runInline(snapshot: SnapshotDb, rules: readonly RuleDefinition[], o: CheckOptions): Promise<CheckRun> {
  snapshot.startRun();
  const run = newRun(snapshot, o);
  for (const [i, rule] of rules.entries()) {
    if (o.isCancelled?.()) {
      run.cancelled = true;
      break;
    }
    o.onProgress?.({ ruleId: rule.id, done: i, total: rules.length });
    const passes = passesOf(rule, o, run.asOf);
    const started = performance.now();
    const module = ruleModule(rule.id)!;
    const stored = passes.every((pass) => snapshot.hasStoredResults(module, pass.parameters));
    const rowsPerPass = passes.map((pass) => snapshot.runRule(module, pass.parameters, pass.scope));
    addPassResults(run, rule, passes, rowsPerPass, Math.round(performance.now() - started));
    if (stored) markStored(run, [rule.id]);
    await yieldToEventLoop();
  }
  o.onProgress?.({ ruleId: '', done: run.rules.length, total: rules.length });
  run.finishedAt = isoTime(o.clock);
  return run;
}

function markStored(run: CheckRun, ids: Iterable<string>): void {
  const stored = new Set(ids);
  for (const info of run.rules) if (stored.has(info.id)) info.storedAtBuild = true;
}

/** The JSON written by `npm run cli -- check` (its shape is documented in the README). */
export function checkReport(snapshot: SnapshotDb, run: CheckRun) {
  return {
    format: 'audit-workstation/check-report@1',
    snapshot: snapshot.meta(),
    run: { startedAt: run.startedAt, finishedAt: run.finishedAt, scope: run.scope, rules: run.rules },
    findings: run.findings.map((f) => ({
      rule: f.ruleId,
      ruleVersion: f.ruleVersion,
      subjectKind: f.subjectKind,
      subject: f.subjectId,
      household: f.householdId,
      division: f.divisionCode,
      amountCents: f.amountCents,
      fingerprint: f.fingerprint,
      evidence: new JsonText(f.evidenceJson),
    })),
  };
}
