/**
 * Must show: the edge cases of rules.md, each on a hand-made household — ages exactly 18 and 60, end_date = D,
 * income exactly at the standard, vehicles deregistered on D, certificates expiring, a move-out followed by a move back.
 */
import { describe, expect, it } from 'vitest';
import type { AnyRow } from '../../src-main/domain/exchange/rows.js';
import { composeIdNumber } from '../../src-main/domain/id-number.js';
import { runChecks } from '../../src-main/services/checks/rule-engine.js';
import { RULE_MODULES } from '../../src-main/rules/index.js';
import type { RegionalParameter } from '../../src-main/domain/rules/rule-library.js';
import { SnapshotDb } from '../../src-main/store/snapshot/snapshot-db.js';
import { SnapshotWriter } from '../../src-main/store/snapshot/snapshot-writer.js';
import { systemClock } from '../../src-main/platform/clock.js';

const D = '2024-06-30';
const STANDARD = 110000; // 1,100.00 元
let seq = 0;
/** rules.md v1's catalogue. */
const V1_RULES = ['R-DEATH', 'R-HUKOU-OUT', 'R-MUTEX', 'R-ATTR', 'R-EXIT', 'R-COVER', 'Q-ID-CONSISTENCY', 'Q-ORPHAN', 'Q-DUP-HOUSEHOLD', 'Q-DICT', 'Q-DATES', 'F-AFTER-DEATH', 'F-AFTER-EXIT', 'F-DUPLICATE', 'F-AMOUNT'];

class World {
  lastRun: Awaited<ReturnType<typeof runChecks>> | null = null;
  rows: AnyRow[] = [
    { table: 'policy', row: { division_prefix: '3201', program: 'dibao', effective_from: '2023-07-01', standard_monthly_cents: STANDARD } },
  ];
  household(members: { birth: string; gender?: '1' | '2' }[], division = '320111001001'): { householdId: string; people: string[] } {
    const householdId = `H${++seq}`;
    const people = members.map((m) => composeIdNumber('320111', m.birth, (++seq % 400) * 2 + 1));
    people.forEach((id, i) => {
      this.rows.push({ table: 'person', row: { person_id: id, name: `人${i}`, gender: '1', birth_date: members[i]!.birth, ethnicity: '01', hukou_division: '320111001001', phone: null } });
      this.rows.push({ table: 'household_member', row: { household_id: householdId, person_id: id, relation: i === 0 ? '01' : '03' } });
    });
    this.rows.push({ table: 'household', row: { household_id: householdId, head_person_id: people[0]!, division_code: division, address: 'x', urban_rural: '1' } });
    return { householdId, people };
  }
  enroll(person: string, householdId: string, program: string, end: string | null = null, status: 'active' | 'stopped' = 'active') {
    this.rows.push({ table: 'enrollment', row: { enrollment_id: `E${++seq}`, person_id: person, household_id: householdId, program, status, start_date: '2020-01-01', end_date: end, monthly_amount_cents: 50000, support_mode: null, cause: null } });
  }
  income(person: string, monthly: number, lastMonthExtra = 0) {
    for (let m = 7; m <= 18; m++) {
      const period = `${m <= 12 ? 2023 : 2024}-${String(((m - 1) % 12) + 1).padStart(2, '0')}`;
      this.rows.push({ table: 'income_record', row: { person_id: person, source: 'wage', period, amount_cents: monthly + (m === 18 ? lastMonthExtra : 0) } });
    }
  }
  async findings(regional: RegionalParameter[] = [], ruleIds = V1_RULES): Promise<Map<string, string[]>> {
    const writer = SnapshotWriter.inMemory();
    for (const r of this.rows) writer.write(r);
    const snapshot = SnapshotDb.fromDatabase(writer.finish({ snapshotId: 'edge', asOf: D, jurisdiction: ['320111'], createdAt: 'x' })!, 'synced');
    // The v1 rules' edges (the new v2 rules' own are in their tests, e.g. rules-linshi-alive.test.ts).
    const run = await runChecks(snapshot, { clock: systemClock, regional, ruleIds: RULE_MODULES.map((m) => m.definition.id).filter((id) => ruleIds.includes(id)) });
    this.lastRun = run;
    snapshot.close();
    const bySubject = new Map<string, string[]>();
    for (const f of run.findings) bySubject.set(f.subjectId, [...(bySubject.get(f.subjectId) ?? []), f.ruleId]);
    return bySubject;
  }
}

