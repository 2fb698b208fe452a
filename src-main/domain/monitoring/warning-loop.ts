/**
 * The closed loop of a monitoring warning (monitoring.md "The closed loop"): pushed → assigned → visited → decided →
 * fed_back. Pure: no storage, no clock — like the case workflow (domain/cases/case-workflow.ts), a warning is the list
 * of its events and its view is their fold in one order (time, then event id), so workstations that worked the same
 * warning apart merge by the union of their events.
 *
 * The fold is tolerant of events made elsewhere: a decision that this workstation would have refused (不符合 without a
 * visit) is applied and flagged, never hidden, because the audit views exist to find exactly those. Commands made here
 * are checked strictly (`command`), so such an event is never made on this workstation.
 */
import { addDays } from '../calendar.js';
import type { CaseEvent } from '../cases/case-workflow.js';
import { localDate } from '../local-time.js';

export const WARNING_LEVELS = ['red', 'orange', 'yellow'] as const;
export type WarningLevel = (typeof WARNING_LEVELS)[number];
export const WARNING_STATES = ['pushed', 'assigned', 'visited', 'decided', 'fed_back'] as const;
export type WarningState = (typeof WARNING_STATES)[number];
export const PRIMARY_OUTCOMES = ['enrolled', 'linshi', 'referred', 'not_eligible', 'no_need'] as const;
export type PrimaryOutcome = (typeof PRIMARY_OUTCOMES)[number];
export const ENROL_PROGRAMS = ['dibao', 'tekun', 'dibao_edge', 'rigid_expense'] as const;
export const NOT_ELIGIBLE_REASONS = ['income', 'assets', 'not_resident', 'already_covered', 'other'] as const;
export const NO_NEED_REASONS = ['recovered', 'family_support', 'other'] as const;
/** 医保, 教育, 人社, 残联, 住建, 应急, 工会, 其他. */
export const REFERRAL_DEPARTMENTS = ['medical_insurance', 'education', 'human_resources', 'disabled_persons', 'housing', 'emergency', 'trade_union', 'other'] as const;
export type ReferralDepartment = (typeof REFERRAL_DEPARTMENTS)[number];

/** Outcomes that may be decided straight from `assigned` (help given without waiting for the visit's record). */
const WITHOUT_VISIT: ReadonlySet<PrimaryOutcome> = new Set(['enrolled', 'linshi', 'referred']);
/** Outcomes that say "no help": never without a recorded visit. */
export const NEGATIVE_OUTCOMES: ReadonlySet<PrimaryOutcome> = new Set(['not_eligible', 'no_need']);
/** The outcomes that help the household (the red_left_alone view's "not left alone"). */
export const HELP_OUTCOMES: ReadonlySet<PrimaryOutcome> = new Set(['enrolled', 'linshi', 'referred']);

/** The supervisors' audit views of the loop (monitoring.md "What auditors and supervisors need from it"). */
export const AUDIT_VIEWS = ['overdue', 'no_visit', 'decided_alone', 'enrolled_no_evidence', 'delayed_decision', 'red_left_alone'] as const;
export type AuditView = (typeof AUDIT_VIEWS)[number];

export const levelRank = (l: WarningLevel) => WARNING_LEVELS.indexOf(l);
const higher = (a: WarningLevel, b: WarningLevel) => (levelRank(a) <= levelRank(b) ? a : b);

export interface Visit {
  /** The visit's local date (YYYY-MM-DD). */
  date: string;
  /** Who went (names as written by the recorder). */
  visitors: string;
  situation: string;
  income: string;
  needs: string;
}

export interface Decision {
  outcome: PrimaryOutcome;
  /** enrolled: which programme. */
  program?: (typeof ENROL_PROGRAMS)[number];
  /** not_eligible / no_need: why. */
  reason?: string;
  /** Referral departments (required for `referred`, allowed with any outcome). */
  departments: ReferralDepartment[];
  note?: string;
}

