/**
 * Dynamic monitoring, first slice (monitoring.md): every signal (rules/signals/) over a snapshot, for every household,
 * grouped into one warning per household — its signals, each signal's level, the warning's level (the highest), the
 * household's head, whether it is monitored and its layers, the evidence of every hit, and a stable fingerprint.
 *
 * Like the rule engine: a signal whose required feeds were not delivered does not run and is reported as not run
 * (rules.md §F); parameters are resolved per region (§P) by running a pass per region that sets its own values, each
 * household belonging to the narrowest region containing its division (planRulePasses / passOf). Persisting warnings
 * and the closed loop are later slices.
 */
import { createHash } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { passOf, planRulePasses, resolveParameters, type RegionalParameter, type RulePass } from '../../domain/rules/rule-library.js';
import { parameterByName, type RegionalValue } from '../../domain/rules/parameters.js';
import { isoTime, type Clock } from '../../platform/clock.js';
import type { SnapshotDb } from '../../store/snapshot/snapshot-db.js';
import { monitoringStatement } from './statements.js';
import { runOnSnapshotThreads, type SnapshotJob } from '../../store/snapshot-threads/thread-pool.js';
import { highestLevel, levelRank, POPULATION, SIGNAL_MODULES, signalWindows, type Layer, type SignalLevel, type SignalModule, type SignalRow } from '../../rules/signals/index.js';

/** One hit: a signal firing in a household for one event (its key identifies it across snapshots). */
export interface SignalHit {
  signal: string;
  eventKey: string;
  level: SignalLevel;
  evidence: Record<string, unknown>;
}

export interface Warning {
  household: string;
  division: string;
  /** The household's head (household.head_person_id). */
  head: string | null;
  /** The signals that fired, in the signals' order (SIGNAL_MODULES). */
  signals: string[];
  level: SignalLevel;
  signalLevels: Record<string, SignalLevel>;
  monitored: boolean;
  layers: Layer[];
  hits: SignalHit[];
  /**
   * Identity across snapshots: sha-256 of the household and its hits' sorted `signal|eventKey` keys (32 hex digits).
   * Two runs on the same data give the same fingerprint; a new event (or one that stopped) gives a new one — the loop
   * (a later slice) attaches hits to a household's open warning by their keys, the fingerprint names this set of them.
   */
  fingerprint: string;
}

export interface SignalRunInfo {
  id: string;
  version: number;
  parameters: Record<string, unknown>;
  /** Where each base value comes from (§P: a run records every value and source it used). */
  sources: Record<string, string>;
  regional?: { region: string; parameters: Record<string, unknown>; sources: Record<string, string> }[];
  /** Hits, and the households they fell in. */
  hits: number;
  households: number;
  ms: number;
  /** Not run: the feeds it requires that the snapshot was not delivered (未运行：缺少 X 数据). */
  missingFeeds?: string[];
}

export interface MonitorRun {
  snapshotId: string;
  asOf: string;
  startedAt: string;
  finishedAt: string;
  scope: string[] | null;
  signals: SignalRunInfo[];
  /**
   * The monitored population in scope: households monitored, households per layer (a household counts in each of its
   * layers), and persons per layer (each monitored person once, in their own household — §M's smallest household_id).
   */
  population: { households: number; byLayer: Record<string, number>; personsByLayer: Record<string, number>; ms: number };
  warnings: Warning[];
}

export interface MonitorOptions {
  clock: Clock;
  /** Division prefixes; null or absent: the whole snapshot. */
  scope?: readonly string[] | null;
  /** Values set per region and effective date, with their sources (regionalForSignals). */
  regional?: readonly (RegionalParameter & { source?: string })[];
  /** Parameter overrides per signal id (or POPULATION.id) for this run. */
  overrides?: Record<string, Record<string, unknown>>;
  /** Only these signals (default: all). */
  signalIds?: readonly string[];
  /** 1: run on this thread even for a snapshot file (tests comparing both ways). */
  threads?: 1 | 2;
  /** After each statement: how many of them are done (the signals' and the population's). */
  onProgress?: (p: { id: string; done: number; total: number }) => void;
  /** Asked between statements (and polled while worker threads run): true stops the run, which returns no warnings. */
  isCancelled?: () => boolean;
}

/** A run stopped by its caller (MonitorOptions.isCancelled). */
export class MonitoringCancelled extends Error {
  constructor() {
    super('the monitoring run was cancelled');
    this.name = 'MonitoringCancelled';
  }
}