describe('rules.md edge cases', () => {
  it("ages: a children's programme at exactly 18 fires, at 17 years 364 days not; 特困 at exactly 60 is fine, at 59 without a certificate fires", async () => {
    const w = new World();
    const turned18 = w.household([{ birth: '2006-06-30' }]);
    const still17 = w.household([{ birth: '2006-07-01' }]);
    const tekun60 = w.household([{ birth: '1964-06-30' }]);
    const tekun59 = w.household([{ birth: '1964-07-01' }]);
    const tekun18 = w.household([{ birth: '2006-06-30' }]);
    w.enroll(turned18.people[0]!, turned18.householdId, 'child_difficulty');
    w.enroll(still17.people[0]!, still17.householdId, 'child_difficulty');
    w.enroll(tekun60.people[0]!, tekun60.householdId, 'tekun');
    w.enroll(tekun59.people[0]!, tekun59.householdId, 'tekun');
    w.enroll(tekun18.people[0]!, tekun18.householdId, 'tekun');
    const f = await w.findings();
    expect(f.get(turned18.people[0]!)).toEqual(['R-ATTR']);
    expect(f.get(still17.people[0]!)).toBeUndefined();
    expect(f.get(tekun60.people[0]!)).toBeUndefined();
    expect(f.get(tekun59.people[0]!)).toEqual(['R-ATTR']);
    expect(f.get(tekun18.people[0]!)).toEqual(['R-ATTR']);
  });

  it('an enrollment ending on D is active; one that ended the day before is not', async () => {
    const w = new World();
    const endsOnD = w.household([{ birth: '1950-01-01' }]);
    const endedBefore = w.household([{ birth: '1950-01-02' }]);
    w.enroll(endsOnD.people[0]!, endsOnD.householdId, 'elderly_alone', D);
    w.enroll(endedBefore.people[0]!, endedBefore.householdId, 'elderly_alone', '2024-06-29');
    for (const h of [endsOnD, endedBefore]) w.rows.push({ table: 'death_record', row: { person_id: h.people[0]!, death_date: '2024-05-01', source: '公安' } });
    const f = await w.findings();
    expect(f.get(endsOnD.people[0]!)).toEqual(['R-DEATH']);
    expect(f.get(endedBefore.people[0]!)).toBeUndefined();
  });

  it('income exactly at the standard: 低保 stays, 低保边缘 should be covered; one 分 more flips both', async () => {
    const w = new World();
    const dibaoAt = w.household([{ birth: '1970-01-01' }]);
    const dibaoOver = w.household([{ birth: '1970-01-02' }]);
    const edgeAt = w.household([{ birth: '1970-01-03' }]);
    const edgeOver = w.household([{ birth: '1970-01-04' }]);
    for (const [h, program, extra] of [[dibaoAt, 'dibao', 0], [dibaoOver, 'dibao', 1], [edgeAt, 'dibao_edge', 0], [edgeOver, 'dibao_edge', 1]] as const) {
      w.enroll(h.people[0]!, h.householdId, program);
      w.income(h.people[0]!, STANDARD, extra);
    }
    const f = await w.findings();
    expect(f.get(dibaoAt.householdId)).toBeUndefined();
    expect(f.get(dibaoOver.householdId)).toEqual(['R-EXIT']);
    expect(f.get(edgeAt.householdId)).toEqual(['R-COVER']);
    expect(f.get(edgeOver.householdId)).toBeUndefined();
  });

  it('a car deregistered on D is no longer held; one deregistered the day after still is', async () => {
    const w = new World();
    const goneOnD = w.household([{ birth: '1971-01-01' }]);
    const goneAfter = w.household([{ birth: '1971-01-02' }]);
    for (const [h, dereg] of [[goneOnD, D], [goneAfter, '2024-07-01']] as const) {
      w.enroll(h.people[0]!, h.householdId, 'dibao');
      w.rows.push({ table: 'vehicle', row: { plate: `苏A${++seq}`, person_id: h.people[0]!, vehicle_type: 'car', registered_date: '2019-01-01', deregistered_date: dereg } });
    }
    const f = await w.findings();
    expect(f.get(goneOnD.householdId)).toBeUndefined();
    expect(f.get(goneAfter.householdId)).toEqual(['R-EXIT']);
  });

  it('a certificate valid to D still counts; one that expired the day before does not', async () => {
    const w = new World();
    const validToD = w.household([{ birth: '1972-01-01' }]);
    const expired = w.household([{ birth: '1972-01-02' }]);
    for (const [h, validTo] of [[validToD, D], [expired, '2024-06-29']] as const) {
      w.enroll(h.people[0]!, h.householdId, 'disability_living');
      w.rows.push({ table: 'disability_cert', row: { person_id: h.people[0]!, disability_type: '4', disability_level: 3, valid_from: '2020-01-01', valid_to: validTo } });
    }
    const f = await w.findings();
    expect(f.get(validToD.people[0]!)).toBeUndefined();
    expect(f.get(expired.people[0]!)).toEqual(['R-ATTR']);
  });

  it('a move out of the jurisdiction fires; a move out and back, or a move inside it, does not', async () => {
    const w = new World();
    const gone = w.household([{ birth: '1973-01-01' }]);
    const back = w.household([{ birth: '1973-01-02' }]);
    const inside = w.household([{ birth: '1973-01-03' }]);
    for (const h of [gone, back, inside]) w.enroll(h.people[0]!, h.householdId, 'dibao');
    const move = (person: string, type: 'move_out' | 'move_in', date: string, to: string) =>
      w.rows.push({ table: 'hukou_event', row: { person_id: person, event_type: type, event_date: date, from_division: '320111001001', to_division: to } });
    move(gone.people[0]!, 'move_out', '2024-03-01', '320106001001');
    move(back.people[0]!, 'move_out', '2024-02-01', '320106001001');
    move(back.people[0]!, 'move_in', '2024-04-01', '320111001001');
    move(inside.people[0]!, 'move_out', '2024-03-01', '320111002001');
    const f = await w.findings();
    expect(f.get(gone.people[0]!)).toEqual(['R-HUKOU-OUT']);
    expect(f.get(back.people[0]!)).toBeUndefined();
    expect(f.get(inside.people[0]!)).toBeUndefined();
  });
});