export type WarningEventBody =
  | { kind: 'pushed'; level: WarningLevel }
  | { kind: 'level_raised'; level: WarningLevel }
  | { kind: 'assigned'; assigneeId: string; assigneeName: string }
  | { kind: 'visited'; visit: Visit }
  | { kind: 'decided'; decision: Decision }
  | { kind: 'fed_back'; to: string; note?: string };

export interface WarningEvent {
  eventId: string;
  warningId: string;
  actorId: string;
  actorName: string;
  actorRole: string;
  at: string;
  body: WarningEventBody;
  signature?: string;
}

/**
 * Warning events travel in the team's case feed as case events whose body names them ({ kind: 'warning' }), keyed by
 * the warning's id: the platform checks and stores them like any case event (signed by their author over
 * caseEventMessage of this form), and every workstation hands them back to its warnings. One feed, one signature scheme,
 * one jurisdiction rule; the body's kind keeps a warning's event from ever being read as a case's.
 */
export function toCarrier(e: WarningEvent): CaseEvent {
  return {
    eventId: e.eventId,
    fingerprint: e.warningId,
    actorId: e.actorId,
    actorName: e.actorName,
    actorRole: e.actorRole,
    at: e.at,
    parent: null,
    body: { kind: 'warning', event: e.body },
    ...(e.signature ? { signature: e.signature } : {}),
  };
}

/** A warning's event back from its carrier, or null for an event of a case. */
export function fromCarrier(c: CaseEvent): WarningEvent | null {
  if (c.body.kind !== 'warning') return null;
  return {
    eventId: c.eventId,
    warningId: c.fingerprint,
    actorId: c.actorId,
    actorName: c.actorName,
    actorRole: c.actorRole,
    at: c.at,
    body: c.body.event,
    ...(c.signature ? { signature: c.signature } : {}),
  };
}

export type WarningFlag = 'no_visit' | 'out_of_order';

export interface WarningView {
  warningId: string;
  state: WarningState;
  level: WarningLevel;
  /** The first push anywhere (the first writer wins): what deadlines count from. */
  pushedAt: string | null;
  /** The level it was pushed at (the first deadlines are that level's). */
  pushedLevel: WarningLevel;
  /** Each time the level went up after the push: the new level's deadlines run from then. */
  raises: { level: WarningLevel; at: string }[];
  assigneeId: string | null;
  assigneeName: string | null;
  visit: (Visit & { byId: string; byName: string; at: string }) | null;
  decision: (Decision & { byId: string; byName: string; at: string }) | null;
  fedBack: { to: string; note: string | null; byId: string; byName: string; at: string } | null;
  /** What the fold applied although a command here would have refused it (events merged from elsewhere). */
  flags: WarningFlag[];
  /** The last event to arrive (the store sets it): what a command names to prove it saw the current warning. */
  head: string | null;
  events: number;
  updatedAt: string | null;
}

export function emptyWarning(warningId: string): WarningView {
  return { warningId, state: 'pushed', level: 'yellow', pushedAt: null, pushedLevel: 'yellow', raises: [], assigneeId: null, assigneeName: null, visit: null, decision: null, fedBack: null, flags: [], head: null, events: 0, updatedAt: null };
}

export function sortWarningEvents(events: readonly WarningEvent[]): WarningEvent[] {
  return [...events].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
}

