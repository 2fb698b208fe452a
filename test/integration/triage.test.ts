/**
 * Triage through the service contract: the inbox inside the scope, finding detail, the case workflow with four eyes,
 * bulk actions, the profile, masking and reveal, learning from outcomes, and merging cases between workstations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { addMember, makeBench, withStaff, type TestBench, waitForRun } from '../helpers/workstation.js';
import type { TeamDb } from '../../src-main/store/team/team-db.js';
import { maskIdNumber } from '../../src-main/domain/id-number.js';

const STREET = '320111004';
const FULL_ID = /\d{17}[\dX]/;

const sort = { column: 'priority' as const, direction: 'desc' as const };

describe('triage', () => {
  let b: TestBench;
  let staff: Awaited<ReturnType<typeof withStaff>>;
  let team: TeamDb;
  let teamDb: Database;
  let streetAuditorId: string;

  beforeAll(async () => {
    b = makeBench();
    staff = await withStaff(b, ['320111']);
    // An auditor scoped to one street.
    const street = await addMember(b, 'supervisor-client', { client: 'street-client', username: 'street1', displayName: '街道审计员', role: 'auditor', scope: [STREET], password: 'street-pass-5678' });
    streetAuditorId = street.id;
    await b.ok('supervisor-client', 'checks.run', {});
    await waitForRun(b, 'supervisor-client');
    team = b.ws.internals.team.forUser(staff.supervisor.id);
    teamDb = (team as unknown as { db: Database }).db;
  }, 60_000);
  afterAll(() => b.cleanup());

  it('the team store is shared: the street auditor and the supervisor see the same cases (one per person), each inside their own scope', async () => {
    const all = await b.ok('supervisor-client', 'inbox.page', { filter: {}, sort, offset: 0, limit: 10 });
    const casesIn = (prefix: string) =>
      teamDb.prepare(`SELECT count(DISTINCT coalesce(person_id, fingerprint)) FROM finding WHERE state = 'open' AND division_code LIKE ?`).pluck().get(`${prefix}%`) as number;
    const expectedAll = casesIn('320111');
    expect(all.total).toBe(expectedAll);
    // The demo has persons with more than one finding (死亡未停保 and 死亡后发放): fewer cases than findings.
    expect(expectedAll).toBeLessThan(teamDb.prepare(`SELECT count(*) FROM finding WHERE state = 'open' AND division_code LIKE '320111%'`).pluck().get() as number);
    const street = await b.ok('street-client', 'inbox.page', { filter: {}, sort, offset: 0, limit: 500 });
    const expectedStreet = casesIn(STREET);
    expect(street.total).toBe(expectedStreet);
    expect(street.total).toBeGreaterThan(0);
    expect(street.total).toBeLessThan(all.total);
  });

  it('an auditor scoped to one street never sees, counts or reaches a finding or person outside it', async () => {
    const outside = teamDb.prepare(`SELECT fingerprint, person_id, subject_name FROM finding WHERE division_code NOT LIKE ? AND person_id IS NOT NULL LIMIT 1`).get(`${STREET}%`) as {
      fingerprint: string;
      person_id: string;
      subject_name: string;
    };
    // Pages, every sort and every facet.
    for (const column of ['priority', 'amount', 'name', 'division', 'rule'] as const) {
      let offset = 0;
      for (;;) {
        const page = await b.ok('street-client', 'inbox.page', { filter: { findingState: 'all' }, sort: { column, direction: 'asc' }, offset, limit: 500 });
        expect(page.rows.every((r) => r.divisionCode.startsWith(STREET))).toBe(true);
        expect(JSON.stringify(page.rows)).not.toMatch(FULL_ID);
        offset += page.rows.length;
        if (page.rows.length < 500) break;
      }
    }
    const facets = await b.ok('street-client', 'inbox.facets', { filter: { findingState: 'all' } });
    // Every case counted once per facet — and once under each of its rules and families.
    const inStreet = (what: string) => teamDb.prepare(`SELECT count(DISTINCT ${what}) FROM finding WHERE division_code LIKE ?`).pluck().get(`${STREET}%`) as number;
    const sum = (list: { count: number }[]) => list.reduce((n, f) => n + f.count, 0);
    for (const facet of [facets.division, facets.caseState, facets.change, facets.assignee]) expect(sum(facet)).toBe(inStreet('coalesce(person_id, fingerprint)'));
    expect(sum(facets.rule)).toBe(inStreet("coalesce(person_id, fingerprint) || '|' || rule_id"));
    expect(sum(facets.family)).toBe(inStreet("coalesce(person_id, fingerprint) || '|' || family"));
    expect(facets.division.every((d) => d.value.startsWith(STREET))).toBe(true);
    // A name from elsewhere finds nothing; a wider prefix is refused.
    const byName = await b.ok('street-client', 'inbox.page', { filter: { text: outside.subject_name, findingState: 'all' }, sort, offset: 0, limit: 50 });
    expect(byName.rows.every((r) => r.divisionCode.startsWith(STREET))).toBe(true);
    expect(await b.call('street-client', 'inbox.page', { filter: {}, divisionPrefix: '320111', sort, offset: 0, limit: 5 })).toMatchObject({ ok: false, error: { code: 'OUT_OF_SCOPE' } });
    expect(await b.call('street-client', 'inbox.facets', { filter: {}, divisionPrefix: '320116' })).toMatchObject({ ok: false, error: { code: 'OUT_OF_SCOPE' } });
    // Detail, actions and bulk on a finding outside: refused, in the same words as a finding that does not exist.
    const refusedDetail = await b.call('street-client', 'finding.detail', { fingerprint: outside.fingerprint });
    const missing = await b.call('street-client', 'finding.detail', { fingerprint: 'f'.repeat(32) });
    expect(refusedDetail).toEqual(missing);
    expect(refusedDetail).toMatchObject({ ok: false, error: { code: 'OUT_OF_SCOPE' } });
    expect(await b.call('street-client', 'case.act', { fingerprint: outside.fingerprint, expectedHead: null, command: { kind: 'note', text: 'x' } })).toMatchObject({ ok: false, error: { code: 'OUT_OF_SCOPE' } });
    const mine = (await b.ok('street-client', 'inbox.page', { filter: {}, sort, offset: 0, limit: 1 })).rows[0]!;
    expect(await b.call('street-client', 'case.bulk', { fingerprints: [mine.fingerprint, outside.fingerprint], command: { kind: 'note', text: 'x' }, apply: false })).toMatchObject({
      ok: false,
      error: { code: 'OUT_OF_SCOPE' },
    });
    // A person outside, by reference: refused.
    const ref = b.ws.internals.refs.toRef(outside.person_id);
    expect(await b.call('street-client', 'person.file', { personRef: ref })).toMatchObject({ ok: false, error: { code: 'OUT_OF_SCOPE' } });
    expect(await b.call('street-client', 'person.reveal', { personRef: ref, reason: '核对户籍信息' })).toMatchObject({ ok: false, error: { code: 'OUT_OF_SCOPE' } });
    // A forged reference is no way in either.
    expect(await b.call('street-client', 'person.file', { personRef: `p_${'A'.repeat(40)}` })).toMatchObject({ ok: false, error: { code: 'OUT_OF_SCOPE' } });
    // The refusals are in the street auditor's own audit trail.
    const refusals = (await b.ok('street-client', 'audit.myHistory', { limit: 50 })).entries.filter((e) => e.outcome === 'denied').map((e) => e.action);
    expect(refusals).toEqual(expect.arrayContaining(['finding.detail', 'case.act', 'case.bulk', 'person.file', 'person.reveal', 'inbox.page']));
  });

  it('detail explains why it fired; the case goes through verification to confirmed, with a second person above the amount', async () => {
    await b.ok('supervisor-client', 'case.setPolicy', { approvalThresholdCents: 100_000 });
    const page = await b.ok('street-client', 'inbox.page', { filter: { ruleIds: ['R-DEATH'], minAmountCents: 100_000 }, sort: { column: 'amount', direction: 'desc' }, offset: 0, limit: 1 });
    const lead = page.rows[0]!;
    expect(lead.caseAmountCents!).toBeGreaterThanOrEqual(100_000);
    // 一人一案: the person's 死亡未停保 and 死亡后发放 are one case; the payments both point at are counted once.
    expect(lead.caseRuleIds).toEqual(expect.arrayContaining(['R-DEATH', 'F-AFTER-DEATH']));
    const leadDetail = await b.ok('street-client', 'finding.detail', { fingerprint: lead.fingerprint });
    expect(leadDetail.caseFindings.map((f) => f.ruleId).sort()).toEqual([...lead.caseRuleIds].sort());
    expect(new Set(leadDetail.caseFindings.map((f) => f.caseKey))).toEqual(new Set([lead.caseKey]));
    const own = leadDetail.caseFindings.map((f) => f.amountCents ?? 0);
    expect(lead.caseAmountCents!).toBeGreaterThanOrEqual(Math.max(...own));
    expect(lead.caseAmountCents!).toBeLessThan(own.reduce((a, b) => a + b, 0));
    const row = leadDetail.caseFindings.find((f) => f.ruleId === 'R-DEATH')!;
    const detail = await b.ok('street-client', 'finding.detail', { fingerprint: row.fingerprint });
    expect(detail.case).toEqual(leadDetail.case);
    expect(detail.rule).toMatchObject({ id: 'R-DEATH', name: { zh: '死亡未停保' } });
    // Said in words, with the policy it rests on: the death date, the programme, the money after death.
    expect(detail.rule.description.zh).toContain('死亡');
    expect(detail.rule.basis.map((b) => b.zh).join()).toContain('民发〔2021〕57号');
    const death = detail.explanation.rows.find((r) => r.table === '死亡登记')!;
    expect(death.fields.map((f) => f.label)).toContain('死亡日期');
    expect(detail.explanation.summary[0]).toMatch(/^\d{4}-\d{2}-\d{2} 登记死亡（来源：.+），.+仍在享受；死亡当月之后已发放 [\d,]+\.\d{2} 元。$/);
    expect(detail.explanation.summary[0]).toContain(`${(row.amountCents! / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })} 元`);
    expect(JSON.stringify(detail.explanation)).not.toMatch(/death_date|enrollment|_cents|"active"/);
    expect(JSON.stringify(detail)).not.toMatch(FULL_ID);

    const act = (command: object, head: string | null, client = 'street-client') =>
      b.call(client, 'case.act', { fingerprint: row.fingerprint, expectedHead: head, command: command as never });
    let c = (await b.ok('street-client', 'case.act', { fingerprint: row.fingerprint, expectedHead: null, command: { kind: 'transition', to: 'in_review' } })).case;
    // Someone working from an old view is told, not overwritten.
    expect(await act({ kind: 'transition', to: 'escalated' }, null)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    c = ((await act({ kind: 'transition', to: 'awaiting_verification' }, c.head)) as { ok: true; value: { case: typeof c } }).value.case;
    expect(await act({ kind: 'transition', to: 'confirmed' }, c.head)).toMatchObject({ ok: false, error: { code: 'CASE_REFUSED', details: { refusal: 'needs_verification' } } });
    c = (await b.ok('street-client', 'case.act', {
      fingerprint: row.fingerprint,
      expectedHead: c.head,
      command: { kind: 'verify', verification: { method: 'home_visit', date: '2024-07-02', verifiedBy: '社区网格员 王五', result: 'confirms', note: '家属确认已去世' } },
    })).case;
    c = (await b.ok('street-client', 'case.act', { fingerprint: row.fingerprint, expectedHead: c.head, command: { kind: 'transition', to: 'confirmed' } })).case;
    expect(c).toMatchObject({ state: 'awaiting_verification', pending: { to: 'confirmed' } });
    // Above the amount: the auditor cannot approve, the supervisor can.
    expect(await act({ kind: 'approve' }, c.head)).toMatchObject({ ok: false, error: { code: 'CASE_REFUSED', details: { refusal: 'supervisor_only' } } });
    const pending = await b.ok('supervisor-client', 'inbox.page', { filter: { pendingApproval: true }, sort, offset: 0, limit: 10 });
    expect(pending.rows.map((r) => r.caseKey)).toContain(row.caseKey);
    c = (await b.ok('supervisor-client', 'case.act', { fingerprint: row.fingerprint, expectedHead: c.head, command: { kind: 'approve' } })).case;
    expect(c).toMatchObject({ state: 'confirmed', decision: 'confirmed' });
    c = (await b.ok('street-client', 'case.act', {
      fingerprint: row.fingerprint,
      expectedHead: c.head,
      command: { kind: 'record_outcome', outcome: { benefit: 'stopped', toRecoverCents: row.amountCents!, recoveredCents: 0, date: '2024-07-10' } },
    })).case;
    expect(c.outcome).toMatchObject({ benefit: 'stopped' });
    // Every step is in the auditor's audit trail, naming the finding.
    const history = (await b.ok('street-client', 'audit.myHistory', { limit: 100 })).entries.filter((e) => e.action === 'case.act' && e.target === `线索 ${row.fingerprint.slice(0, 8)}` && e.outcome === 'ok');
    expect(history).toHaveLength(5);
    // A later run (the next snapshot) finds the same anomaly again: the case is still on it, nothing reopened.
    await b.ok('supervisor-client', 'checks.run', {});
    await waitForRun(b, 'supervisor-client');
    const again = await b.ok('street-client', 'finding.detail', { fingerprint: row.fingerprint });
    expect(again.row.change).toBe('persisting');
    expect(again.case).toMatchObject({ state: 'confirmed', outcome: { benefit: 'stopped' } });
    // The supervisor's learning table counts it.
    const learning = await b.ok('supervisor-client', 'learning.stats');
    expect(learning.rules.find((r) => r.ruleId === 'R-DEATH')).toMatchObject({ confirmed: 1 });
    expect(await b.call('street-client', 'learning.stats')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
  });

  it('bulk actions preview what they would do, then apply all at once; finance reads but does not act', async () => {
    const page = await b.ok('street-client', 'inbox.page', { filter: { caseStates: ['new'] }, sort, offset: 0, limit: 8 });
    const fingerprints = page.rows.map((r) => r.fingerprint);
    const assign = { kind: 'assign' as const, assigneeId: streetAuditorId };
    const preview = await b.ok('street-client', 'case.bulk', { fingerprints, command: assign, apply: false });
    expect(preview).toMatchObject({ total: 8, applicable: 8, applied: 0 });
    expect((await b.ok('street-client', 'inbox.page', { filter: { assignee: 'me' }, sort, offset: 0, limit: 50 })).total).toBe(0);
    expect(await b.ok('street-client', 'case.bulk', { fingerprints, command: assign, apply: true })).toMatchObject({ applied: 8 });
    expect((await b.ok('street-client', 'inbox.page', { filter: { assignee: 'me' }, sort, offset: 0, limit: 50 })).total).toBe(8);
    // Confirming in bulk is refused case by case with the reason (no verification recorded).
    const confirm = await b.ok('street-client', 'case.bulk', { fingerprints, command: { kind: 'transition', to: 'confirmed' }, apply: false });
    expect(confirm).toMatchObject({ applicable: 0, byReason: { not_allowed_from_state: 8 } });
    // Someone scoped elsewhere cannot be given a case they could not see.
    const narrow = await b.ok('admin-client', 'users.create', { username: 'other1', displayName: '他街审计员', role: 'auditor', scope: ['320111001'], initialPassword: 'initial-pass-1' });
    const refused = await b.ok('street-client', 'case.bulk', { fingerprints, command: { kind: 'assign', assigneeId: narrow.id }, apply: false });
    expect(refused).toMatchObject({ applicable: 0, byReason: { assignee_out_of_scope: 8 } });
    expect(await b.call('finance-client', 'case.act', { fingerprint: fingerprints[0]!, expectedHead: null, command: { kind: 'note', text: 'x' } })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_ROLE' },
    });
    expect((await b.ok('finance-client', 'inbox.page', { filter: {}, sort, offset: 0, limit: 1 })).total).toBeGreaterThan(0);
  });

  it('one person one file: masked, with household, assistance, payments, events and findings; reveal is a separate audited call', async () => {
    const row = (await b.ok('street-client', 'inbox.page', { filter: { ruleIds: ['R-DEATH'] }, sort, offset: 0, limit: 1 })).rows[0]!;
    const file = await b.ok('street-client', 'person.file', { personRef: row.personRef! });
    expect(file.idLabel).toContain('*');
    expect(JSON.stringify(file)).not.toMatch(FULL_ID);
    expect(file.households[0]!.members.some((m) => m.self)).toBe(true);
    expect(file.enrollments.length).toBeGreaterThan(0);
    expect(file.events.some((e) => e.kind === 'death')).toBe(true);
    expect(file.findings.map((f) => f.fingerprint)).toContain(row.fingerprint);
    const { idNumber } = await b.ok('street-client', 'person.reveal', { personRef: row.personRef!, reason: '核对户籍信息' });
    expect(idNumber).toMatch(FULL_ID);
    expect(idNumber.slice(-4)).toBe(file.idLabel.slice(-4));
    const entries = (await b.ok('street-client', 'audit.myHistory', { limit: 10 })).entries;
    // The reveal is in the trail with its reason; the trail shows the person masked.
    const revealEntry = entries.find((e) => e.action === 'person.reveal')!;
    expect(revealEntry).toMatchObject({ target: maskIdNumber(idNumber), outcome: 'ok' });
    expect(revealEntry.details).toContainEqual({ label: '事由', value: '核对户籍信息' });
    expect(entries.find((e) => e.action === 'person.file')).toMatchObject({ target: maskIdNumber(idNumber), outcome: 'ok' });
    // No reason, no number.
    expect(await b.call('street-client', 'person.reveal', { personRef: row.personRef!, reason: ' ' } as never)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await b.call('finance-client', 'person.reveal', { personRef: row.personRef!, reason: '核对户籍信息' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
    // Searching by ID number: what the screen shows (masked label, last four) or the whole number — never a part that
    // would let counts reveal a masked number digit by digit.
    const search = async (text: string) => (await b.ok('finance-client', 'inbox.page', { filter: { text, findingState: 'all' }, sort, offset: 0, limit: 100 })).rows.map((r) => r.caseKey);
    expect(await search(file.idLabel)).toContain(row.caseKey);
    expect(await search(idNumber.slice(-4))).toContain(row.caseKey);
    expect(await search(idNumber)).toContain(row.caseKey);
    expect(await search(idNumber.slice(0, 10))).toEqual([]);
    expect(await search(idNumber.slice(3, 12))).toEqual([]);
  });

  it('查人 finds a person by whole ID number or by name inside the scope, and the trail records the search, not what was typed', async () => {
    const row = (await b.ok('street-client', 'inbox.page', { filter: { ruleIds: ['R-DEATH'] }, sort, offset: 0, limit: 1 })).rows[0]!;
    const { idNumber } = await b.ok('street-client', 'person.reveal', { personRef: row.personRef!, reason: '核对户籍信息' });
    const byId = await b.ok('street-client', 'person.find', { query: idNumber });
    expect(byId).toEqual([expect.objectContaining({ personRef: row.personRef, idLabel: maskIdNumber(idNumber) })]);
    const byName = await b.ok('street-client', 'person.find', { query: row.subjectName! });
    expect(byName.map((p) => p.personRef)).toContain(row.personRef);
    expect(JSON.stringify(byName)).not.toMatch(FULL_ID);
    // A part of a number finds nobody (counts must not reveal a masked number digit by digit).
    expect(await b.ok('street-client', 'person.find', { query: idNumber.slice(0, 10) })).toEqual([]);
    // Someone outside the street is not found at all.
    const outsider = b.ws.internals.snapshots.forUser('', null)!.anyPersonIn('320111005')!;
    expect(await b.ok('street-client', 'person.find', { query: outsider })).toEqual([]);
    const entry = (await b.ok('street-client', 'audit.myHistory', { limit: 1 })).entries[0]!;
    expect(entry.action).toBe('person.find');
    expect(JSON.stringify(entry)).not.toContain(outsider.slice(6, 14));
  });

  it('saved views are the user\'s own', async () => {
    const view = { name: '死亡未停保·大额', filter: { ruleIds: ['R-DEATH'], minAmountCents: 100_000 }, sort };
    expect(await b.ok('street-client', 'inbox.saveView', { view })).toEqual([view]);
    expect(await b.ok('supervisor-client', 'inbox.views')).toEqual([]);
    expect(await b.ok('street-client', 'inbox.deleteView', { name: view.name })).toEqual([]);
  });

  it('the team store is closed when its last member locks, and an administrator never gets its key', async () => {
    expect(b.ws.internals.registry.teamKeyWrap(b.ws.internals.sessions.get('admin-client')!.user.id)).toBeUndefined();
    expect(await b.call('admin-client', 'inbox.page', { filter: {}, sort, offset: 0, limit: 1 })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
    for (const client of ['auditor-client', 'supervisor-client', 'finance-client', 'street-client']) await b.ok(client, 'auth.lock');
    expect(b.ws.internals.team.hasAccess(staff.auditor.id)).toBe(false);
    expect(team.isOpen).toBe(false);
    await b.ok('street-client', 'auth.unlock', { password: 'street-pass-5678' });
    expect((await b.ok('street-client', 'inbox.page', { filter: {}, sort, offset: 0, limit: 1 })).total).toBeGreaterThan(0);
  });
});
