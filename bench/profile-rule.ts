/**
 * Where one rule's time goes (docs/performance.md): `npx tsx bench/profile-rule.ts [RULE] [PERSONS] [PROFILE]` (default
 * R-EXIT 100000 dense) builds a district straight into a snapshot and times the rule's shared prelude and its statement
 * separately, each after SQLite's EXPLAIN QUERY PLAN. Not part of `npm run bench`: a tool for reading a rule's plan.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monthsEnding } from '../src-main/domain/calendar.js';
import { generateDistrict, type GeneratorProfile } from '../src-main/generator/district-generator.js';
import { ruleModule } from '../src-main/rules/index.js';
import { SnapshotDb } from '../src-main/store/snapshot/snapshot-db.js';
import { SnapshotWriter } from '../src-main/store/snapshot/snapshot-writer.js';

const [ruleId = 'R-EXIT', persons = '100000', profile = 'dense'] = process.argv.slice(2);
const rule = ruleModule(ruleId);
if (!rule) throw new Error(`unknown rule ${ruleId}`);
const dir = mkdtempSync(join(tmpdir(), 'aw-profile-rule-'));
try {
  const key = randomBytes(32);
  const file = join(dir, 'snapshot.db');
  const writer = SnapshotWriter.toFile(file, key);
  const summary = generateDistrict({ seed: 3, persons: Number(persons), profile: profile as GeneratorProfile }, { row: (r) => writer.write(r), truth: () => undefined });
  writer.finish({ snapshotId: 'profile', asOf: summary.asOf, jurisdiction: summary.jurisdiction, createdAt: new Date().toISOString() });
  const snapshot = SnapshotDb.open(file, key);
  const db = (snapshot as unknown as { db: import('better-sqlite3-multiple-ciphers').Database }).db;
  const month = summary.asOf.slice(0, 7);
  const bind: Record<string, unknown> = { d: summary.asOf, month, from: monthsEnding(month, 12)[0], months: 12, jurisdiction: JSON.stringify(summary.jurisdiction) };
  for (const p of rule.definition.parameters) bind[p.name] = typeof p.default === 'object' ? JSON.stringify(p.default) : p.default;
  const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(bind) as { detail: string }[]).map((r) => `  ${r.detail}`).join('\n');
  const timed = (label: string, sql: string, run: () => unknown) => {
    console.log(`-- ${label}: plan\n${plan(sql)}`);
    const t = performance.now();
    const n = run();
    console.log(`-- ${label}: ${Math.round(performance.now() - t)} ms (${n})\n`);
  };
  console.log(`${ruleId} on ${summary.persons} persons (${profile})\n`);
  if (rule.prelude) {
    const { table, sql } = rule.prelude;
    timed(`prelude temp.${table}`, sql, () => {
      db.prepare(`CREATE TEMP TABLE ${table} AS ${sql}`).run(bind);
      return `${String(db.prepare(`SELECT count(*) FROM temp.${table}`).pluck().get())} rows`;
    });
  }
  timed('statement', rule.sql, () => `${db.prepare(rule.sql).all(bind).length} rows`);
  snapshot.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