export function foldWarning(warningId: string, events: readonly WarningEvent[]): WarningView {
  const v = emptyWarning(warningId);
  const flag = (f: WarningFlag) => {
    if (!v.flags.includes(f)) v.flags.push(f);
  };
  for (const e of sortWarningEvents(events)) {
    v.events++;
    v.head = e.eventId;
    v.updatedAt = e.at;
    const b = e.body;
    switch (b.kind) {
      case 'pushed':
        // Several workstations push the same warning from the same snapshot: the earliest push counts; a later one at a
        // higher level is a rise.
        if (v.pushedAt === null) {
          v.pushedAt = e.at;
          v.level = b.level;
          v.pushedLevel = b.level;
        } else if (levelRank(b.level) < levelRank(v.level)) {
          v.level = b.level;
          v.raises.push({ level: b.level, at: e.at });
        }
        break;
      case 'level_raised':
        if (levelRank(b.level) < levelRank(v.level)) {
          v.level = higher(v.level, b.level);
          v.raises.push({ level: b.level, at: e.at });
        }
        break;
      case 'assigned':
        v.assigneeId = b.assigneeId;
        v.assigneeName = b.assigneeName;
        if (v.state === 'pushed') v.state = 'assigned';
        break;
      case 'visited':
        v.visit = { ...b.visit, byId: e.actorId, byName: e.actorName, at: e.at };
        if (v.state === 'pushed' || v.state === 'assigned') v.state = 'visited';
        break;
      case 'decided':
        if (v.state === 'decided' || v.state === 'fed_back') {
          flag('out_of_order');
          break;
        }
        if (NEGATIVE_OUTCOMES.has(b.decision.outcome) && !v.visit) flag('no_visit');
        v.decision = { ...b.decision, byId: e.actorId, byName: e.actorName, at: e.at };
        v.state = 'decided';
        break;
      case 'fed_back':
        if (v.state !== 'decided') {
          flag('out_of_order');
          break;
        }
        v.fedBack = { to: b.to, note: b.note ?? null, byId: e.actorId, byName: e.actorName, at: e.at };
        v.state = 'fed_back';
        break;
    }
  }
  return v;
}

// ---- deadlines ----------------------------------------------------------------------------------------------

/** Days to visit and to decide, per level (the region's values: deadlineVisitRed …). */
export type DeadlineDays = Record<WarningLevel, { visit: number; decide: number }>;

export const DEFAULT_DEADLINE_DAYS: DeadlineDays = { red: { visit: 3, decide: 10 }, orange: { visit: 7, decide: 20 }, yellow: { visit: 15, decide: 30 } };

/** Deadlines are Asia/Shanghai calendar days, whatever zone the workstation shows (monitoring.md). */
export const DEADLINE_TIME_ZONE = 'Asia/Shanghai';

export interface Deadlines {
  /** The last local day to visit / to decide (YYYY-MM-DD). */
  visitDue: string;
  decideDue: string;
  /** The instant a warning becomes overdue: 00:00 Beijing time of the day after the due date, ISO UTC. */
  visitOverdueAt: string;
  decideOverdueAt: string;
}

