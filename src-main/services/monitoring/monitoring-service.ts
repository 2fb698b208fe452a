/**
 * Dynamic monitoring for users (monitoring.md): a monitoring run recorded into the team store, the warnings list with
 * its facets, a warning's "why", the closed loop's commands (assign — in bulk with a preview —, record the visit,
 * decide, feed back) and the supervisors' audit views of the loop.
 *
 * The choke point has checked role and the warning's scope already; every read here is still restricted to the caller's
 * scope (street auditors see their streets, supervisors their whole district), and rows leave as screens may show them:
 * no ID number, names masked for finance staff, divisions named.
 */
import { randomUUID } from 'node:crypto';
import { CallError } from '../../contract/errors.js';
import { warningEventMessage } from '../../domain/authorship.js';
import { addDays, addMonthsToDate, daysBetween } from '../../domain/calendar.js';
import { isWithinScope } from '../../domain/division.js';
import { applyNameMasking, exportMaskingFor } from '../../domain/export/masking.js';
import { maskIdNumber } from '../../domain/id-number.js';
import { localDate } from '../../domain/local-time.js';
import {
  AUDIT_VIEWS,
  beijingMidnight,
  commandWarning,
  DEADLINE_TIME_ZONE,
  deadlinesOf,
  overdueAt,
  WarningCommandError,
  type AuditView,
  type DeadlineDays,
  type Deadlines,
  type WarningCommand,
  type WarningEvent,
  type WarningEventBody,
  type WarningView,
} from '../../domain/monitoring/warning-loop.js';
import { parameterByName, resolveParameter, type RegionalValue } from '../../domain/rules/parameters.js';
import { isoTime, type Clock } from '../../platform/clock.js';
import type { PersonRefs } from '../../platform/person-refs.js';
import { terms, type TermsLanguage } from '../../platform/terms.js';
import { SIGNAL_MODULES, signalModule } from '../../rules/signals/index.js';
import type { RegistryDb } from '../../store/registry/registry-db.js';
import type { EnrollmentCheck, SnapshotDb } from '../../store/snapshot/snapshot-db.js';
import type { TeamDb } from '../../store/team/team-db.js';
import { StaleWarningError, type FoldHooks, type LoopHooks, type WarningFilter, type WarningRow } from '../../store/team/warning-store.js';
import type { MemberSigner } from '../member-signing.js';
import type { SessionUser } from '../sessions.js';
import { after, divisionNames } from '../triage/triage-service.js';
import { evaluateMonitoring, regionalForSignals } from './evaluate.js';
import { explainHit } from './explain-signal.js';

const CASE_WORKER_ROLES = new Set(['auditor', 'supervisor']);
const SIGNAL_ORDER = SIGNAL_MODULES.map((m) => m.definition.id);


/** How long an `enrolled` decision may wait for its enrollment to appear, and the other views' horizons. */
const ENROLMENT_EVIDENCE_DAYS = 60;
const DELAYED_DECISION_MONTHS = 6;
const RED_ALONE_DAYS = 30;
/** The audit views the store's SQL decides alone (the others need the region's parameters or the enrollments). */
const EXACT_IN_SQL: ReadonlySet<AuditView> = new Set(['overdue', 'no_visit']);

/** The commands a warning's detail sends (assignment goes through `assign`, one or many). */
export type WarningCommandInput = Exclude<WarningCommand, { kind: 'assign' }>;

export class MonitoringService {
  private readonly running = new Set<string>();

  constructor(private readonly d: { registry: RegistryDb; refs: PersonRefs; clock: Clock }) {}

  private now(): string {
    return isoTime(this.d.clock);
  }

  private today(): string {
    return localDate(this.d.clock.now(), DEADLINE_TIME_ZONE);
  }

  private value<T>(values: readonly RegionalValue[], name: string, division: string, on: string): T {
    return parameterValue<T>(values, name, division, on);
  }

  fourEyesLevels(values: readonly RegionalValue[], division: string, on: string): string[] {
    return this.value<string[]>(values, 'fourEyesLevels', division, on);
  }

  /** What the store needs to record: signed events by `user`, and deadlines by the region's days in force at the push. */
  private hooks(team: TeamDb, user: SessionUser, signer: MemberSigner): LoopHooks {
    if (signer.card.accountId !== user.id) throw new Error('a warning event is signed by its own author');
    return { ...foldHooks(team), event: (warningId, body) => this.signed(user, signer, warningId, body, this.now()) };
  }

