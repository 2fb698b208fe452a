/**
 * Monitoring warnings in the team store (monitoring.md): recording a monitoring run (each household's open warning
 * collects its hits: new / persisting / resolved, one transaction), the loop's append-only events and the warning row
 * that is their fold, and the list's queries. Business rules (which command is allowed, the deadlines' days) come from
 * the caller: the store records and reads.
 */
import { createHash } from 'node:crypto';
import { localDate } from '../../domain/local-time.js';
import { DEADLINE_TIME_ZONE, foldWarning, HELP_OUTCOMES, NEGATIVE_OUTCOMES, type AuditView, type Deadlines, type WarningEvent, type WarningEventBody, type WarningLevel, type WarningView } from '../../domain/monitoring/warning-loop.js';
import type { Db } from '../sqlcipher.js';
import { scopeSql } from '../scope-sql.js';

export interface WarningHitInput {
  signal: string;
  eventKey: string;
  level: WarningLevel;
  evidence: Record<string, unknown>;
}

export interface WarningInput {
  household: string;
  division: string;
  head: string | null;
  level: WarningLevel;
  signals: string[];
  monitored: boolean;
  layers: string[];
  hits: WarningHitInput[];
  fingerprint: string;
}

export interface MonitorRunInput {
  runBy: string;
  snapshotId: string;
  asOf: string;
  scope: string[] | null;
  signals: ({ id: string; missingFeeds?: string[] } & Record<string, unknown>)[];
  population: Record<string, unknown>;
  startedAt: string;
  finishedAt: string;
}

export interface MonitorRunSummary {
  runId: number;
  snapshotId: string;
  asOf: string;
  finishedAt: string;
  /** The division prefixes the run covered (null: the whole snapshot). */
  scope: string[] | null;
  newCount: number;
  persistingCount: number;
  resolvedCount: number;
  signals: MonitorRunInput['signals'];
  population: Record<string, unknown>;
}

/** What the store needs from its caller to fold a warning: the deadlines of a fold, the signals' order in lists. */
export interface FoldHooks {
  deadlines(view: WarningView, divisionCode: string): Deadlines | null;
  /** Signals' order in lists (the library's). */
  signalOrder: readonly string[];
}

/** And to record: new events (ids, time, signature). */
export interface LoopHooks extends FoldHooks {
  event(warningId: string, body: WarningEventBody): WarningEvent;
}

export interface WarningRow {
  warningId: string;
  householdId: string;
  headPersonId: string | null;
  divisionCode: string;
  signals: string[];
  firing: string[];
  fingerprint: string;
  monitored: boolean;
  layers: string[];
  change: 'new' | 'persisting' | 'resolved';
  asOf: string;
  state: WarningView['state'];
  level: WarningLevel;
  pushedAt: string | null;
  assigneeId: string | null;
  assigneeName: string | null;
  visitedBy: string | null;
  outcome: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  closedAt: string | null;
  flags: string[];
  visitDue: string | null;
  decideDue: string | null;
  visitOverdueAt: string | null;
  decideOverdueAt: string | null;
  view: WarningView;
}

export interface WarningHitRow {
  hitKey: string;
  signal: string;
  eventKey: string;
  level: WarningLevel;
  evidence: Record<string, unknown>;
  firing: boolean;
}

/** The list's filters; `overdue` and deadlines compare with `now` (the caller's clock). */
export interface WarningFilter {
  level?: WarningLevel[];
  signal?: string;
  state?: WarningView['state'][];
  divisionPrefix?: string;
  overdue?: 'visit' | 'decide' | 'any' | 'none';
  /** An account id, or 'none'. */
  assignee?: string;
  warningIds?: string[];
  /** The warnings of these households (the pre-check shows an applicant household's). */
  householdIds?: string[];
  /** An audit view's warnings by their columns (AUDIT_SQL: exact for overdue and no_visit, candidates for the others). */
  audit?: { view: AuditView; decidedBefore: string; pushedBefore: string };
}

interface Raw {
  warning_id: string;
  household_id: string;
  head_person_id: string | null;
  division_code: string;
  signals: string;
  firing: string;
  fingerprint: string;
  monitored: number;
  layers: string;
  change: WarningRow['change'];
  as_of: string;
  state: WarningRow['state'];
  level: WarningLevel;
  pushed_at: string | null;
  assignee_id: string | null;
  assignee_name: string | null;
  visited_by: string | null;
  outcome: string | null;
  decided_by: string | null;
  decided_at: string | null;
  closed_at: string | null;
  flags: string;
  visit_due: string | null;
  decide_due: string | null;
  visit_overdue_at: string | null;
  decide_overdue_at: string | null;
  view: string;
}

