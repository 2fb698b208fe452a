/**
 * Must show (issue 17): the signals' trickiest boundaries on hand-made households, D = 2024-06-30, the window
 * 2024-04-01 … 2024-06-30, S = 1,100.00 元 — medical burden exactly at the threshold and one 分 over; a certificate first
 * issued on the window's first day and the day before; wages stopping exactly 3 months before D (and a late income
 * feed); two vs one students beyond compulsory school; a disaster loss exactly at the red line and one 分 over; a
 * breadwinner by one 分; an exit exactly 24 months before D. Also: a signal whose feed was not delivered does not run,
 * and a warning's fingerprint is stable.
 */
import { describe, expect, it } from 'vitest';
import type { AnyRow } from '../../src-main/domain/exchange/rows.js';
import { composeIdNumber } from '../../src-main/domain/id-number.js';
import { TABLE_NAMES } from '../../src-main/domain/exchange/rows.js';
import { evaluateMonitoring, MonitoringCancelled, monitoredHouseholds, type MonitorRun } from '../../src-main/services/monitoring/evaluate.js';
import { SnapshotDb } from '../../src-main/store/snapshot/snapshot-db.js';
import { SnapshotWriter } from '../../src-main/store/snapshot/snapshot-writer.js';
import { generateDistrict } from '../../src-main/generator/district-generator.js';

const D = '2024-06-30';
const S = 110_000;
const clock = { now: () => 0 };
let seq = 0;

class World {
  rows: AnyRow[] = [{ table: 'policy', row: { division_prefix: '3201', program: 'dibao', effective_from: '2023-07-01', standard_monthly_cents: S } }];
  household(births: string[]): { id: string; people: string[] } {
    const id = `H${String(++seq).padStart(4, '0')}`;
    const people = births.map((birth) => composeIdNumber('320111', birth, (++seq % 400) * 2 + 1));
    people.forEach((p, i) => {
      this.rows.push({ table: 'person', row: { person_id: p, name: `人${i}`, gender: '1', birth_date: births[i]!, ethnicity: '01', hukou_division: '320111001001', phone: null } });
      this.rows.push({ table: 'household_member', row: { household_id: id, person_id: p, relation: i === 0 ? '01' : '02' } });
    });
    this.rows.push({ table: 'household', row: { household_id: id, head_person_id: people[0]!, division_code: '320111001001', address: 'x', urban_rural: '1' } });
    return { id, people };
  }
  enroll(person: string, household: string, program: string, o: { status?: 'active' | 'stopped'; end?: string | null; reason?: string | null } = {}) {
    this.rows.push({ table: 'enrollment', row: { enrollment_id: `E${++seq}`, person_id: person, household_id: household, program, status: o.status ?? 'active', start_date: '2020-01-01', end_date: o.end ?? null, monthly_amount_cents: 50_000, support_mode: null, cause: null, end_reason: o.reason ?? null } });
  }
  settle(person: string, selfPaid: number) {
    this.rows.push({ table: 'medical_settlement', row: { settlement_id: `S${++seq}`, person_id: person, settle_date: '2024-02-10', total_cents: selfPaid + 300_000, fund_paid_cents: 300_000, self_paid_cents: selfPaid, serious_illness: '0' } });
  }
  wage(person: string, months: string[], cents = 400_000, source: 'wage' | 'business' = 'wage') {
    for (const period of months) this.rows.push({ table: 'income_record', row: { person_id: person, source, period, amount_cents: cents } });
  }
  async run(o: { delivered?: readonly string[] } = {}): Promise<{ run: MonitorRun; layers: Map<string, string[]> }> {
    const writer = SnapshotWriter.inMemory();
    for (const r of this.rows) writer.write(r);
    const snapshot = SnapshotDb.fromDatabase(writer.finish({ snapshotId: 'edge', asOf: D, jurisdiction: ['320111'], createdAt: 'x', ...(o.delivered ? { delivered: o.delivered } : {}) })!, 'synced');
    const run = await evaluateMonitoring(snapshot, { clock });
    const layers = monitoredHouseholds(snapshot, {});
    snapshot.close();
    return { run, layers };
  }
}

const months = (from: string, to: string) => {
  const out: string[] = [];
  for (let m = from; m <= to; m = m.slice(5) === '12' ? `${Number(m.slice(0, 4)) + 1}-01` : `${m.slice(0, 5)}${String(Number(m.slice(5)) + 1).padStart(2, '0')}`) out.push(m);
  return out;
};
const levels = (run: MonitorRun, household: string) => run.warnings.find((w) => w.household === household)?.signalLevels ?? {};

