/**
 * R-REVIEW 定期核查逾期 and R-CONSENT 核对授权缺失 at every boundary rules.md v2 names, on hand-made households: the SQL
 * (snapshot.runRule) and the rule's own truth (truth.ts over the same rows) both, with the facts of the fingerprint.
 * D = 2024-08-31, so that addMonths clamps: six months before is 2024-02-29, twelve 2023-08-31.
 */
import { describe, expect, it } from 'vitest';
import type { AnyRow, ConsentRow, ReviewRow } from '../../src-main/domain/exchange/rows.js';
import { composeIdNumber } from '../../src-main/domain/id-number.js';
import { resolveParameters } from '../../src-main/domain/rules/rule-library.js';
import type { DistrictRows } from '../../src-main/rules/plant-kit.js';
import rConsent from '../../src-main/rules/r-consent/index.js';
import rReview from '../../src-main/rules/r-review/index.js';
import type { RuleModule } from '../../src-main/rules/types.js';
import { SnapshotDb } from '../../src-main/store/snapshot/snapshot-db.js';
import { SnapshotWriter } from '../../src-main/store/snapshot/snapshot-writer.js';

const D = '2024-08-31';
let seq = 0;

class World {
  rows: AnyRow[] = [{ table: 'policy', row: { division_prefix: '3201', program: 'dibao', effective_from: '2023-01-01', standard_monthly_cents: 110000 } }];

  household(births: string[]): { id: string; people: string[] } {
    const id = `H${++seq}`;
    const people = births.map((b) => composeIdNumber('320111', b, (++seq % 450) * 2 + 1));
    people.forEach((p, i) => {
      this.rows.push({ table: 'person', row: { person_id: p, name: `张${i}`, gender: '1', birth_date: births[i]!, ethnicity: '01', hukou_division: '320111001001', phone: null } });
      this.rows.push({ table: 'household_member', row: { household_id: id, person_id: p, relation: i === 0 ? '01' : '02' } });
    });
    this.rows.push({ table: 'household', row: { household_id: id, head_person_id: people[0]!, division_code: '320111001001', address: 'x', urban_rural: '1' } });
    return { id, people };
  }
  enroll(person: string, household: string, program: string, start: string, status: 'active' | 'stopped' = 'active') {
    this.rows.push({ table: 'enrollment', row: { enrollment_id: `E${++seq}`, person_id: person, household_id: household, program, status, start_date: start, end_date: null, monthly_amount_cents: 50000, support_mode: null, cause: null } });
  }
  review(household: string, date: string, result: ReviewRow['result'] = 'unchanged') {
    this.rows.push({ table: 'review', row: { household_id: household, review_date: date, reviewer: '核查员', result } });
  }
  consent(household: string, signer: string, role: ConsentRow['role'], signed: string, o: { forPerson?: string; validTo?: string } = {}) {
    this.rows.push({ table: 'consent', row: { consent_id: `C${++seq}`, household_id: household, person_id: signer, for_person_id: o.forPerson ?? null, role, signed_date: signed, method: 'paper', valid_to: o.validTo ?? null } });
  }
  add(row: AnyRow) {
    this.rows.push(row);
  }

  /** The rule's findings by subject (facts), from the SQL; and the subjects its truth finds, which must be the same. */
  run(m: RuleModule): Map<string, string> {
    const writer = SnapshotWriter.inMemory();
    for (const r of this.rows) writer.write(r);
    const snapshot = SnapshotDb.fromDatabase(writer.finish({ snapshotId: 't', asOf: D, jurisdiction: ['320111'], createdAt: 'x' })!, 'synced');
    const parameters = resolveParameters(m.definition);
    const found = snapshot.runRule(m, parameters, null);
    snapshot.close();
    const byTable: DistrictRows = {};
    for (const r of this.rows) ((byTable[r.table] ??= []) as unknown[]).push(r.row);
    const truth = m.truth!(byTable, { asOf: D, jurisdiction: ['320111'], parameters });
    expect(found.map((f) => f.subject_id).sort(), 'SQL and truth agree').toEqual(truth.map((t) => t.subjectId).sort());
    for (const f of found) expect(() => JSON.parse(f.evidence)).not.toThrow();
    return new Map(found.map((f) => [f.subject_id, f.facts ?? '']));
  }
}