const toRow = (r: Raw): WarningRow => ({
  warningId: r.warning_id,
  householdId: r.household_id,
  headPersonId: r.head_person_id,
  divisionCode: r.division_code,
  signals: JSON.parse(r.signals) as string[],
  firing: JSON.parse(r.firing) as string[],
  fingerprint: r.fingerprint,
  monitored: r.monitored === 1,
  layers: JSON.parse(r.layers) as string[],
  change: r.change,
  asOf: r.as_of,
  state: r.state,
  level: r.level,
  pushedAt: r.pushed_at,
  assigneeId: r.assignee_id,
  assigneeName: r.assignee_name,
  visitedBy: r.visited_by,
  outcome: r.outcome,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
  closedAt: r.closed_at,
  flags: JSON.parse(r.flags) as string[],
  visitDue: r.visit_due,
  decideDue: r.decide_due,
  visitOverdueAt: r.visit_overdue_at,
  decideOverdueAt: r.decide_overdue_at,
  view: JSON.parse(r.view) as WarningView,
});

/**
 * "Overdue" in SQL: the same rule as domain overdueAt (to visit before visited, to decide before decided). A warning past
 * both deadlines is overdue to visit (as overdueAt and the facets say): the filter `decide` lists those past the decision
 * only, so that a facet's count is what picking it lists.
 */
const OVERDUE_VISIT = `(w.state IN ('pushed', 'assigned') AND w.visit_overdue_at <= @now)`;
const OVERDUE_DECIDE = `(w.state IN ('pushed', 'assigned', 'visited') AND w.decide_overdue_at <= @now)`;
const sqlList = (values: Iterable<string>) => [...values].map((v) => `'${v}'`).join(', ');

/**
 * The warnings each audit view looks at, in SQL over the row's columns (monitoring.md "Audit views"). `overdue` and
 * `no_visit` are exactly the view; the others are its candidates, which the caller holds against the region's
 * parameters (`decided_alone`: four-eyes levels on the decision's date) or the snapshot's enrollments. Bound: `@now`,
 * `@decidedBefore` (enrolled_no_evidence: decided at least 60 days ago), `@pushedBefore` (red_left_alone: 30 days).
 */
const AUDIT_SQL: Record<AuditView, string> = {
  overdue: `(${OVERDUE_VISIT} OR ${OVERDUE_DECIDE})`,
  no_visit: `w.outcome IN (${sqlList(NEGATIVE_OUTCOMES)}) AND w.visited_by IS NULL`,
  decided_alone: `w.outcome IS NOT NULL AND w.visited_by = w.decided_by`,
  enrolled_no_evidence: `w.outcome = 'enrolled' AND w.pushed_at IS NOT NULL AND w.decided_at <= @decidedBefore`,
  delayed_decision: `w.outcome = 'not_eligible'`,
  red_left_alone: `w.level = 'red' AND w.pushed_at <= @pushedBefore AND (w.outcome IS NULL OR w.outcome NOT IN (${sqlList(HELP_OUTCOMES)}))`,
};

/** A warning an audit view looks at, with what the view holds against the region's parameters and the enrollments. */
export interface AuditCandidate {
  warningId: string;
  householdId: string;
  divisionCode: string;
  level: WarningLevel;
  /** The Beijing dates of the push and of the decision. */
  pushedDate: string | null;
  decidedDate: string | null;
  program: string | null;
}

/** The month's figures as the store counts them (services/reports/monitoring-figures.ts shapes them). */
export interface WarningMonthCounts {
  open: { level: WarningLevel; count: number }[];
  pushed: { level: WarningLevel; count: number }[];
  pushedBySignal: { signal: string; level: WarningLevel; count: number }[];
  visits: { due: number; onTime: number; late: number; decidedWithoutVisit: number; notVisited: number };
  outcomes: { outcome: string; program: string | null; count: number }[];
  referrals: { department: string; count: number }[];
  overdue: { street: string; visit: number; decide: number }[];
}

export class WarningStore {
  constructor(private readonly db: Db) {}