  private signed(user: SessionUser, signer: MemberSigner, warningId: string, body: WarningEventBody, at: string): WarningEvent {
    const event: WarningEvent = { eventId: randomUUID(), warningId, actorId: user.id, actorName: user.displayName, actorRole: user.role, at, body };
    return { ...event, signature: signer.sign(warningEventMessage(event)) };
  }

  /**
   * A monitoring run over the caller's snapshot and scope, recorded into the team store. Awaited by the call: on the
   * demo district and a street's scope it takes seconds; the signals run on worker threads for a snapshot file.
   */
  async run(team: TeamDb, snapshot: SnapshotDb, user: SessionUser, signer: MemberSigner) {
    if (this.running.has(user.id)) throw new CallError('CONFLICT', 'a monitoring run is already in progress');
    this.running.add(user.id);
    try {
      const values = team.parameters.list();
      const run = await evaluateMonitoring(snapshot, { clock: this.d.clock, scope: user.scope, regional: regionalForSignals(values) });
      if (!team.isOpen) throw new CallError('NO_TEAM_ACCESS', 'the team store closed during the run');
      // rewarnMonths before today, in each household's region: an event closed on a warning since then does not re-warn.
      const today = this.today();
      const rewarnAfter = (division: string) => beijingMidnight(addMonthsToDate(today, -this.value<number>(values, 'rewarnMonths', division, run.asOf)));
      return team.warnings.recordRun(
        { runBy: user.username, snapshotId: run.snapshotId, asOf: run.asOf, scope: run.scope, signals: run.signals as never, population: run.population, startedAt: run.startedAt, finishedAt: run.finishedAt },
        run.warnings.map((w) => ({ household: w.household, division: w.division, head: w.head, level: w.level, signals: w.signals, monitored: w.monitored, layers: w.layers, hits: w.hits, fingerprint: w.fingerprint })),
        this.hooks(team, user, signer),
        rewarnAfter,
      );
    } finally {
      this.running.delete(user.id);
    }
  }

  status(team: TeamDb, user: SessionUser) {
    return { running: this.running.has(user.id), lastRun: team.warnings.lastRun(user.scope) };
  }

  /** A row as a screen may show it: the head's name (masked for finance), never an ID number; days left or overdue. */
  private toView(row: WarningRow, snapshot: SnapshotDb | null, names: ReadonlyMap<string, string>, role: SessionUser['role']) {
    const now = this.d.clock.now();
    const due = row.state === 'pushed' || row.state === 'assigned' ? row.visitDue : row.state === 'visited' ? row.decideDue : null;
    const head = row.headPersonId && snapshot ? snapshot.person(row.headPersonId) : undefined;
    const street = row.divisionCode.slice(0, 9);
    return {
      warningId: row.warningId,
      level: row.level,
      signals: row.signals,
      firing: row.firing,
      householdId: row.householdId,
      headName: head ? applyNameMasking(head.name, exportMaskingFor(role)) : null,
      headLabel: row.headPersonId ? maskIdNumber(row.headPersonId) : null,
      personRef: row.headPersonId ? this.d.refs.toRef(row.headPersonId) : null,
      divisionCode: row.divisionCode,
      divisionName: names.get(row.divisionCode) ?? null,
      streetName: names.get(street.padEnd(12, '0')) ?? names.get(street) ?? null,
      monitored: row.monitored,
      layers: row.layers,
      change: row.change,
      state: row.state,
      assigneeId: row.assigneeId,
      assigneeName: row.assigneeName,
      pushedAt: row.pushedAt,
      visitDue: row.visitDue,
      decideDue: row.decideDue,
      daysLeft: due ? daysBetween(this.today(), due) : null,
      overdue: overdueAt({ state: row.state }, rowDeadlines(row), now),
      outcome: row.outcome,
      flags: row.flags,
    };
  }

  private resolve(filter: MonitoringFilterInput, user: SessionUser): WarningFilter {
    const { assignee, ...rest } = filter;
    return { ...rest, ...(assignee ? { assignee: assignee === 'me' ? user.id : assignee } : {}) };
  }

