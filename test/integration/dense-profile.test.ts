/**
 * Must show (issue 16): the dense generator profile is shaped like real feeds — every earner with a line per month,
 * a payment per paid programme per month for years, larger households, 10+ rows per person — and on it every built-in
 * rule still finds exactly the generator's ground truth (precision and recall 1.0), as on the sparse district.
 */
import { describe, expect, it } from 'vitest';
import { monthOf, monthsEnding } from '../../src-main/domain/calendar.js';
import { runChecks } from '../../src-main/services/checks/rule-engine.js';
import { SnapshotDb } from '../../src-main/store/snapshot/snapshot-db.js';
import { systemClock } from '../../src-main/platform/clock.js';
import { buildDistrict, HIGH_RATES, truthMismatches } from '../helpers/district.js';

describe('dense generator profile', () => {
  for (const [seed, persons, rates] of [
    [11, 4000, HIGH_RATES],
    [12, 3000, {}],
  ] as const) {
    it(`precision and recall are 1.0 for every rule on a dense district (seed ${seed}, ${persons} persons)`, async () => {
      const { db, truth, summary } = buildDistrict(seed, persons, rates, 'dense');
      expect(summary.profile).toBe('dense');
      const snapshot = SnapshotDb.fromDatabase(db, 'synced');
      const run = await runChecks(snapshot, { clock: systemClock });
      const { report, unplanted } = truthMismatches(run.findings, truth);
      expect(report).toEqual([]);
      if (rates === HIGH_RATES) expect(unplanted, 'rules nothing was planted for').toEqual([]);
      snapshot.close();
    }, 120_000);
  }

  it('has the shape of real feeds, and leaves the sparse district as it was', () => {
    const dense = buildDistrict(21, 3000, {}, 'dense');
    const sparse = buildDistrict(21, 3000);
    const count = (db: typeof dense.db, sql: string) => (db.prepare(sql).get() as { n: number }).n;
    const rows = (s: typeof dense.summary) => Object.values(s.rows).reduce((a, b) => a + b, 0);
    expect(rows(dense.summary) / dense.summary.persons).toBeGreaterThanOrEqual(10);
    expect(dense.summary.persons / dense.summary.households).toBeGreaterThan(2.5);
    expect(dense.summary.persons / dense.summary.households).toBeGreaterThan(sparse.summary.persons / sparse.summary.households);
    const window = monthsEnding(monthOf(dense.summary.asOf), 12);
    // Every adult of the district's own households earns, with a line for each month of the income window (from one
    // source or more); the rules' own plants come after them and earn nothing (so that no other rule fires on them).
    const lastOwn = `HH${String(dense.summary.households - dense.summary.plantedHouseholds).padStart(9, '0')}`;
    expect(dense.summary.plantedHouseholds).toBeGreaterThan(0);
    expect(
      count(dense.db, `SELECT count(*) AS n FROM person p WHERE p.birth_date <= '2006-06-30'
        AND p.person_id IN (SELECT person_id FROM household_member WHERE household_id <= '${lastOwn}') AND (SELECT count(DISTINCT i.period) FROM income_record i
        WHERE i.person_id = p.person_id AND i.source <> 'provident_fund' AND i.period BETWEEN '${window[0]}' AND '${window.at(-1)}') < 12`),
    ).toBe(0);
    expect(count(dense.db, `SELECT count(*) AS n FROM (SELECT person_id FROM income_record GROUP BY person_id, period HAVING count(DISTINCT source) > 1)`)).toBeGreaterThan(0);
    // Payments run for years: a programme paid since before the two-year window is paid for up to five years.
    expect(count(dense.db, `SELECT count(DISTINCT substr(period, 1, 4)) AS n FROM payment`)).toBeGreaterThanOrEqual(5);
    expect(count(sparse.db, `SELECT count(DISTINCT substr(period, 1, 4)) AS n FROM payment`)).toBeLessThanOrEqual(3);
    expect(sparse.summary.profile).toBe('sparse');
    dense.db.close();
    sparse.db.close();
  });
});