/** The hit's key within its household, and the warning's fingerprint. */
export const hitKey = (h: Pick<SignalHit, 'signal' | 'eventKey'>) => `${h.signal}|${h.eventKey}`;
export function warningFingerprint(household: string, hits: readonly Pick<SignalHit, 'signal' | 'eventKey'>[]): string {
  const keys = [...new Set(hits.map(hitKey))].sort();
  return createHash('sha256').update(JSON.stringify(['monitoring', household, keys])).digest('hex').slice(0, 32);
}

/** The team's regional values as the signals (and the population) plan their passes: one row per reader of the parameter. */
export function regionalForSignals(values: readonly RegionalValue[]): (RegionalParameter & { source: string })[] {
  const readers = [...SIGNAL_MODULES.map((m) => m.definition), POPULATION];
  return values.flatMap((v) =>
    readers.flatMap((r) =>
      r.parameters.filter((p) => p.name === v.name).map((p) => ({ ruleId: r.id, name: p.name, divisionPrefix: v.divisionPrefix, effectiveFrom: v.effectiveFrom, value: v.value, source: v.source })),
    ),
  );
}

/**
 * The source of each value a pass used: the region's own (the latest in force there or above it), else the run's own
 * override, else the catalogue's default.
 */
function sourcesOf(id: string, pass: RulePass, o: Pick<MonitorOptions, 'regional' | 'overrides'>, asOf: string): Record<string, string> {
  return Object.fromEntries(
    Object.keys(pass.parameters).map((name) => {
      const own = (o.regional ?? [])
        .filter((r) => r.ruleId === id && r.name === name && r.effectiveFrom <= asOf && pass.region !== null && pass.region.startsWith(r.divisionPrefix))
        .sort((a, b) => b.divisionPrefix.length - a.divisionPrefix.length || (a.effectiveFrom < b.effectiveFrom ? 1 : -1))[0];
      const overridden = o.overrides?.[id]?.[name] !== undefined;
      return [name, own?.source ?? (overridden ? '本次运行指定的值' : (parameterByName(name)?.source ?? ''))];
    }),
  );
}

/** The newest income month delivered (meta.feeds dates a month feed by its first day), or null. */
function incomeFeedMonth(snapshot: SnapshotDb): string | null {
  const newest = snapshot.deliveredFeeds().income_record;
  return newest ? newest.slice(0, 7) : null;
}

function passesFor(def: { id: string; parameters: SignalModule['definition']['parameters'] }, o: Pick<MonitorOptions, 'scope' | 'regional' | 'overrides'>, asOf: string): RulePass[] {
  return planRulePasses(def, resolveParameters(def, o.overrides?.[def.id]), o.regional ?? [], asOf, o.scope ?? null);
}

/** A row of the population's statement (rules/signals/population/sql.ts). */
interface PopulationRow {
  household_id: string;
  division_code: string;
  layer: Layer;
  persons: number;
  own_persons: number;
}

/** One statement to run: a signal's or the population's, with its passes and each pass's bound values. */
interface Job {
  id: string;
  thread: 0 | 1;
  passes: RulePass[];
  binds: Record<string, unknown>[];
}

function jobFor(id: string, thread: 0 | 1, def: { id: string; parameters: SignalModule['definition']['parameters'] }, o: Pick<MonitorOptions, 'scope' | 'regional' | 'overrides'>, asOf: string, feedMonth: string | null): Job {
  const passes = passesFor(def, o, asOf);
  return { id, thread, passes, binds: passes.map((p) => ({ ...p.parameters, ...signalWindows(asOf, p.parameters, feedMonth) })) };
}

/** Each pass's rows, kept for the divisions that pass governs (the narrowest region containing them). */
function keptRows<T extends { division_code: string }>(job: Job, rowsPerPass: unknown[][]): T[] {
  return job.passes.flatMap((pass, i) => (rowsPerPass[i] as T[]).filter((r) => passOf(job.passes, r.division_code) === pass));
}

/** Runs one statement's passes on this thread. */
function runJob(snapshot: SnapshotDb, job: Job): { rows: unknown[][]; ms: number } {
  const started = performance.now();
  const sql = monitoringStatement(job.id);
  const rows = job.passes.map((pass, i) => snapshot.runStatement<unknown>({ sql }, job.binds[i]!, pass.scope));
  return { rows, ms: Math.round(performance.now() - started) };
}