describe('the household judgement in two parts, one per snapshot thread', () => {
  /** The household's counted income as a finding's evidence shows it (the totals row). */
  const judgedIncome = (run: World['lastRun'], ruleId: string, subject: string) => {
    const finding = run!.findings.find((f) => f.ruleId === ruleId && f.subjectId === subject)!;
    const rows = (JSON.parse(finding.evidenceJson) as { rows: { table: string; values: Record<string, unknown> }[] }).rows;
    return rows.find((r) => r.table === 'income_record' && 'income_cents' in r.values)!.values;
  };

  it('a 低保 household that also has 刚性支出, or a 单人保 member, is judged in both parts, alike', async () => {
    const w = new World();
    // 低保 for the household and a 刚性支出 recognition of it; income three times the line.
    const rigid = w.household([{ birth: '1970-02-01' }, { birth: '1972-02-01' }]);
    w.enroll(rigid.people[0]!, rigid.householdId, 'dibao');
    w.enroll(rigid.people[0]!, rigid.householdId, 'rigid_expense');
    w.income(rigid.people[1]!, STANDARD * 3);
    // 低保 for the household through one member, 单人保 for another; income three times the line.
    const single = w.household([{ birth: '1950-03-01' }, { birth: '1975-03-01' }]);
    w.enroll(single.people[1]!, single.householdId, 'dibao');
    w.rows.push({ table: 'enrollment', row: { enrollment_id: `E${++seq}`, person_id: single.people[0]!, household_id: single.householdId, program: 'dibao', coverage: 'single', status: 'active', start_date: '2020-01-01', end_date: null, monthly_amount_cents: 50000, support_mode: null, cause: null } });
    w.income(single.people[1]!, STANDARD * 3);
    // One household in each part alone: 低保 over the line, 低保边缘 under it.
    const dibaoOnly = w.household([{ birth: '1971-04-01' }]);
    w.enroll(dibaoOnly.people[0]!, dibaoOnly.householdId, 'dibao');
    w.income(dibaoOnly.people[0]!, STANDARD * 2);
    const edgeOnly = w.household([{ birth: '1971-05-01' }]);
    w.enroll(edgeOnly.people[0]!, edgeOnly.householdId, 'dibao_edge');
    w.income(edgeOnly.people[0]!, STANDARD / 2);
    const f = await w.findings([], ['R-EXIT', 'R-RIGID', 'R-SINGLE', 'R-EDGE', 'R-COVER']);
    expect(f.get(rigid.householdId)?.sort()).toEqual(['R-EXIT', 'R-RIGID']);
    expect(f.get(single.householdId)).toEqual(['R-EXIT']);
    expect(f.get(single.people[0]!)).toEqual(['R-SINGLE']);
    expect(f.get(dibaoOnly.householdId)).toEqual(['R-EXIT']);
    expect(f.get(edgeOnly.householdId)).toEqual(['R-COVER']);
    // The same counted income, members and standard from either part.
    expect(judgedIncome(w.lastRun, 'R-RIGID', rigid.householdId)).toEqual(judgedIncome(w.lastRun, 'R-EXIT', rigid.householdId));
    expect(judgedIncome(w.lastRun, 'R-SINGLE', single.people[0]!)).toEqual(judgedIncome(w.lastRun, 'R-EXIT', single.householdId));
    expect(judgedIncome(w.lastRun, 'R-EXIT', rigid.householdId)).toMatchObject({ income_cents: STANDARD * 3 * 12, members: 2 });
    expect(judgedIncome(w.lastRun, 'R-EXIT', single.householdId)).toMatchObject({ income_cents: STANDARD * 3 * 12, members: 2 });
  });
});