describe('R-REVIEW 定期核查逾期', () => {
  it('a yearly household: reviewed exactly twelve months before D is on time, a day earlier is overdue', () => {
    const w = new World();
    const onTime = w.household(['1950-03-01']);
    const late = w.household(['1950-03-02']);
    for (const [h, date] of [[onTime, '2023-08-31'], [late, '2023-08-30']] as const) {
      w.enroll(h.people[0]!, h.id, 'tekun', '2019-01-01');
      w.review(h.id, '2023-01-15');
      w.review(h.id, date);
    }
    const f = w.run(rReview);
    expect(f.get(onTime.id)).toBeUndefined();
    expect(f.get(late.id)).toBe('overdue|2023-08-30');
  });

  it('never reviewed: the baseline is the first active 低保/特困 start', () => {
    const w = new World();
    const onTime = w.household(['1950-03-01', '1952-01-01']);
    const late = w.household(['1950-03-02', '1952-01-01']);
    w.enroll(onTime.people[0]!, onTime.id, 'dibao', '2023-08-31');
    w.enroll(late.people[0]!, late.id, 'dibao', '2023-08-30');
    // An older review than the enrolment does not move the baseline back.
    w.review(late.id, '2022-01-01');
    const f = w.run(rReview);
    expect(f.get(onTime.id)).toBeUndefined();
    expect(f.get(late.id)).toBe('overdue|2023-08-30');
  });

  it('收入不固定 (低保, an able-bodied member of 16–59, wage in the year): six months, clamped to 2024-02-29', () => {
    const w = new World();
    const make = (review: string, o: { wagePeriod?: string; wage?: number; cert?: [string, number]; student?: boolean; prison?: boolean; program?: string } = {}) => {
      const h = w.household(['1960-01-01', '1990-05-05']);
      w.enroll(h.people[0]!, h.id, o.program ?? 'dibao', '2018-01-01');
      w.review(h.id, review);
      w.add({ table: 'income_record', row: { person_id: h.people[1]!, source: 'wage', period: o.wagePeriod ?? '2024-05', amount_cents: o.wage ?? 80000 } });
      if (o.cert) w.add({ table: 'disability_cert', row: { person_id: h.people[1]!, disability_type: o.cert[0], disability_level: o.cert[1], valid_from: '2020-01-01', valid_to: null } });
      if (o.student) w.add({ table: 'school_enrollment', row: { person_id: h.people[1]!, school_level: 'undergraduate', full_time: '1', start_date: '2023-09-01', expected_end_date: '2027-06-30', status: 'enrolled' } });
      if (o.prison) w.add({ table: 'imprisonment', row: { person_id: h.people[1]!, start_date: '2024-01-01', end_date: null, kind: 'prison' } });
      return h.id;
    };
    const onTime = make('2024-02-29');
    const late = make('2024-02-28');
    const wageBeforeYear = make('2024-02-28', { wagePeriod: '2023-08' });
    const wageFirstMonthOfYear = make('2024-02-28', { wagePeriod: '2023-09' });
    const noWage = make('2024-02-28', { wage: 0 });
    const unable = make('2024-02-28', { cert: ['4', 2] });
    const certNotListed = make('2024-02-28', { cert: ['4', 3] });
    const student = make('2024-02-28', { student: true });
    const inPrison = make('2024-02-28', { prison: true });
    const tekunOnly = make('2024-02-28', { program: 'tekun' });
    const f = w.run(rReview);
    expect(f.get(onTime)).toBeUndefined();
    expect(f.get(late)).toBe('overdue|2024-02-28');
    expect(f.get(wageBeforeYear)).toBeUndefined();
    expect(f.get(wageFirstMonthOfYear)).toBe('overdue|2024-02-28');
    expect(f.get(noWage)).toBeUndefined();
    expect(f.get(unable)).toBeUndefined();
    expect(f.get(certNotListed)).toBe('overdue|2024-02-28');
    expect(f.get(student)).toBeUndefined();
    expect(f.get(inPrison)).toBeUndefined();
    expect(f.get(tekunOnly)).toBeUndefined();
  });

  it('a stop decided at the latest review: 31 days later is within the month, 32 days is not executed', () => {
    const w = new World();
    const make = (review: string, start = '2018-01-01') => {
      const h = w.household(['1950-01-01']);
      w.enroll(h.people[0]!, h.id, 'dibao', start);
      w.review(h.id, '2024-03-01');
      w.review(h.id, review, 'stopped');
      return h.id;
    };
    const day31 = make('2024-07-31');
    const day32 = make('2024-07-30');
    const readmitted = make('2024-05-01', '2024-06-01');
    const f = w.run(rReview);
    expect(f.get(day31)).toBeUndefined();
    expect(f.get(day32)).toBe('stop_not_executed|2024-07-30');
    expect(f.get(readmitted)).toBeUndefined();
  });

  it('only households on 低保 or 特困 at D', () => {
    const w = new World();
    const edge = w.household(['1950-01-01']);
    w.enroll(edge.people[0]!, edge.id, 'dibao_edge', '2018-01-01');
    const stopped = w.household(['1950-01-01']);
    w.enroll(stopped.people[0]!, stopped.id, 'dibao', '2018-01-01', 'stopped');
    expect(w.run(rReview).size).toBe(0);
  });
});