  page(team: TeamDb, snapshot: SnapshotDb | null, user: SessionUser, filter: MonitoringFilterInput, offset: number, limit: number) {
    const f = this.resolve(filter, user);
    const { rows, total } = team.warnings.page(user.scope, { ...f, ...this.auditOf(team, snapshot, user, filter.auditView) }, this.now(), offset, limit);
    const names = divisionNames(snapshot, user.scope);
    return { rows: rows.map((r) => this.toView(r, snapshot, names, user.role)), total };
  }

  /** How many warnings a filter lists (an export's size, before it is written). */
  count(team: TeamDb, snapshot: SnapshotDb | null, user: SessionUser, filter: MonitoringFilterInput): number {
    return this.page(team, snapshot, user, filter, 0, 1).total;
  }

  /** Every warning a filter lists, in the list's order and as the list shows it (an export's rows), a page at a time. */
  *views(team: TeamDb, snapshot: SnapshotDb | null, user: SessionUser, filter: MonitoringFilterInput, pageSize = 2000) {
    for (let offset = 0; ; offset += pageSize) {
      const { rows } = this.page(team, snapshot, user, filter, offset, pageSize);
      yield* rows;
      if (rows.length < pageSize) return;
    }
  }

  facets(team: TeamDb, snapshot: SnapshotDb | null, user: SessionUser, filter: MonitoringFilterInput) {
    const f = this.resolve(filter, user);
    const facets = team.warnings.facets(user.scope, { ...f, ...this.auditOf(team, snapshot, user, filter.auditView) }, this.now());
    const names = divisionNames(snapshot, user.scope);
    const members = new Map(this.d.registry.listAccounts().map((a) => [a.id, a.displayName]));
    return {
      ...facets,
      street: facets.street.map((x) => ({ ...x, label: names.get(x.value.padEnd(12, '0')) ?? names.get(x.value) ?? x.value })),
      assignee: facets.assignee.map((x) => ({ ...x, label: x.value === 'none' ? '' : (members.get(x.value) ?? '') })),
    };
  }

  /**
   * The open warnings (not yet 已反馈) of these households inside the caller's scope, as the pre-check shows them beside
   * an application: level, signals, state, days left or overdue. Nothing outside the scope, whatever ids are asked.
   */
  openOfHouseholds(team: TeamDb, snapshot: SnapshotDb | null, user: SessionUser, householdIds: readonly string[]) {
    if (householdIds.length === 0) return [];
    const rows = team.warnings.all(user.scope, { householdIds: [...householdIds], state: ['pushed', 'assigned', 'visited', 'decided'] }, this.now());
    const names = divisionNames(snapshot, user.scope);
    return rows.map((r) => {
      const v = this.toView(r, snapshot, names, user.role);
      return { warningId: v.warningId, level: v.level, signals: v.signals, state: v.state, daysLeft: v.daysLeft, overdue: v.overdue, streetName: v.streetName };
    });
  }

  /** A warning's detail: every hit with its sentences and the signal's policy basis, the loop, the deadlines. */
  detail(team: TeamDb, snapshot: SnapshotDb | null, user: SessionUser, warningId: string, language: TermsLanguage) {
    const row = team.warnings.rows(user.scope, [warningId]).get(warningId);
    if (!row) throw new CallError('OUT_OF_SCOPE', 'no such warning in your data scope');
    const t = terms(language);
    const masking = exportMaskingFor(user.role);
    const names = divisionNames(snapshot, user.scope);
    const en = language === 'en';
    const bySignal = new Map<string, ReturnType<typeof team.warnings.hits>>();
    for (const h of team.warnings.hits(warningId)) bySignal.set(h.signal, [...(bySignal.get(h.signal) ?? []), h]);
    const signals = [...bySignal].sort(([a], [b]) => SIGNAL_ORDER.indexOf(a) - SIGNAL_ORDER.indexOf(b)).map(([signal, hits]) => {
      const def = signalModule(signal)?.definition;
      return {
        signal,
        name: def ? (en ? def.name.en : def.name.zh) : signal,
        cause: def ? (en ? def.cause.en : def.cause.zh) : '',
        description: def ? (en ? def.description.en : def.description.zh) : '',
        basis: (def?.basis ?? []).map((b) => (en ? b.en : b.zh)),
        hits: hits.map((h) => ({ level: h.level, firing: h.firing, sentences: explainHit(signal, h.evidence, { t, language, name: (n) => applyNameMasking(n ?? null, masking) }) })),
      };
    });
    const view = row.view;
    const fourEyes = this.fourEyesLevels(team.parameters.list(), row.divisionCode, this.today()).includes(row.level);
    return {
      row: this.toView(row, snapshot, names, user.role),
      signals,
      head: view.head,
      fourEyes,
      visit: view.visit ? { ...view.visit } : null,
      decision: view.decision ? { ...view.decision, departments: [...view.decision.departments] } : null,
      decisionText: view.decision ? outcomeText(view.decision, t) : null,
      fedBack: view.fedBack,
      history: team.warnings.events(warningId).map((e) => ({ at: e.at, actorName: e.actorName, kind: e.body.kind, text: describeEvent(e.body, t) })),
      next: this.nextActions(view, user, fourEyes),
    };
  }

