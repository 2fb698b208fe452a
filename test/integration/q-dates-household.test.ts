/**
 * Q-DATES names the household of the person a dated record belongs to (a payment, a visit or a death dated after D):
 * the finding's division decides who may see it, so it must be the person's own (rules.md §M: the smallest
 * household_id among their member rows), never the snapshot's first household.
 */
import { expect, it } from 'vitest';
import type { AnyRow } from '../../src-main/domain/exchange/rows.js';
import { composeIdNumber } from '../../src-main/domain/id-number.js';
import { resolveParameters } from '../../src-main/domain/rules/rule-library.js';
import { ruleModule } from '../../src-main/rules/index.js';
import { SnapshotDb } from '../../src-main/store/snapshot/snapshot-db.js';
import { SnapshotWriter } from '../../src-main/store/snapshot/snapshot-writer.js';

it('a payment, a visit and a death dated after D belong to the person’s household and its division', () => {
  const D = '2024-06-30';
  const first = composeIdNumber('320111', '1960-01-01', 11);
  const other = composeIdNumber('320116', '1970-05-05', 13);
  const rows: AnyRow[] = [
    { table: 'person', row: { person_id: first, name: '甲', gender: '1', birth_date: '1960-01-01', ethnicity: '01', hukou_division: '320111001001', phone: null } },
    { table: 'person', row: { person_id: other, name: '乙', gender: '1', birth_date: '1970-05-05', ethnicity: '01', hukou_division: '320116001001', phone: null } },
    { table: 'household', row: { household_id: 'H1', head_person_id: first, division_code: '320111001001', address: 'x', urban_rural: '1' } },
    { table: 'household', row: { household_id: 'H2', head_person_id: other, division_code: '320116001001', address: 'x', urban_rural: '1' } },
    { table: 'household_member', row: { household_id: 'H1', person_id: first, relation: '01' } },
    { table: 'household_member', row: { household_id: 'H2', person_id: other, relation: '01' } },
    { table: 'enrollment', row: { enrollment_id: 'E1', person_id: other, household_id: 'H2', program: 'dibao', status: 'active', start_date: '2020-01-01', end_date: null, monthly_amount_cents: 50000, support_mode: null, cause: null } },
    { table: 'payment', row: { payment_id: 'P1', enrollment_id: 'E1', person_id: other, program: 'dibao', period: '2024-06', amount_cents: 50000, paid_date: '2024-07-05' } },
    { table: 'grid_visit', row: { visit_id: 'V1', person_id: other, visit_date: '2024-07-01', visitor: '网格员', outcome: 'normal', note: null } },
    { table: 'death_record', row: { person_id: other, death_date: '2024-07-02', source: '公安' } },
  ];
  const writer = SnapshotWriter.inMemory();
  for (const r of rows) writer.write(r);
  const snapshot = SnapshotDb.fromDatabase(writer.finish({ snapshotId: 'q', asOf: D, jurisdiction: ['320111', '320116'], createdAt: 'x' })!, 'synced');
  const q = ruleModule('Q-DATES')!;
  const found = snapshot.runRule(q, resolveParameters(q.definition), null).filter((r) => /^(payment|grid_visit|death_record):/.test(r.subject_id));
  expect(found.map((r) => r.subject_id).sort()).toEqual([`death_record:${other}`, 'grid_visit:V1', 'payment:P1']);
  for (const r of found) expect([r.household_id, r.division_code], r.subject_id).toEqual(['H2', '320116001001']);
  // …and a supervisor of 320111 does not see them.
  expect(snapshot.runRule(q, resolveParameters(q.definition), ['320111']).filter((r) => /^(payment|grid_visit|death_record):/.test(r.subject_id))).toEqual([]);
  snapshot.close();
});