describe('R-CONSENT 核对授权缺失', () => {
  const T0 = '2024-01-10'; // the grace period's last day: 2024-02-09
  const household = (w: World, births: string[], program = 'dibao') => {
    const h = w.household(births);
    w.enroll(h.people[0]!, h.id, program, T0);
    return h;
  };

  it('initial: an adult at T0 signing on T0 + 30 is covered, on T0 + 31 not', () => {
    const w = new World();
    const inTime = household(w, ['1960-01-01', '1962-01-01']);
    const late = household(w, ['1960-01-01', '1962-01-01']);
    const never = household(w, ['1960-01-01', '1962-01-01']);
    for (const [h, signed] of [[inTime, '2024-02-09'], [late, '2024-02-10']] as const) {
      w.consent(h.id, h.people[0]!, 'member', '2024-01-01');
      w.consent(h.id, h.people[1]!, 'member', signed);
    }
    w.consent(never.id, never.people[0]!, 'member', '2024-01-01');
    const f = w.run(rConsent);
    expect(f.get(inTime.id)).toBeUndefined();
    expect(f.get(late.id)).toBe(`initial|${late.people[1]}`);
    expect(f.get(never.id)).toBe(`expired,initial|${never.people[1]}`);
  });

  it('expired: valid to D covers, valid to the day before does not; a consent signed after D or for another household does not count', () => {
    const w = new World();
    const toD = household(w, ['1950-01-01'], 'tekun');
    const lapsed = household(w, ['1950-01-01'], 'tekun');
    const afterD = household(w, ['1950-01-01'], 'rigid_expense');
    const elsewhere = household(w, ['1950-01-01'], 'dibao_edge');
    w.consent(toD.id, toD.people[0]!, 'member', '2024-01-01', { validTo: D });
    w.consent(lapsed.id, lapsed.people[0]!, 'member', '2024-01-01', { validTo: '2024-08-30' });
    w.consent(afterD.id, afterD.people[0]!, 'member', '2024-09-01');
    w.consent(toD.id, elsewhere.people[0]!, 'member', '2024-01-01');
    const f = w.run(rConsent);
    expect(f.get(toD.id)).toBeUndefined();
    expect(f.get(lapsed.id)).toBe(`expired|${lapsed.people[0]}`);
    expect(f.get(afterD.id)).toBe(`expired,initial|${afterD.people[0]}`);
    expect(f.get(elsewhere.id)).toBe(`expired,initial|${elsewhere.people[0]}`);
  });

  it('minors: a guardian for all under 18 or for the child covers; none does not; 18 at D needs their own', () => {
    const w = new World();
    const all = household(w, ['1985-01-01', '2015-01-01']);
    const named = household(w, ['1985-01-01', '2015-01-01']);
    const none = household(w, ['1985-01-01', '2015-01-01']);
    const turned18 = household(w, ['1985-01-01', '2006-08-31']); // 17 at T0, 18 on D
    const still17 = household(w, ['1985-01-01', '2006-09-01']);
    for (const h of [all, named, none, turned18, still17]) w.consent(h.id, h.people[0]!, 'member', '2024-01-01');
    for (const h of [all, turned18, still17]) w.consent(h.id, h.people[0]!, 'guardian', '2024-01-01');
    w.consent(named.id, named.people[0]!, 'guardian', '2024-01-01', { forPerson: named.people[1] });
    const f = w.run(rConsent);
    expect(f.get(all.id)).toBeUndefined();
    expect(f.get(named.id)).toBeUndefined();
    expect(f.get(none.id)).toBe(`expired|${none.people[1]}`);
    expect(f.get(turned18.id)).toBe(`expired|${turned18.people[1]}`);
    expect(f.get(still17.id)).toBeUndefined();
  });

  it('a deceased member is ignored; a proxy signs for a member; the uncovered members are listed in order', () => {
    const w = new World();
    const dead = household(w, ['1950-01-01', '1951-01-01']);
    const proxy = household(w, ['1940-01-01', '1951-01-01']);
    const two = household(w, ['1950-01-01', '1951-01-01', '1952-01-01']);
    w.consent(dead.id, dead.people[0]!, 'member', '2024-01-01');
    w.add({ table: 'death_record', row: { person_id: dead.people[1]!, death_date: D, source: '公安' } });
    w.consent(proxy.id, proxy.people[1]!, 'member', '2024-01-01');
    w.consent(proxy.id, proxy.people[1]!, 'proxy', '2024-01-01', { forPerson: proxy.people[0] });
    w.consent(two.id, two.people[0]!, 'member', '2024-01-01');
    const f = w.run(rConsent);
    expect(f.get(dead.id)).toBeUndefined();
    expect(f.get(proxy.id)).toBeUndefined();
    expect(f.get(two.id)).toBe(`expired,initial|${[two.people[1], two.people[2]].sort().join(',')}`);
  });
});