  /**
   * Records a monitoring run over `run.scope`: each warning's hits go to its household's open warning (opened and
   * pushed if there is none, unless every hit was closed on a warning after `rewarnAfter` — an instant, or one per
   * division: the region's rewarnMonths before now); the level rises with them.
   * Open warnings in scope whose household no longer fires have every hit of the signals that ran marked 已消除 and
   * stay in the loop. All or nothing.
   */
  recordRun(run: MonitorRunInput, warnings: readonly WarningInput[], hooks: LoopHooks, rewarnAfter: string | ((divisionCode: string) => string)): MonitorRunSummary {
    return this.db.transaction(() => {
      const runId = Number(
        this.db
          .prepare(
            `INSERT INTO monitor_run (run_by, snapshot_id, as_of, scope, signals, population, started_at, finished_at, new_count, persisting_count, resolved_count)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0)`,
          )
          .run(run.runBy, run.snapshotId, run.asOf, run.scope ? JSON.stringify(run.scope) : null, JSON.stringify(run.signals), JSON.stringify(run.population), run.startedAt, run.finishedAt)
          .lastInsertRowid,
      );
      const ran = new Set(run.signals.filter((s) => !s.missingFeeds?.length).map((s) => s.id));
      const openOf = this.db.prepare(`SELECT * FROM warning WHERE household_id = ? AND state <> 'fed_back'`);
      const recentlyClosed = this.db.prepare(
        `SELECT 1 FROM warning_hit h JOIN warning w USING (warning_id) WHERE w.household_id = ? AND h.hit_key = ? AND w.state = 'fed_back' AND w.closed_at > ? LIMIT 1`,
      );
      const lastClosed = this.db.prepare(`SELECT warning_id FROM warning WHERE household_id = ? AND state = 'fed_back' ORDER BY closed_at DESC, warning_id LIMIT 1`).pluck();
      const insertWarning = this.db.prepare(
        `INSERT INTO warning (warning_id, household_id, head_person_id, division_code, signals, firing, fingerprint, monitored, layers, change, first_run_id, last_run_id,
           first_snapshot, last_snapshot, as_of, state, level, view)
         VALUES (@warningId, @household, @head, @division, '[]', '[]', @fingerprint, @monitored, @layers, 'new', @runId, @runId, @snapshotId, @snapshotId, @asOf, 'pushed', @level, '{}')`,
      );
      const updateWarning = this.db.prepare(
        `UPDATE warning SET head_person_id = @head, division_code = @division, fingerprint = @fingerprint, monitored = @monitored, layers = @layers,
           change = @change, last_run_id = @runId, last_snapshot = @snapshotId WHERE warning_id = @warningId`,
      );
      const upsertHit = this.db.prepare(
        `INSERT INTO warning_hit (warning_id, hit_key, signal, event_key, level, evidence, first_run_id, last_run_id, firing)
         VALUES (@warningId, @hitKey, @signal, @eventKey, @level, @evidence, @runId, @runId, 1)
         ON CONFLICT (warning_id, hit_key) DO UPDATE SET level = excluded.level, evidence = excluded.evidence, last_run_id = excluded.last_run_id, firing = 1`,
      );
      const clearHits = this.db.prepare(
        `UPDATE warning_hit SET firing = 0 WHERE warning_id = ? AND last_run_id <> ? AND firing = 1 AND signal IN (SELECT value FROM json_each(?))`,
      );
      const events: WarningEvent[] = [];
      const touched = new Set<string>();
      let created = 0;
      let persisting = 0;
      for (const w of warnings) {
        const open = openOf.get(w.household) as Raw | undefined;
        let warningId: string;
        let hits = w.hits;
        if (open) {
          warningId = open.warning_id;
          const view = JSON.parse(open.view) as WarningView;
          if (rank(w.level) < rank(view.level)) events.push(hooks.event(warningId, { kind: 'level_raised', level: w.level }));
          updateWarning.run({ ...this.params(w, runId, run), warningId, change: 'persisting' });
          persisting++;
        } else {
          // After a closure, an event already worked on re-warns only once `rewarnMonths` have passed.
          const after = typeof rewarnAfter === 'string' ? rewarnAfter : rewarnAfter(w.division);
          hits = w.hits.filter((h) => !recentlyClosed.get(w.household, `${h.signal}|${h.eventKey}`, after));
          if (hits.length === 0) continue;
          const level = hits.reduce<WarningLevel>((l, h) => (rank(h.level) < rank(l) ? h.level : l), 'yellow');
          // The household's last closed warning is part of the id: a re-warning on the same snapshot is a new warning.
          const previous = (lastClosed.get(w.household) as string | undefined) ?? '';
          warningId = warningIdOf(w.fingerprint, hits.length === w.hits.length, hits, w.household, run.asOf, previous);
          if (this.db.prepare('SELECT 1 FROM warning WHERE warning_id = ?').get(warningId)) continue;
          insertWarning.run({ ...this.params(w, runId, run), warningId, level });
          events.push(hooks.event(warningId, { kind: 'pushed', level }));
          created++;
        }
        for (const h of hits) upsertHit.run({ warningId, hitKey: `${h.signal}|${h.eventKey}`, signal: h.signal, eventKey: h.eventKey, level: h.level, evidence: JSON.stringify(h.evidence), runId });
        clearHits.run(warningId, runId, JSON.stringify([...ran]));
        touched.add(warningId);
      }
      // Open warnings in scope that this run did not hit: their hits of the signals that ran stopped firing.
      const scope = scopeSql('division_code', run.scope);
      const quiet = this.db
        .prepare(`SELECT warning_id FROM warning WHERE state <> 'fed_back' AND last_run_id <> ? AND ${scope.sql}`)
        .pluck()
        .all(runId, ...scope.params) as string[];
      let resolved = 0;
      for (const id of quiet) {
        clearHits.run(id, runId, JSON.stringify([...ran]));
        this.db.prepare(`UPDATE warning SET change = 'resolved', last_run_id = ? WHERE warning_id = ?`).run(runId, id);
        touched.add(id);
        resolved++;
      }
      this.insert(events, 'local');
      this.refold(touched, hooks);
      this.db.prepare('UPDATE monitor_run SET new_count = ?, persisting_count = ?, resolved_count = ? WHERE run_id = ?').run(created, persisting, resolved, runId);
      return { runId, snapshotId: run.snapshotId, asOf: run.asOf, finishedAt: run.finishedAt, scope: run.scope, newCount: created, persistingCount: persisting, resolvedCount: resolved, signals: run.signals, population: run.population };
    })();
  }

