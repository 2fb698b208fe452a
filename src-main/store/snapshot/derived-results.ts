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
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { canonicalJson } from '../../domain/canonical-json.js';
import type { Db } from '../sqlcipher.js';

/**
 * The derived tables, in the order the digest and deltas read them. `derived_rule_row` (one JSON text per row) is what
 * snapshots built in sessions 9–11 carry: still part of their content digest, no longer read (a run over such a
 * snapshot runs its statements live) and no longer written.
 */
export const DERIVED_TABLES = ['derived_rule', 'derived_rule_row', 'derived_rule_chunk'] as const;

/**
 * The rows are kept in chunks: each holds up to CHUNK_ROWS rows of one statement and one division, in the statement's
 * order, as deflated JSON `[[seq, row], …]` (seq: the row's place in the statement's output). One JSON text per row
 * made a 233,677-person snapshot 13 % larger (13 MB of evidence for 15,492 rows) and compressed 2.3× at best row by row;
 * the rows of a division compress together about 6× (their evidence repeats the same keys and tables). A scoped run
 * still reads its divisions' chunks only.
 */
export const DERIVED_DDL = `
  CREATE TABLE IF NOT EXISTS derived_rule (statement_digest TEXT PRIMARY KEY, rule_id TEXT NOT NULL, row_count INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS derived_rule_chunk (
    statement_digest TEXT NOT NULL, chunk INTEGER NOT NULL,
    -- Kept apart from the rows so a scoped run filters by division without inflating every chunk.
    division_code TEXT,
    row_count INTEGER NOT NULL,
    rows BLOB NOT NULL,
    PRIMARY KEY (statement_digest, chunk)
  ) WITHOUT ROWID;`;

const CHUNK_ROWS = 256;

/** What a statement runs (the shape of SnapshotDb's RuleStatement, repeated here to keep this module a leaf). */
export interface DerivableStatement {
  sql: string;
  prelude?: { table: string; sql: string; bases?: readonly DerivableBase[] };
  bases?: readonly DerivableBase[];
}

/**
 * A table a statement or its prelude reads that depends on the snapshot and its D alone (SnapshotDb's DerivedBase): `columns` is the
 * column list of its CREATE TABLE, its primary key included (deltas and the content digest read tables by key).
 */
export interface DerivableBase {
  table: string;
  columns: string;
  sql: string;
}

/**
 * Names a statement by what it executes: its prelude (table and SELECT), the bases it and its prelude read, its own
 * SQL and the parameter values bound to it (none: the digest snapshots built before parameters were derived carry).
 */
export function statementDigest(rule: DerivableStatement, parameters: Record<string, unknown> = {}): string {
  const hash = createHash('sha256');
  hash.update(rule.prelude ? `${rule.prelude.table}\u0000${rule.prelude.sql}` : '');
  if (rule.prelude?.bases) hash.update(`\u0003${basesDigest(rule.prelude.bases)}`);
  if (rule.bases) hash.update(`\u0004${basesDigest(rule.bases)}`);
  hash.update('\u0001');
  hash.update(rule.sql);
  if (Object.keys(parameters).length > 0) hash.update(`\u0002${canonicalJson(parameters)}`);
  return hash.digest('hex');
}

/**
 * The derived tables a snapshot has (none before issue 16, or when the build derived nothing): DERIVED_TABLES, then the
 * tables a prelude's bases are stored in (createBases: every other table named `derived_…`), by name.
 */
export function derivedTables(db: Db, schema = 'main'): string[] {
  const present = (db.prepare(`SELECT name FROM ${schema}.sqlite_master WHERE type = 'table'`).pluck().all() as string[]).filter((name) => name.startsWith('derived_'));
  const known = new Set<string>(DERIVED_TABLES);
  return [...DERIVED_TABLES.filter((t) => present.includes(t)), ...present.filter((t) => !known.has(t)).sort()];
}

/** A statement's rows, with what names them, as storeDerivedResults takes them. */
export interface DerivableResult {
  ruleId: string;
  statement: DerivableStatement;
  parameters?: Record<string, unknown>;
  rows: readonly { division_code?: string | null }[];
}

/** A statement's rows packed for storing: its digest and its deflated chunks, without the row objects. */
export interface PackedResult {
  digest: string;
  ruleId: string;
  rowCount: number;
  chunks: { division: string | null; rowCount: number; rows: Buffer }[];
}

/**
 * Packs a statement's rows (in the order the statement gave them) into the chunks they are stored as: each division's
 * rows with their places, divisions in code order (no division first), up to CHUNK_ROWS a chunk. A division's chunks
 * keep their numbers while other divisions' rows change, so a delta carries the chunks that changed. A build packs each
 * rule's rows as they come (SnapshotWriter.finishOnThreads), so it never holds every rule's rows at once.
 */
