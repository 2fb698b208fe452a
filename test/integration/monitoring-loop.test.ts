/**
 * The monitoring loop over the service contract (issue 17, Must show): warnings persisted by a run, overdue exactly at
 * their deadline with an injected clock (one ms before: not overdue), the closed loop's refusals (不符合 without a
 * visit, four eyes, out of scope), bulk assignment with a preview, scope, and each audit view listing exactly the
 * warnings planted for it. Everything goes through the dispatcher as the screens call it; the expected deadlines are
 * worked out here from the contract's table (red 3/10, orange 7/20, yellow 15/30 Beijing calendar days), not by the code
 * under test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallOutput } from '../../src-main/contract/contract.js';
import { addMember, ADMIN, makeBench, type TestBench } from '../helpers/workstation.js';

type Row = CallOutput<'monitoring.page'>['rows'][number];

const DAYS = { red: { visit: 3, decide: 10 }, orange: { visit: 7, decide: 20 }, yellow: { visit: 15, decide: 30 } } as const;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The Beijing calendar date of an instant, and 00:00 Beijing of the day `n` days after it, as ms (UTC+8, no DST). */
const beijingDate = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 10);
const overdueMs = (pushedAt: string, days: number) => Date.parse(`${beijingDate(Date.parse(pushedAt))}T00:00:00+08:00`) + (days + 1) * DAY;

let b: TestBench;
const passwords: Record<string, string> = {};
let rows: Row[];
let county: string;
let reds: Row[];
let other: string;

async function all(client: string, filter: Record<string, unknown> = {}): Promise<Row[]> {
  const out: Row[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await b.ok(client, 'monitoring.page', { filter, offset, limit: 500 });
    out.push(...page.rows);
    if (out.length >= page.total) return out;
  }
}

/** Moves the clock and unlocks every session the idle lock closed meanwhile. */
async function moveTo(t: number) {
  b.clock.t = t;
  for (const [client, password] of Object.entries(passwords)) await b.call(client, 'auth.unlock', { password });
}

const head = async (client: string, warningId: string) => (await b.ok(client, 'monitoring.detail', { warningId })).head;

beforeAll(async () => {
  b = makeBench();
  await b.ok('admin-client', 'auth.setupAdmin', ADMIN);
  await b.ok('admin-client', 'users.create', { username: 'sup', displayName: '主管甲', role: 'supervisor', scope: ['320111', '320116'], initialPassword: 'initial-pass-1' });
  await b.ok('sup', 'auth.login', { username: 'sup', password: 'initial-pass-1' });
  await b.ok('sup', 'auth.changePassword', { currentPassword: 'initial-pass-1', newPassword: 'sup-pass-5678' });
  passwords.sup = 'sup-pass-5678';
  const summary = await b.ok('sup', 'monitoring.run');
  expect(summary.newCount).toBeGreaterThan(0);
  rows = await all('sup');
  // The county with the most red warnings: its auditors work the loop; a street auditor elsewhere checks scope.
  const redsBy = new Map<string, Row[]>();
  for (const r of rows.filter((r) => r.level === 'red')) redsBy.set(r.divisionCode.slice(0, 6), [...(redsBy.get(r.divisionCode.slice(0, 6)) ?? []), r]);
  [county, reds] = [...redsBy].sort((a, b) => b[1].length - a[1].length)[0]!;
  other = rows.find((r) => !r.divisionCode.startsWith(county))!.divisionCode.slice(0, 9);
  for (const [client, scope] of [['aud1', [county]], ['aud2', [county]], ['aud-street', [other]]] as const) {
    await addMember(b, 'sup', { client, username: client, displayName: client === 'aud1' ? '核查员一' : client === 'aud2' ? '核查员二' : '街道核查员', role: 'auditor', scope: [...scope], password: `${client}-pass-5678` });
    passwords[client] = `${client}-pass-5678`;
  }
}, 300_000);
afterAll(() => b.cleanup());