  private params(w: WarningInput, runId: number, run: MonitorRunInput) {
    return { household: w.household, head: w.head, division: w.division, fingerprint: w.fingerprint, monitored: w.monitored ? 1 : 0, layers: JSON.stringify(w.layers), runId, snapshotId: run.snapshotId, asOf: run.asOf };
  }

  lastRun(scope: readonly string[] | null): MonitorRunSummary | null {
    const r = this.db
      .prepare(
        `SELECT * FROM monitor_run r WHERE ? IS NULL OR (r.scope IS NOT NULL AND NOT EXISTS (
           SELECT 1 FROM json_each(r.scope) s WHERE NOT EXISTS (SELECT 1 FROM json_each(?) u WHERE substr(s.value, 1, length(u.value)) = u.value)))
          ORDER BY run_id DESC LIMIT 1`,
      )
      .get(scope ? 1 : null, JSON.stringify(scope ?? [])) as
      | { run_id: number; snapshot_id: string; as_of: string; finished_at: string; scope: string | null; new_count: number; persisting_count: number; resolved_count: number; signals: string; population: string }
      | undefined;
    if (!r) return null;
    return {
      runId: r.run_id,
      snapshotId: r.snapshot_id,
      asOf: r.as_of,
      finishedAt: r.finished_at,
      scope: r.scope === null ? null : (JSON.parse(r.scope) as string[]),
      newCount: r.new_count,
      persistingCount: r.persisting_count,
      resolvedCount: r.resolved_count,
      signals: JSON.parse(r.signals) as MonitorRunInput['signals'],
      population: JSON.parse(r.population) as Record<string, unknown>,
    };
  }

  private where(scope: readonly string[], f: WarningFilter, omit?: keyof WarningFilter): { sql: string; params: Record<string, unknown> } {
    const s = scopeSql('w.division_code', scope);
    // scopeSql's positional parameters, renamed so that they bind by name beside the filter's.
    let i = 0;
    const params: Record<string, unknown> = {};
    const parts = [s.sql.replace(/\?/g, () => `@s${i++}`)];
    s.params.forEach((p, j) => (params[`s${j}`] = p));
    if (f.level?.length && omit !== 'level') {
      parts.push(`w.level IN (SELECT value FROM json_each(@level))`);
      params.level = JSON.stringify(f.level);
    }
    if (f.state?.length && omit !== 'state') {
      parts.push(`w.state IN (SELECT value FROM json_each(@state))`);
      params.state = JSON.stringify(f.state);
    }
    if (f.signal && omit !== 'signal') {
      parts.push(`EXISTS (SELECT 1 FROM json_each(w.signals) x WHERE x.value = @signal)`);
      params.signal = f.signal;
    }
    if (f.divisionPrefix && omit !== 'divisionPrefix') {
      parts.push(`substr(w.division_code, 1, length(@prefix)) = @prefix`);
      params.prefix = f.divisionPrefix;
    }
    if (f.assignee && omit !== 'assignee') {
      parts.push(f.assignee === 'none' ? 'w.assignee_id IS NULL' : 'w.assignee_id = @assignee');
      if (f.assignee !== 'none') params.assignee = f.assignee;
    }
    if (f.overdue && omit !== 'overdue') {
      parts.push(f.overdue === 'visit' ? OVERDUE_VISIT : f.overdue === 'decide' ? `(${OVERDUE_DECIDE} AND NOT ${OVERDUE_VISIT})` : f.overdue === 'any' ? `(${OVERDUE_VISIT} OR ${OVERDUE_DECIDE})` : `NOT (${OVERDUE_VISIT} OR ${OVERDUE_DECIDE})`);
    }
    if (f.warningIds) {
      parts.push('w.warning_id IN (SELECT value FROM json_each(@ids))');
      params.ids = JSON.stringify(f.warningIds);
    }
    if (f.audit) {
      parts.push(`(${AUDIT_SQL[f.audit.view]})`);
      params.decidedBefore = f.audit.decidedBefore;
      params.pushedBefore = f.audit.pushedBefore;
    }
    if (f.householdIds) {
      parts.push('w.household_id IN (SELECT value FROM json_each(@households))');
      params.households = JSON.stringify(f.householdIds);
    }
    return { sql: parts.join(' AND '), params };
  }