export function packDerivedResult(r: DerivableResult): PackedResult {
  const byDivision = new Map<string | null, [number, unknown][]>();
  r.rows.forEach((x, seq) => {
    const division = x.division_code ?? null;
    const rows = byDivision.get(division);
    if (rows) rows.push([seq, x]);
    else byDivision.set(division, [[seq, x]]);
  });
  const divisions = [...byDivision.keys()].sort((a, b) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1));
  const chunks: PackedResult['chunks'] = [];
  for (const division of divisions) {
    const rows = byDivision.get(division)!;
    for (let i = 0; i < rows.length; i += CHUNK_ROWS) {
      const part = rows.slice(i, i + CHUNK_ROWS);
      chunks.push({ division, rowCount: part.length, rows: deflateRawSync(JSON.stringify(part)) });
    }
  }
  return { digest: statementDigest(r.statement, r.parameters), ruleId: r.ruleId, rowCount: r.rows.length, chunks };
}

/** Stores packed statements' rows under their digests, in one transaction. */
export function writePackedResults(db: Db, results: readonly PackedResult[]): void {
  db.exec(DERIVED_DDL);
  const rule = db.prepare('INSERT INTO derived_rule (statement_digest, rule_id, row_count) VALUES (?, ?, ?)');
  const chunk = db.prepare('INSERT INTO derived_rule_chunk (statement_digest, chunk, division_code, row_count, rows) VALUES (?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (const r of results) {
      rule.run(r.digest, r.ruleId, r.rowCount);
      r.chunks.forEach((c, n) => chunk.run(r.digest, n, c.division, c.rowCount, c.rows));
    }
  })();
}

/** Stores each statement's rows (in the order the statement gave them) under its digest with its parameters. */
export function storeDerivedResults(db: Db, results: readonly DerivableResult[]): void {
  writePackedResults(db, results.map(packDerivedResult));
}

/** Whether this snapshot holds rows for exactly this statement bound to these values (readDerivedResults would read them). */
export function hasDerivedResults(db: Db, statement: DerivableStatement, parameters: Record<string, unknown> = {}): boolean {
  if (!derivedTables(db).includes('derived_rule_chunk')) return false;
  return db.prepare('SELECT 1 FROM derived_rule WHERE statement_digest = ?').get(statementDigest(statement, parameters)) !== undefined;
}

/**
 * The stored rows of `statement` bound to `parameters`, within the scope condition (`inScope` on alias
 * `k.division_code`), in their original order — or null when this snapshot holds no results for exactly this statement
 * and these values.
 */
export function readDerivedResults<T>(db: Db, statement: DerivableStatement, inScope: { sql: string; params: unknown[] }, parameters: Record<string, unknown> = {}): T[] | null {
  if (!hasDerivedResults(db, statement, parameters)) return null;
  const digest = statementDigest(statement, parameters);
  const chunks = db
    .prepare(`SELECT k.rows FROM derived_rule_chunk k WHERE k.statement_digest = ? AND ${inScope.sql}`)
    .pluck()
    .all(digest, ...inScope.params) as Buffer[];
  const rows = chunks.flatMap((c) => JSON.parse(inflateRawSync(c).toString('utf8')) as [number, T][]);
  return rows.sort((a, b) => a[0] - b[0]).map((r) => r[1]);
}

/**
 * Names a prelude's bases by what makes them: each table's name, columns and SELECT, in order (a base reads the ones
 * before it, so they are stored, and trusted, together).
 */
export function basesDigest(bases: readonly DerivableBase[]): string {
  const hash = createHash('sha256');
  for (const b of bases) hash.update(`${b.table}\u0000${b.columns}\u0000${b.sql}\u0001`);
  return hash.digest('hex');
}

/** The derived_rule row that says a snapshot holds a prelude's bases as `basesDigest` names them. */
const basesEntry = (bases: readonly DerivableBase[]) => ({ digest: `bases:${basesDigest(bases)}`, ruleId: `bases:${bases.map((b) => b.table).join(',')}` });

/** Whether this snapshot holds these bases, made by exactly this SQL (else a run builds them as temporary tables). */
export function hasStoredBases(db: Db, bases: readonly DerivableBase[]): boolean {
  if (!derivedTables(db).includes('derived_rule')) return false;
  return db.prepare('SELECT 1 FROM main.derived_rule WHERE statement_digest = ?').get(basesEntry(bases).digest) !== undefined;
}

/**
 * Creates each base as a table of `schema` (`main`: stored in the snapshot at build, with a derived_rule row naming
 * them; `temp`: for this connection only) and fills it, bound to `bind` (the snapshot's D and month). Returns the rows.
 */
export function createBases(db: Db, bases: readonly DerivableBase[], bind: Record<string, unknown>, schema: 'main' | 'temp'): number {
  let rows = 0;
  if (schema === 'main') db.exec(DERIVED_DDL);
  db.transaction(() => {
    for (const b of bases) {
      db.exec(`DROP TABLE IF EXISTS ${schema}.${b.table}; CREATE TABLE ${schema}.${b.table} (${b.columns}) WITHOUT ROWID`);
      rows += db.prepare(`INSERT INTO ${schema}.${b.table} ${b.sql}`).run(bind).changes;
    }
    if (schema === 'main') {
      const entry = basesEntry(bases);
      db.prepare('INSERT OR REPLACE INTO main.derived_rule (statement_digest, rule_id, row_count) VALUES (?, ?, ?)').run(entry.digest, entry.ruleId, rows);
    }
  })();
  return rows;
}