  /** What this user may do now (the screen offers exactly these; the service checks again). */
  private nextActions(view: WarningView, user: SessionUser, fourEyes: boolean): string[] {
    const out: string[] = [];
    if (view.state === 'pushed' || (view.state === 'assigned' && user.role === 'supervisor')) out.push('assign');
    if (view.state === 'assigned') out.push('visit');
    if (view.state === 'visited' || view.state === 'assigned') if (!(fourEyes && view.visit?.byId === user.id)) out.push('decide');
    if (view.state === 'decided') out.push('feed_back');
    return out;
  }

  /** One loop command on one warning, against the head the user saw. */
  act(team: TeamDb, snapshot: SnapshotDb | null, user: SessionUser, signer: MemberSigner, warningId: string, expectedHead: string | null, input: WarningCommandInput, language: TermsLanguage) {
    const row = team.warnings.rows(user.scope, [warningId]).get(warningId);
    if (!row) throw new CallError('OUT_OF_SCOPE', 'no such warning in your data scope');
    if (row.view.head !== expectedHead) throw new CallError('CONFLICT', terms(language)('monitoring.refusals.stale'));
    const fourEyes = this.fourEyesLevels(team.parameters.list(), row.divisionCode, this.today()).includes(row.level);
    const event = this.eventFor(user, signer, row, input as WarningCommand, fourEyes, language);
    this.append(team, user, signer, [event], new Map([[warningId, row.view.head]]), language);
    return this.detail(team, snapshot, user, warningId, language);
  }

  /**
   * Assigns warnings to a member, as a preview (apply false: what would happen, nothing written) or for real (all the
   * applicable ones in one transaction). Each warning is checked: in the caller's scope, in the assignee's scope, in a
   * state that can be (re)assigned.
   */
  assign(team: TeamDb, user: SessionUser, signer: MemberSigner, warningIds: readonly string[], assigneeId: string, apply: boolean, language: TermsLanguage) {
    const t = terms(language);
    const assignee = this.d.registry.findById(assigneeId);
    if (!assignee || assignee.status !== 'active' || !CASE_WORKER_ROLES.has(assignee.role)) {
      throw new CallError('WARNING_REFUSED', t('monitoring.refusals.not_a_case_worker'), { refusal: 'not_a_case_worker' });
    }
    const unique = [...new Set(warningIds)];
    const rows = team.warnings.rows(user.scope, unique);
    const refused: { warningId: string; reason: string }[] = [];
    const events: WarningEvent[] = [];
    const heads = new Map<string, string | null>();
    for (const id of unique) {
      const row = rows.get(id);
      if (!row) {
        refused.push({ warningId: id, reason: 'out_of_scope' });
        continue;
      }
      if (!isWithinScope(row.divisionCode, assignee.scope)) {
        refused.push({ warningId: id, reason: 'assignee_out_of_scope' });
        continue;
      }
      try {
        events.push(this.eventFor(user, signer, row, { kind: 'assign', assigneeId: assignee.id, assigneeName: assignee.displayName }, false, language));
        heads.set(id, row.view.head);
      } catch (error) {
        if (!(error instanceof CallError)) throw error;
        refused.push({ warningId: id, reason: String((error.details as { refusal?: string } | undefined)?.refusal ?? error.code) });
      }
    }
    if (apply && events.length) this.append(team, user, signer, events, heads, language);
    const byReason: Record<string, number> = {};
    for (const r of refused) byReason[r.reason] = (byReason[r.reason] ?? 0) + 1;
    return {
      total: unique.length,
      applicable: events.length,
      applied: apply ? events.length : 0,
      assigneeName: assignee.displayName,
      byReason: Object.entries(byReason).map(([reason, count]) => ({ reason, count, label: t(`monitoring.refusals.${reason}`) })),
      refused: refused.slice(0, 100),
    };
  }

