/**
 * Rule results derived once, when the snapshot is built (issue 16: "much of a rule's work does not depend on its
 * parameters … and can be derived once, when the platform builds the snapshot for its D").
 *
 * A rule's statement reads only the snapshot, the snapshot's own D, month and jurisdiction, and the rule's parameters:
 * bound to the same parameter values it gives the same rows for a snapshot every time it runs. The build runs every
 * rule once, after the indexes and statistics — the rules without parameters (the F-rules, the Q-rules, R-DEATH,
 * R-HUKOU-OUT) as they are, the others at the policy defaults (rules/index.ts DERIVED_RULES) — and stores the rows
 * here, in the snapshot itself: encrypted, covered by the content digest and the platform's signature like every other
 * table. A workstation reads them back instead of running the statement again, but only when the stored digest names
 * exactly the statement it would run and the values it would bind (the SQL of the rule and of its prelude, and the
 * parameters): a workstation with a newer or older rule, another preset, a region's own values or an auditor's
 * override runs its own statement live, as it does on a snapshot built without derived results.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../domain/canonical-json.js';
import type { Db } from '../sqlcipher.js';

/** The derived tables, in the order the digest and deltas read them. */
export const DERIVED_TABLES = ['derived_rule', 'derived_rule_row'] as const;

export const DERIVED_DDL = `
  CREATE TABLE derived_rule (statement_digest TEXT PRIMARY KEY, rule_id TEXT NOT NULL, row_count INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE derived_rule_row (
    statement_digest TEXT NOT NULL, seq INTEGER NOT NULL,
    -- Kept apart from the row so a scoped run filters by division without parsing every row.
    division_code TEXT,
    row TEXT NOT NULL,
    PRIMARY KEY (statement_digest, seq)
  ) WITHOUT ROWID;`;

/** What a statement runs (the shape of SnapshotDb's RuleStatement, repeated here to keep this module a leaf). */
export interface DerivableStatement {
  sql: string;
  prelude?: { table: string; sql: string };
}

/**
 * Names a statement by what it executes: its prelude (table and SELECT), its own SQL and the parameter values bound to
 * it (none: the digest snapshots built before parameters were derived carry).
 */
export function statementDigest(rule: DerivableStatement, parameters: Record<string, unknown> = {}): string {
  const hash = createHash('sha256');
  hash.update(rule.prelude ? `${rule.prelude.table}\u0000${rule.prelude.sql}` : '');
  hash.update('\u0001');
  hash.update(rule.sql);
  if (Object.keys(parameters).length > 0) hash.update(`\u0002${canonicalJson(parameters)}`);
  return hash.digest('hex');
}

/** The derived tables a snapshot has (none before issue 16, or when the build derived nothing). */
export function derivedTables(db: Db, schema = 'main'): string[] {
  const present = new Set((db.prepare(`SELECT name FROM ${schema}.sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name));
  return DERIVED_TABLES.filter((t) => present.has(t));
}

/** Stores each statement's rows (in the order the statement gave them) under its digest with its parameters. */
export function storeDerivedResults(
  db: Db,
  results: readonly { ruleId: string; statement: DerivableStatement; parameters?: Record<string, unknown>; rows: readonly Record<string, unknown>[] }[],
): void {
  db.exec(DERIVED_DDL);
  const rule = db.prepare('INSERT INTO derived_rule (statement_digest, rule_id, row_count) VALUES (?, ?, ?)');
  const row = db.prepare('INSERT INTO derived_rule_row (statement_digest, seq, division_code, row) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (const r of results) {
      const digest = statementDigest(r.statement, r.parameters);
      rule.run(digest, r.ruleId, r.rows.length);
      r.rows.forEach((x, seq) => row.run(digest, seq, (x.division_code as string | null | undefined) ?? null, JSON.stringify(x)));
    }
  })();
}

/**
 * The stored rows of `statement` bound to `parameters`, within the scope condition (`inScope` on alias
 * `k.division_code`), in their original order — or null when this snapshot holds no results for exactly this statement
 * and these values.
 */
export function readDerivedResults<T>(db: Db, statement: DerivableStatement, inScope: { sql: string; params: unknown[] }, parameters: Record<string, unknown> = {}): T[] | null {
  if (!derivedTables(db).includes('derived_rule')) return null;
  const digest = statementDigest(statement, parameters);
  if (!db.prepare('SELECT 1 FROM derived_rule WHERE statement_digest = ?').get(digest)) return null;
  const rows = db
    .prepare(`SELECT k.row FROM derived_rule_row k WHERE k.statement_digest = ? AND ${inScope.sql} ORDER BY k.seq`)
    .pluck()
    .all(digest, ...inScope.params) as string[];
  return rows.map((r) => JSON.parse(r) as T);
}