/** Every statement on this thread, yielding to the event loop between them (as the rule engine does between rules). */
async function runInline(snapshot: SnapshotDb, jobs: readonly Job[], o: Pick<MonitorOptions, 'onProgress' | 'isCancelled'>): Promise<Map<string, { rows: unknown[][]; ms: number }>> {
  const results = new Map<string, { rows: unknown[][]; ms: number }>();
  for (const job of jobs) {
    if (o.isCancelled?.()) throw new MonitoringCancelled();
    results.set(job.id, runJob(snapshot, job));
    o.onProgress?.({ id: job.id, done: results.size, total: jobs.length });
    await yieldToEventLoop();
  }
  return results;
}

/**
 * The statements on the two snapshot threads (store/snapshot-threads/), each signal on the thread its module names
 * (balanced by measured cost: the two full scans of income_record apart).
 */
async function runOnWorkers(location: { file: string; key: Buffer }, jobs: readonly Job[], o: Pick<MonitorOptions, 'onProgress' | 'isCancelled'>): Promise<Map<string, { rows: unknown[][]; ms: number }>> {
  const units = ([0, 1] as const).map((thread) =>
    jobs.filter((j) => j.thread === thread).map((j): SnapshotJob => ({ id: j.id, statement: { sql: monitoringStatement(j.id) }, passes: j.passes.map((p, i) => ({ parameters: j.binds[i]!, scope: p.scope })) })),
  );
  let done = 0;
  const { results, cancelled } = await runOnSnapshotThreads(location, units, {
    onResult: (id) => o.onProgress?.({ id, done: ++done, total: jobs.length }),
    isCancelled: o.isCancelled,
  });
  if (cancelled) throw new MonitoringCancelled();
  return results;
}

/** The population's rows as each household's layers, sorted. */
function layersFrom(rows: readonly { household_id: string; layer: Layer }[]): Map<string, Layer[]> {
  const layersOf = new Map<string, Layer[]>();
  for (const r of rows) layersOf.set(r.household_id, [...(layersOf.get(r.household_id) ?? []), r.layer]);
  for (const layers of layersOf.values()) layers.sort();
  return layersOf;
}

export async function evaluateMonitoring(snapshot: SnapshotDb, o: MonitorOptions): Promise<MonitorRun> {
  const meta = snapshot.meta();
  const asOf = meta.asOf;
  const startedAt = isoTime(o.clock);
  const unknown = (o.signalIds ?? []).filter((id) => !SIGNAL_MODULES.some((m) => m.definition.id === id));
  if (unknown.length) throw new Error(`unknown signal(s): ${unknown.join(', ')}`);
  const wanted = SIGNAL_MODULES.filter((m) => !o.signalIds || o.signalIds.includes(m.definition.id));
  const delivered = snapshot.deliveredFeeds();
  const feedMonth = incomeFeedMonth(snapshot);
  // Every statement to run: the signals whose feeds were delivered, and the population (its thread: 1).
  const runnable = wanted.filter((m) => m.definition.requires.every((table) => table in delivered));
  const jobs = [
    ...runnable.map((m) => jobFor(m.definition.id, m.thread, m.definition, o, asOf, feedMonth)),
    jobFor(POPULATION.id, 1, POPULATION, o, asOf, feedMonth),
  ];
  const results = snapshot.location && o.threads !== 1 ? await runOnWorkers(snapshot.location, jobs, o) : await runInline(snapshot, jobs, o);

  const infos: SignalRunInfo[] = [];
  const hitsByHousehold = new Map<string, { division: string; hits: SignalHit[] }>();
  for (const m of wanted) {
    const def = m.definition;
    const missing = def.requires.filter((table) => !(table in delivered));
    if (missing.length) {
      infos.push({ id: def.id, version: def.version, parameters: {}, sources: {}, hits: 0, households: 0, ms: 0, missingFeeds: missing });
      continue;
    }
    const job = jobs.find((j) => j.id === def.id)!;
    const result = results.get(def.id)!;
    const rows = keptRows<SignalRow>(job, result.rows);
    for (const r of rows) {
      const entry = hitsByHousehold.get(r.household_id) ?? { division: r.division_code, hits: [] };
      entry.hits.push({ signal: def.id, eventKey: r.event_key, level: r.level, evidence: JSON.parse(r.evidence) as Record<string, unknown> });
      hitsByHousehold.set(r.household_id, entry);
    }
    const regional = job.passes.filter((p) => p.region).map((p) => ({ region: p.region!, parameters: p.parameters, sources: sourcesOf(def.id, p, o, asOf) }));
    infos.push({
      id: def.id,
      version: def.version,
      parameters: job.passes[0]!.parameters,
      sources: sourcesOf(def.id, job.passes[0]!, o, asOf),
      ...(regional.length ? { regional } : {}),
      hits: rows.length,
      households: new Set(rows.map((r) => r.household_id)).size,
      ms: result.ms,
    });
  }

  // The monitored population, for the whole scope (reports count it; each warning records its household's layers).
  const populationRows = keptRows<PopulationRow>(jobs.at(-1)!, results.get(POPULATION.id)!.rows);
  const layersOf = layersFrom(populationRows);
  const byLayer: Record<string, number> = {};
  for (const layers of layersOf.values()) for (const layer of layers) byLayer[layer] = (byLayer[layer] ?? 0) + 1;
  const personsByLayer: Record<string, number> = {};
  for (const r of populationRows) if (r.own_persons > 0) personsByLayer[r.layer] = (personsByLayer[r.layer] ?? 0) + r.own_persons;
  const populationMs = results.get(POPULATION.id)!.ms;

  const heads = householdHeads(snapshot, [...hitsByHousehold.keys()]);
  const order = new Map(SIGNAL_MODULES.map((m, i) => [m.definition.id, i]));
  const warnings: Warning[] = [...hitsByHousehold].map(([household, { division, hits }]) => {
    hits.sort((a, b) => order.get(a.signal)! - order.get(b.signal)! || (a.eventKey < b.eventKey ? -1 : a.eventKey > b.eventKey ? 1 : 0));
    const signalLevels: Record<string, SignalLevel> = {};
    for (const h of hits) signalLevels[h.signal] = signalLevels[h.signal] ? highestLevel([signalLevels[h.signal]!, h.level]) : h.level;
    const layers = [...(layersOf.get(household) ?? [])].sort();
    return {
      household,
      division,
      head: heads.get(household) ?? null,
      signals: Object.keys(signalLevels),
      level: highestLevel(Object.values(signalLevels)),
      signalLevels,
      monitored: layers.length > 0,
      layers,
      hits,
      fingerprint: warningFingerprint(household, hits),
    };
  });
  warnings.sort((a, b) => levelRank(a.level) - levelRank(b.level) || (a.household < b.household ? -1 : 1));
  return {
    snapshotId: meta.snapshotId,
    asOf,
    startedAt,
    finishedAt: isoTime(o.clock),
    scope: o.scope ? [...o.scope] : null,
    signals: infos,
    population: { households: layersOf.size, byLayer, personsByLayer, ms: populationMs },
    warnings,
  };
}

