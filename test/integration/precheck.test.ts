/** Pre-check of one applicant household, against the same semantics as the rule library. */
import { describe, expect, it } from 'vitest';
import { generateDistrict, type TruthRow } from '../../src-main/generator/district-generator.js';
import { precheck } from '../../src-main/services/checks/precheck.js';
import { SnapshotDb } from '../../src-main/store/snapshot/snapshot-db.js';
import { SnapshotWriter } from '../../src-main/store/snapshot/snapshot-writer.js';

describe('pre-check', () => {
  const writer = SnapshotWriter.inMemory();
  const truth: TruthRow[] = [];
  const summary = generateDistrict({ seed: 31, persons: 8000, rates: { death: 0.1, exit: 0.4, mutex: 0.1 } }, { row: (r) => writer.write(r), truth: (t) => truth.push(t) });
  const snapshot = SnapshotDb.fromDatabase(writer.finish({ snapshotId: 'p', asOf: summary.asOf, jurisdiction: summary.jurisdiction, createdAt: 'x' })!, 'synced');
  const db = (snapshot as unknown as { db: import('better-sqlite3-multiple-ciphers').Database }).db;
  const members = (household: string) => db.prepare('SELECT person_id FROM household_member WHERE household_id = ?').pluck().all(household) as string[];

  it('refuses a dead applicant, a household over the income or asset line, and passes a clean one', () => {
    const dead = truth.find((t) => t.rule === 'R-DEATH')!.subjectId;
    const r1 = precheck(snapshot, { personIds: [dead], program: 'elderly_alone' });
    expect(r1).toMatchObject({ outcome: 'fail', pass: false });
    expect(r1.reasons.map((r) => r.code)).toContain('DECEASED');

    const exit = truth.find((t) => t.rule === 'R-EXIT')!.subjectId;
    const r2 = precheck(snapshot, { personIds: members(exit), program: 'dibao' });
    expect(r2.pass).toBe(false);
    expect(r2.reasons.some((r) => r.code === 'INCOME_TOO_HIGH' || r.code === 'FAILS_ASSET_TEST' || r.code === 'ALREADY_ENROLLED')).toBe(true);
    expect(r2.ms).toBeLessThan(200);

    // A household with no records of anything against it.
    const clean = db
      .prepare(
        `SELECT h.household_id FROM household h WHERE NOT EXISTS (SELECT 1 FROM household_member m JOIN enrollment e ON e.person_id = m.person_id WHERE m.household_id = h.household_id)
           AND NOT EXISTS (SELECT 1 FROM household_member m WHERE m.household_id = h.household_id AND (m.person_id IN (SELECT person_id FROM death_record) OR m.person_id IN (SELECT person_id FROM vehicle) OR m.person_id IN (SELECT person_id FROM business_registration) OR m.person_id IN (SELECT person_id FROM hukou_event) OR m.person_id IN (SELECT person_id FROM real_estate)))
           ORDER BY h.household_id LIMIT 1`,
      )
      .pluck()
      .get() as string;
    const r3 = precheck(snapshot, { personIds: members(clean), program: 'dibao' });
    expect(r3).toMatchObject({ outcome: 'pass', pass: true, reasons: [] });
  });

  it('finds an exclusive programme already received, and names invalid or unknown ID numbers', () => {
    const tekun = db.prepare(`SELECT person_id FROM enrollment WHERE program = 'tekun' AND status = 'active' AND end_date IS NULL ORDER BY person_id LIMIT 1`).pluck().get() as string;
    const r = precheck(snapshot, { personIds: [tekun], program: 'disability_living' });
    expect(r.reasons.map((x) => x.code)).toContain('EXCLUSIVE_PROGRAM');
  });

  it('says 无法判定 for a household the platform has no record of, never 通过', () => {
    const unknown = precheck(snapshot, { personIds: ['11010519491231002X'], program: 'dibao' });
    expect(unknown).toMatchObject({ outcome: 'undetermined', pass: false, inputProblems: [] });
    expect(unknown.reasons.map((x) => x.code)).toEqual(['NOT_IN_SNAPSHOT']);
  });

  it('reports mistyped ID numbers as input and judges nothing', () => {
    const dead = truth.find((t) => t.rule === 'R-DEATH')!.subjectId;
    const wrongCheck = dead.slice(0, 17) + (dead[17] === '0' ? '1' : '0');
    const badDate = '110105194913310021';
    const r = precheck(snapshot, { personIds: [dead, wrongCheck, '1101051949', badDate, '11010519491231002X12', '11010519491231002？'], program: 'elderly_alone' });
    expect(r.outcome).toBe('invalid_input');
    expect(r.reasons).toEqual([]); // the dead applicant is not judged while the input is wrong
    expect(r.inputProblems.map((p) => [p.position, p.problem])).toEqual([
      [2, 'check_digit'],
      [3, 'too_short'],
      [4, 'birth_date'],
      [5, 'too_long'],
      [6, 'characters'],
    ]);
    // Never a whole number on its way back.
    expect(r.inputProblems.every((p) => !/\d{17}/.test(p.masked))).toBe(true);
    // Full-width digits and a lower-case x are the same number as typed normally.
    const fullWidth = dead.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))).toLowerCase();
    expect(precheck(snapshot, { personIds: [fullWidth], program: 'elderly_alone' })).toMatchObject({ outcome: 'fail' });
  });
});