  /** How many warnings in scope match `f`. */
  count(scope: readonly string[], f: WarningFilter, now: string): number {
    const w = this.where(scope, f);
    return (this.db.prepare(`SELECT count(*) AS n FROM warning w WHERE ${w.sql}`).get({ ...w.params, now }) as { n: number }).n;
  }

  /** A page of warnings in scope: red first, then the earliest deadline, then the household. */
  page(scope: readonly string[], f: WarningFilter, now: string, offset: number, limit: number): { rows: WarningRow[]; total: number } {
    const w = this.where(scope, f);
    const params = { ...w.params, now };
    const total = this.count(scope, f, now);
    const rows = this.db
      .prepare(
        `SELECT w.* FROM warning w WHERE ${w.sql}
          ORDER BY w.state = 'fed_back', CASE w.level WHEN 'red' THEN 0 WHEN 'orange' THEN 1 ELSE 2 END,
                   CASE WHEN w.state IN ('pushed', 'assigned') THEN w.visit_overdue_at ELSE w.decide_overdue_at END, w.household_id
          LIMIT @limit OFFSET @offset`,
      )
      .all({ ...params, limit, offset }) as Raw[];
    return { rows: rows.map(toRow), total };
  }

  /** Counts per value of each facet, each with every other filter applied. */
  facets(scope: readonly string[], f: WarningFilter, now: string) {
    const count = (omit: keyof WarningFilter, expr: string) => {
      const w = this.where(scope, f, omit);
      return this.db.prepare(`SELECT ${expr} AS value, count(*) AS count FROM warning w WHERE ${w.sql} GROUP BY 1 ORDER BY 1`).all({ ...w.params, now }) as { value: string; count: number }[];
    };
    const signalW = this.where(scope, f, 'signal');
    const overdueW = this.where(scope, f, 'overdue');
    return {
      level: count('level', 'w.level'),
      state: count('state', 'w.state'),
      street: count('divisionPrefix', 'substr(w.division_code, 1, 9)'),
      assignee: count('assignee', `coalesce(w.assignee_id, 'none')`),
      signal: this.db
        .prepare(`SELECT x.value AS value, count(*) AS count FROM warning w, json_each(w.signals) x WHERE ${signalW.sql} GROUP BY 1 ORDER BY 1`)
        .all({ ...signalW.params, now }) as { value: string; count: number }[],
      overdue: this.db
        .prepare(
          `SELECT CASE WHEN ${OVERDUE_VISIT} THEN 'visit' WHEN ${OVERDUE_DECIDE} THEN 'decide' ELSE 'none' END AS value, count(*) AS count
             FROM warning w WHERE ${overdueW.sql} GROUP BY 1 ORDER BY 1`,
        )
        .all({ ...overdueW.params, now }) as { value: string; count: number }[],
    };
  }

  /** Warnings in scope by id (absent: not in scope or unknown — one answer for both). */
  rows(scope: readonly string[], ids: readonly string[]): Map<string, WarningRow> {
    const w = this.where(scope, { warningIds: [...ids] });
    const rows = this.db.prepare(`SELECT w.* FROM warning w WHERE ${w.sql}`).all({ ...w.params, now: '' }) as Raw[];
    return new Map(rows.map((r) => [r.warning_id, toRow(r)]));
  }

  /** Every warning in scope matching `f` (the audit views filter these further). */
  all(scope: readonly string[], f: WarningFilter, now: string): WarningRow[] {
    const w = this.where(scope, f);
    return (this.db.prepare(`SELECT w.* FROM warning w WHERE ${w.sql} ORDER BY w.warning_id`).all({ ...w.params, now }) as Raw[]).map(toRow);
  }

