import { describe, expect, it } from 'vitest';
import {
  CaseCommandError,
  decide,
  foldCase,
  type Actor,
  type CaseCommand,
  type CaseEvent,
  type CaseView,
} from '../../src-main/domain/cases/case-workflow.js';

const policy = { approvalThresholdCents: 100_000 };
const auditor: Actor = { id: 'a1', name: '审计员甲', role: 'auditor' };
const auditor2: Actor = { id: 'a2', name: '审计员乙', role: 'auditor' };
const supervisor: Actor = { id: 's1', name: '科长', role: 'supervisor' };
const supervisor2: Actor = { id: 's2', name: '副科长', role: 'supervisor' };
const visit = { method: 'home_visit' as const, date: '2024-07-02', verifiedBy: '王五', result: 'confirms' as const, note: '' };

/** Plays commands against a case the way the service does: decide, then append the event and refold. */
class Case {
  events: CaseEvent[] = [];
  private n = 0;
  constructor(readonly amountCents: number | null = 50_000) {}
  get view(): CaseView {
    return foldCase('fp', this.events);
  }
  do(actor: Actor, command: CaseCommand, parent = this.view.stateHead): CaseEvent {
    const body = decide(this.view, command, actor, this.amountCents, policy);
    const event: CaseEvent = { eventId: `e${String(++this.n).padStart(3, '0')}`, fingerprint: 'fp', actorId: actor.id, actorName: actor.name, actorRole: actor.role, at: `2024-07-01T00:00:${String(this.n).padStart(2, '0')}Z`, parent, body };
    this.events.push(event);
    return event;
  }
  refusal(actor: Actor, command: CaseCommand): string {
    try {
      decide(this.view, command, actor, this.amountCents, policy);
      return 'accepted';
    } catch (error) {
      return (error as CaseCommandError).refusal;
    }
  }
}

