/**
 * The monitoring figures of a month (monitoring.md "Monthly figures for the report"), inside a scope: the monitored
 * population of the last monitoring run, warnings pushed in the month by signal and level, visited on time, outcomes
 * and referrals decided in the month, and what is overdue now by street. The monthly report's 动态监测 section and the
 * dashboard's card read the same figures, so the two never disagree.
 *
 * A month is a Beijing calendar month (the deadlines' calendar): a warning pushed at 23:30 UTC on the 31st belongs to
 * the next month. "Overdue" is the store's own rule (the list's filter), compared with the clock.
 */
import { localDate } from '../../domain/local-time.js';
import { DEADLINE_TIME_ZONE, ENROL_PROGRAMS, REFERRAL_DEPARTMENTS, type WarningLevel } from '../../domain/monitoring/warning-loop.js';
import { periodBounds } from '../../domain/reports/report-model.js';
import { SIGNAL_MODULES } from '../../rules/signals/index.js';
import type { TeamDb } from '../../store/team/team-db.js';

type ByLevel = Record<WarningLevel, number>;
const zero = (): ByLevel => ({ red: 0, orange: 0, yellow: 0 });

export interface MonitoringFigures {
  period: string;
  /** The last monitoring run inside the scope (its population is the run's whole scope), or null. */
  run: { runId: number; asOf: string; finishedAt: string; scope: string[] | null } | null;
  population: { households: number; byLayer: Record<string, number>; personsByLayer: Record<string, number> } | null;
  /** Warnings in the loop now (not yet 已反馈), by level. */
  open: ByLevel;
  /** Pushed in the month, by their level now; `bySignal` counts a warning under each of its signals. */
  pushed: { total: number; byLevel: ByLevel; bySignal: ({ signal: string; total: number } & ByLevel)[] };
  /**
   * Warnings whose visit deadline fell in the month and has passed (or which were visited already): visited on or
   * before the due date, visited after it, decided without a visit (纳入/临时救助/转介 may be), and not visited at all.
   */
  visits: { due: number; onTime: number; late: number; decidedWithoutVisit: number; notVisited: number };
  /** Decisions taken in the month by primary outcome (纳入 by programme). */
  outcomes: { enrolled: Record<string, number>; linshi: number; referred: number; not_eligible: number; no_need: number; total: number };
  /** Decisions taken in the month that name each department (with any outcome). */
  referrals: { department: string; count: number }[];
  /** Overdue now, by street: to visit, and (visited or not) to decide. */
  overdue: { street: string; visit: number; decide: number }[];
  overdueTotal: { visit: number; decide: number };
}

const inMonth = (date: string | null | undefined, b: { from: string; to: string }) => !!date && date >= b.from && date < b.to;

export function monitoringFigures(team: TeamDb, scope: readonly string[], period: string, now: number): MonitoringFigures {
  const bounds = periodBounds(period);
  const nowIso = new Date(now).toISOString();
  const today = localDate(now, DEADLINE_TIME_ZONE);
  const beijing = (iso: string | null | undefined) => (iso ? localDate(Date.parse(iso), DEADLINE_TIME_ZONE) : null);
  const rows = team.warnings.all(scope, {}, nowIso);
  const last = team.warnings.lastRun(scope);
  const population = last?.population as MonitoringFigures['population'] | undefined;

  const open = zero();
  const pushedByLevel = zero();
  const bySignal = new Map(SIGNAL_MODULES.map((m) => [m.definition.id, { signal: m.definition.id, total: 0, ...zero() }]));
  const visits = { due: 0, onTime: 0, late: 0, decidedWithoutVisit: 0, notVisited: 0 };
  const outcomes = { enrolled: Object.fromEntries(ENROL_PROGRAMS.map((p) => [p, 0])) as Record<string, number>, linshi: 0, referred: 0, not_eligible: 0, no_need: 0, total: 0 };
  const referrals = new Map<string, number>(REFERRAL_DEPARTMENTS.map((d) => [d, 0]));
  let pushed = 0;
  for (const w of rows) {
    if (w.state !== 'fed_back') open[w.level]++;
    if (inMonth(beijing(w.pushedAt), bounds)) {
      pushed++;
      pushedByLevel[w.level]++;
      for (const s of new Set(w.signals)) {
        const e = bySignal.get(s) ?? { signal: s, total: 0, ...zero() };
        e.total++;
        e[w.level]++;
        bySignal.set(s, e);
      }
    }
    const visit = w.view.visit;
    // Due in the month and either past (the deadline has run out) or already visited: a warning due tomorrow and not
    // yet visited is neither on time nor late.
    if (inMonth(w.visitDue, bounds) && (w.visitDue! < today || visit)) {
      visits.due++;
      if (visit && visit.date <= w.visitDue!) visits.onTime++;
      else if (visit) visits.late++;
      else if (w.view.decision) visits.decidedWithoutVisit++;
      else visits.notVisited++;
    }
    const decision = w.view.decision;
    if (decision && inMonth(beijing(decision.at), bounds)) {
      outcomes.total++;
      if (decision.outcome === 'enrolled') outcomes.enrolled[decision.program ?? 'dibao'] = (outcomes.enrolled[decision.program ?? 'dibao'] ?? 0) + 1;
      else outcomes[decision.outcome]++;
      for (const d of new Set(decision.departments)) referrals.set(d, (referrals.get(d) ?? 0) + 1);
    }
  }

  // Overdue by the list's own rule: to visit first; a warning past both deadlines counts once, to visit (as the facets).
  const overdueVisit = team.warnings.all(scope, { overdue: 'visit' }, nowIso);
  const visitIds = new Set(overdueVisit.map((w) => w.warningId));
  const overdueDecide = team.warnings.all(scope, { overdue: 'decide' }, nowIso).filter((w) => !visitIds.has(w.warningId));
  const streets = new Map<string, { street: string; visit: number; decide: number }>();
  const street = (code: string) => {
    const s = code.slice(0, 9);
    const e = streets.get(s) ?? { street: s, visit: 0, decide: 0 };
    streets.set(s, e);
    return e;
  };
  for (const w of overdueVisit) street(w.divisionCode).visit++;
  for (const w of overdueDecide) street(w.divisionCode).decide++;

  return {
    period,
    run: last ? { runId: last.runId, asOf: last.asOf, finishedAt: last.finishedAt, scope: last.scope } : null,
    population: population ? { households: population.households, byLayer: population.byLayer ?? {}, personsByLayer: population.personsByLayer ?? {} } : null,
    open,
    pushed: { total: pushed, byLevel: pushedByLevel, bySignal: [...bySignal.values()].filter((s) => s.total > 0) },
    visits,
    outcomes,
    referrals: [...referrals].filter(([, n]) => n > 0).map(([department, count]) => ({ department, count })),
    overdue: [...streets.values()].sort((a, b) => b.visit + b.decide - (a.visit + a.decide) || (a.street < b.street ? -1 : 1)),
    overdueTotal: { visit: overdueVisit.length, decide: overdueDecide.length },
  };
}
