/**
 * 数据质检's freshness: the newest date of each feed on or before the snapshot's date. The demo district plants rows
 * dated the day after it (Q-DATES's defects, one per dated v2 table); they are reported as defects, never taken as
 * the feed's freshness (they showed as 2026-12-01 on data as of 2026-11-30).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src-main/domain/calendar.js';
import { resolveParameters } from '../../src-main/domain/rules/rule-library.js';
import { ruleModule } from '../../src-main/rules/index.js';
import { buildDemoSnapshot } from '../../src-main/services/snapshots.js';
import type { Db } from '../../src-main/store/sqlcipher.js';

describe('feed freshness', () => {
  const asOf = '2026-11-30';
  const snapshot = buildDemoSnapshot(20240630, 2000, asOf);
  afterAll(() => snapshot.close());

  it('is never after the as-of date, though the data holds rows dated after it', () => {
    const freshness = snapshot.freshness();
    expect(Object.keys(freshness).length).toBeGreaterThan(15);
    const after = Object.entries(freshness).filter(([, newest]) => newest !== null && newest > asOf);
    expect(after).toEqual([]);
    // The planted defects are still there, and still found by Q-DATES: only the freshness leaves them out.
    const db = (snapshot as unknown as { db: Db }).db;
    expect(db.prepare('SELECT count(*) FROM review WHERE review_date > ?').pluck().get(asOf)).toBeGreaterThan(0);
    const qDates = ruleModule('Q-DATES')!;
    expect(snapshot.runRule(qDates, resolveParameters(qDates.definition), null).length).toBeGreaterThan(0);
    // On D itself is not a defect: a feed delivered up to the day is as fresh as the data.
    expect(freshness.review! <= asOf && freshness.review! > addDays(asOf, -60)).toBe(true);
  });

  it('dates a monthly feed by the first day of its newest month up to the as-of month', () => {
    const freshness = snapshot.freshness();
    expect(freshness.income_record).toBe('2026-11-01');
    expect(snapshot.deliveredFeeds().income_record).toBe('2026-11-01');
  });

  it("stores the same dates in the snapshot's list of delivered feeds", () => {
    const after = Object.entries(snapshot.deliveredFeeds()).filter(([, newest]) => newest !== null && newest > asOf);
    expect(after).toEqual([]);
  });
});