/** The monitored households in scope, each with its layers sorted (monitoring.md "Who is evaluated"), on this thread. */
export function monitoredHouseholds(snapshot: SnapshotDb, o: Pick<MonitorOptions, 'scope' | 'regional' | 'overrides'>): Map<string, Layer[]> {
  const job = jobFor(POPULATION.id, 1, POPULATION, o, snapshot.meta().asOf, incomeFeedMonth(snapshot));
  return layersFrom(keptRows<PopulationRow>(job, runJob(snapshot, job).rows));
}

/** Each household's head, by one statement over the households hit. */
function householdHeads(snapshot: SnapshotDb, households: readonly string[]): Map<string, string> {
  if (households.length === 0) return new Map();
  const rows = snapshot.runStatement<{ household_id: string; head_person_id: string }>(
    { sql: `SELECT h.household_id, h.head_person_id, h.division_code FROM json_each(@households) j JOIN household h ON h.household_id = j.value` },
    { households: households },
    null,
  );
  return new Map(rows.map((r) => [r.household_id, r.head_person_id]));
}

/** The JSON written by `npm run cli -- monitor` (monitoring.md "Headless"). */
export function monitorReport(snapshot: SnapshotDb, run: MonitorRun) {
  return {
    format: 'audit-workstation/monitor-report@1',
    snapshot: snapshot.meta(),
    run: { startedAt: run.startedAt, finishedAt: run.finishedAt, scope: run.scope, signals: run.signals, population: { households: run.population.households, byLayer: run.population.byLayer, personsByLayer: run.population.personsByLayer } },
    warnings: run.warnings.map((w) => ({
      household: w.household,
      head: w.head,
      division: w.division,
      signals: w.signals,
      level: w.level,
      signalLevels: w.signalLevels,
      monitored: w.monitored,
      layers: w.layers,
      fingerprint: w.fingerprint,
      evidence: Object.fromEntries(w.signals.map((s) => [s, w.hits.filter((h) => h.signal === s).map((h) => ({ eventKey: h.eventKey, level: h.level, ...h.evidence }))])),
    })),
  };
}
