/**
 * The Q-rules on the new tables (rules.md v2) on hand-made rows: what a generated district does not show — a 渐退 whose
 * enrollment names no household (its person's counts), an empty household_id (names nothing) — and every new problem
 * said in Chinese, without codes.
 */
import { describe, expect, it } from 'vitest';
import type { AnyRow } from '../../src-main/domain/exchange/rows.js';
import { composeIdNumber } from '../../src-main/domain/id-number.js';
import { resolveParameters } from '../../src-main/domain/rules/rule-library.js';
import { terms } from '../../src-main/platform/terms.js';
import { ruleModule } from '../../src-main/rules/index.js';
import { explainEvidence } from '../../src-main/services/evidence/explain-evidence.js';
import { SnapshotDb } from '../../src-main/store/snapshot/snapshot-db.js';
import { SnapshotWriter } from '../../src-main/store/snapshot/snapshot-writer.js';
import { humanTextProblems } from '../helpers/human-text.js';

const D = '2024-06-30';
const A = composeIdNumber('320111', '1970-01-01', 11);
const B = composeIdNumber('320111', '1971-01-01', 13);
const STRANGER = composeIdNumber('320111', '1972-01-01', 15);

function run(rows: AnyRow[]) {
  const writer = SnapshotWriter.inMemory();
  const base: AnyRow[] = [
    { table: 'person', row: { person_id: A, name: '张一', gender: '1', birth_date: '1970-01-01', ethnicity: '01', hukou_division: '320111001001', phone: null } },
    { table: 'person', row: { person_id: B, name: '李二', gender: '1', birth_date: '1971-01-01', ethnicity: '01', hukou_division: '320111001001', phone: null } },
    { table: 'household', row: { household_id: 'H1', head_person_id: A, division_code: '320111001001', address: 'x', urban_rural: '1' } },
    { table: 'household', row: { household_id: 'H2', head_person_id: B, division_code: '320111001001', address: 'y', urban_rural: '1' } },
    { table: 'household_member', row: { household_id: 'H1', person_id: A, relation: '01' } },
    { table: 'household_member', row: { household_id: 'H2', person_id: B, relation: '01' } },
  ];
  for (const r of [...base, ...rows]) writer.write(r);
  const snapshot = SnapshotDb.fromDatabase(writer.finish({ snapshotId: 'q', asOf: D, jurisdiction: ['320111'], createdAt: 'x' })!, 'synced');
  const found = new Map<string, string[]>();
  const words: string[] = [];
  for (const id of ['Q-ORPHAN', 'Q-DICT', 'Q-DATES']) {
    const m = ruleModule(id)!;
    for (const r of snapshot.runRule(m, resolveParameters(m.definition), null)) {
      found.set(`${id}|${r.subject_id}`, [...(found.get(`${id}|${r.subject_id}`) ?? []), r.facts ?? '']);
      words.push(...explainEvidence(id, JSON.parse(r.evidence), { t: terms('zh-CN'), asOf: D, amountCents: null, parameters: {}, divisionName: () => null }).summary);
    }
  }
  snapshot.close();
  return { found, words };
}

const enrollment = (id: string, person: string, household: string | null): AnyRow => ({
  table: 'enrollment',
  row: { enrollment_id: id, person_id: person, household_id: household as string, program: 'dibao', status: 'stopped', start_date: '2020-01-01', end_date: '2021-01-01', monthly_amount_cents: 1, support_mode: null, cause: null },
});
const gradual = (enrollmentId: string, household: string | null, start: string, end = start): AnyRow => ({
  table: 'gradual_exit',
  row: { enrollment_id: enrollmentId, household_id: household, start_period: start, end_period: end, pay_ratio: null, reason: null, approved_by: null },
});

describe('Q-rules on the new tables', () => {
  it('a 渐退 row is held to its enrollment’s household, else its person’s; an empty household names nothing', () => {
    const { found } = run([
      enrollment('E1', A, 'H1'),
      enrollment('E2', A, null), // no household on the enrollment: A's (H1)
      gradual('E1', 'H1', '2021-01'), // its own: quiet
      gradual('E1', 'H2', '2021-02'), // another household
      gradual('E1', null, '2021-03'), // none: quiet
      gradual('E2', 'H1', '2021-01'), // the person's household: quiet
      gradual('E2', 'H2', '2021-02'), // not the person's
      gradual('E9', 'H1', '2021-01'), // no such enrollment
      gradual('E1', 'H9', '2021-04'), // no such household (not also "differs")
    ]);
    expect([...found.entries()].filter(([k]) => k.startsWith('Q-ORPHAN')).sort()).toEqual([
      ['Q-ORPHAN|gradual_exit:E1|2021-02', ['household differs from its enrollment']],
      ['Q-ORPHAN|gradual_exit:E1|2021-04', ['household missing']],
      ['Q-ORPHAN|gradual_exit:E2|2021-02', ['household differs from its enrollment']],
      ['Q-ORPHAN|gradual_exit:E9|2021-01', ['enrollment missing']],
    ]);
  });

  it('says every new problem in Chinese, without codes', () => {
    const { found, words } = run([
      enrollment('E1', A, 'H1'),
      gradual('E1', 'H2', '2021-03', '2021-02'),
      { table: 'school_enrollment', row: { person_id: STRANGER, school_level: 'high_school', full_time: '1', start_date: '2023-09-01', expected_end_date: '2023-06-30', status: 'enrolled' } },
      { table: 'imprisonment', row: { person_id: B, start_date: '2024-07-01', end_date: '2024-06-01', kind: 'detention' } },
      { table: 'consent', row: { consent_id: 'C1', household_id: 'H9', person_id: STRANGER, for_person_id: null, role: 'member', signed_date: '2024-07-02', method: '传真' as never, valid_to: null } },
      { table: 'application', row: { application_id: 'A1', household_id: 'H1', person_id: A, program: 'linshi', applied_date: '2024-07-01', decided_date: '2024-07-05', outcome: 'pending', refusal_reason: null } },
    ]);
    expect(found.get('Q-ORPHAN|consent:C1')?.sort()).toEqual(['household missing', 'person missing']);
    expect(found.get('Q-DATES|application:A1')?.sort()).toEqual(['applied_date after the snapshot date', 'decided_date after the snapshot date']);
    expect(found.get('Q-DATES|imprisonment:' + B + '|2024-07-01')?.sort()).toEqual(['released before it started', 'start_date after the snapshot date']);
    expect(found.get('Q-DICT|consent:C1.method')).toEqual(['consent.method = 传真']);
    const text = words.join('\n');
    for (const phrase of ['渐退截止月早于渐退起始月', '所填家庭与其享受记录所属家庭不一致', '预计毕业日期早于入学日期', '释放日期早于收监日期', '申请日期晚于数据截至日', '对应的家庭不存在', '普通高中']) expect(text, phrase).toContain(phrase);
    expect(humanTextProblems(text)).toEqual([]);
  });
});