/** 00:00 Beijing time of a local date, as an ISO UTC instant (China keeps UTC+8 all year). */
export function beijingMidnight(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00+08:00`)).toISOString();
}

/** The instant a due date has passed: 00:00 Beijing time of the day after it. */
export function overdueFrom(due: string): string {
  return beijingMidnight(addDays(due, 1));
}

/**
 * The due dates: the local date of the push + the level's days; when the level rose, the new level's days counted from
 * the rise, and the earlier of the two dates applies.
 */
export function deadlinesOf(view: Pick<WarningView, 'pushedAt' | 'pushedLevel' | 'raises'>, days: DeadlineDays): Deadlines | null {
  if (!view.pushedAt) return null;
  const first = view.pushedLevel;
  const start = localDate(view.pushedAt, DEADLINE_TIME_ZONE);
  let visitDue = addDays(start, days[first].visit);
  let decideDue = addDays(start, days[first].decide);
  for (const r of view.raises) {
    const from = localDate(r.at, DEADLINE_TIME_ZONE);
    const v = addDays(from, days[r.level].visit);
    const d = addDays(from, days[r.level].decide);
    if (v < visitDue) visitDue = v;
    if (d < decideDue) decideDue = d;
  }
  return { visitDue, decideDue, visitOverdueAt: overdueFrom(visitDue), decideOverdueAt: overdueFrom(decideDue) };
}

export type Overdue = 'visit' | 'decide' | null;

/** Whether a warning is overdue at `now` (ms): to visit while not visited, to decide while not decided. */
export function overdueAt(view: Pick<WarningView, 'state'>, deadlines: Deadlines | null, now: number): Overdue {
  if (!deadlines) return null;
  if ((view.state === 'pushed' || view.state === 'assigned') && now >= Date.parse(deadlines.visitOverdueAt)) return 'visit';
  if (view.state !== 'decided' && view.state !== 'fed_back' && now >= Date.parse(deadlines.decideOverdueAt)) return 'decide';
  return null;
}

// ---- commands: what a person may do now ----------------------------------------------------------------------

export type WarningCommand =
  | { kind: 'assign'; assigneeId: string; assigneeName: string }
  | { kind: 'visit'; visit: Visit }
  | { kind: 'decide'; decision: Decision }
  | { kind: 'feed_back'; to: string; note?: string };

export type WarningRefusal =
  | 'not_allowed_from_state'
  | 'reassign_supervisor_only'
  | 'needs_visit'
  | 'visit_in_future'
  | 'needs_program'
  | 'needs_reason'
  | 'needs_department'
  | 'needs_note'
  | 'four_eyes';

export class WarningCommandError extends Error {
  constructor(readonly refusal: WarningRefusal) {
    super(refusal);
  }
}

export interface LoopActor {
  id: string;
  name: string;
  role: string;
}

/**
 * Turns a command into the event body to record, or refuses it. `fourEyes`: the warning's level is one at which the
 * decision must be recorded by someone other than the visitor. `today`: the local date (a visit is not in the future).
 */
export function commandWarning(view: WarningView, command: WarningCommand, actor: LoopActor, o: { fourEyes: boolean; today: string }): WarningEventBody {
  const refuse = (r: WarningRefusal): never => {
    throw new WarningCommandError(r);
  };
  switch (command.kind) {
    case 'assign':
      if (view.state !== 'pushed' && view.state !== 'assigned') refuse('not_allowed_from_state');
      if (view.state === 'assigned' && actor.role !== 'supervisor') refuse('reassign_supervisor_only');
      return { kind: 'assigned', assigneeId: command.assigneeId, assigneeName: command.assigneeName };
    case 'visit':
      if (view.state !== 'assigned') refuse('not_allowed_from_state');
      if (command.visit.date > o.today) refuse('visit_in_future');
      return { kind: 'visited', visit: command.visit };
    case 'decide': {
      const d = command.decision;
      if (view.state !== 'visited' && view.state !== 'assigned') refuse('not_allowed_from_state');
      if (view.state === 'assigned' && !WITHOUT_VISIT.has(d.outcome)) refuse('needs_visit');
      if (d.outcome === 'enrolled' && !d.program) refuse('needs_program');
      if (d.outcome === 'not_eligible' && !(NOT_ELIGIBLE_REASONS as readonly string[]).includes(d.reason ?? '')) refuse('needs_reason');
      if (d.outcome === 'no_need' && !(NO_NEED_REASONS as readonly string[]).includes(d.reason ?? '')) refuse('needs_reason');
      if (d.reason === 'other' && !d.note?.trim()) refuse('needs_note');
      if (d.outcome === 'referred' && d.departments.length === 0) refuse('needs_department');
      if (o.fourEyes && view.visit && view.visit.byId === actor.id) refuse('four_eyes');
      const decision: Decision = { outcome: d.outcome, departments: [...new Set(d.departments)].sort() as ReferralDepartment[] };
      if (d.outcome === 'enrolled') decision.program = d.program;
      if (NEGATIVE_OUTCOMES.has(d.outcome)) decision.reason = d.reason;
      if (d.note?.trim()) decision.note = d.note.trim();
      return { kind: 'decided', decision };
    }
    case 'feed_back':
      if (view.state !== 'decided') refuse('not_allowed_from_state');
      return { kind: 'fed_back', to: command.to, ...(command.note ? { note: command.note } : {}) };
  }
}

/** The four-eyes breach the audit view looks for: decided by the one who recorded the visit, at a four-eyes level. */
export function decidedAlone(view: Pick<WarningView, 'visit' | 'decision'>): boolean {
  return !!view.visit && !!view.decision && view.visit.byId === view.decision.byId;
}