describe('monitoring boundaries', () => {
  it('M-MEDICAL: exactly at the threshold is quiet, one 分 over fires (10,000 元 with 低保, 26,000 元 without); the level compares with counted income', async () => {
    const w = new World();
    const at = w.household(['1960-01-01', '1962-01-01']);
    const over = w.household(['1960-01-01', '1962-01-01']);
    for (const h of [at, over]) w.enroll(h.people[0]!, h.id, 'dibao');
    w.settle(at.people[1]!, 600_000);
    w.settle(at.people[1]!, 400_000);
    w.settle(over.people[1]!, 1_000_001);
    const otherAt = w.household(['1980-01-01']);
    const otherOver = w.household(['1980-01-01', '1985-01-01']);
    w.settle(otherAt.people[0]!, 2_600_000);
    w.settle(otherOver.people[0]!, 2_600_001);
    w.settle(otherOver.people[1]!, 400_000); // under the threshold, but counts in B = 3,000,001
    w.wage(otherOver.people[1]!, months('2023-07', '2024-06'), 500_000); // I = 6,000,000 ≥ 2B − 2: orange (2B > I)
    const { run } = await w.run();
    expect(levels(run, at.id)['M-MEDICAL']).toBeUndefined();
    expect(levels(run, over.id)['M-MEDICAL']).toBe('red');
    expect(levels(run, otherAt.id)['M-MEDICAL']).toBeUndefined();
    expect(levels(run, otherOver.id)['M-MEDICAL']).toBe('orange');
    const evidence = run.warnings.find((x) => x.household === otherOver.id)!.hits[0]!.evidence;
    expect(evidence).toMatchObject({ burden_cents: 3_000_001, income_cents: 6_000_000, threshold_cents: 2_600_000, assisted: false });
  });

  it('M-DISABILITY: first issued on the window’s first day fires, the day before does not; level 1 alone is red, beside an able adult orange', async () => {
    const w = new World();
    const onFirstDay = w.household(['1950-01-01']);
    const dayBefore = w.household(['1950-01-01']);
    const withAble = w.household(['1950-01-01', '1984-01-01']);
    const cert = (person: string, level: number, from: string, first: string | null = null) =>
      w.rows.push({ table: 'disability_cert', row: { person_id: person, disability_type: '1', disability_level: level, valid_from: from, valid_to: null, first_issued_date: first } });
    cert(onFirstDay.people[0]!, 1, '2024-04-01');
    cert(dayBefore.people[0]!, 1, '2024-05-01', '2024-03-31'); // a renewal in the window, first issued before it
    cert(withAble.people[0]!, 1, '2024-06-30');
    const validFromDayBefore = w.household(['1950-01-01']);
    cert(validFromDayBefore.people[0]!, 2, '2024-03-31');
    const { run } = await w.run();
    expect(levels(run, validFromDayBefore.id)['M-DISABILITY']).toBeUndefined();
    expect(levels(run, onFirstDay.id)['M-DISABILITY']).toBe('red');
    expect(levels(run, dayBefore.id)['M-DISABILITY']).toBeUndefined();
    expect(levels(run, withAble.id)['M-DISABILITY']).toBe('orange');
  });

  it('M-UNEMPLOYED: wages stopping exactly 3 months before D fire, a month later not; a late income feed moves the window', async () => {
    const stopped = (w: World, last: string) => {
      const h = w.household(['1985-01-01', '1986-01-01']);
      w.wage(h.people[0]!, months('2023-01', last));
      return h;
    };
    const w = new World();
    const marchLast = stopped(w, '2024-03'); // 9 of 9 months before April, none in April–June
    const aprilLast = stopped(w, '2024-04');
    const fiveMonths = w.household(['1985-01-01']);
    w.wage(fiveMonths.people[0]!, months('2023-11', '2024-03')); // 5 of the 9: quiet
    const spouse = stopped(w, '2024-03');
    w.wage(spouse.people[1]!, ['2023-09']);
    const feed = w.household(['1990-01-01']);
    w.wage(feed.people[0]!, months('2024-01', '2024-06')); // the income feed is delivered up to June
    const { run } = await w.run();
    expect(levels(run, marchLast.id)['M-UNEMPLOYED']).toBe('orange');
    expect(run.warnings.find((x) => x.household === marchLast.id)!.hits.find((h) => h.signal === 'M-UNEMPLOYED')!.eventKey).toBe(`${marchLast.people[0]}|wage-stop|2024-03`);
    expect(levels(run, aprilLast.id)['M-UNEMPLOYED']).toBeUndefined();
    expect(levels(run, fiveMonths.id)['M-UNEMPLOYED']).toBeUndefined();
    expect(levels(run, spouse.id)['M-UNEMPLOYED']).toBe('yellow');

    // Without June's income lines, the newest month delivered is May: the window is March–May.
    w.rows = w.rows.filter((r) => !(r.table === 'income_record' && r.row.period === '2024-06'));
    const late = (await w.run()).run;
    expect(levels(late, marchLast.id)['M-UNEMPLOYED']).toBeUndefined();
    const twoLast = w.household(['1985-01-01']);
    w.wage(twoLast.people[0]!, months('2023-06', '2024-02'));
    expect(levels((await w.run()).run, twoLast.id)['M-UNEMPLOYED']).toBe('orange');
  });

  it('M-EDUCATION: two students beyond compulsory school fire, one does not', async () => {
    const w = new World();
    const two = w.household(['1975-01-01', '2007-01-01', '2005-01-01']);
    const one = w.household(['1975-01-01', '2007-01-01', '2012-01-01']);
    const school = (person: string, level: 'compulsory' | 'high_school' | 'undergraduate') =>
      w.rows.push({ table: 'school_enrollment', row: { person_id: person, school_level: level, full_time: '1', start_date: '2023-09-01', expected_end_date: '2026-07-01', status: 'enrolled' } });
    school(two.people[1]!, 'high_school');
    school(two.people[2]!, 'undergraduate');
    school(one.people[1]!, 'high_school');
    school(one.people[2]!, 'compulsory');
    const { run } = await w.run();
    expect(levels(run, two.id)).toEqual({ 'M-EDUCATION': 'yellow' });
    expect(levels(run, one.id)['M-EDUCATION']).toBeUndefined();
  });

  it('M-DISASTER: a loss exactly at 12 × S × members is orange, one 分 over red; an event the day before the window is quiet', async () => {
    const w = new World();
    const at = w.household(['1970-01-01', '1972-01-01']);
    const over = w.household(['1970-01-01', '1972-01-01']);
    const before = w.household(['1970-01-01']);
    const hit = (person: string, date: string, loss: number | null) => w.rows.push({ table: 'disaster_victim', row: { person_id: person, event_date: date, kind: 'flood', loss_cents: loss } });
    hit(at.people[0]!, '2024-05-01', 12 * S * 2);
    hit(over.people[1]!, '2024-04-01', 12 * S * 2 + 1);
    hit(before.people[0]!, '2024-03-31', 99_999_999);
    const { run } = await w.run();
    expect(levels(run, at.id)['M-DISASTER']).toBe('orange');
    expect(levels(run, over.id)['M-DISASTER']).toBe('red');
    expect(levels(run, before.id)['M-DISASTER']).toBeUndefined();
  });

  it('M-BREADWINNER: the member who earned one 分 more dies — red; one 分 less — quiet', async () => {
    const w = new World();
    const more = w.household(['1980-01-01', '1981-01-01']);
    const less = w.household(['1980-01-01', '1981-01-01']);
    for (const [h, margin] of [[more, 1], [less, -1]] as const) {
      w.wage(h.people[0]!, ['2023-10'], 3_000_000 + margin);
      w.wage(h.people[1]!, ['2023-11'], 3_000_000, 'business');
      w.rows.push({ table: 'death_record', row: { person_id: h.people[0]!, death_date: '2024-05-20', source: '公安' } });
    }
    const { run } = await w.run();
    expect(levels(run, more.id)['M-BREADWINNER']).toBe('red');
    expect(levels(run, less.id)['M-BREADWINNER']).toBeUndefined();
  });

  it('population: an exit exactly 24 months before D is no longer monitored, a day later it is; a death or a move-away never', async () => {
    const w = new World();
    const [exact, dayLater, died] = [0, 1, 2].map(() => w.household(['1970-01-01', '2000-01-01']));
    w.enroll(exact!.people[0]!, exact!.id, 'dibao', { status: 'stopped', end: '2022-06-30', reason: 'income' });
    w.enroll(dayLater!.people[0]!, dayLater!.id, 'tekun', { status: 'stopped', end: '2022-07-01', reason: null });
    w.enroll(died!.people[0]!, died!.id, 'dibao', { status: 'stopped', end: '2024-01-01', reason: 'moved' });
    const edge = w.household(['1970-01-01']);
    w.enroll(edge.people[0]!, edge.id, 'dibao_edge');
    const { layers } = await w.run();
    expect(layers.get(exact!.id)).toBeUndefined();
    expect(layers.get(dayLater!.id)).toEqual(['exited']);
    expect(layers.get(died!.id)).toBeUndefined();
    expect(layers.get(edge.id)).toEqual(['dibao_edge']);
  });

  it('a signal whose feed was not delivered does not run; the fingerprint is stable and changes with the hits', async () => {
    const w = new World();
    const h = w.household(['1950-01-01', '1951-01-01']);
    w.settle(h.people[0]!, 3_000_000);
    w.rows.push({ table: 'disaster_victim', row: { person_id: h.people[1]!, event_date: '2024-06-01', kind: 'fire', loss_cents: null } });
    const first = (await w.run()).run;
    const again = (await w.run()).run;
    const warning = first.warnings.find((x) => x.household === h.id)!;
    expect(warning.signals).toEqual(['M-MEDICAL', 'M-DISASTER']);
    expect(warning.level).toBe('red');
    expect(again.warnings.find((x) => x.household === h.id)!.fingerprint).toBe(warning.fingerprint);

    const withoutMedical = (await w.run({ delivered: TABLE_NAMES.filter((t) => t !== 'medical_settlement') })).run;
    expect(withoutMedical.signals.find((s) => s.id === 'M-MEDICAL')).toMatchObject({ missingFeeds: ['medical_settlement'], hits: 0 });
    const rest = withoutMedical.warnings.find((x) => x.household === h.id)!;
    expect(rest.signals).toEqual(['M-DISASTER']);
    expect(rest.fingerprint).not.toBe(warning.fingerprint);
  });

  it('a v1 snapshot (no v2 feeds): the signals on v1 tables run, the others are reported as not run', async () => {
    const writer = SnapshotWriter.inMemory({ schemaVersion: 1 });
    const summary = generateDistrict({ seed: 3, persons: 2000, schemaVersion: 1 }, { row: (r) => writer.write(r), truth: () => undefined });
    const snapshot = SnapshotDb.fromDatabase(writer.finish({ snapshotId: 'v1', asOf: summary.asOf, jurisdiction: summary.jurisdiction, createdAt: 'x' })!, 'synced');
    const run = await evaluateMonitoring(snapshot, { clock });
    snapshot.close();
    const notRun = Object.fromEntries(run.signals.filter((s) => s.missingFeeds).map((s) => [s.id, s.missingFeeds]));
    expect(notRun).toEqual({
      'M-MEDICAL': ['medical_settlement'],
      'M-UNEMPLOYED': ['unemployment_registration'],
      'M-EDUCATION': ['school_enrollment'],
      'M-DISASTER': ['disaster_victim'],
      'M-BREADWINNER': ['imprisonment'],
    });
    expect(run.signals.filter((s) => !s.missingFeeds).map((s) => s.id)).toEqual(['M-DISABILITY', 'M-INCOME-DROP']);
    expect(run.population.households).toBeGreaterThan(0);
  });

  it('reports progress statement by statement, and stops when cancelled', async () => {
    const w = new World();
    w.household(['1950-01-01']);
    const writer = SnapshotWriter.inMemory();
    for (const r of w.rows) writer.write(r);
    const snapshot = SnapshotDb.fromDatabase(writer.finish({ snapshotId: 'edge', asOf: D, jurisdiction: ['320111'], createdAt: 'x' })!, 'synced');
    const progress: string[] = [];
    await evaluateMonitoring(snapshot, { clock, onProgress: (p) => progress.push(`${p.done}/${p.total} ${p.id}`) });
    expect(progress).toEqual(['M-MEDICAL', 'M-DISABILITY', 'M-UNEMPLOYED', 'M-EDUCATION', 'M-DISASTER', 'M-BREADWINNER', 'M-INCOME-DROP', 'MONITORED'].map((id, i) => `${i + 1}/8 ${id}`));
    let asked = 0;
    await expect(evaluateMonitoring(snapshot, { clock, isCancelled: () => ++asked > 2 })).rejects.toThrow(MonitoringCancelled);
    expect(asked).toBe(3);
    snapshot.close();
  });
});
