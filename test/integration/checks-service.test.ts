/** Rule runs through the service contract: inside the user's scope, in the background, recorded and audited. */
import { afterEach, describe, expect, it } from 'vitest';
import { makeBench, withStaff, type TestBench } from '../helpers/workstation.js';

describe('rule runs in the workstation', () => {
  let b: TestBench;
  afterEach(() => b.cleanup());

  async function waitForRun(client: string) {
    for (let i = 0; i < 400; i++) {
      const s = await b.ok(client, 'checks.status');
      if (!s.running && s.lastRun) return s;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('the run did not finish');
  }

  it('runs the library inside the scope only, records the run and audits it; a re-run finds everything persisting', async () => {
    b = makeBench();
    await withStaff(b, ['320111']);
    await b.ok('auditor-client', 'checks.run', {});
    const first = await waitForRun('auditor-client');
    expect(first.lastRun!.rules).toHaveLength(15);
    expect(first.byRule.reduce((n, r) => n + r.open, 0)).toBe(first.lastRun!.newCount);
    const workspace = b.ws.internals.sessions.get('auditor-client')!.workspace!;
    const divisions = (workspace as unknown as { db: import('better-sqlite3-multiple-ciphers').Database }).db
      .prepare('SELECT DISTINCT division_code FROM finding')
      .pluck()
      .all() as (string | null)[];
    expect(divisions.length).toBeGreaterThan(0);
    expect(divisions.every((d) => d?.startsWith('320111'))).toBe(true); // 320116 is the same snapshot, outside the scope

    await b.ok('auditor-client', 'checks.run', {});
    const second = await waitForRun('auditor-client');
    expect(second.lastRun).toMatchObject({ newCount: 0, resolvedCount: 0, persistingCount: first.lastRun!.newCount });
    const actions = (await b.ok('auditor-client', 'audit.myHistory', { limit: 20 })).entries.map((e) => e.action);
    expect(actions.filter((a) => a === 'checks.completed')).toHaveLength(2);
    expect(await b.call('admin-client', 'checks.run', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
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
    expect(report.freshness.payment).toMatch(/^2024-06-/);
    const audit = (await b.ok('auditor-client', 'audit.myHistory', { limit: 1 })).entries[0];
    expect(audit).toMatchObject({ action: 'quality.report', outcome: 'ok' });
  });
});
