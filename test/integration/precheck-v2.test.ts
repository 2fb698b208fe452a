/**
 * The pre-check judges an applicant household's means by rules.md v2, with the region's parameter values: income left
 * out by policy (基础养老金, 高龄津贴) does not refuse it, an exempt vehicle does not, the employment deduction is applied;
 * each refusal names its policy basis. Hand-made households, D = 2024-06-30, S = 1,100.00 元.
 */
import { describe, expect, it } from 'vitest';
import type { AnyRow, IncomeSource } from '../../src-main/domain/exchange/rows.js';
import { composeIdNumber } from '../../src-main/domain/id-number.js';
import { precheck } from '../../src-main/services/checks/precheck.js';
import { SnapshotDb } from '../../src-main/store/snapshot/snapshot-db.js';
import { SnapshotWriter } from '../../src-main/store/snapshot/snapshot-writer.js';

const D = '2024-06-30';
const S = 110_000;
const YEAR = Array.from({ length: 12 }, (_, i) => (i < 6 ? `2023-${String(i + 7).padStart(2, '0')}` : `2024-${String(i - 5).padStart(2, '0')}`));
let seq = 0;

function world(build: (w: { rows: AnyRow[]; person(age: number): string; income(p: string, source: IncomeSource, cents: (month: number) => number): void }) => void) {
  const rows: AnyRow[] = [{ table: 'policy', row: { division_prefix: '3201', program: 'dibao', effective_from: '2023-01-01', standard_monthly_cents: S } }];
  const household = `H${++seq}`;
  const people: string[] = [];
  build({
    rows,
    person(age) {
      const birth = `${2024 - age}-01-15`;
      const id = composeIdNumber('320111', birth, (++seq % 400) * 2 + 1);
      rows.push({ table: 'person', row: { person_id: id, name: '张某', gender: '1', birth_date: birth, ethnicity: '01', hukou_division: '320111001001', phone: null } });
      rows.push({ table: 'household_member', row: { household_id: household, person_id: id, relation: people.length ? '02' : '01' } });
      people.push(id);
      return id;
    },
    income(p, source, cents) {
      YEAR.forEach((period, i) => rows.push({ table: 'income_record', row: { person_id: p, source, period, amount_cents: cents(i) } }));
    },
  });
  rows.push({ table: 'household', row: { household_id: household, head_person_id: people[0]!, division_code: '320111001001', address: 'x', urban_rural: '1' } });
  const writer = SnapshotWriter.inMemory();
  for (const r of rows) writer.write(r);
  return { snapshot: SnapshotDb.fromDatabase(writer.finish({ snapshotId: 'p', asOf: D, jurisdiction: ['320111'], createdAt: 'x' })!, 'synced'), people };
}

const codes = (r: ReturnType<typeof precheck>) => r.reasons.map((x) => x.code);

describe('pre-check with rule library v2', () => {
  it('counts income as the policy says: excluded sources left out, the line itself passes, one 分 over refuses with its basis', () => {
    for (const [extra, expected] of [[0, 'pass'], [1, 'fail']] as const) {
      const { snapshot, people } = world((w) => {
        const a = w.person(45);
        const b = w.person(82);
        w.income(a, 'pension', (i) => 2 * S + (i === 3 ? extra : 0));
        w.income(b, 'basic_pension', () => 20_000);
        w.income(b, 'elderly_allowance', () => 10_000);
      });
      const r = precheck(snapshot, { personIds: people, program: 'dibao' });
      expect(r.outcome, `extra ${extra}`).toBe(expected);
      expect(r.figures).toEqual({ members: 2, months: 12, incomeCents12m: 24 * S + extra, thresholdCents: 24 * S });
      if (expected === 'fail') {
        expect(codes(r)).toEqual(['INCOME_TOO_HIGH']);
        expect(r.reasons[0]!.details!.basis).toMatchObject({ zh: '《最低生活保障审核确认办法》（民发〔2021〕57号）' });
      }
      snapshot.close();
    }
  });

  it('applies the region’s employment deduction and vehicle exemption limit', () => {
    const { snapshot, people } = world((w) => {
      const a = w.person(40);
      w.person(70);
      w.income(a, 'wage', () => 2 * S + 33_000);
      w.rows.push({ table: 'vehicle', row: { plate: `苏A${++seq}`, person_id: a, vehicle_type: 'car', registered_date: '2020-01-01', deregistered_date: null, value_cents: 4_000_000, exempt_reason: null } });
    });
    expect(codes(precheck(snapshot, { personIds: people, program: 'dibao' })).sort()).toEqual(['FAILS_ASSET_TEST', 'INCOME_TOO_HIGH']);
    // 0.3 × S = 330.00 元 a month deducted from the wage; a car worth 40,000 元 is under a 50,000 元 limit.
    const region = precheck(snapshot, { personIds: people, program: 'dibao', parameters: { employmentDeductionRatio: 0.3, vehicleExemptValue: 5_000_000 } });
    expect(region).toMatchObject({ outcome: 'pass', figures: { incomeCents12m: 24 * S } });
    // A region's shorter window: the income of its months against S × months × members.
    const quarter = precheck(snapshot, { personIds: people, program: 'dibao', parameters: { incomeMonths: 3 } });
    expect(quarter.figures).toEqual({ members: 2, months: 3, incomeCents12m: 3 * (2 * S + 33_000), thresholdCents: 3 * S * 2 });
    snapshot.close();
  });

  it('an exempt vehicle (medical) passes; a 低保边缘 applicant at 1.5 times the line is refused', () => {
    const exempt = world((w) => {
      const a = w.person(50);
      w.rows.push({ table: 'vehicle', row: { plate: `苏A${++seq}`, person_id: a, vehicle_type: 'car', registered_date: '2020-01-01', deregistered_date: null, value_cents: 9_000_000, exempt_reason: 'medical' } });
    });
    expect(precheck(exempt.snapshot, { personIds: exempt.people, program: 'dibao' }).outcome).toBe('pass');
    const edge = world((w) => {
      const a = w.person(50);
      w.income(a, 'pension', () => Math.round(1.5 * S));
    });
    const r = precheck(edge.snapshot, { personIds: edge.people, program: 'dibao_edge' });
    expect(codes(r)).toEqual(['INCOME_TOO_HIGH']);
    expect(r.reasons[0]!.details).toMatchObject({ multiple: 1.5, thresholdCents: 18 * S });
  });

  it('judges a 特困 applicant by the v2 certificate list: level-3 intellectual disability is unable to work, level-3 physical is not', () => {
    for (const [type, expected] of [['5', 'pass'], ['4', 'fail']] as const) {
      const { snapshot, people } = world((w) => {
        const a = w.person(45);
        w.rows.push({ table: 'disability_cert', row: { person_id: a, disability_type: type, disability_level: 3, valid_from: '2020-01-01', valid_to: null } });
      });
      const r = precheck(snapshot, { personIds: people, program: 'tekun' });
      expect(r.outcome, `type ${type}`).toBe(expected);
      if (expected === 'fail') {
        expect(codes(r)).toEqual(['ATTRIBUTES']);
        expect(r.reasons[0]!.details!.basis).toMatchObject({ zh: expect.stringContaining('特困人员认定办法') });
      }
      snapshot.close();
    }
  });
});