describe('parameters per region and effective date', () => {
  it('a street that set its own child age limit judges its 18-year-olds by it; the rest of the district by the default', async () => {
    const w = new World();
    const here = w.household([{ birth: '2006-06-30' }], '320111001001');
    const there = w.household([{ birth: '2006-06-29' }], '320111002001');
    w.enroll(here.people[0]!, here.householdId, 'child_difficulty');
    w.enroll(there.people[0]!, there.householdId, 'child_difficulty');
    const regional: RegionalParameter[] = [
      { ruleId: 'R-ATTR', name: 'childMaxAge', divisionPrefix: '320111001', effectiveFrom: '2024-01-01', value: 18 },
      // Not yet in force at D: ignored.
      { ruleId: 'R-ATTR', name: 'childMaxAge', divisionPrefix: '320111002', effectiveFrom: '2024-07-01', value: 18 },
    ];
    const f = await w.findings(regional);
    expect(f.get(here.people[0]!)).toBeUndefined();
    expect(f.get(there.people[0]!)).toEqual(['R-ATTR']);
    const recorded = w.lastRun!.rules.find((r) => r.id === 'R-ATTR')!;
    expect(recorded.parameters.childMaxAge).toBe(17);
    expect(recorded.regional).toEqual([{ region: '320111001', parameters: expect.objectContaining({ childMaxAge: 18 }) }]);
  });
});