describe('warnings in the team store', () => {
  it('records one open warning per household, and a second run over the same snapshot finds them persisting', async () => {
    expect(reds.length).toBeGreaterThanOrEqual(3);
    expect(new Set(rows.map((r) => r.householdId)).size).toBe(rows.length);
    expect(rows.every((r) => r.state === 'pushed' && r.change === 'new' && r.pushedAt === new Date(b.clock.t).toISOString())).toBe(true);
    const again = await b.ok('sup', 'monitoring.run');
    expect(again).toMatchObject({ newCount: 0, persistingCount: rows.length, resolvedCount: 0 });
    const after = await all('sup');
    expect(after.map((r) => r.warningId).sort()).toEqual(rows.map((r) => r.warningId).sort());
    expect(after.every((r) => r.change === 'persisting')).toBe(true);
  });

  it('shows the why in Chinese sentences with the policy basis, and no ID number', async () => {
    const d = await b.ok('sup', 'monitoring.detail', { warningId: reds[0]!.warningId });
    expect(d.signals.length).toBeGreaterThan(0);
    for (const s of d.signals) {
      expect(s.name).toMatch(/[\u4e00-\u9fff]/);
      expect(s.basis.some((x) => x.includes('国办发'))).toBe(true);
      for (const h of s.hits) for (const sentence of h.sentences) expect(sentence).not.toMatch(/\d{17}[\dX]|undefined|\{\{/);
    }
    expect(JSON.stringify(d)).not.toMatch(/\d{17}[\dX]/);
  });

  it('says the why in English for a supervisor who reads English: no Chinese word of the app in the sentences', async () => {
    await b.ok('sup', 'settings.update', { language: 'en' });
    try {
      const d = await b.ok('sup', 'monitoring.detail', { warningId: reds[0]!.warningId });
      const sentences = d.signals.flatMap((s) => s.hits.flatMap((h) => h.sentences));
      expect(sentences.length).toBeGreaterThan(0);
      // Names are the data's; amounts, spans, lists and codes are the app's words, here in English.
      for (const sentence of sentences) expect(sentence).not.toMatch(/元|至|、|（|）|：|级|\{\{/);
      expect(sentences.join(' ')).toMatch(/yuan/);
    } finally {
      await b.ok('sup', 'settings.update', { language: 'zh-CN' });
    }
  });
});

describe('deadlines, with the injected clock', () => {
  it('turns a red warning overdue to visit exactly at 00:00 Beijing after its due date, not a millisecond before', async () => {
    const red = reds[0]!;
    const at = overdueMs(red.pushedAt!, DAYS.red.visit);
    // Pushed 2024-07-01 16:00 Beijing: due 07-04, overdue from 07-05 00:00 Beijing = 07-04 16:00 UTC.
    expect(new Date(at).toISOString()).toBe('2024-07-04T16:00:00.000Z');
    await moveTo(at - 1);
    let overdue = await all('sup', { overdue: 'visit' });
    expect(overdue.map((r) => r.warningId)).not.toContain(red.warningId);
    expect((await b.ok('sup', 'monitoring.detail', { warningId: red.warningId })).row).toMatchObject({ overdue: null, daysLeft: 0, visitDue: '2024-07-04' });
    await moveTo(at);
    overdue = await all('sup', { overdue: 'visit' });
    expect(overdue.map((r) => r.warningId)).toContain(red.warningId);
    expect((await b.ok('sup', 'monitoring.detail', { warningId: red.warningId })).row).toMatchObject({ overdue: 'visit', daysLeft: -1 });
    // Exactly the warnings whose visit deadline has passed, by the contract's table.
    const expected = rows.filter((r) => at >= overdueMs(r.pushedAt!, DAYS[r.level].visit)).map((r) => r.warningId).sort();
    expect(overdue.map((r) => r.warningId).sort()).toEqual(expected);
    const facets = await b.ok('sup', 'monitoring.facets', { filter: {} });
    expect(facets.overdue.find((f) => f.value === 'visit')?.count).toBe(expected.length);
  });
});

describe('regional deadlines', () => {
  it('a region that sets its own days (the parameter mechanism) moves its warnings\' due dates; others keep the defaults', async () => {
    // 2 days to visit an orange warning in one street (the contract's default is 7), set by the supervisor with its source.
    await b.ok('sup', 'rules.setParameter', { name: 'deadlineVisitOrange', divisionPrefix: other, effectiveFrom: '2024-01-01', value: 2, source: '测试：街道处置时限规定' });
    await b.ok('sup', 'monitoring.run');
    const now = await all('sup', { level: ['orange'] });
    const inStreet = now.filter((r) => r.divisionCode.startsWith(other));
    const elsewhere = now.filter((r) => !r.divisionCode.startsWith(other));
    expect(inStreet.length).toBeGreaterThan(0);
    expect(elsewhere.length).toBeGreaterThan(0);
    const plus = (pushedAt: string, days: number) => new Date(Date.parse(`${beijingDate(Date.parse(pushedAt))}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
    for (const r of inStreet) expect(r.visitDue).toBe(plus(r.pushedAt!, 2));
    for (const r of elsewhere) expect(r.visitDue).toBe(plus(r.pushedAt!, 7));
    await b.ok('sup', 'rules.removeParameter', { name: 'deadlineVisitOrange', divisionPrefix: other, effectiveFrom: '2024-01-01' });
    await b.ok('sup', 'monitoring.run');
    for (const r of (await all('sup', { level: ['orange'] })).filter((r) => r.divisionCode.startsWith(other))) expect(r.visitDue).toBe(plus(r.pushedAt!, 7));
  });
});

describe('the closed loop', () => {
  it('assigns in bulk after a preview that changes nothing, only to someone whose scope holds the household', async () => {
    const ids = reds.slice(0, 3).map((r) => r.warningId);
    const preview = await b.ok('sup', 'monitoring.assign', { warningIds: ids, assigneeId: (await member('aud1')).id, apply: false });
    expect(preview).toMatchObject({ total: 3, applicable: 3, applied: 0 });
    expect((await b.ok('sup', 'monitoring.detail', { warningId: ids[0]! })).row.state).toBe('pushed');
    const wrong = await b.ok('sup', 'monitoring.assign', { warningIds: ids, assigneeId: (await member('aud-street')).id, apply: true });
    expect(wrong).toMatchObject({ applicable: 0, applied: 0 });
    expect(wrong.byReason).toEqual([{ reason: 'assignee_out_of_scope', count: 3, label: '被分派人的数据范围不含该户' }]);
    const done = await b.ok('sup', 'monitoring.assign', { warningIds: ids, assigneeId: (await member('aud1')).id, apply: true });
    expect(done).toMatchObject({ applied: 3 });
    expect((await all('aud1', { assignee: 'me' })).map((r) => r.warningId).sort()).toEqual([...ids].sort());
    // Auditors do not assign.
    expect(await b.call('aud1', 'monitoring.assign', { warningIds: ids, assigneeId: (await member('aud1')).id, apply: true })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
  });

  it('refuses 不符合 without a recorded visit, in Chinese, and changes nothing', async () => {
    const id = reds[0]!.warningId;
    const before = await b.ok('aud1', 'monitoring.detail', { warningId: id });
    for (const decision of [
      { outcome: 'not_eligible', reason: 'income', departments: [] },
      { outcome: 'no_need', reason: 'recovered', departments: [] },
    ] as const) {
      const r = await b.call('aud1', 'monitoring.act', { warningId: id, expectedHead: before.head, command: { kind: 'decide', decision: { ...decision, departments: [] } } });
      expect(r).toMatchObject({ ok: false, error: { code: 'WARNING_REFUSED', details: { refusal: 'needs_visit' } } });
      if (!r.ok) expect(r.error.message).toBe('认定“不符合”或“无需救助”前，须先记录入户核查（日期、人员、核查情况）');
    }
    const after = await b.ok('aud1', 'monitoring.detail', { warningId: id });
    expect(after.row.state).toBe('assigned');
    expect(after.history).toEqual(before.history);
  });

  it('records a visit, refuses the visitor deciding a red warning alone, and lets a colleague decide 纳入低保', async () => {
    const id = reds[0]!.warningId;
    const today = beijingDate(b.clock.t);
    const future = await b.call('aud1', 'monitoring.act', {
      warningId: id,
      expectedHead: await head('aud1', id),
      command: { kind: 'visit', visit: { date: '2099-01-01', visitors: '核查员一、社区干部', situation: '户主住院', income: '无', needs: '医疗救助' } },
    });
    expect(future).toMatchObject({ ok: false, error: { details: { refusal: 'visit_in_future' } } });
    const visited = await b.ok('aud1', 'monitoring.act', {
      warningId: id,
      expectedHead: await head('aud1', id),
      command: { kind: 'visit', visit: { date: today, visitors: '核查员一、社区干部', situation: '户主住院，家中无劳动力', income: '每月约 800 元', needs: '低保、医疗救助' } },
    });
    expect(visited.row.state).toBe('visited');
    expect(visited.fourEyes).toBe(true);
    expect(visited.next).not.toContain('decide');
    const alone = await b.call('aud1', 'monitoring.act', { warningId: id, expectedHead: visited.head, command: { kind: 'decide', decision: { outcome: 'enrolled', program: 'dibao', departments: ['medical_insurance'] } } });
    expect(alone).toMatchObject({ ok: false, error: { code: 'WARNING_REFUSED', details: { refusal: 'four_eyes' } } });
    // A stale head is refused too.
    expect(await b.call('aud2', 'monitoring.act', { warningId: id, expectedHead: null, command: { kind: 'decide', decision: { outcome: 'enrolled', program: 'dibao', departments: [] } } })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    const decided = await b.ok('aud2', 'monitoring.act', { warningId: id, expectedHead: visited.head, command: { kind: 'decide', decision: { outcome: 'enrolled', program: 'dibao', departments: ['medical_insurance'] } } });
    expect(decided.row).toMatchObject({ state: 'decided', outcome: 'enrolled' });
    expect(decided.decision).toMatchObject({ outcome: 'enrolled', program: 'dibao', byName: '核查员二' });
    expect(decided.history.at(-1)!.text).toBe('认定：纳入救助（低保）；转介：医保');
    const fed = await b.ok('aud2', 'monitoring.act', { warningId: id, expectedHead: decided.head, command: { kind: 'feed_back', to: '区民政局' } });
    expect(fed.row.state).toBe('fed_back');
    expect(fed.history.map((h) => h.kind)).toEqual(['pushed', 'assigned', 'visited', 'decided', 'fed_back']);
  });

  it('a referral may be decided from assigned without a visit', async () => {
    const id = reds[1]!.warningId;
    const d = await b.ok('aud1', 'monitoring.act', { warningId: id, expectedHead: await head('aud1', id), command: { kind: 'decide', decision: { outcome: 'referred', departments: ['human_resources'] } } });
    expect(d.row.state).toBe('decided');
    // A referral names its department.
    const r = await b.call('aud1', 'monitoring.act', { warningId: reds[2]!.warningId, expectedHead: await head('aud1', reds[2]!.warningId), command: { kind: 'decide', decision: { outcome: 'referred', departments: [] } } });
    expect(r).toMatchObject({ ok: false, error: { details: { refusal: 'needs_department' } } });
  });
});

describe('scope', () => {
  it('a street auditor lists and opens only the warnings of their street; supervisors see the district', async () => {
    const mine = await all('aud-street');
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((r) => r.divisionCode.startsWith(other))).toBe(true);
    expect(mine.map((r) => r.warningId).sort()).toEqual(rows.filter((r) => r.divisionCode.startsWith(other)).map((r) => r.warningId).sort());
    expect(await b.call('aud-street', 'monitoring.detail', { warningId: reds[0]!.warningId })).toMatchObject({ ok: false, error: { code: 'OUT_OF_SCOPE' } });
    expect(await b.call('aud-street', 'monitoring.act', { warningId: reds[2]!.warningId, expectedHead: null, command: { kind: 'feed_back', to: 'x' } })).toMatchObject({ ok: false, error: { code: 'OUT_OF_SCOPE' } });
    expect(await b.call('sup', 'monitoring.assign', { warningIds: [reds[2]!.warningId, 'f'.repeat(32)], assigneeId: (await member('aud1')).id, apply: false })).toMatchObject({ ok: false, error: { code: 'OUT_OF_SCOPE' } });
    expect(await b.call('aud1', 'monitoring.audit')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
    const facets = await b.ok('aud-street', 'monitoring.facets', { filter: {} });
    expect(facets.level.reduce((s, f) => s + f.count, 0)).toBe(mine.length);
  });
});

describe('audit views', () => {
  it('each lists exactly the warnings planted for it', async () => {
    // decided_alone: the region once let one person decide red warnings (fourEyesLevels = yellow only for the county);
    // aud1 visits and decides one alone, then the region's value is taken back — the decision stands, and is listed.
    const r3 = reds[2]!.warningId;
    await b.ok('sup', 'rules.setParameter', { name: 'fourEyesLevels', divisionPrefix: county, effectiveFrom: '2024-01-01', value: ['yellow'], source: '测试：区县临时规定' });
    await b.ok('aud1', 'monitoring.act', {
      warningId: r3,
      expectedHead: await head('aud1', r3),
      command: { kind: 'visit', visit: { date: beijingDate(b.clock.t), visitors: '核查员一', situation: '遭灾', income: '无', needs: '临时救助' } },
    });
    await b.ok('aud1', 'monitoring.act', { warningId: r3, expectedHead: await head('aud1', r3), command: { kind: 'decide', decision: { outcome: 'linshi', departments: [] } } });
    await b.ok('sup', 'rules.removeParameter', { name: 'fourEyesLevels', divisionPrefix: county, effectiveFrom: '2024-01-01' });

    // 60 days after the 纳入低保 decision no dibao enrollment is behind it (the snapshot ends before the push): listed from
    // that instant on, not a millisecond before. By then every red warning without help or referral is 30 days old.
    const decidedAt = Date.parse((await b.ok('sup', 'monitoring.detail', { warningId: reds[0]!.warningId })).decision!.at);
    await moveTo(decidedAt + 60 * DAY - 1);
    expect((await all('sup', { auditView: 'enrolled_no_evidence' })).length).toBe(0);
    await moveTo(decidedAt + 60 * DAY);
    const counts = Object.fromEntries((await b.ok('sup', 'monitoring.audit')).map((v) => [v.view, v.count]));
    const ids = async (auditView: string) => (await all('sup', { auditView })).map((r) => r.warningId).sort();
    expect(await ids('decided_alone')).toEqual([r3]);
    expect(await ids('enrolled_no_evidence')).toEqual([reds[0]!.warningId]);
    expect(await ids('no_visit')).toEqual([]);
    expect(await ids('delayed_decision')).toEqual([]);
    const helped = new Set([reds[0]!.warningId, reds[1]!.warningId, r3]);
    expect(await ids('red_left_alone')).toEqual(rows.filter((r) => r.level === 'red' && !helped.has(r.warningId)).map((r) => r.warningId).sort());
    // Overdue: by the contract's table, every warning not yet visited past its visit deadline or not decided past its decision deadline.
    const decided = new Set([reds[0]!.warningId, reds[1]!.warningId, r3]);
    const expectedOverdue = rows.filter((r) => !decided.has(r.warningId) && b.clock.t >= overdueMs(r.pushedAt!, DAYS[r.level].visit)).map((r) => r.warningId).sort();
    expect(await ids('overdue')).toEqual(expectedOverdue);
    expect(counts).toMatchObject({ decided_alone: 1, enrolled_no_evidence: 1, no_visit: 0, delayed_decision: 0, overdue: expectedOverdue.length });
  });
});

async function member(username: string) {
  const members = await b.ok('sup', 'team.members');
  return members.find((m) => m.displayName === (username === 'aud1' ? '核查员一' : username === 'aud2' ? '核查员二' : '街道核查员'))!;
}