describe('case workflow', () => {
  it('offers the decision as soon as a verification confirms the finding, without a detour through 待核实', () => {
    const c = new Case();
    c.do(auditor, { kind: 'transition', to: 'in_review' });
    expect(c.refusal(auditor, { kind: 'transition', to: 'confirmed' })).toBe('not_allowed_from_state');
    c.do(auditor, { kind: 'verify', verification: { ...visit, result: 'inconclusive' } });
    expect(c.refusal(auditor, { kind: 'transition', to: 'confirmed' })).toBe('not_allowed_from_state');
    c.do(auditor, { kind: 'verify', verification: visit });
    c.do(auditor, { kind: 'transition', to: 'confirmed' });
    // Folded the same way elsewhere: not a conflict.
    expect(c.view).toMatchObject({ state: 'confirmed', decision: 'confirmed', conflict: null });
  });

  it('walks new → in_review → awaiting_verification → confirmed → closed, with verification and outcome required', () => {
    const c = new Case();
    c.do(auditor, { kind: 'transition', to: 'in_review' });
    expect(c.refusal(auditor, { kind: 'transition', to: 'confirmed' })).toBe('not_allowed_from_state');
    c.do(auditor, { kind: 'transition', to: 'awaiting_verification' });
    expect(c.refusal(auditor, { kind: 'transition', to: 'confirmed' })).toBe('needs_verification');
    c.do(auditor, { kind: 'verify', verification: { ...visit, result: 'refutes' } });
    expect(c.refusal(auditor, { kind: 'transition', to: 'confirmed' })).toBe('needs_verification');
    c.do(auditor, { kind: 'verify', verification: visit });
    c.do(auditor, { kind: 'transition', to: 'confirmed' });
    expect(c.view).toMatchObject({ state: 'confirmed', decision: 'confirmed', decidedById: 'a1', approvedById: null });
    expect(c.refusal(auditor, { kind: 'transition', to: 'closed' })).toBe('needs_outcome');
    c.do(auditor, { kind: 'record_outcome', outcome: { benefit: 'stopped', toRecoverCents: 50_000, recoveredCents: 0, date: '2024-07-05' } });
    c.do(auditor, { kind: 'transition', to: 'closed' });
    expect(c.view).toMatchObject({ state: 'closed', decision: 'confirmed', outcome: { benefit: 'stopped' } });
    expect(c.refusal(auditor, { kind: 'transition', to: 'in_review' })).toBe('supervisor_only');
  });

  it('needs a reason code to dismiss', () => {
    const c = new Case();
    c.do(auditor, { kind: 'transition', to: 'in_review' });
    expect(c.refusal(auditor, { kind: 'transition', to: 'dismissed' })).toBe('needs_reason');
    c.do(auditor, { kind: 'transition', to: 'dismissed', reasonCode: 'data_error' });
    expect(c.view).toMatchObject({ state: 'dismissed', reasonCode: 'data_error', decision: 'dismissed' });
  });

  it('four eyes: a decision at or above the amount waits for another supervisor', () => {
    const c = new Case(100_000);
    c.do(auditor, { kind: 'transition', to: 'in_review' });
    c.do(auditor, { kind: 'transition', to: 'awaiting_verification' });
    c.do(auditor, { kind: 'verify', verification: visit });
    const request = c.do(auditor, { kind: 'transition', to: 'confirmed' });
    expect(request.body.kind).toBe('decision_requested');
    expect(c.view).toMatchObject({ state: 'awaiting_verification', pending: { to: 'confirmed', byId: 'a1' } });
    expect(c.refusal(auditor, { kind: 'approve' })).toBe('supervisor_only');
    expect(c.refusal(auditor, { kind: 'transition', to: 'dismissed', reasonCode: 'other' })).toBe('pending_approval');
    c.do(supervisor, { kind: 'approve' });
    expect(c.view).toMatchObject({ state: 'confirmed', decidedById: 'a1', approvedById: 's1', pending: null });
  });

  it('a supervisor cannot approve their own decision, and a rejection sends the case back to review', () => {
    const c = new Case(500_000);
    c.do(supervisor, { kind: 'transition', to: 'in_review' });
    c.do(supervisor, { kind: 'transition', to: 'dismissed', reasonCode: 'policy_allows' });
    expect(c.refusal(supervisor, { kind: 'approve' })).toBe('own_decision');
    c.do(supervisor2, { kind: 'reject', note: '再核实' });
    expect(c.view).toMatchObject({ state: 'in_review', pending: null, decision: null });
  });

  it('merging: concurrent agreeing changes are no conflict; concurrent different decisions are kept for a supervisor', () => {
    const base = new Case();
    base.do(auditor, { kind: 'transition', to: 'in_review' });
    const head = base.view.stateHead;
    // Two workstations act on the same head without seeing each other.
    const a = new Case();
    a.events = [...base.events];
    const b = new Case();
    b.events = [...base.events];
    (a as unknown as { n: number }).n = 10;
    (b as unknown as { n: number }).n = 50;
    a.do(auditor, { kind: 'transition', to: 'awaiting_verification' }, head);
    b.do(auditor2, { kind: 'transition', to: 'awaiting_verification' }, head);
    const agreed = foldCase('fp', [...a.events, ...b.events.slice(base.events.length)]);
    expect(agreed).toMatchObject({ state: 'awaiting_verification', conflict: null });

    a.do(auditor, { kind: 'verify', verification: visit });
    a.do(auditor, { kind: 'transition', to: 'confirmed' });
    b.do(auditor2, { kind: 'transition', to: 'dismissed', reasonCode: 'not_same_person' });
    const merged = [...new Map([...a.events, ...b.events].map((e) => [e.eventId, e])).values()];
    const view = foldCase('fp', merged);
    expect(view.conflict).not.toBeNull();
    expect(view.conflict!.states).toEqual(expect.arrayContaining(['confirmed', 'dismissed']));
    // Nothing lost: every event is still there, in both orders of arrival.
    expect(foldCase('fp', [...merged].reverse())).toEqual(view);
    const settle = new Case();
    settle.events = merged;
    (settle as unknown as { n: number }).n = 90;
    expect(settle.refusal(auditor, { kind: 'transition', to: 'closed' })).toBe('in_conflict');
    expect(settle.refusal(auditor, { kind: 'resolve_conflict', state: 'confirmed', note: 'x' })).toBe('supervisor_only');
    settle.do(supervisor, { kind: 'resolve_conflict', state: 'confirmed', note: '入户核实为准' });
    expect(settle.view).toMatchObject({ state: 'confirmed', conflict: null, decision: 'confirmed' });
  });

  it('checks events from elsewhere again: a forged confirmation or approval is shown as a conflict, never applied', () => {
    const c = new Case(500_000);
    c.do(auditor, { kind: 'transition', to: 'in_review' });
    c.do(auditor, { kind: 'transition', to: 'awaiting_verification' });
    const forged = (n: number, actor: Actor, body: CaseEvent['body']): CaseEvent => ({
      eventId: `f${n}`, fingerprint: 'fp', actorId: actor.id, actorName: actor.name, actorRole: actor.role, at: `2024-07-01T00:00:${40 + n}Z`, parent: c.view.stateHead, body,
    });
    const later = (n: number) => ((c as unknown as { n: number }).n = n);
    c.events.push(forged(1, auditor2, { kind: 'transition', to: 'confirmed' }));
    later(50);
    expect(c.view).toMatchObject({ state: 'awaiting_verification', decision: null });
    expect(c.view.conflict).not.toBeNull();
    // Settling on a state that was never in conflict, or confirming without a verification, is refused.
    expect(c.refusal(supervisor, { kind: 'resolve_conflict', state: 'closed', note: 'x' })).toBe('not_allowed_from_state');
    expect(c.refusal(supervisor, { kind: 'resolve_conflict', state: 'confirmed', note: 'x' })).toBe('needs_verification');
    c.do(supervisor, { kind: 'resolve_conflict', state: 'awaiting_verification', note: '伪造的确认无效' });
    expect(c.view).toMatchObject({ state: 'awaiting_verification', conflict: null });
    // A request approved by someone who is not a supervisor does not take effect either.
    c.do(auditor, { kind: 'verify', verification: visit });
    c.do(auditor, { kind: 'transition', to: 'confirmed' });
    c.events.push(forged(15, auditor2, { kind: 'decision_approved', requestId: c.view.pending!.requestId }));
    expect(c.view).toMatchObject({ state: 'awaiting_verification', pending: { to: 'confirmed' } });
  });

  it('two people asking for the same decision apart: approving either request settles it, with no conflict', () => {
    const c = new Case(500_000);
    c.do(auditor, { kind: 'transition', to: 'in_review' });
    c.do(auditor, { kind: 'transition', to: 'awaiting_verification' });
    c.do(auditor, { kind: 'verify', verification: visit });
    const head = c.view.stateHead;
    c.do(auditor, { kind: 'transition', to: 'confirmed' }, head);
    // The second request was decided on the view before the first existed (on another workstation).
    const other: CaseEvent = { eventId: 'y1', fingerprint: 'fp', actorId: auditor2.id, actorName: auditor2.name, actorRole: 'auditor', at: '2024-07-02T00:00:00Z', parent: head, body: { kind: 'decision_requested', to: 'confirmed' } };
    c.events.push(other);
    expect(c.view.conflict).toBeNull();
    const approval: CaseEvent = { eventId: 'z1', fingerprint: 'fp', actorId: supervisor.id, actorName: supervisor.name, actorRole: 'supervisor', at: '2024-07-03T00:00:00Z', parent: other.eventId, body: { kind: 'decision_approved', requestId: other.eventId } };
    expect(foldCase('fp', [...c.events, approval])).toMatchObject({ state: 'confirmed', conflict: null, approvedById: supervisor.id });
  });
});
