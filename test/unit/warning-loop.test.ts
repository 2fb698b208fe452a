/**
 * The monitoring loop's pure rules (domain/monitoring/warning-loop.ts): deadlines in Beijing calendar days from the push
 * (and from a level's rise, the earlier date applying), overdue from 00:00 Beijing of the day after, the fold (first push
 * wins, decisions made elsewhere flagged), the commands' refusals, and the carrier in the case feed. Expected dates are
 * worked out by hand in the comments.
 */
import { describe, expect, it } from 'vitest';
import {
  commandWarning,
  DEFAULT_DEADLINE_DAYS,
  deadlinesOf,
  foldWarning,
  fromCarrier,
  overdueAt,
  toCarrier,
  WarningCommandError,
  type WarningEvent,
  type WarningEventBody,
} from '../../src-main/domain/monitoring/warning-loop.js';

let n = 0;
const ev = (at: string, body: WarningEventBody, actorId = 'a1'): WarningEvent => ({ eventId: `e${String(++n).padStart(4, '0')}`, warningId: 'w', actorId, actorName: actorId, actorRole: 'auditor', at, body });
const visit = { date: '2024-07-02', visitors: '网格员', situation: '住院', income: '无', needs: '低保' };

describe('deadlines', () => {
  it('count Beijing calendar days from the push: a push at 23:59:59.999 Beijing is that day, one ms later the next', () => {
    // 2024-07-01T15:59:59.999Z = 07-01 23:59:59.999 in Beijing: red visit due 07-04, overdue from 07-05 00:00 Beijing.
    const late = deadlinesOf(foldWarning('w', [ev('2024-07-01T15:59:59.999Z', { kind: 'pushed', level: 'red' })]), DEFAULT_DEADLINE_DAYS)!;
    expect(late).toEqual({ visitDue: '2024-07-04', decideDue: '2024-07-11', visitOverdueAt: '2024-07-04T16:00:00.000Z', decideOverdueAt: '2024-07-11T16:00:00.000Z' });
    const next = deadlinesOf(foldWarning('w', [ev('2024-07-01T16:00:00.000Z', { kind: 'pushed', level: 'red' })]), DEFAULT_DEADLINE_DAYS)!;
    expect(next.visitDue).toBe('2024-07-05');
  });

  it('after a rise the new level counts from the rise, and the earlier due date applies', () => {
    // Yellow pushed 07-01 (Beijing): visit 07-16, decide 07-31. Red from 07-10: visit 07-13, decide 07-20 — earlier, so they apply.
    const events = [ev('2024-07-01T02:00:00Z', { kind: 'pushed', level: 'yellow' }), ev('2024-07-10T02:00:00Z', { kind: 'level_raised', level: 'red' })];
    expect(deadlinesOf(foldWarning('w', events), DEFAULT_DEADLINE_DAYS)).toMatchObject({ visitDue: '2024-07-13', decideDue: '2024-07-20' });
    // Orange from 07-14 instead: visit 07-21, decide 08-03 — later than yellow's, so yellow's stand.
    const orange = [events[0]!, ev('2024-07-14T02:00:00Z', { kind: 'level_raised', level: 'orange' })];
    expect(deadlinesOf(foldWarning('w', orange), DEFAULT_DEADLINE_DAYS)).toMatchObject({ visitDue: '2024-07-16', decideDue: '2024-07-31' });
  });

  it('overdue exactly at the instant, to visit before the visit and to decide before the decision', () => {
    const pushed = foldWarning('w', [ev('2024-07-01T02:00:00Z', { kind: 'pushed', level: 'red' })]);
    const d = deadlinesOf(pushed, DEFAULT_DEADLINE_DAYS)!;
    const visitAt = Date.UTC(2024, 6, 4, 16);
    const decideAt = Date.UTC(2024, 6, 11, 16);
    expect(overdueAt(pushed, d, visitAt - 1)).toBeNull();
    expect(overdueAt(pushed, d, visitAt)).toBe('visit');
    expect(overdueAt({ state: 'visited' }, d, visitAt)).toBeNull();
    expect(overdueAt({ state: 'visited' }, d, decideAt - 1)).toBeNull();
    expect(overdueAt({ state: 'visited' }, d, decideAt)).toBe('decide');
    expect(overdueAt({ state: 'decided' }, d, decideAt)).toBeNull();
  });
});