  private append(team: TeamDb, user: SessionUser, signer: MemberSigner, events: WarningEvent[], heads: Map<string, string | null>, language: TermsLanguage): void {
    try {
      team.warnings.appendLocal(events, heads, this.hooks(team, user, signer));
    } catch (error) {
      if (error instanceof StaleWarningError) throw new CallError('CONFLICT', terms(language)('monitoring.refusals.stale'));
      throw error;
    }
  }

  private eventFor(user: SessionUser, signer: MemberSigner, row: WarningRow, command: WarningCommand, fourEyes: boolean, language: TermsLanguage): WarningEvent {
    let body: WarningEventBody;
    try {
      body = commandWarning(row.view, command, { id: user.id, name: user.displayName, role: user.role }, { fourEyes, today: this.today() });
    } catch (error) {
      if (error instanceof WarningCommandError) {
        throw new CallError('WARNING_REFUSED', terms(language)(`monitoring.refusals.${error.refusal}`), { refusal: error.refusal });
      }
      throw error;
    }
    return this.signed(user, signer, row.warningId, body, after(row.view.updatedAt, this.now()));
  }

  // ---- audit views ---------------------------------------------------------------------------------------------

  /** Each audit view's count in the caller's scope (supervisors): set-wise SQL in the team store and the snapshot. */
  audit(team: TeamDb, snapshot: SnapshotDb | null, user: SessionUser) {
    return AUDIT_VIEWS.map((view) => ({
      view,
      count: EXACT_IN_SQL.has(view) ? team.warnings.count(user.scope, { audit: this.auditFilter(view) }, this.now()) : this.auditIds(team, snapshot, user, view).length,
    }));
  }

  /** An audit view as the store filters by it (AUDIT_SQL), with the views' horizons as instants before now. */
  private auditFilter(view: AuditView): NonNullable<WarningFilter['audit']> {
    const nowMs = this.d.clock.now();
    return {
      view,
      decidedBefore: new Date(nowMs - ENROLMENT_EVIDENCE_DAYS * 86_400_000).toISOString(),
      pushedBefore: new Date(nowMs - RED_ALONE_DAYS * 86_400_000).toISOString(),
    };
  }

  /** The list's filter for an audit view: the store's SQL where it is the whole view, else the view's warnings by id. */
  private auditOf(team: TeamDb, snapshot: SnapshotDb | null, user: SessionUser, view: AuditView | undefined): Pick<WarningFilter, 'audit' | 'warningIds'> {
    if (!view) return {};
    return EXACT_IN_SQL.has(view) ? { audit: this.auditFilter(view) } : { warningIds: this.auditIds(team, snapshot, user, view) };
  }

  /**
   * The warnings behind an audit view's count (the list drills to exactly these): the store selects the view's
   * warnings by their columns (AUDIT_SQL); the views that depend on the region's four-eyes levels or on enrollments hold
   * only those candidates against them (the parameter once per division and day, the enrollments in one snapshot query).
   */
  auditIds(team: TeamDb, snapshot: SnapshotDb | null, user: SessionUser, view: AuditView): string[] {
    const rows = team.warnings.auditCandidates(user.scope, this.auditFilter(view), this.now());
    const withEnrolment = (checks: EnrollmentCheck[]) => snapshot?.enrollmentMatches(checks) ?? new Set<string>();
    switch (view) {
      case 'overdue':
      case 'no_visit':
        return rows.map((r) => r.warningId);
      case 'decided_alone': {
        const values = team.parameters.list();
        const fourEyes = new Map<string, string[]>();
        const levelsOn = (division: string, on: string) => fourEyes.get(`${division}|${on}`) ?? fourEyes.set(`${division}|${on}`, this.fourEyesLevels(values, division, on)).get(`${division}|${on}`)!;
        return rows.filter((r) => levelsOn(r.divisionCode, r.decidedDate!).includes(r.level)).map((r) => r.warningId);
      }
      case 'enrolled_no_evidence': {
        const found = withEnrolment(
          rows.map((r) => ({ key: r.warningId, household: r.householdId, programs: r.program ? [r.program] : [], from: r.pushedDate!, to: addDays(r.decidedDate!, ENROLMENT_EVIDENCE_DAYS) })),
        );
        return rows.filter((r) => !found.has(r.warningId)).map((r) => r.warningId);
      }
      case 'delayed_decision': {
        const found = withEnrolment(
          rows.map((r) => ({ key: r.warningId, household: r.householdId, programs: ['dibao', 'tekun'], after: r.decidedDate!, to: addMonthsToDate(r.decidedDate!, DELAYED_DECISION_MONTHS) })),
        );
        return rows.filter((r) => found.has(r.warningId)).map((r) => r.warningId);
      }
      case 'red_left_alone': {
        const found = withEnrolment(rows.map((r) => ({ key: r.warningId, household: r.householdId, programs: null, from: r.pushedDate! })));
        return rows.filter((r) => !found.has(r.warningId)).map((r) => r.warningId);
      }
    }
  }
}

