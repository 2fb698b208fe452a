/**
 * The case workflow: what may happen to a finding once a person looks at it. Pure: no storage, no clock.
 *
 * A case is the list of its events; its state is the fold of those events in order (time, then event id). Events are
 * never edited or deleted, so two workstations that decided on the same finding merge by taking the union of their
 * events — and where two people changed the state without seeing each other's change, the fold records a conflict
 * for a supervisor instead of silently keeping one side.
 *
 * Matching is a starting point, never a verdict: a case reaches `confirmed` only after a recorded verification (home
 * visit, document check, phone call, department confirmation) that confirms the finding, with its date and who did it.
 */
import type { WarningEventBody } from '../monitoring/warning-loop.js';

export const CASE_STATES = ['new', 'in_review', 'awaiting_verification', 'confirmed', 'dismissed', 'closed', 'escalated'] as const;
export type CaseState = (typeof CASE_STATES)[number];

export const DISMISS_REASONS = ['data_error', 'not_same_person', 'already_stopped', 'policy_allows', 'timing', 'other'] as const;
export type DismissReason = (typeof DISMISS_REASONS)[number];

export const VERIFICATION_METHODS = ['home_visit', 'document_check', 'phone_call', 'department_confirmation'] as const;
export type VerificationMethod = (typeof VERIFICATION_METHODS)[number];

export const VERIFICATION_RESULTS = ['confirms', 'refutes', 'inconclusive'] as const;
export const BENEFIT_OUTCOMES = ['stopped', 'adjusted', 'continued'] as const;
export type BenefitOutcome = (typeof BENEFIT_OUTCOMES)[number];

/** Where each state may go next (the state diagram of the triage issue). */
export const TRANSITIONS: Readonly<Record<CaseState, readonly CaseState[]>> = {
  new: ['in_review', 'escalated'],
  in_review: ['awaiting_verification', 'dismissed', 'escalated'],
  awaiting_verification: ['confirmed', 'dismissed', 'in_review', 'escalated'],
  escalated: ['in_review', 'awaiting_verification', 'confirmed', 'dismissed'],
  confirmed: ['closed'],
  dismissed: ['closed', 'in_review'],
  closed: ['in_review'],
};

/**
 * Where this case may go now: the diagram above, and a confirmation straight from a new or reviewed case once a
 * verification confirmed the finding (the verification is what 待核实 waits for; once it is there, waiting is over).
 */
export function nextStates(view: Pick<CaseView, 'state' | 'verifications'>): readonly CaseState[] {
  const next = TRANSITIONS[view.state];
  const verified = view.verifications.some((v) => v.result === 'confirms');
  return verified && (view.state === 'new' || view.state === 'in_review') && !next.includes('confirmed') ? [...next, 'confirmed'] : next;
}

/**
 * A rule's precision: the share of its decided findings that were confirmed, or null while none was decided (shown
 * as "—", never as 50 % or 100 %). The one definition for 规则成效, the dashboard and the report.
 */
export function rulePrecision(confirmed: number, dismissed: number): number | null {
  const decided = confirmed + dismissed;
  return decided > 0 ? confirmed / decided : null;
}

export interface Verification {
  method: VerificationMethod;
  date: string;
  verifiedBy: string;
  result: (typeof VERIFICATION_RESULTS)[number];
  note: string;
}

export interface Outcome {
  benefit: BenefitOutcome;
  toRecoverCents: number;
  recoveredCents: number;
  date: string;
}

export type CaseEventBody =
  | { kind: 'transition'; to: CaseState; reasonCode?: DismissReason; note?: string }
  /** A decision above the approval amount waits for a second person. */
  | { kind: 'decision_requested'; to: 'confirmed' | 'dismissed'; reasonCode?: DismissReason; note?: string }
  | { kind: 'decision_approved'; requestId: string; note?: string }
  | { kind: 'decision_rejected'; requestId: string; note: string }
  | { kind: 'assigned'; assigneeId: string | null; assigneeName: string | null }
  | { kind: 'due_set'; dueDate: string | null }
  | { kind: 'note'; text: string }
  | { kind: 'verification'; verification: Verification }
  | { kind: 'outcome'; outcome: Outcome }
  /** A supervisor settles a merge conflict by stating which state the case is in. */
  | { kind: 'conflict_resolved'; state: CaseState; note: string }
  /**
   * A monitoring warning's event travelling in the team's case feed (domain/monitoring/warning-loop.ts toCarrier): the
   * exchange hands it to the warnings, it is never an event of a case.
   */
  | { kind: 'warning'; event: WarningEventBody };

