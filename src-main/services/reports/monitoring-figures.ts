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
import { beijingMidnight, DEADLINE_TIME_ZONE, ENROL_PROGRAMS, REFERRAL_DEPARTMENTS, type WarningLevel } from '../../domain/monitoring/warning-loop.js';
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

export function monitoringFigures(team: TeamDb, scope: readonly string[], period: string, now: number): MonitoringFigures {
  const bounds = periodBounds(period);
  const last = team.warnings.lastRun(scope);
  const population = last?.population as MonitoringFigures['population'] | undefined;
  // The month's instants are its Beijing midnights: a warning pushed at 23:30 UTC on the 31st is in the next month.
  const c = team.warnings.monthCounts(scope, {
    now: new Date(now).toISOString(),
    today: localDate(now, DEADLINE_TIME_ZONE),
    fromDate: bounds.from,
    toDate: bounds.to,
    fromAt: beijingMidnight(bounds.from),
    toAt: beijingMidnight(bounds.to),
  });

  const open = zero();
  for (const x of c.open) open[x.level] = x.count;
  const pushedByLevel = zero();
  for (const x of c.pushed) pushedByLevel[x.level] = x.count;
  const bySignal = new Map(SIGNAL_MODULES.map((m) => [m.definition.id, { signal: m.definition.id, total: 0, ...zero() }]));
  for (const x of c.pushedBySignal) {
    const e = bySignal.get(x.signal) ?? { signal: x.signal, total: 0, ...zero() };
    e.total += x.count;
    e[x.level] += x.count;
    bySignal.set(x.signal, e);
  }
  const outcomes = { enrolled: Object.fromEntries(ENROL_PROGRAMS.map((p) => [p, 0])) as Record<string, number>, linshi: 0, referred: 0, not_eligible: 0, no_need: 0, total: 0 };
  for (const x of c.outcomes) {
    outcomes.total += x.count;
    if (x.outcome === 'enrolled') outcomes.enrolled[x.program ?? 'dibao'] = (outcomes.enrolled[x.program ?? 'dibao'] ?? 0) + x.count;
    else outcomes[x.outcome as Exclude<keyof typeof outcomes, 'enrolled' | 'total'>] += x.count;
  }
  const referrals = new Map<string, number>(REFERRAL_DEPARTMENTS.map((d) => [d, 0]));
  for (const x of c.referrals) referrals.set(x.department, (referrals.get(x.department) ?? 0) + x.count);

  return {
    period,
    run: last ? { runId: last.runId, asOf: last.asOf, finishedAt: last.finishedAt, scope: last.scope } : null,
    population: population ? { households: population.households, byLayer: population.byLayer ?? {}, personsByLayer: population.personsByLayer ?? {} } : null,
    open,
    pushed: { total: c.pushed.reduce((n, x) => n + x.count, 0), byLevel: pushedByLevel, bySignal: [...bySignal.values()].filter((s) => s.total > 0) },
    visits: c.visits,
    outcomes,
    referrals: [...referrals].filter(([, n]) => n > 0).map(([department, count]) => ({ department, count })),
    overdue: [...c.overdue].sort((a, b) => b.visit + b.decide - (a.visit + a.decide) || (a.street < b.street ? -1 : 1)),
    overdueTotal: { visit: c.overdue.reduce((n, x) => n + x.visit, 0), decide: c.overdue.reduce((n, x) => n + x.decide, 0) },
  };
}