  /** The warnings in scope an audit view looks at (AUDIT_SQL), by id. */
  auditCandidates(scope: readonly string[], audit: NonNullable<WarningFilter['audit']>, now: string): AuditCandidate[] {
    const w = this.where(scope, { audit });
    const rows = this.db
      .prepare(
        `SELECT w.warning_id, w.household_id, w.division_code, w.level, w.pushed_date, w.decided_date, w.decided_program FROM warning w
          WHERE ${w.sql} ORDER BY w.warning_id`,
      )
      .all({ ...w.params, now }) as { warning_id: string; household_id: string; division_code: string; level: WarningLevel; pushed_date: string | null; decided_date: string | null; decided_program: string | null }[];
    return rows.map((r) => ({ warningId: r.warning_id, householdId: r.household_id, divisionCode: r.division_code, level: r.level, pushedDate: r.pushed_date, decidedDate: r.decided_date, program: r.decided_program }));
  }

  /**
   * A month's figures in scope, counted in SQL: open warnings by level; pushed in the month (`pushed_at` within the
   * month's instants) by level and by signal; visits due in the month (local dates; past `today` or visited already);
   * decisions taken in the month by outcome and programme, and their referral departments; overdue now by street (to
   * visit first: a warning past both deadlines counts once, to visit, as the facets do).
   */
  monthCounts(scope: readonly string[], m: { now: string; today: string; fromDate: string; toDate: string; fromAt: string; toAt: string }): WarningMonthCounts {
    const w = this.where(scope, {});
    const p = { ...w.params, ...m };
    const all = <T>(sql: string) => this.db.prepare(sql).all(p) as T[];
    const pushedIn = `w.pushed_at >= @fromAt AND w.pushed_at < @toAt`;
    const decidedIn = `w.decided_at >= @fromAt AND w.decided_at < @toAt`;
    const visits = this.db
      .prepare(
        `SELECT count(*) AS due,
                coalesce(sum(w.visited_by IS NOT NULL AND w.visit_date <= w.visit_due), 0) AS onTime,
                coalesce(sum(w.visited_by IS NOT NULL AND NOT (w.visit_date <= w.visit_due)), 0) AS late,
                coalesce(sum(w.visited_by IS NULL AND w.outcome IS NOT NULL), 0) AS decidedWithoutVisit,
                coalesce(sum(w.visited_by IS NULL AND w.outcome IS NULL), 0) AS notVisited
           FROM warning w
          WHERE ${w.sql} AND w.visit_due >= @fromDate AND w.visit_due < @toDate AND (w.visit_due < @today OR w.visited_by IS NOT NULL)`,
      )
      .get(p) as WarningMonthCounts['visits'];
    return {
      open: all(`SELECT w.level, count(*) AS count FROM warning w WHERE ${w.sql} AND w.state <> 'fed_back' GROUP BY 1`),
      pushed: all(`SELECT w.level, count(*) AS count FROM warning w WHERE ${w.sql} AND ${pushedIn} GROUP BY 1`),
      pushedBySignal: all(
        `SELECT s.signal, s.level, count(*) AS count
           FROM (SELECT DISTINCT w.warning_id, w.level, x.value AS signal FROM warning w, json_each(w.signals) x WHERE ${w.sql} AND ${pushedIn}) s
          GROUP BY 1, 2 ORDER BY 1, 2`,
      ),
      visits,
      outcomes: all(`SELECT w.outcome, w.decided_program AS program, count(*) AS count FROM warning w WHERE ${w.sql} AND w.outcome IS NOT NULL AND ${decidedIn} GROUP BY 1, 2`),
      referrals: all(
        `SELECT d.value AS department, count(DISTINCT w.warning_id) AS count FROM warning w, json_each(w.decided_departments) d
          WHERE ${w.sql} AND w.outcome IS NOT NULL AND ${decidedIn} GROUP BY 1`,
      ),
      overdue: all(
        `SELECT substr(w.division_code, 1, 9) AS street, sum(${OVERDUE_VISIT}) AS visit, sum(NOT ${OVERDUE_VISIT}) AS decide
           FROM warning w WHERE ${w.sql} AND (${OVERDUE_VISIT} OR ${OVERDUE_DECIDE}) GROUP BY 1`,
      ),
    };
  }