export interface CaseEvent {
  eventId: string;
  fingerprint: string;
  actorId: string;
  actorName: string;
  actorRole: string;
  at: string;
  /** The last state-changing event the actor had seen (null for the first): how concurrent decisions are noticed. */
  parent: string | null;
  body: CaseEventBody;
  /** The author's Ed25519 signature over domain/authorship.ts caseEventMessage (base64); absent only on events made before signing. */
  signature?: string;
}

export interface PendingDecision {
  requestId: string;
  /** The same request made concurrently by others (merged): approving any of them approves this one. */
  agreedIds: string[];
  to: 'confirmed' | 'dismissed';
  reasonCode: DismissReason | null;
  byId: string;
  byName: string;
  at: string;
}

export interface CaseConflict {
  /** The state-changing events made without seeing each other, in fold order. */
  eventIds: string[];
  states: CaseState[];
  /** The reason of a dismissal among them, so that a supervisor can settle on it. */
  dismissReason: DismissReason | null;
}

export interface CaseView {
  fingerprint: string;
  state: CaseState;
  reasonCode: DismissReason | null;
  assigneeId: string | null;
  assigneeName: string | null;
  dueDate: string | null;
  pending: PendingDecision | null;
  verifications: Verification[];
  outcome: Outcome | null;
  conflict: CaseConflict | null;
  /** The id of the last state-changing event: what a new state change names as its parent. */
  stateHead: string | null;
  /**
   * The id of the last event of any kind: what a command must name to prove it saw the current case. The fold sets
   * the latest in time; the store replaces it with the last to arrive.
   */
  head: string | null;
  events: number;
  /** The decision taken (kept after closing, cleared when the case is reopened). */
  decision: 'confirmed' | 'dismissed' | null;
  /** When that decision was taken (the event that entered the state): what reports count by month. */
  decidedAt: string | null;
  decidedById: string | null;
  approvedById: string | null;
  updatedAt: string | null;
  updatedBy: string | null;
}

const STATE_CHANGING = new Set(['transition', 'decision_requested', 'decision_approved', 'decision_rejected', 'conflict_resolved']);

export function isStateChanging(body: CaseEventBody): boolean {
  return STATE_CHANGING.has(body.kind);
}

export function emptyCase(fingerprint: string): CaseView {
  return {
    fingerprint,
    state: 'new',
    reasonCode: null,
    assigneeId: null,
    assigneeName: null,
    dueDate: null,
    pending: null,
    verifications: [],
    outcome: null,
    conflict: null,
    stateHead: null,
    head: null,
    events: 0,
    decision: null,
    decidedAt: null,
    decidedById: null,
    approvedById: null,
    updatedAt: null,
    updatedBy: null,
  };
}

/** Events in the one order every workstation folds them in. */
export function sortEvents(events: readonly CaseEvent[]): CaseEvent[] {
  return [...events].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
}

/**
 * Folds a case's events into its current view. Tolerant by design: events merged from another workstation were valid
 * where they were made, so an event that does not fit here is not dropped — it is shown as part of a conflict.
 */
export function foldCase(fingerprint: string, events: readonly CaseEvent[]): CaseView {
  const view = emptyCase(fingerprint);
  // The state-changing events the current state stands for: usually the last one, several when people who had not
  // seen each other's change agreed (both moved the case to the same state).
  let current = new Set<string>();
  for (const e of sortEvents(events)) {
    view.events++;
    view.head = e.eventId;
    view.updatedAt = e.at;
    view.updatedBy = e.actorName;
    const b = e.body;
    if (isStateChanging(b)) {
      const concurrent = b.kind !== 'conflict_resolved' && (e.parent === null ? current.size > 0 : !current.has(e.parent));
      if (concurrent && agrees(view, b)) {
        current.add(e.eventId);
        if (b.kind === 'decision_requested') view.pending!.agreedIds.push(e.eventId);
        continue;
      }
      const before = view.state;
      const applied = applyStateChange(view, e);
      if (concurrent || !applied) {
        const previous = view.conflict ?? { eventIds: view.stateHead ? [view.stateHead] : [], states: [before], dismissReason: view.reasonCode };
        const reason = (b.kind === 'transition' || b.kind === 'decision_requested') && b.to === 'dismissed' ? (b.reasonCode ?? null) : null;
        view.conflict = { eventIds: [...previous.eventIds, e.eventId], states: [...previous.states, targetOf(b) ?? before], dismissReason: previous.dismissReason ?? reason };
      }
      view.stateHead = e.eventId;
      current = new Set([e.eventId]);
      continue;
    }
    switch (b.kind) {
      case 'assigned':
        view.assigneeId = b.assigneeId;
        view.assigneeName = b.assigneeName;
        break;
      case 'due_set':
        view.dueDate = b.dueDate;
        break;
      case 'verification':
        view.verifications.push(b.verification);
        break;
      case 'outcome':
        view.outcome = b.outcome;
        break;
      case 'note':
        break;
    }
  }
  return view;
}

