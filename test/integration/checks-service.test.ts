/** Rule runs through the service contract: inside the user's scope, in the background, recorded and audited. */
import { afterEach, describe, expect, it } from 'vitest';
import { makeBench, withStaff, type TestBench, waitForRun } from '../helpers/workstation.js';
import { maskIdNumber } from '../../src-main/domain/id-number.js';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { resolveParameters } from '../../src-main/domain/rules/rule-library.js';
import { snapshotRows } from '../helpers/snapshot-rows.js';
import { ruleModule } from '../../src-main/rules/index.js';
import { BUILTIN_RULES } from '../../src-main/rules/index.js';

describe('rule runs in the workstation', () => {
  let b: TestBench;
  afterEach(() => b.cleanup());

  it('runs the library inside the scope only, records the run and audits it; a re-run finds everything persisting', async () => {
    b = makeBench();
    await withStaff(b, ['320111']);
    await b.ok('auditor-client', 'checks.run', {});
    const first = await waitForRun(b, 'auditor-client');
    expect(first.lastRun!.rules).toHaveLength(BUILTIN_RULES.length);
    expect(first.byRule.reduce((n, r) => n + r.open, 0)).toBe(first.lastRun!.newCount);
    const team = b.ws.internals.team.forUser(b.ws.internals.sessions.get('auditor-client')!.user.id);
    const divisions = (team as unknown as { db: import('better-sqlite3-multiple-ciphers').Database }).db
      .prepare('SELECT DISTINCT division_code FROM finding')
      .pluck()
      .all() as (string | null)[];
    expect(divisions.length).toBeGreaterThan(0);
    expect(divisions.every((d) => d?.startsWith('320111'))).toBe(true); // 320116 is the same snapshot, outside the scope

    await b.ok('auditor-client', 'checks.run', {});
    const second = await waitForRun(b, 'auditor-client');
    expect(second.lastRun).toMatchObject({ newCount: 0, resolvedCount: 0, persistingCount: first.lastRun!.newCount });
    const actions = (await b.ok('auditor-client', 'audit.myHistory', { limit: 20 })).entries.map((e) => e.action);
    expect(actions.filter((a) => a === 'checks.completed')).toHaveLength(2);
    expect(await b.call('admin-client', 'checks.run', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
  });
});

describe('whose run checked my area', () => {
  let b: TestBench;
  afterEach(() => b.cleanup());

  it("counts a supervisor's run over the district as the auditor's last check, told inside the auditor's street only", async () => {
    b = makeBench();
    const staff = await withStaff(b, ['320111']);
    await b.ok('admin-client', 'users.update', { id: staff.auditor.id, scope: ['320111002'] });
    await b.ok('admin-client', 'users.update', { id: staff.supervisor.id, displayName: '王科长' });
    expect((await b.ok('auditor-client', 'checks.status')).lastRun).toBeNull();

    await b.ok('supervisor-client', 'checks.run', {});
    const district = await waitForRun(b, 'supervisor-client');
    expect(district.lastRun).toMatchObject({ byMe: true, runByName: '王科长', scope: [{ prefix: '320111', name: '浦口区' }] });

    const street = await b.ok('auditor-client', 'checks.status');
    expect(street.lastRun).toMatchObject({ runId: district.lastRun!.runId, byMe: false, runByName: '王科长', scope: [{ prefix: '320111', name: '浦口区' }], finishedAt: district.lastRun!.finishedAt });
    // The district run's counts, cut down to the street: what the auditor's table shows, no figure from other streets.
    const open = street.byRule.reduce((n, r) => n + r.open, 0);
    expect(open).toBeGreaterThan(0);
    expect(street.lastRun!.newCount).toBe(open);
    expect(street.lastRun!.newCount).toBeLessThan(district.lastRun!.newCount);
    expect(street.lastRun!.rules.reduce((n, r) => n + r.count, 0)).toBe(open);
    expect(street.partialRunsSince).toEqual([]);

    // The auditor's own run is now the street's last check; for the supervisor it checked part of the district since.
    await b.ok('auditor-client', 'checks.run', {});
    const own = await waitForRun(b, 'auditor-client');
    expect(own.lastRun).toMatchObject({ byMe: true, runByName: 'auditor 一', scope: [{ prefix: '320111002', name: expect.stringMatching(/街道$/) }], newCount: 0, persistingCount: open });
    const supervisor = await b.ok('supervisor-client', 'checks.status');
    expect(supervisor.lastRun!.runId).toBe(district.lastRun!.runId);
    expect(supervisor.partialRunsSince).toEqual([{ finishedAt: own.lastRun!.finishedAt, runByName: 'auditor 一', byMe: false, scope: [{ prefix: '320111002', name: own.lastRun!.scope![0]!.name }] }]);
  });

  it('names the street runs behind the figures when nobody has checked the whole district yet', async () => {
    b = makeBench();
    const staff = await withStaff(b, ['320111']);
    await b.ok('admin-client', 'users.update', { id: staff.auditor.id, scope: ['320111002'] });
    await b.ok('auditor-client', 'checks.run', {});
    const own = await waitForRun(b, 'auditor-client');
    const supervisor = await b.ok('supervisor-client', 'checks.status');
    // No check of the whole scope, but the street's findings are in the table: the screen says whose run they come from.
    expect(supervisor.lastRun).toBeNull();
    expect(supervisor.byRule.reduce((n, r) => n + r.open, 0)).toBeGreaterThan(0);
    expect(supervisor.partialRunsSince).toEqual([{ finishedAt: own.lastRun!.finishedAt, runByName: 'auditor 一', byMe: false, scope: [{ prefix: '320111002', name: own.lastRun!.scope![0]!.name }] }]);
  });
});

describe('pre-check through the contract', () => {
  let b: TestBench;
  afterEach(() => b.cleanup());

  it('answers inside the scope, refuses (and audits) a division outside it', async () => {
    b = makeBench();
    await withStaff(b, ['320111002']);
    const snapshot = b.ws.internals.snapshots.forUser('', null)!;
    const db = (snapshot as unknown as { db: import('better-sqlite3-multiple-ciphers').Database }).db;
    const dead = db
      .prepare(`SELECT r.person_id FROM death_record r JOIN household_member m USING (person_id) JOIN household h USING (household_id) WHERE h.division_code LIKE '320111002%' LIMIT 1`)
      .pluck()
      .get() as string;
    const division = db.prepare(`SELECT h.division_code FROM household_member m JOIN household h USING (household_id) WHERE m.person_id = ?`).pluck().get(dead) as string;
    const result = await b.ok('auditor-client', 'precheck.household', { personIds: [dead], program: 'elderly_alone', divisionCode: division });
    expect(result.pass).toBe(false);
    expect(result.reasons.map((r) => r.code)).toContain('DECEASED');
    expect(await b.call('auditor-client', 'precheck.household', { personIds: [dead], program: 'dibao', divisionCode: '320116001001' })).toMatchObject({ ok: false, error: { code: 'OUT_OF_SCOPE' } });
    const entries = (await b.ok('auditor-client', 'audit.myHistory', { limit: 5 })).entries;
    expect(entries[0]).toMatchObject({ action: 'precheck.household', target: '320116001001', outcome: 'denied' });
    // Someone who lives in another street is as unknown as someone the platform never heard of: nothing about them leaks.
    const elsewhere = db
      .prepare(`SELECT r.person_id FROM death_record r JOIN household_member m USING (person_id) JOIN household h USING (household_id) WHERE h.division_code NOT LIKE '320111002%' LIMIT 1`)
      .pluck()
      .get() as string;
    const probe = await b.ok('auditor-client', 'precheck.household', { personIds: [elsewhere, '11010519491231002X'], program: 'dibao', divisionCode: division });
    // Both unknown, so 无法判定; named by masked number only.
    expect(probe.outcome).toBe('undetermined');
    expect(probe.reasons).toEqual([
      { code: 'NOT_IN_SNAPSHOT', personId: maskIdNumber(elsewhere) },
      { code: 'NOT_IN_SNAPSHOT', personId: maskIdNumber('11010519491231002X') },
    ]);
    expect(probe.figures).toBeNull(); // no income can be verified for anyone here
    expect(entries[1]).toMatchObject({ action: 'precheck.household', target: division, outcome: 'ok' });
  });
});

describe('data-quality report', () => {
  let b: TestBench;
  afterEach(() => b.cleanup());

  it('profiles every table and column, runs the Q-rules inside the scope, and reports freshness', async () => {
    b = makeBench();
    await withStaff(b, ['320111']);
    const report = await b.ok('auditor-client', 'quality.report');
    const person = report.tables.find((t) => t.table === 'person')!;
    expect(person.rows).toBeGreaterThan(1000);
    // phone is optional and often missing; person_id never.
    expect(person.columns.find((c) => c.column === 'phone')!.empty).toBeGreaterThan(0);
    expect(person.columns.find((c) => c.column === 'person_id')!.empty).toBe(0);
    expect(report.checks.map((c) => c.ruleId)).toEqual(['Q-ID-CONSISTENCY', 'Q-DUP-HOUSEHOLD', 'Q-ORPHAN', 'Q-DICT', 'Q-DATES']);
    expect(report.freshness.find((f) => f.table === 'payment')).toMatchObject({ label: '发放明细', newest: expect.stringMatching(/^2024-06-/) });
    // Named in Chinese, examples in words with no whole ID number.
    expect(person).toMatchObject({ label: '人员基本信息' });
    expect(person.columns.find((c) => c.column === 'phone')!.label).toBe('联系电话');
    for (const c of report.checks) for (const e of c.examples) expect(e).not.toMatch(/\d{17}[\dX]|[a-z]{3,}_/);
    const audit = (await b.ok('auditor-client', 'audit.myHistory', { limit: 1 })).entries[0];
    expect(audit).toMatchObject({ action: 'quality.report', outcome: 'ok' });
  });
});

describe('multi-dimensional query', () => {
  let b: TestBench;
  afterEach(() => b.cleanup());

  it('"children in difficulty with a level-2 disability in a 低保 household": counts by street match a direct recount, inside the scope', async () => {
    b = makeBench();
    await withStaff(b, ['320111']);
    const query = { programs: ['child_difficulty' as const], householdProgram: 'dibao' as const, disabilityLevels: [2] };
    const broad = { programs: ['dibao' as const], ageMin: 60 };
    for (const q of [query, broad]) {
      const result = await b.ok('auditor-client', 'query.run', { query: q });
      const db = (b.ws.internals.snapshots.forUser('', null) as unknown as { db: import('better-sqlite3-multiple-ciphers').Database }).db;
      // Independent recount in plain SQL for the second (broad) query.
      if (q === broad) {
        const expected = db
          .prepare(
            `SELECT count(DISTINCT p.person_id) FROM person p JOIN household_member m USING (person_id) JOIN household h USING (household_id)
              JOIN enrollment e ON e.person_id = p.person_id AND e.program = 'dibao' AND e.status = 'active' AND e.start_date <= '2024-06-30' AND (e.end_date IS NULL OR e.end_date >= '2024-06-30')
             WHERE h.division_code LIKE '320111%'
               AND (CAST(substr('2024-06-30', 1, 4) AS INTEGER) - CAST(substr(p.birth_date, 1, 4) AS INTEGER) - (substr('2024-06-30', 6, 5) < substr(p.birth_date, 6, 5))) >= 60`,
          )
          .pluck()
          .get();
        expect(result.total).toBe(expected);
        expect(result.total).toBeGreaterThan(0);
      }
      expect(result.byDivision.every((d) => d.code.startsWith('320111'))).toBe(true);
      expect(result.persons.every((p) => p.divisionCode.startsWith('320111'))).toBe(true);
      // The list shows masked ID numbers and opaque references, never a full number.
      expect(JSON.stringify(result.persons)).not.toMatch(/(?<![0-9])[0-9]{17}[0-9X](?![0-9])/);
      expect(result.persons.every((p) => p.personLabel.includes('*') && p.personRef.length > 0)).toBe(true);
    }
    expect(await b.call('auditor-client', 'query.run', { query: broad, divisionPrefix: '320116' })).toMatchObject({ ok: false, error: { code: 'OUT_OF_SCOPE' } });
    const saved = await b.ok('auditor-client', 'query.save', { name: '低保户中二级残疾的困境儿童', query });
    expect(saved).toEqual([expect.objectContaining({ name: '低保户中二级残疾的困境儿童', query })]);
    expect(await b.ok('auditor-client', 'query.saved')).toHaveLength(1);
  });
});

describe('regional rule parameters', () => {
  let b: TestBench;
  afterEach(() => b.cleanup());

  it('a supervisor sets a value with its source for a region inside the scope; the next run uses it and records the source', async () => {
    b = makeBench();
    await withStaff(b, ['320111']);
    const set = { name: 'childMaxAge', divisionPrefix: '320111002', effectiveFrom: '2024-01-01', value: 18, source: '某区困境儿童保障实施办法 第五条' };
    const overview = await b.ok('supervisor-client', 'rules.setParameter', set);
    // Values in words in both languages (the Chinese as before); a region's own source is its words in both.
    expect(overview.values).toEqual([expect.objectContaining({ ...set, text: { zh: '18 岁', en: '18 years' }, sourceText: { zh: set.source, en: set.source }, setBy: 'supervisor1' })]);
    expect(overview.catalogue.find((p) => p.name === 'childMaxAge')).toMatchObject({
      defaultText: { zh: '17 岁', en: '17 years' },
      source: '江北新区社会救助规则库（v1 规则目录）',
      sourceText: { zh: '江北新区社会救助规则库（v1 规则目录）', en: 'Jiangbei New Area social-assistance rule library (v1 rule catalogue)' },
      rules: [expect.objectContaining({ id: 'R-ATTR' })],
    });
    // The monitoring signals' parameters name the signals that read them.
    expect(overview.catalogue.find((p) => p.name === 'edgeMultiple')!.rules.map((r) => r.id)).toEqual(expect.arrayContaining(['R-EDGE', 'M-INCOME-DROP']));
    expect(await b.call('auditor-client', 'rules.setParameter', set)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
    expect(await b.call('supervisor-client', 'rules.setParameter', { ...set, divisionPrefix: '320116' })).toMatchObject({ ok: false, error: { code: 'OUT_OF_SCOPE' } });
    expect(await b.call('supervisor-client', 'rules.setParameter', { ...set, name: 'noSuch' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await b.call('supervisor-client', 'rules.setParameter', { ...set, value: 'x' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', details: { problems: [{ path: 'childMaxAge' }] } } });
    // No source, no value.
    expect(await b.call('supervisor-client', 'rules.setParameter', { ...set, source: ' ' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    // The supervisor's next run uses the regional value there and records it with its source.
    await b.ok('supervisor-client', 'checks.run', {});
    const status = await waitForRun(b, 'supervisor-client');
    const attr = status.lastRun!.rules.find((r) => r.id === 'R-ATTR')!;
    expect(attr.parameters.childMaxAge).toBe(17);
    expect(attr.regional).toEqual([{ region: '320111002', parameters: expect.objectContaining({ childMaxAge: 18 }) }]);
    expect(status.lastRun!.parameterValues).toEqual([{ name: 'childMaxAge', label: expect.objectContaining({ zh: '儿童补贴最大年龄' }), divisionPrefix: '320111002', effectiveFrom: '2024-01-01', value: 18, text: { zh: '18 岁', en: '18 years' }, source: set.source, sourceText: { zh: set.source, en: set.source } }]);
    // Auditors see the values (they run with them), and the team store holds them for everyone.
    expect((await b.ok('auditor-client', 'rules.parameters', {})).values).toHaveLength(1);
  });

  it("a region's whole set comes in from a file and goes out as the same file; a bad file changes nothing", async () => {
    b = makeBench();
    await withStaff(b, ['320111']);
    const file = {
      region: '320111',
      effectiveFrom: '2024-07-01',
      parameters: {
        employmentDeductionRatio: { value: 0.3, source: '某市最低生活保障实施细则 第十二条' },
        vehicleExemptValue: { value: '50000.00', source: '某市规定' },
        exclusivePairs: { value: [['dibao', 'tekun']], source: '某市规则库' },
      },
    };
    const overview = await b.ok('supervisor-client', 'rules.importParameters', { fileName: 'p.json', text: JSON.stringify(file) });
    expect(overview.values.map((v) => v.name).sort()).toEqual(['employmentDeductionRatio', 'exclusivePairs', 'vehicleExemptValue']);
    expect(overview.values.find((v) => v.name === 'vehicleExemptValue')).toMatchObject({ value: '50000.00', text: { zh: '50,000.00 元', en: '50,000.00 yuan' } });
    const out = await b.ok('supervisor-client', 'rules.exportParameters', { divisionPrefix: '320111', effectiveFrom: '2024-07-01' });
    expect(JSON.parse(out.text)).toEqual(file);
    // Bad files: every problem named, nothing stored.
    const bad = await b.call('supervisor-client', 'rules.importParameters', { fileName: 'bad.json', text: JSON.stringify({ ...file, parameters: { edgeMultiple: { value: 'x', source: '某文件' }, linshiSplitDays: { value: 30 } } }) });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect((bad as unknown as { error: { details: { problems: { path: string }[] } } }).error.details.problems.map((p) => p.path)).toEqual(['parameters.edgeMultiple.value', 'parameters.linshiSplitDays.source']);
    // …and each in the screens' terms, which name the parameter in the user's language (reasons.parameterFile.*).
    expect((bad as unknown as { error: { details: { problems: { why: unknown }[] } } }).error.details.problems.map((p) => p.why)).toMatchObject([
      { reason: 'parameterFile.value', params: { parameter: { zh: expect.any(String), en: expect.any(String) }, problem: { reason: 'parameterFile.decimal' } } },
      { reason: 'parameterFile.sourceMissing' },
    ]);
    expect(await b.call('supervisor-client', 'rules.importParameters', { fileName: 'wide.json', text: JSON.stringify({ ...file, region: '3201' }) })).toMatchObject({ ok: false, error: { code: 'OUT_OF_SCOPE' } });
    expect((await b.ok('supervisor-client', 'rules.parameters', {})).values).toHaveLength(3);
    // Taken back.
    const after = await b.ok('supervisor-client', 'rules.removeParameter', { name: 'exclusivePairs', divisionPrefix: '320111', effectiveFrom: '2024-07-01' });
    expect(after.values).toHaveLength(2);
  });
});

describe('counted income follows the region\'s employment deduction (rules.md v2 "Income")', () => {
  let b: TestBench;
  afterEach(() => b.cleanup());

  it('a supervisor sets the deduction ratio with its source; the next run\'s R-EXIT findings change as the rule\'s truth predicts', async () => {
    b = makeBench();
    await withStaff(b, ['320111']);
    const openExits = async () => {
      await b.ok('supervisor-client', 'checks.run', {});
      await waitForRun(b, 'supervisor-client');
      const team = b.ws.internals.team.forUser(b.ws.internals.sessions.get('supervisor-client')!.user.id);
      return new Set((team as unknown as { db: Database }).db.prepare("SELECT subject_id FROM finding WHERE rule_id = 'R-EXIT' AND state = 'open'").pluck().all() as string[]);
    };
    const before = await openExits();
    // The reference's prediction for a ratio of 0.5, household by household, from the snapshot's rows.
    const snapshot = b.ws.internals.snapshots.forUser('', null)!;
    const raw = (snapshot as unknown as { db: Database }).db;
    const asOf = snapshot.meta().asOf;
    // R-EXIT's truth (rules.md v2 in plain TypeScript) over the snapshot's rows, inside the supervisor's scope.
    const rows = snapshotRows(raw);
    const inScope = new Set((rows.household ?? []).filter((h) => h.division_code.startsWith('320111')).map((h) => h.household_id));
    const exit = ruleModule('R-EXIT')!;
    const predict = (ratio: number) =>
      new Set(
        exit.truth!(rows, { asOf, jurisdiction: snapshot.meta().jurisdiction, parameters: resolveParameters(exit.definition, { employmentDeductionRatio: ratio }) })
          .map((t) => t.subjectId)
          .filter((h) => inScope.has(h)),
      );
    expect([...predict(0)].sort()).toEqual([...before].sort());
    const expected = predict(0.5);
    // The deduction lifts some wage-earning households back under the line, and never adds one.
    expect(expected.size).toBeLessThan(before.size);
    expect([...expected].every((h) => before.has(h))).toBe(true);

    const source = '某市最低生活保障实施细则 第十二条（就业成本按低保标准的50%扣减）';
    await b.ok('supervisor-client', 'rules.setParameter', { name: 'employmentDeductionRatio', divisionPrefix: '320111', effectiveFrom: '2020-01-01', value: 0.5, source });
    const after = await openExits();
    expect([...after].sort()).toEqual([...expected].sort());
    // The run records the value and its source, and "why it fired" shows the value the finding was judged with.
    const status = await b.ok('supervisor-client', 'checks.status', {});
    expect(status.lastRun!.parameterValues).toContainEqual(expect.objectContaining({ name: 'employmentDeductionRatio', value: 0.5, source }));
    const row = (await b.ok('supervisor-client', 'inbox.page', { filter: { ruleIds: ['R-EXIT'] }, sort: { column: 'amount', direction: 'desc' }, offset: 0, limit: 1 })).rows[0]!;
    const detail = await b.ok('supervisor-client', 'finding.detail', { fingerprint: row.fingerprint });
    expect(detail.rule.parameters.find((p) => p.name === 'employmentDeductionRatio')).toMatchObject({ value: 0.5, text: { zh: '0.5 倍', en: '0.5 times' }, source: { zh: source, en: source } });
    // A value nobody set here names the document of its default.
    const excluded = detail.rule.parameters.find((p) => p.name === 'excludedSources')!;
    expect(excluded.source.zh).toContain('民发〔2021〕57号');
    expect(excluded.text.zh).toContain('基础养老金（2021-07-01 至 2025-12-31）');
    // …and in English, the document's title translated and the sources named, without Chinese.
    expect(excluded.source.en).toContain('Minimum Living Guarantees (MCA 2021 No. 57)');
    expect(excluded.text.en).toContain("Residents' basic pension (2021-07-01 to 2025-12-31)");
    expect(`${excluded.source.en} ${excluded.text.en}`).not.toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('rules of one\'s own', () => {
  let b: TestBench;
  afterEach(() => b.cleanup());

  it('previews hits inside the scope, keeps versions, refuses unknown columns, and runs with the library', async () => {
    b = makeBench();
    await withStaff(b, ['320111']);
    const rule = {
      id: 'U-DIBAO-CAR',
      name: { zh: '低保对象名下有摩托车', en: 'Dibao recipient owning a motorcycle' },
      severity: 'low' as const,
      policy: 'Motorcycles do not fail the asset test; worth a home visit.',
      query: { programs: ['dibao' as const], fields: [{ table: 'vehicle', column: 'vehicle_type', op: '=' as const, value: 'motorcycle' }] },
    };
    const preview = await b.ok('auditor-client', 'rules.customPreview', { rule });
    const db = (b.ws.internals.snapshots.forUser('', null) as unknown as { db: import('better-sqlite3-multiple-ciphers').Database }).db;
    const expected = db
      .prepare(
        `SELECT count(DISTINCT v.person_id) FROM vehicle v JOIN enrollment e ON e.person_id = v.person_id AND e.program = 'dibao' AND e.status = 'active'
           AND e.start_date <= '2024-06-30' AND (e.end_date IS NULL OR e.end_date >= '2024-06-30')
           JOIN household_member m ON m.person_id = v.person_id JOIN household h USING (household_id)
          WHERE v.vehicle_type = 'motorcycle' AND h.division_code LIKE '320111%'`,
      )
      .pluck()
      .get();
    expect(preview.total).toBe(expected);
    expect(preview.total).toBeGreaterThan(0);
    expect(await b.call('auditor-client', 'rules.customPreview', { rule: { ...rule, query: { fields: [{ table: 'person', column: 'password', op: '=', value: 'x' }] } } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    await b.ok('auditor-client', 'rules.customSave', { rule });
    const saved = await b.ok('auditor-client', 'rules.customSave', { rule: { ...rule, severity: 'medium' } });
    expect(saved).toEqual([expect.objectContaining({ version: 2, rule: expect.objectContaining({ severity: 'medium' }) })]);
    expect(await b.call('auditor-client', 'rules.customSave', { rule: { ...rule, id: 'R-DEATH' } })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });

    await b.ok('auditor-client', 'checks.run', {});
    const status = await waitForRun(b, 'auditor-client');
    expect(status.lastRun!.rules.find((r) => r.id === 'U-DIBAO-CAR')).toMatchObject({ version: 2, count: preview.total });
    expect(status.byRule.find((r) => r.ruleId === 'U-DIBAO-CAR')!.open).toBe(preview.total);

    // Shared as a file: the supervisor imports the auditor's export; a file with one bad rule changes nothing.
    const exported = (await b.ok('auditor-client', 'rules.customList')).map((r) => r.rule);
    const broken = { ...rule, id: 'U-BROKEN', query: { fields: [{ table: 'vehicle', column: 'no_such_column', op: '=' as const, value: 1 }] } };
    expect(await b.call('supervisor-client', 'rules.customImport', { rules: [...exported, broken] })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await b.ok('supervisor-client', 'rules.customList')).toEqual([]);
    const imported = await b.ok('supervisor-client', 'rules.customImport', { rules: exported });
    expect(imported).toEqual([expect.objectContaining({ version: 1, savedBy: 'supervisor1', rule: expect.objectContaining({ id: 'U-DIBAO-CAR', severity: 'medium' }) })]);
  });
});
