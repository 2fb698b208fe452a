/**
 * Supervisors read the team's audit trail: each member's entries are copied to the team store as they are written
 * (and caught up at login), searchable by member, action and time, and by person ("who viewed or exported this
 * person"). Targets show ID numbers masked; a supervisor sees only members within their scope; others cannot ask.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { formatLocalTime } from '../../src-main/domain/local-time.js';
import { humanTextProblems } from '../helpers/human-text.js';
import { makeBench, waitForRun, withStaff, type TestBench } from '../helpers/workstation.js';

const FULL_ID = /(?<![0-9])[0-9]{17}[0-9X](?![0-9])/;
let b: TestBench;
let staff: Awaited<ReturnType<typeof withStaff>>;

beforeAll(async () => {
  b = makeBench();
  staff = await withStaff(b, ['320111004']);
  // A supervisor of another district: no supervisor here covers 320116, so the service lets them in directly.
  const far = await b.ok('admin-client', 'users.create', { username: 'far.sup', displayName: '外区主管', role: 'supervisor', scope: ['320116'], initialPassword: 'initial-pass-1' });
  b.ws.internals.team.activateMember(staff.supervisor.id, far.id);
  await b.ok('far-client', 'auth.login', { username: 'far.sup', password: 'initial-pass-1' });
  await b.ok('far-client', 'auth.changePassword', { currentPassword: 'initial-pass-1', newPassword: 'far-sup-pass-5678' });
  await b.ok('auditor-client', 'checks.run', {});
  await waitForRun(b, 'auditor-client');
});
afterAll(() => b.cleanup());

describe('team audit trail', () => {
  it("shows who viewed or exported a person, and each member's trail, to supervisors only", async () => {
    const page = await b.ok('auditor-client', 'inbox.page', { filter: {}, sort: { column: 'priority', direction: 'desc' }, offset: 0, limit: 20 });
    const row = page.rows.find((r) => r.personRef)!;
    await b.ok('auditor-client', 'person.file', { personRef: row.personRef! });
    await b.ok('auditor-client', 'person.reveal', { personRef: row.personRef!, reason: '核对户籍信息' });
    await b.ok('auditor-client', 'export.person', { personRef: row.personRef!, format: 'csv', purpose: '入户核查' });

    const about = await b.ok('supervisor-client', 'audit.person', { personRef: row.personRef! });
    const actions = about.entries.map((e) => `${e.username}:${e.action}`);
    expect(actions).toEqual(expect.arrayContaining(['auditor1:person.file', 'auditor1:person.reveal', 'auditor1:export.person']));
    expect(JSON.stringify(about)).not.toMatch(FULL_ID);

    const trail = await b.ok('supervisor-client', 'audit.team', { userId: staff.auditor.id, limit: 200 });
    // Caught up from before the team store existed (the first login) and followed since.
    expect(trail.entries.map((e) => e.action)).toEqual(expect.arrayContaining(['auth.login', 'checks.run', 'inbox.page', 'export.person']));
    expect(trail.entries.every((e) => e.userId === staff.auditor.id)).toBe(true);
    const byAction = await b.ok('supervisor-client', 'audit.team', { actionPrefix: 'export.', limit: 50 });
    expect(byAction.entries.length).toBeGreaterThan(0);
    expect(byAction.entries.every((e) => e.action.startsWith('export.'))).toBe(true);
    const future = await b.ok('supervisor-client', 'audit.team', { from: '2999-01-01', limit: 50 });
    expect(future.entries).toEqual([]);

    // A supervisor of another county sees neither this street's members nor its people.
    expect(await b.call('far-client', 'audit.team', { userId: staff.auditor.id })).toMatchObject({ ok: false, error: { code: 'OUT_OF_SCOPE' } });
    expect((await b.ok('far-client', 'audit.team', {})).entries.every((e) => e.username === 'far.sup')).toBe(true);
    expect(await b.call('far-client', 'audit.person', { personRef: row.personRef! })).toMatchObject({ ok: false, error: { code: 'OUT_OF_SCOPE' } });
    // The trail leaves only as a watermarked, registered export, IDs still masked.
    const exported = await b.ok('supervisor-client', 'export.audit', { format: 'csv', purpose: '季度审计检查', userId: staff.auditor.id });
    // What a reader sees (the export's invisible tag sits in one descriptive cell per row).
    const text = readFileSync(exported.file, 'utf8').replace(/\u200B|\u200C|\u200D|\u2060/g, '');
    expect(text).toContain(exported.exportId);
    expect(text).not.toMatch(FULL_ID);
    expect((await b.ok('supervisor-client', 'export.register', {}))[0]).toMatchObject({ exportId: exported.exportId, kind: 'report' });
    expect(await b.call('far-client', 'export.audit', { format: 'csv', purpose: '越权导出', userId: staff.auditor.id })).toMatchObject({ ok: false, error: { code: 'OUT_OF_SCOPE' } });
    // Auditors and finance cannot read the team's trail.
    for (const client of ['auditor-client', 'finance-client']) expect(await b.call(client, 'audit.team', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
  });

  it("exports the trail in the reader's words and Beijing time: named actions and details, never codes, UTC times or JSON", async () => {
    const trail = (await b.ok('supervisor-client', 'audit.team', { userId: staff.auditor.id, limit: 500 })).entries;
    // The service hands out details in words, never the JSON the chain hashes.
    expect(JSON.stringify(trail.map((e) => e.details))).not.toMatch(/\\"|\{\\"/);
    expect(trail.every((e) => !('detail' in e))).toBe(true);
    const reveal = trail.find((e) => e.action === 'person.reveal')!;
    expect(reveal.details).toContainEqual({ label: expect.stringMatching(/\S/), value: '核对户籍信息' });

    // The supervisor reads Beijing time whatever the machine's zone (the entries are stored in UTC).
    await b.ok('supervisor-client', 'settings.update', { timeZone: 'Asia/Shanghai' });
    const rowsOf = (file: string) => (parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, '').replace(/\u200B|\u200C|\u200D|\u2060/g, ''), { relax_column_count: true }) as string[][]).slice(1);
    const zh = rowsOf((await b.ok('supervisor-client', 'export.audit', { format: 'csv', purpose: '季度审计检查', userId: staff.auditor.id })).file);
    expect(zh[0]).toEqual(['行标记', '时间', '成员', '操作', '对象', '结果', '详情']);
    const zhRows = zh.slice(1);
    expect(zhRows.length).toBe(trail.length);
    // Times as the screen shows them, in Beijing time (the entries are stored in UTC).
    expect(zhRows.map((r) => r[1])).toEqual(trail.map((e) => formatLocalTime(e.ts, { seconds: true, timeZone: 'Asia/Shanghai' })));
    const revealed = zhRows.find((r) => r[3] === '查看完整身份证号')!;
    expect(revealed).toBeTruthy();
    expect(revealed[5]).toBe('成功');
    expect(revealed[6]).toContain('核对户籍信息');
    expect(humanTextProblems(zhRows.map((r) => r.slice(1).join('\n')).join('\n'), ['auditor', 'auditor1'])).toEqual([]);

    await b.ok('supervisor-client', 'settings.update', { language: 'en' });
    try {
      const en = rowsOf((await b.ok('supervisor-client', 'export.audit', { format: 'csv', purpose: 'quarterly audit review', userId: staff.auditor.id })).file);
      expect(en[0]).toEqual(['Row mark', 'Time', 'Member', 'Action', 'Target', 'Outcome', 'Detail']);
      const enRevealed = en.slice(1).find((r) => r[6]!.includes('核对户籍信息'))!;
      expect(enRevealed[3]).not.toMatch(/[\u4e00-\u9fff]|person\.reveal/);
      expect(enRevealed[5]).toBe('OK');
      expect(en.slice(1).map((r) => r.slice(1).join('\n')).join('\n')).not.toMatch(/[{}]|":|\d{4}-\d{2}-\d{2}T/);
    } finally {
      await b.ok('supervisor-client', 'settings.update', { language: 'zh-CN', timeZone: 'system' });
    }
  });

  it('names the findings in the trail by rule, masked subject and title — only those inside the supervisor\'s scope', async () => {
    const page = await b.ok('auditor-client', 'inbox.page', { filter: {}, sort: { column: 'priority', direction: 'desc' }, offset: 0, limit: 5 });
    const row = page.rows.find((r) => r.personRef)!;
    await b.ok('auditor-client', 'finding.detail', { fingerprint: row.fingerprint });
    // A finding of the other district, asked for by the auditor and refused: the trail keeps the attempt, and must not
    // name it to this street's supervisor either.
    await b.ok('far-client', 'checks.run', {});
    await waitForRun(b, 'far-client');
    const elsewhere = (await b.ok('far-client', 'inbox.page', { filter: {}, sort: { column: 'priority', direction: 'desc' }, offset: 0, limit: 1 })).rows[0]!;
    expect(await b.call('auditor-client', 'finding.detail', { fingerprint: elsewhere.fingerprint })).toMatchObject({ ok: false, error: { code: 'OUT_OF_SCOPE' } });

    const entries = (await b.ok('supervisor-client', 'audit.team', { userId: staff.auditor.id, actionPrefix: 'finding.', limit: 50 })).entries;
    const opened = entries.find((e) => e.outcome === 'ok' && e.target === row.fingerprint)!;
    expect(opened.finding).toMatchObject({
      fingerprint: row.fingerprint,
      label: { ruleId: row.ruleId, subjectLabel: row.subjectLabel, subjectName: row.subjectName, divisionName: row.divisionName, title: expect.stringMatching(/\S/) },
    });
    expect(opened.finding!.label!.ruleName.zh).not.toBe(row.ruleId);
    expect(JSON.stringify(entries)).not.toMatch(FULL_ID);
    const refused = entries.find((e) => e.outcome !== 'ok' && e.target === elsewhere.fingerprint)!;
    expect(refused.finding).toEqual({ fingerprint: elsewhere.fingerprint, label: null });
    // The auditor's own trail names them the same way, and the refused one not at all.
    const mine = (await b.ok('auditor-client', 'audit.myHistory', { limit: 20, actionPrefix: 'finding.' })).entries;
    expect(mine.find((e) => e.outcome === 'ok' && e.finding?.fingerprint === row.fingerprint)!.finding!.label).toMatchObject({ ruleId: row.ruleId, subjectLabel: row.subjectLabel });
    expect(mine.find((e) => e.outcome !== 'ok')!.finding).toEqual({ fingerprint: elsewhere.fingerprint, label: null });
    // Entries about no finding carry none.
    const logins = (await b.ok('supervisor-client', 'audit.team', { userId: staff.auditor.id, actionPrefix: 'auth.', limit: 5 })).entries;
    expect(logins.length).toBeGreaterThan(0);
    expect(logins.every((e) => e.finding === null)).toBe(true);
  });

  it('shows each entry to the supervisors of the scope it was made in, not to those of the member\'s scope today', async () => {
    const before = (await b.ok('supervisor-client', 'audit.team', { userId: staff.auditor.id, limit: 500 })).entries;
    const lastSeq = Math.max(...before.map((e) => e.seq));
    // The auditor moves to the other district; what they do from now on belongs to it.
    await b.ok('admin-client', 'users.update', { id: staff.auditor.id, scope: ['320116'] });
    await b.ok('auditor-client', 'home.summary', {});
    await b.ok('auditor-client', 'inbox.views');
    const mine = (await b.ok('supervisor-client', 'audit.team', { limit: 500 })).entries.filter((e) => e.userId === staff.auditor.id);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((e) => e.seq <= lastSeq)).toBe(true);
    const far = (await b.ok('far-client', 'audit.team', { limit: 500 })).entries.filter((e) => e.userId === staff.auditor.id);
    expect(far.length).toBeGreaterThan(0);
    expect(far.every((e) => e.seq > lastSeq)).toBe(true);
  });
});
