/**
 * Warnings in the team store, run after run (issue 17 step 1, monitoring.md "Warnings"): a household's open warning
 * collects its hits; a higher level raises it (and its deadlines, the earlier date applying); hits that stop firing
 * stay as 已消除 and the warning stays in the loop (resolved); a signal that did not run (missing feed) clears nothing;
 * after the loop is closed the same event re-warns only once `rewarnMonths` have passed — as a new warning. Driven
 * through the store's public methods with hand-made warnings; the expected dates are worked out by hand.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DEADLINE_DAYS, deadlinesOf, type WarningEventBody } from '../../src-main/domain/monitoring/warning-loop.js';
import { TeamDb } from '../../src-main/store/team/team-db.js';
import type { FoldHooks, LoopHooks, MonitorRunInput, WarningInput } from '../../src-main/store/team/warning-store.js';

let now = '2024-07-01T02:00:00.000Z';
let n = 0;
const fold: FoldHooks = { signalOrder: ['M-MEDICAL', 'M-EDUCATION', 'M-BREADWINNER'], deadlines: (v) => deadlinesOf(v, DEFAULT_DEADLINE_DAYS) };
const hooks: LoopHooks = {
  ...fold,
  event: (warningId: string, body: WarningEventBody) => ({ eventId: `00000000-0000-0000-0000-${String(++n).padStart(12, '0')}`, warningId, actorId: 'sup', actorName: '主管', actorRole: 'supervisor', at: now, body }),
};
const run = (signals: MonitorRunInput['signals'] = [{ id: 'M-EDUCATION' }, { id: 'M-BREADWINNER' }, { id: 'M-MEDICAL' }]): MonitorRunInput => ({
  runBy: 'sup',
  snapshotId: 's1',
  asOf: '2024-06-30',
  scope: ['320111'],
  signals,
  population: {},
  startedAt: now,
  finishedAt: now,
});
const education = { signal: 'M-EDUCATION', eventKey: 'state', level: 'yellow' as const, evidence: { students: 2 } };
const breadwinner = { signal: 'M-BREADWINNER', eventKey: 'P1|2024-06-10', level: 'red' as const, evidence: {} };
const warning = (hits: WarningInput['hits']): WarningInput => ({
  household: 'H1',
  division: '320111002001',
  head: 'P0',
  level: hits.some((h) => h.level === 'red') ? 'red' : 'yellow',
  signals: [...new Set(hits.map((h) => h.signal))],
  monitored: true,
  layers: ['dibao'],
  hits,
  fingerprint: hits.map((h) => `${h.signal}|${h.eventKey}`).join(','),
});
const EARLY = '2000-01-01T00:00:00.000Z';

describe('warnings run after run', () => {
  const team = TeamDb.inMemoryForTests(new Database(':memory:'));
  const rows = () => team.warnings.all(['320111'], {}, now);

  it('opens one warning per household, pushed at its level, and raises it when a higher hit arrives', () => {
    expect(team.warnings.recordRun(run(), [warning([education])], hooks, EARLY)).toMatchObject({ newCount: 1, persistingCount: 0, resolvedCount: 0 });
    const [w] = rows();
    // Yellow pushed 07-01 10:00 Beijing: visit by 07-16, decide by 07-31.
    expect(w).toMatchObject({ level: 'yellow', state: 'pushed', visitDue: '2024-07-16', decideDue: '2024-07-31', signals: ['M-EDUCATION'], change: 'new' });
    now = '2024-07-09T02:00:00.000Z';
    expect(team.warnings.recordRun(run(), [warning([education, breadwinner])], hooks, EARLY)).toMatchObject({ newCount: 0, persistingCount: 1 });
    const [raised] = rows();
    // Red from 07-09: visit by 07-12, decide by 07-19 — earlier than yellow's, so they apply.
    expect(raised).toMatchObject({ warningId: w!.warningId, level: 'red', visitDue: '2024-07-12', decideDue: '2024-07-19', signals: ['M-EDUCATION', 'M-BREADWINNER'], change: 'persisting' });
    expect(team.warnings.events(w!.warningId).map((e) => e.body.kind)).toEqual(['pushed', 'level_raised']);
  });

  it('keeps hits that stopped firing as 已消除, and a signal that did not run clears nothing', () => {
    // M-BREADWINNER did not run this time (a feed missing): its hit stays firing; M-EDUCATION ran and no longer fires.
    expect(team.warnings.recordRun(run([{ id: 'M-EDUCATION' }, { id: 'M-BREADWINNER', missingFeeds: ['death_record'] }]), [], hooks, EARLY)).toMatchObject({ resolvedCount: 1 });
    const [w] = rows();
    expect(w).toMatchObject({ state: 'pushed', change: 'resolved', level: 'red', firing: ['M-BREADWINNER'], signals: ['M-EDUCATION', 'M-BREADWINNER'] });
    expect(team.warnings.hits(w!.warningId).map((h) => [h.signal, h.firing])).toEqual([
      ['M-BREADWINNER', true],
      ['M-EDUCATION', false],
    ]);
  });

  it('after the loop is closed, the same events re-warn only after rewarnMonths, as a new warning', () => {
    const [w] = rows();
    const step = (body: WarningEventBody) => team.warnings.appendLocal([hooks.event(w!.warningId, body)], new Map([[w!.warningId, team.warnings.all(['320111'], {}, now)[0]!.view.head]]), fold);
    step({ kind: 'assigned', assigneeId: 'a1', assigneeName: '核查员' });
    step({ kind: 'decided', decision: { outcome: 'linshi', departments: [] } });
    now = '2024-07-10T02:00:00.000Z';
    step({ kind: 'fed_back', to: '区民政局' });
    // Within rewarnMonths (the closure is after rewarnAfter): nothing opens.
    expect(team.warnings.recordRun(run(), [warning([education, breadwinner])], hooks, '2024-01-01T00:00:00.000Z')).toMatchObject({ newCount: 0 });
    expect(rows().map((r) => r.state)).toEqual(['fed_back']);
    // One event new since: it alone opens a warning.
    const other = { signal: 'M-MEDICAL', eventKey: 'state', level: 'orange' as const, evidence: {} };
    now = '2024-08-01T02:00:00.000Z';
    expect(team.warnings.recordRun(run(), [warning([education, breadwinner, other])], hooks, '2024-01-01T00:00:00.000Z')).toMatchObject({ newCount: 1 });
    const open = rows().find((r) => r.state === 'pushed')!;
    expect(open).toMatchObject({ level: 'orange', signals: ['M-MEDICAL'] });
    // rewarnMonths later (the closure is before rewarnAfter): the closed events re-warn too, on the open warning.
    now = '2025-08-01T02:00:00.000Z';
    team.warnings.appendLocal([hooks.event(open.warningId, { kind: 'assigned', assigneeId: 'a1', assigneeName: '核查员' })], new Map([[open.warningId, open.view.head]]), fold);
    expect(team.warnings.recordRun(run(), [warning([education, breadwinner, other])], hooks, '2025-06-01T00:00:00.000Z')).toMatchObject({ newCount: 0, persistingCount: 1 });
    expect(rows().find((r) => r.warningId === open.warningId)).toMatchObject({ level: 'red', signals: ['M-MEDICAL', 'M-EDUCATION', 'M-BREADWINNER'] });
  });

  it('a re-warning on the same snapshot after the closure is a new warning, not the closed one', () => {
    const t = TeamDb.inMemoryForTests(new Database(':memory:'));
    now = '2024-07-01T02:00:00.000Z';
    t.warnings.recordRun(run(), [warning([education])], hooks, EARLY);
    const first = t.warnings.all(['320111'], {}, now)[0]!;
    for (const body of [{ kind: 'assigned', assigneeId: 'a1', assigneeName: '核查员' }, { kind: 'decided', decision: { outcome: 'linshi', departments: [] } }, { kind: 'fed_back', to: '区民政局' }] as WarningEventBody[]) {
      t.warnings.appendLocal([hooks.event(first.warningId, body)], new Map([[first.warningId, t.warnings.all(['320111'], {}, now).find((r) => r.warningId === first.warningId)!.view.head]]), fold);
    }
    now = '2025-08-01T02:00:00.000Z';
    expect(t.warnings.recordRun(run(), [warning([education])], hooks, '2025-06-01T00:00:00.000Z')).toMatchObject({ newCount: 1 });
    const all = t.warnings.all(['320111'], {}, now);
    expect(all).toHaveLength(2);
    expect(all.find((r) => r.warningId !== first.warningId)).toMatchObject({ state: 'pushed', pushedAt: '2025-08-01T02:00:00.000Z' });
  });
});