function targetOf(b: CaseEventBody): CaseState | null {
  if (b.kind === 'transition' || b.kind === 'decision_requested') return b.to;
  if (b.kind === 'conflict_resolved') return b.state;
  return null;
}

/** A concurrent change that leads where the case already is (both auditors moved it to review) is agreement. */
function agrees(view: CaseView, b: CaseEventBody): boolean {
  if (b.kind === 'transition') return b.to === view.state && !view.pending;
  if (b.kind === 'decision_requested') return view.pending?.to === b.to;
  return false;
}

/**
 * Applies a state change to the view when it fits — the current state, and the workflow's rules (a verification
 * before a confirmation, a reason for a dismissal, a supervisor other than the requester for an approval). Events come
 * from other workstations too, so the fold checks them again; one that does not fit returns false and is shown as a
 * conflict, never applied.
 */
function applyStateChange(view: CaseView, e: CaseEvent): boolean {
  const b = e.body;
  const supervisor = e.actorRole === 'supervisor';
  const verdictFits = (to: CaseState, reasonCode: DismissReason | undefined | null) =>
    (to !== 'confirmed' || view.verifications.some((v) => v.result === 'confirms')) && (to !== 'dismissed' || !!reasonCode);
  const matches = (p: PendingDecision, requestId: string) => p.requestId === requestId || p.agreedIds.includes(requestId);
  switch (b.kind) {
    case 'transition':
      if (view.pending || !nextStates(view).includes(b.to) || !verdictFits(b.to, b.reasonCode)) return false;
      if (view.state === 'closed' && !supervisor) return false;
      enter(view, b.to, b.reasonCode ?? null, e.actorId, null, e.at);
      return true;
    case 'decision_requested':
      if (view.pending || !nextStates(view).includes(b.to) || !verdictFits(b.to, b.reasonCode)) return false;
      view.pending = { requestId: e.eventId, agreedIds: [], to: b.to, reasonCode: b.reasonCode ?? null, byId: e.actorId, byName: e.actorName, at: e.at };
      return true;
    case 'decision_approved': {
      const p = view.pending;
      if (!p || !supervisor || !matches(p, b.requestId) || p.byId === e.actorId || !verdictFits(p.to, p.reasonCode)) return false;
      enter(view, p.to, p.reasonCode, p.byId, e.actorId, e.at);
      return true;
    }
    case 'decision_rejected':
      if (!view.pending || !supervisor || !matches(view.pending, b.requestId)) return false;
      view.pending = null;
      if (TRANSITIONS[view.state].includes('in_review')) view.state = 'in_review';
      return true;
    case 'conflict_resolved':
      if (!supervisor || !view.conflict || !view.conflict.states.includes(b.state) || !verdictFits(b.state, view.conflict.dismissReason ?? view.reasonCode)) return false;
      enter(view, b.state, view.conflict.dismissReason ?? view.reasonCode, e.actorId, null, e.at);
      view.conflict = null;
      return true;
    default:
      return false;
  }
}

function enter(view: CaseView, state: CaseState, reasonCode: DismissReason | null, decidedBy: string, approvedBy: string | null, at: string): void {
  view.state = state;
  view.pending = null;
  if (state !== 'closed') view.decision = state === 'confirmed' || state === 'dismissed' ? state : null;
  if (state !== 'closed' && view.decision === null) view.decidedAt = null;
  if (state === 'confirmed' || state === 'dismissed') {
    view.reasonCode = state === 'dismissed' ? reasonCode : null;
    view.decidedAt = at;
    view.decidedById = decidedBy;
    view.approvedById = approvedBy;
  }
}

// ---- commands: what a person may do now --------------------------------------------------------------------

export interface Actor {
  id: string;
  name: string;
  role: string;
}

export interface CasePolicy {
  /** Decisions on findings at or above this amount at risk need a second person's approval. */
  approvalThresholdCents: number;
}

export type CaseCommand =
  | { kind: 'transition'; to: CaseState; reasonCode?: DismissReason; note?: string }
  | { kind: 'approve'; note?: string }
  | { kind: 'reject'; note: string }
  | { kind: 'assign'; assigneeId: string | null; assigneeName: string | null }
  | { kind: 'set_due'; dueDate: string | null }
  | { kind: 'note'; text: string }
  | { kind: 'verify'; verification: Verification }
  | { kind: 'record_outcome'; outcome: Outcome }
  | { kind: 'resolve_conflict'; state: CaseState; note: string };

