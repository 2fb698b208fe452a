/**
 * Rule results derived when the snapshot is built (store/snapshot/derived-results.ts): a run over a snapshot that
 * carries them gives exactly the findings of the same run over one that does not (every rule, whole district and a
 * street's scope, the v1 preset and overrides, on the worker threads and inline); results stored for another statement
 * or other parameter values are not used; the stored rows are part of the content digest.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDistrict } from '../../src-main/generator/district-generator.js';
import { resolveParameters } from '../../src-main/domain/rules/rule-library.js';
import { BUILTIN_RULES, DERIVED_RULES, ruleById, ruleModule } from '../../src-main/rules/index.js';
import { runChecks, type CheckOptions, type CheckRun } from '../../src-main/services/checks/rule-engine.js';
import { scopeSql } from '../../src-main/store/scope-sql.js';
import { openEncrypted } from '../../src-main/store/sqlcipher.js';
import { hasStoredBases, readDerivedResults, storeDerivedResults } from '../../src-main/store/snapshot/derived-results.js';
import { SnapshotDb } from '../../src-main/store/snapshot/snapshot-db.js';
import { snapshotContentDigest } from '../../src-main/store/snapshot/snapshot-digest.js';
import { SnapshotWriter, type FinishOptions } from '../../src-main/store/snapshot/snapshot-writer.js';
import { FAR_VALUES } from '../helpers/far-values.js';

const dir = mkdtempSync(join(tmpdir(), 'aw-derived-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const district = { seed: 41, persons: 4000, profile: 'dense' as const, rates: { quality: 0.02, payment: 0.02 } };

function build(writer: SnapshotWriter, options: FinishOptions) {
  const summary = generateDistrict(district, { row: (r) => writer.write(r), truth: () => undefined });
  return { summary, db: writer.finish({ snapshotId: 'derived', asOf: summary.asOf, jurisdiction: summary.jurisdiction, createdAt: '2024-07-01T00:00:00Z' }, options) };
}

const comparable = (run: CheckRun) => ({
  rules: run.rules.map((r) => [r.id, r.count]),
  findings: run.findings.map((f) => [f.ruleId, f.subjectId, f.householdId, f.divisionCode, f.amountCents, f.facts, f.fingerprint, f.evidenceJson, JSON.stringify(f.payments ?? null)]),
});
const clock = { now: () => Date.parse('2024-07-02T00:00:00Z') };

describe('derived rule results', () => {
  const live = SnapshotDb.fromDatabase(build(SnapshotWriter.inMemory(), {}).db!, 'synced');
  const derived = SnapshotDb.fromDatabase(build(SnapshotWriter.inMemory(), { derive: DERIVED_RULES }).db!, 'synced');
  const street = live.meta().jurisdiction[0]! + '001';

  it('covers every rule, those with parameters bound to the policy defaults, and they find something here', () => {
    expect(DERIVED_RULES.map((r) => r.ruleId).sort()).toEqual(BUILTIN_RULES.map((r) => r.id).sort());
    for (const r of DERIVED_RULES) expect(r.parameters, r.ruleId).toEqual(resolveParameters(ruleById(r.ruleId)!, {}, 'policy'));
    expect(DERIVED_RULES.filter((r) => Object.keys(r.parameters).length > 0).map((r) => r.ruleId)).toEqual(expect.arrayContaining(['R-EXIT', 'R-COVER', 'R-MUTEX', 'R-MISSED']));
    const counts = Object.fromEntries(DERIVED_RULES.map((r) => [r.ruleId, live.runRule(r.statement, r.parameters, null).length]));
    expect(Object.values(counts).filter((n) => n > 0).length, JSON.stringify(counts)).toBeGreaterThanOrEqual(18);
  });

  it('reads back exactly the rows the statements give, whole district and scoped', () => {
    for (const { ruleId, statement, parameters } of DERIVED_RULES) {
      for (const scope of [null, [street], []]) {
        const stored = readDerivedResults(derivedDb(derived), statement, scopeOf(scope), parameters);
        expect(stored, `${ruleId} ${JSON.stringify(scope)}`).not.toBeNull();
        expect(stored, `${ruleId} ${JSON.stringify(scope)}`).toEqual(live.runRule(statement, parameters, scope));
      }
    }
  });

  it('a whole run gives the same findings with and without them (inline), also where values differ from the defaults', async () => {
    const runs: Partial<CheckOptions>[] = [
      {},
      { scope: [street] },
      { preset: 'v1' },
      { overrides: { 'R-EXIT': { employmentDeductionRatio: 0.5 }, 'R-MUTEX': { exclusivePairs: [] } } },
    ];
    for (const o of runs) {
      const a = await runChecks(live, { clock, threads: 1, ...o });
      const b = await runChecks(derived, { clock, threads: 1, ...o });
      expect(comparable(b), JSON.stringify(o)).toEqual(comparable(a));
      expect(a.rules.filter((r) => r.storedAtBuild)).toEqual([]);
      // The run says which rules were read back: all at the defaults; at the v1 preset those whose values it leaves as
      // they are; all but the overridden.
      const read = b.rules.filter((r) => r.storedAtBuild).map((r) => r.id);
      const sameAtV1 = BUILTIN_RULES.filter((r) => JSON.stringify(resolveParameters(r, {}, 'v1')) === JSON.stringify(resolveParameters(r, {}, 'policy'))).map((r) => r.id);
      if (o.preset) expect(read.sort(), 'v1').toEqual(sameAtV1.sort());
      else expect(read.sort(), JSON.stringify(o)).toEqual(BUILTIN_RULES.map((r) => r.id).filter((id) => !(id in (o.overrides ?? {}))).sort());
    }
  });

  it('on the worker threads over a built file, too; its digest covers the stored rows', async () => {
    const key = randomBytes(32);
    const file = join(dir, 'derived.db');
    build(SnapshotWriter.toFile(file, key), { derive: DERIVED_RULES });
    const opened = SnapshotDb.open(file, key);
    const a = await runChecks(live, { clock, threads: 1 });
    const b = await runChecks(opened, { clock });
    expect(comparable(b)).toEqual(comparable(a));
    // Some rules read back, the others live on the threads: still the same findings, in library order.
    const mixed: Partial<CheckOptions> = { overrides: { 'R-EXIT': { employmentDeductionRatio: 0.5 }, 'R-MISSED': { seriousIllnessMonths: 3 } } };
    const onThreads = await runChecks(opened, { clock, ...mixed });
    expect(comparable(onThreads)).toEqual(comparable(await runChecks(live, { clock, threads: 1, ...mixed })));
    expect(b.rules.every((r) => r.storedAtBuild)).toBe(true);
    expect(onThreads.rules.filter((r) => !r.storedAtBuild).map((r) => r.id)).toEqual(['R-EXIT', 'R-MISSED']);
    // Derived on the two threads (the platform build's way), the file holds the same content, stored rows included.
    const threaded = join(dir, 'threaded.db');
    const writer = SnapshotWriter.toFile(threaded, key);
    const summary = generateDistrict(district, { row: (r) => writer.write(r), truth: () => undefined });
    await writer.finishOnThreads({ snapshotId: 'derived', asOf: summary.asOf, jurisdiction: summary.jurisdiction, createdAt: '2024-07-01T00:00:00Z' }, { derive: DERIVED_RULES });
    const [one, two] = [file, threaded].map((f) => openEncrypted(f, key, {}));
    expect((two!.prepare('SELECT count(*) FROM derived_rule_chunk').pluck().get() as number)).toBeGreaterThan(DERIVED_RULES.length);
    expect(snapshotContentDigest(two!)).toBe(snapshotContentDigest(one!));
    one!.close();
    two!.close();
    opened.close();
    const db = openEncrypted(file, key, {});
    const before = snapshotContentDigest(db);
    db.prepare(`UPDATE derived_rule_chunk SET row_count = row_count + 1 WHERE chunk = 0`).run();
    expect(snapshotContentDigest(db)).not.toBe(before);
    // The compressed rows are hashed as bytes: two blobs that read alike as (broken) UTF-8 text still differ.
    const digestWith = (bytes: string) => {
      db.prepare(`UPDATE derived_rule_chunk SET rows = x'${bytes}' WHERE chunk = 0`).run();
      return snapshotContentDigest(db);
    };
    expect(digestWith('ff')).not.toBe(digestWith('fe'));
    db.close();
  });

  it('results stored for another statement (another version of the rule) are not used', () => {
    const rule = ruleModule('R-DEATH')!;
    const db = derivedDb(live);
    const older = { sql: `${rule.sql} ` };
    const stored = { subject_id: 'X', division_code: null, evidence: '{}' };
    storeDerivedResults(db, [{ ruleId: 'R-DEATH', statement: older, rows: [stored] }]);
    expect(readDerivedResults(db, older, scopeOf(null))).toHaveLength(1);
    expect(readDerivedResults(db, { sql: rule.sql }, scopeOf(null))).toBeNull();
    expect(live.runRule(rule, {}, null).map((r) => r.subject_id)).not.toContain('X');
    // The rows stored for R-DEATH's statement are not read for the same statement bound to any value.
    expect(live.runRule(older, { someParameter: 1 }, null).map((r) => r.subject_id)).not.toContain('X');
  });

  it('a rule with parameters reads stored rows only while bound to exactly the values they were derived with', () => {
    const snapshot = SnapshotDb.fromDatabase(build(SnapshotWriter.inMemory(), {}).db!, 'synced');
    const exit = DERIVED_RULES.find((r) => r.ruleId === 'R-EXIT')!;
    const planted = { subject_id: 'PLANTED', division_code: null, evidence: '{}' };
    storeDerivedResults(derivedDb(snapshot), [{ ruleId: 'R-EXIT', statement: exit.statement, parameters: exit.parameters, rows: [planted] }]);
    // Read back with the values it was stored under (whatever order their keys come in)…
    const reordered = Object.fromEntries(Object.entries(exit.parameters).reverse());
    expect(snapshot.runRule(exit.statement, reordered, null)).toEqual([planted]);
    // …and run live with any other value.
    const other = snapshot.runRule(exit.statement, { ...exit.parameters, employmentDeductionRatio: 0.5 }, null);
    expect(other.length).toBeGreaterThan(0);
    expect(other.map((r) => r.subject_id)).not.toContain('PLANTED');
    expect(other).toEqual(live.runRule(exit.statement, { ...exit.parameters, employmentDeductionRatio: 0.5 }, null));
  });

  it('the household judgement reads its bases stored at build as it reads ones made on the workstation', () => {
    const judged = DERIVED_RULES.filter((r) => r.statement.prelude?.bases);
    expect(judged.map((r) => r.ruleId).sort()).toEqual(['R-COVER', 'R-EDGE', 'R-EXIT', 'R-RIGID', 'R-SINGLE']);
    const bases = judged[0]!.statement.prelude!.bases!;
    const tempBases = (s: SnapshotDb) => (derivedDb(s).prepare(`SELECT name FROM sqlite_temp_master WHERE type = 'table' AND name LIKE 'derived%'`).pluck().all() as string[]).sort();
    expect(hasStoredBases(derivedDb(derived), bases)).toBe(true);
    expect(hasStoredBases(derivedDb(live), bases)).toBe(false);
    // Values far from the defaults: another window (the longest and a short one), exclusions, exemptions and limits.
    const sets: Record<string, unknown>[] = [
      { employmentDeductionRatio: 0.5 },
      { incomeMonths: 24, vehicleExemptValue: 5_000_000, businessExemptCapital: 10_000_000, residentialLimit: 2, financialAssetMonths: 24 },
      { incomeMonths: 6, excludedSources: ['provident_fund', { source: 'wage', from: '2024-03-01', to: '2024-04-30' }], financialAssetMonths: 6, disposableIncomeAnnual: 4_000_000 },
    ];
    let fired = 0;
    for (const set of sets) {
      live.startRun();
      derived.startRun();
      for (const r of judged) {
        const values = { ...r.parameters, ...set };
        const a = live.runRule(r.statement, values, null);
        expect(derived.runRule(r.statement, values, null), `${r.ruleId} ${JSON.stringify(set)}`).toEqual(a);
        fired += a.length;
      }
      // The snapshot that holds them read them; the other made its own, for this connection only.
      expect(tempBases(derived)).toEqual([]);
      // (R-SINGLE reads bases of its own besides the judgement's.)
      expect(tempBases(live)).toEqual([...bases, ...judged.flatMap((r) => r.statement.bases ?? [])].map((b) => b.table).sort());
    }
    expect(fired).toBeGreaterThan(50);
    // Each part of the judgement (one per snapshot thread) is one range of household numbers, holding its own
    // households and no other: each thread reads only its part's income lines.
    const parts = derivedDb(derived)
      .prepare(
        `SELECT p.part, count(*) AS n, sum(CASE p.part WHEN 'dibao' THEN h.has_dibao ELSE (h.has_single OR h.has_rigid OR NOT h.has_dibao) END) AS own
           FROM derived_judged_part p JOIN derived_household h ON h.household_no BETWEEN p.first_no AND p.last_no GROUP BY p.part ORDER BY p.part`,
      )
      .all() as { part: string; n: number; own: number }[];
    expect(parts.map((p) => p.part)).toEqual(['dibao', 'other']);
    for (const p of parts) expect(p.own, p.part).toBe(p.n);
    expect(parts.every((p) => p.n > 10)).toBe(true);
    // Bases made by other SQL (another version of the judgement) are not trusted: they are made again on the workstation.
    const other = bases.map((b, i) => (i === 0 ? { ...b, sql: `${b.sql} ` } : b));
    expect(hasStoredBases(derivedDb(derived), other)).toBe(false);
    // They are part of the snapshot's content: its digest changes with any of their rows.
    const db = derivedDb(derived);
    const before = snapshotContentDigest(db);
    db.prepare(`UPDATE derived_income SET amount_cents = amount_cents + 1 WHERE member_no = (SELECT min(member_no) FROM derived_income)`).run();
    expect(snapshotContentDigest(db)).not.toBe(before);
    db.prepare(`UPDATE derived_income SET amount_cents = amount_cents - 1 WHERE member_no = (SELECT min(member_no) FROM derived_income)`).run();
  });

  it("a rule's own bases (R-MISSED, R-CONSENT, R-ALIVE, R-MUTEX, R-SINGLE, R-LINSHI, R-ATTR, R-REVIEW) are read stored at build as they are made on the workstation", () => {
    const own = DERIVED_RULES.filter((r) => r.statement.bases);
    expect(own.map((r) => r.ruleId).sort()).toEqual(Object.keys(FAR_VALUES).sort());
    const tempBases = (s: SnapshotDb) => (derivedDb(s).prepare(`SELECT name FROM sqlite_temp_master WHERE type = 'table' AND name LIKE 'derived%'`).pluck().all() as string[]).sort();
    for (const r of own) {
      const bases = r.statement.bases!;
      expect(hasStoredBases(derivedDb(derived), bases)).toBe(true);
      expect(hasStoredBases(derivedDb(live), bases)).toBe(false);
      const counts: number[] = [];
      for (const set of FAR_VALUES[r.ruleId]!) {
        live.startRun();
        derived.startRun();
        const values = { ...r.parameters, ...set };
        const a = live.runRule(r.statement, values, null);
        expect(derived.runRule(r.statement, values, null), `${r.ruleId} ${JSON.stringify(set)}`).toEqual(a);
        expect(tempBases(derived)).toEqual([]);
        expect(tempBases(live)).toEqual([...(r.statement.prelude?.bases ?? []), ...bases].map((b) => b.table).sort());
        counts.push(a.length);
      }
      expect(Math.min(...counts), `${r.ruleId} ${JSON.stringify(counts)}`).toBeGreaterThan(0);
    }
  });
});

/** The connection under a SnapshotDb (the store's own tests reach it the same way). */
function derivedDb(snapshot: SnapshotDb) {
  return (snapshot as unknown as { db: import('../../src-main/store/sqlcipher.js').Db }).db;
}

const scopeOf = (scope: readonly string[] | null) => scopeSql('k.division_code', scope);