/** A parameter's value for a division on a date (§P: the region's own value, else the default). */
function parameterValue<T>(values: readonly RegionalValue[], name: string, division: string, on: string): T {
  return resolveParameter(parameterByName(name)!, values, division, on).value as T;
}

/** The days to visit and to decide per level in force for a division on a date (deadlineVisitRed …). */
export function deadlineDays(values: readonly RegionalValue[], division: string, on: string): DeadlineDays {
  const v = (n: string) => parameterValue<number>(values, n, division, on);
  return {
    red: { visit: v('deadlineVisitRed'), decide: v('deadlineDecideRed') },
    orange: { visit: v('deadlineVisitOrange'), decide: v('deadlineDecideOrange') },
    yellow: { visit: v('deadlineVisitYellow'), decide: v('deadlineDecideYellow') },
  };
}

/**
 * How the team store folds a warning here: deadlines by the region's days in force on the day it was pushed (a later
 * change of the region's days applies to warnings pushed after it), signals in the library's order. Also what events
 * merged from the feed are folded with (services/sync/case-exchange.ts).
 */
export function foldHooks(team: TeamDb): FoldHooks {
  const values = team.parameters.list();
  return {
    signalOrder: SIGNAL_ORDER,
    deadlines: (view, division) => (view.pushedAt ? deadlinesOf(view, deadlineDays(values, division, localDate(view.pushedAt, DEADLINE_TIME_ZONE))) : null),
  };
}

/** A warning row's deadlines as the store keeps them (null before its push is known). */
function rowDeadlines(r: WarningRow): Deadlines | null {
  return r.visitDue && r.decideDue && r.visitOverdueAt && r.decideOverdueAt ? { visitDue: r.visitDue, decideDue: r.decideDue, visitOverdueAt: r.visitOverdueAt, decideOverdueAt: r.decideOverdueAt } : null;
}

/** The list's filters as a caller gives them: the store's own (WarningFilter), and an audit view to drill into. */
export type MonitoringFilterInput = Pick<WarningFilter, 'level' | 'signal' | 'state' | 'divisionPrefix' | 'overdue' | 'assignee'> & { auditView?: AuditView };

/** An event of the loop in words (the history). */
function describeEvent(b: WarningEventBody, t: ReturnType<typeof terms>): string {
  switch (b.kind) {
    case 'pushed':
      return t('monitoring.history.pushed', { level: t(`monitoring.levels.${b.level}`) });
    case 'level_raised':
      return t('monitoring.history.level_raised', { level: t(`monitoring.levels.${b.level}`) });
    case 'assigned':
      return t('monitoring.history.assigned', { name: b.assigneeName });
    case 'visited':
      return t('monitoring.history.visited', { date: b.visit.date, visitors: b.visit.visitors });
    case 'decided':
      return t('monitoring.history.decided', { outcome: outcomeText(b.decision, t) });
    case 'fed_back':
      return t('monitoring.history.fed_back', { to: b.to });
  }
}

/** A decision in words: the outcome with its programme or reason, and the referral departments. */
export function outcomeText(d: { outcome: string; program?: string; reason?: string; departments: readonly string[] }, t: ReturnType<typeof terms>): string {
  const main = t(`monitoring.outcomes.${d.outcome}`);
  const detail = d.program ? t(`monitoring.programs.${d.program}`) : d.reason ? t(`monitoring.reasons.${d.outcome}.${d.reason}`) : '';
  const departments = d.departments.map((x) => t(`monitoring.departments.${x}`)).join(t('explain.listSeparator'));
  return [detail ? t('explain.words.aside', { what: main, detail }) : main, departments ? t('monitoring.referredTo', { departments }) : ''].filter(Boolean).join(t('explain.words.itemSeparator'));
}