export type CommandRefusal =
  | 'not_allowed_from_state'
  | 'needs_verification'
  | 'needs_reason'
  | 'needs_outcome'
  | 'pending_approval'
  | 'nothing_pending'
  | 'own_decision'
  | 'supervisor_only'
  | 'no_conflict'
  | 'in_conflict';

export class CaseCommandError extends Error {
  constructor(readonly refusal: CommandRefusal, message: string) {
    super(message);
  }
}

/**
 * Turns a command into the event to record, or refuses it with the reason. The service adds ids, time and parent.
 * `amountCents` is the finding's amount at risk (for the four-eyes rule).
 */
export function decide(view: CaseView, command: CaseCommand, actor: Actor, amountCents: number | null, policy: CasePolicy): CaseEventBody {
  const refuse = (r: CommandRefusal, m: string): never => {
    throw new CaseCommandError(r, m);
  };
  const supervisor = actor.role === 'supervisor';
  if (view.conflict && command.kind !== 'resolve_conflict' && command.kind !== 'note') {
    refuse('in_conflict', 'two decisions on this case conflict; a supervisor must settle it first');
  }
  switch (command.kind) {
    case 'transition': {
      if (view.pending) refuse('pending_approval', 'a decision on this case is waiting for approval');
      if (!nextStates(view).includes(command.to)) refuse('not_allowed_from_state', `a case cannot go from ${view.state} to ${command.to}`);
      if (view.state === 'closed' && !supervisor) refuse('supervisor_only', 'only a supervisor reopens a closed case');
      if (command.to === 'confirmed' && !view.verifications.some((v) => v.result === 'confirms')) {
        refuse('needs_verification', 'record a verification that confirms the finding (visit, documents, phone, department) first');
      }
      if (command.to === 'dismissed' && !command.reasonCode) refuse('needs_reason', 'dismissing needs a reason code');
      if (command.to === 'closed' && view.state === 'confirmed' && !view.outcome) refuse('needs_outcome', 'record the outcome (benefit stopped / adjusted / continued, amounts) before closing');
      const decision = command.to === 'confirmed' || command.to === 'dismissed' ? command.to : null;
      if (decision && (amountCents ?? 0) >= policy.approvalThresholdCents) return { kind: 'decision_requested', to: decision, ...(command.reasonCode ? { reasonCode: command.reasonCode } : {}), ...(command.note ? { note: command.note } : {}) };
      return { kind: 'transition', to: command.to, ...(command.reasonCode ? { reasonCode: command.reasonCode } : {}), ...(command.note ? { note: command.note } : {}) };
    }
    case 'approve':
    case 'reject': {
      if (!supervisor) refuse('supervisor_only', 'only a supervisor approves or rejects a decision');
      if (!view.pending) refuse('nothing_pending', 'no decision on this case is waiting for approval');
      if (command.kind === 'approve' && view.pending!.byId === actor.id) refuse('own_decision', 'a decision needs a second person: you cannot approve your own');
      return command.kind === 'approve'
        ? { kind: 'decision_approved', requestId: view.pending!.requestId, ...(command.note ? { note: command.note } : {}) }
        : { kind: 'decision_rejected', requestId: view.pending!.requestId, note: command.note };
    }
    case 'assign':
      return { kind: 'assigned', assigneeId: command.assigneeId, assigneeName: command.assigneeName };
    case 'set_due':
      return { kind: 'due_set', dueDate: command.dueDate };
    case 'note':
      return { kind: 'note', text: command.text };
    case 'verify':
      if (view.state === 'closed') refuse('not_allowed_from_state', 'the case is closed');
      return { kind: 'verification', verification: command.verification };
    case 'record_outcome':
      // On a confirmed case, or together with the request to confirm it (the approver then sees the whole proposal).
      if (view.state !== 'confirmed' && view.state !== 'closed' && view.pending?.to !== 'confirmed') {
        refuse('not_allowed_from_state', 'an outcome is recorded on a confirmed case');
      }
      return { kind: 'outcome', outcome: command.outcome };
    case 'resolve_conflict':
      if (!supervisor) refuse('supervisor_only', 'only a supervisor settles a conflict');
      if (!view.conflict) refuse('no_conflict', 'this case has no conflict');
      if (!view.conflict!.states.includes(command.state)) refuse('not_allowed_from_state', 'settle a conflict on one of the states in conflict');
      if (command.state === 'confirmed' && !view.verifications.some((v) => v.result === 'confirms')) refuse('needs_verification', 'a confirmation needs a verification that confirms the finding');
      if (command.state === 'dismissed' && !(view.conflict!.dismissReason ?? view.reasonCode)) refuse('needs_reason', 'no dismissal reason was recorded in the conflicting decisions');
      return { kind: 'conflict_resolved', state: command.state, note: command.note };
  }
}