describe('the fold', () => {
  it('keeps the first push (the first writer wins), whatever order events arrive in', () => {
    const a = ev('2024-07-01T03:00:00Z', { kind: 'pushed', level: 'orange' }, 'b');
    const b = ev('2024-07-01T02:00:00Z', { kind: 'pushed', level: 'orange' }, 'a');
    expect(foldWarning('w', [a, b])).toMatchObject({ pushedAt: '2024-07-01T02:00:00Z', pushedLevel: 'orange', raises: [] });
  });

  it('applies a decision made elsewhere without a visit and flags it; a second decision is not applied', () => {
    const events = [
      ev('2024-07-01T02:00:00Z', { kind: 'pushed', level: 'red' }),
      ev('2024-07-02T02:00:00Z', { kind: 'decided', decision: { outcome: 'not_eligible', reason: 'income', departments: [] } }),
      ev('2024-07-03T02:00:00Z', { kind: 'decided', decision: { outcome: 'enrolled', program: 'dibao', departments: [] } }),
    ];
    const v = foldWarning('w', events);
    expect(v).toMatchObject({ state: 'decided', decision: { outcome: 'not_eligible' }, flags: ['no_visit', 'out_of_order'] });
  });
});

describe('commands', () => {
  const assigned = foldWarning('w', [ev('2024-07-01T02:00:00Z', { kind: 'pushed', level: 'red' }), ev('2024-07-01T03:00:00Z', { kind: 'assigned', assigneeId: 'a1', assigneeName: 'a1' })]);
  const visited = foldWarning('w', [...[ev('2024-07-01T02:00:00Z', { kind: 'pushed', level: 'red' }), ev('2024-07-01T03:00:00Z', { kind: 'assigned', assigneeId: 'a1', assigneeName: 'a1' })], ev('2024-07-02T03:00:00Z', { kind: 'visited', visit })]);
  const auditor = (id: string) => ({ id, name: id, role: 'auditor' });
  const refusal = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      if (e instanceof WarningCommandError) return e.refusal;
      throw e;
    }
    return null;
  };
  const o = { fourEyes: true, today: '2024-07-03' };

  it('refuses 不符合 and 无需救助 without a visit, and lets help be decided from assigned', () => {
    expect(refusal(() => commandWarning(assigned, { kind: 'decide', decision: { outcome: 'not_eligible', reason: 'income', departments: [] } }, auditor('a1'), o))).toBe('needs_visit');
    expect(refusal(() => commandWarning(assigned, { kind: 'decide', decision: { outcome: 'no_need', reason: 'recovered', departments: [] } }, auditor('a1'), o))).toBe('needs_visit');
    expect(commandWarning(assigned, { kind: 'decide', decision: { outcome: 'linshi', departments: [] } }, auditor('a1'), o)).toMatchObject({ kind: 'decided' });
  });

  it('four eyes, reasons, programmes, departments, notes, future visits and reassignment', () => {
    const decide = (decision: Parameters<typeof commandWarning>[1] extends infer C ? (C extends { kind: 'decide'; decision: infer D } ? D : never) : never, who = 'a2') => refusal(() => commandWarning(visited, { kind: 'decide', decision }, auditor(who), o));
    expect(decide({ outcome: 'enrolled', program: 'dibao', departments: [] }, 'a1')).toBe('four_eyes');
    expect(refusal(() => commandWarning(visited, { kind: 'decide', decision: { outcome: 'enrolled', program: 'dibao', departments: [] } }, auditor('a1'), { ...o, fourEyes: false }))).toBeNull();
    expect(decide({ outcome: 'enrolled', departments: [] })).toBe('needs_program');
    expect(decide({ outcome: 'not_eligible', departments: [] })).toBe('needs_reason');
    expect(decide({ outcome: 'no_need', reason: 'income', departments: [] })).toBe('needs_reason');
    expect(decide({ outcome: 'no_need', reason: 'other', departments: [] })).toBe('needs_note');
    expect(decide({ outcome: 'referred', departments: [] })).toBe('needs_department');
    expect(decide({ outcome: 'not_eligible', reason: 'assets', departments: [] })).toBeNull();
    expect(refusal(() => commandWarning(assigned, { kind: 'visit', visit: { ...visit, date: '2024-07-04' } }, auditor('a1'), o))).toBe('visit_in_future');
    expect(refusal(() => commandWarning(assigned, { kind: 'assign', assigneeId: 'a2', assigneeName: 'a2' }, auditor('a1'), o))).toBe('reassign_supervisor_only');
    expect(refusal(() => commandWarning(assigned, { kind: 'assign', assigneeId: 'a2', assigneeName: 'a2' }, { id: 's', name: 's', role: 'supervisor' }, o))).toBeNull();
    expect(refusal(() => commandWarning(visited, { kind: 'feed_back', to: '民政局' }, auditor('a2'), o))).toBe('not_allowed_from_state');
  });
});

describe('the carrier', () => {
  it('a warning event travels as a case event and comes back unchanged; a case event is not a warning', () => {
    const e = { ...ev('2024-07-01T02:00:00Z', { kind: 'visited', visit }), signature: 'c2ln' };
    const carried = toCarrier(e);
    expect(carried).toMatchObject({ fingerprint: 'w', parent: null, body: { kind: 'warning' } });
    expect(fromCarrier(carried)).toEqual(e);
    expect(fromCarrier({ ...carried, body: { kind: 'note', text: 'x' } })).toBeNull();
  });
});