  /** Where each warning is (for the choke point's scope check). */
  divisionsOf(ids: readonly string[]): Map<string, string> {
    const rows = this.db.prepare('SELECT warning_id, division_code FROM warning WHERE warning_id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as { warning_id: string; division_code: string }[];
    return new Map(rows.map((r) => [r.warning_id, r.division_code]));
  }

  hits(warningId: string): WarningHitRow[] {
    return (
      this.db.prepare('SELECT hit_key, signal, event_key, level, evidence, firing FROM warning_hit WHERE warning_id = ? ORDER BY signal, event_key').all(warningId) as {
        hit_key: string;
        signal: string;
        event_key: string;
        level: WarningLevel;
        evidence: string;
        firing: number;
      }[]
    ).map((h) => ({ hitKey: h.hit_key, signal: h.signal, eventKey: h.event_key, level: h.level, evidence: JSON.parse(h.evidence) as Record<string, unknown>, firing: h.firing === 1 }));
  }

  events(warningId: string): WarningEvent[] {
    return (
      this.db.prepare('SELECT * FROM warning_event WHERE warning_id = ? ORDER BY at, event_id').all(warningId) as {
        event_id: string;
        warning_id: string;
        actor_id: string;
        actor_name: string;
        actor_role: string;
        at: string;
        body: string;
        signature: string | null;
      }[]
    ).map((r) => ({
      eventId: r.event_id,
      warningId: r.warning_id,
      actorId: r.actor_id,
      actorName: r.actor_name,
      actorRole: r.actor_role,
      at: r.at,
      body: JSON.parse(r.body) as WarningEventBody,
      ...(r.signature ? { signature: r.signature } : {}),
    }));
  }

  /** Appends events made here (all or none) after checking each warning's head is still the one its author saw. */
  appendLocal(events: readonly WarningEvent[], expectHeads: ReadonlyMap<string, string | null>, hooks: FoldHooks): void {
    this.db.transaction(() => {
      for (const [id, head] of expectHeads) {
        const current = (this.db.prepare('SELECT view FROM warning WHERE warning_id = ?').pluck().get(id) as string | undefined) ?? null;
        if (!current || (JSON.parse(current) as WarningView).head !== head) throw new StaleWarningError(id);
      }
      this.insert(events, 'local');
      this.refold(new Set(events.map((e) => e.warningId)), hooks);
    })();
  }

  /**
   * Local events not yet uploaded, oldest first (the warnings' part of the sync outbox); only signed ones travel.
   */
  unsent(limit = 5000): WarningEvent[] {
    const ids = this.db.prepare(`SELECT event_id, warning_id FROM warning_event WHERE origin = 'local' AND uploaded_at IS NULL AND signature IS NOT NULL ORDER BY received LIMIT ?`).all(limit) as {
      event_id: string;
      warning_id: string;
    }[];
    const byWarning = new Map<string, WarningEvent[]>();
    return ids.map((r) => {
      const events = byWarning.get(r.warning_id) ?? byWarning.set(r.warning_id, this.events(r.warning_id)).get(r.warning_id)!;
      return events.find((e) => e.eventId === r.event_id)!;
    });
  }

  /** The platform lost what it had acknowledged: every signed local event goes up again; returns how many. */
  markUnsentAgain(): number {
    return this.db.prepare(`UPDATE warning_event SET uploaded_at = NULL WHERE origin = 'local' AND uploaded_at IS NOT NULL AND signature IS NOT NULL`).run().changes;
  }

  markUploaded(eventIds: readonly string[], at: string): void {
    this.db.prepare('UPDATE warning_event SET uploaded_at = ? WHERE event_id IN (SELECT value FROM json_each(?))').run(at, JSON.stringify(eventIds));
  }

  /**
   * Merges events made elsewhere (ids already known are ignored; nothing is replaced) and refolds their warnings. An
   * event for a warning no run here has found yet is kept and folded in when a run finds it.
   */
  merge(events: readonly WarningEvent[], hooks: FoldHooks): number {
    return this.db.transaction(() => {
      const known = this.db.prepare('SELECT 1 FROM warning_event WHERE event_id = ?');
      const fresh = events.filter((e) => !known.get(e.eventId));
      this.insert(fresh, 'remote');
      this.refold(new Set(fresh.map((e) => e.warningId)), hooks);
      return fresh.length;
    })();
  }

  /** Recomputes every open warning's deadlines (after a region's deadline parameters changed). */
  refoldAll(hooks: FoldHooks): void {
    this.db.transaction(() => this.refold(new Set(this.db.prepare('SELECT warning_id FROM warning').pluck().all() as string[]), hooks))();
  }

  private insert(events: readonly WarningEvent[], origin: 'local' | 'remote'): void {
    let received = (this.db.prepare('SELECT coalesce(max(received), 0) AS n FROM warning_event').get() as { n: number }).n;
    const stmt = this.db.prepare(
      `INSERT INTO warning_event (event_id, warning_id, actor_id, actor_name, actor_role, at, body, origin, received, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const e of events) stmt.run(e.eventId, e.warningId, e.actorId, e.actorName, e.actorRole, e.at, JSON.stringify(e.body), origin, ++received, e.signature ?? null);
  }

  private refold(ids: ReadonlySet<string>, hooks: FoldHooks): void {
    const order = new Map(hooks.signalOrder.map((s, i) => [s, i]));
    const byOrder = (a: string, b: string) => (order.get(a) ?? 99) - (order.get(b) ?? 99) || (a < b ? -1 : 1);
    const update = this.db.prepare(
      `UPDATE warning SET state = @state, level = @level, pushed_at = @pushedAt, assignee_id = @assigneeId, assignee_name = @assigneeName, visited_by = @visitedBy,
         outcome = @outcome, decided_by = @decidedBy, decided_at = @decidedAt, closed_at = @closedAt, flags = @flags, visit_due = @visitDue, decide_due = @decideDue,
         visit_overdue_at = @visitOverdueAt, decide_overdue_at = @decideOverdueAt, signals = @signals, firing = @firing, view = @view,
         visit_date = @visitDate, decided_program = @decidedProgram, decided_departments = @decidedDepartments,
         pushed_date = @pushedDate, decided_date = @decidedDate
       WHERE warning_id = @id`,
    );
    for (const id of ids) {
      const division = this.db.prepare('SELECT division_code FROM warning WHERE warning_id = ?').pluck().get(id) as string | undefined;
      // An event for a warning this workstation has not found yet waits until a run here finds it.
      if (division === undefined) continue;
      const view = foldWarning(id, this.events(id));
      view.head = (this.db.prepare('SELECT event_id FROM warning_event WHERE warning_id = ? ORDER BY received DESC LIMIT 1').pluck().get(id) as string | undefined) ?? null;
      const d = hooks.deadlines(view, division);
      const hits = this.db.prepare('SELECT signal, firing FROM warning_hit WHERE warning_id = ?').all(id) as { signal: string; firing: number }[];
      update.run({
        id,
        state: view.state,
        level: view.level,
        pushedAt: view.pushedAt,
        assigneeId: view.assigneeId,
        assigneeName: view.assigneeName,
        visitedBy: view.visit?.byId ?? null,
        outcome: view.decision?.outcome ?? null,
        decidedBy: view.decision?.byId ?? null,
        decidedAt: view.decision?.at ?? null,
        visitDate: view.visit?.date ?? null,
        pushedDate: view.pushedAt ? localDate(view.pushedAt, DEADLINE_TIME_ZONE) : null,
        decidedDate: view.decision ? localDate(view.decision.at, DEADLINE_TIME_ZONE) : null,
        decidedProgram: view.decision?.program ?? null,
        decidedDepartments: JSON.stringify(view.decision?.departments ?? []),
        closedAt: view.fedBack?.at ?? null,
        flags: JSON.stringify(view.flags),
        visitDue: d?.visitDue ?? null,
        decideDue: d?.decideDue ?? null,
        visitOverdueAt: d?.visitOverdueAt ?? null,
        decideOverdueAt: d?.decideOverdueAt ?? null,
        signals: JSON.stringify([...new Set(hits.map((h) => h.signal))].sort(byOrder)),
        firing: JSON.stringify([...new Set(hits.filter((h) => h.firing).map((h) => h.signal))].sort(byOrder)),
        view: JSON.stringify(view),
      });
    }
  }
}

const rank = (l: WarningLevel) => (l === 'red' ? 0 : l === 'orange' ? 1 : 2);

/**
 * A warning's id: a digest of the hit set it was opened with, the snapshot's date and the household's last closed
 * warning, so that workstations running the same snapshot with the same history open the same warning (the first push
 * wins), and a re-warning after `rewarnMonths` is a new one even on the same snapshot.
 */
function warningIdOf(fingerprint: string, whole: boolean, hits: readonly WarningHitInput[], household: string, asOf: string, previous: string): string {
  const keys = whole ? fingerprint : JSON.stringify([household, hits.map((h) => `${h.signal}|${h.eventKey}`).sort()]);
  return createHash('sha256').update(`warning|${keys}|${asOf}|${previous}`).digest('hex').slice(0, 32);
}

export class StaleWarningError extends Error {
  constructor(readonly warningId: string) {
    super(`warning ${warningId} changed since it was read`);
  }
}
