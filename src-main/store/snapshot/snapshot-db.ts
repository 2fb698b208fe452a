/**
 * Read access to one snapshot of the data platform. Every snapshot query lives here (the SQL boundary);
 * scope filtering is always by household.division_code ranges so it can use the index.
 */
import { prefixRange } from '../../domain/division.js';
import { addMonths } from '../../domain/calendar.js';
import { openEncrypted, type Db } from '../sqlcipher.js';
import { FEED_TABLES, queryJoin, snapshotColumnOf } from '../../domain/exchange/feed-schema.js';
import { V1_TABLE_NAMES, type TableRows } from '../../domain/exchange/rows.js';
import { feedFreshness } from './quality-queries.js';
import { basesDigest, createBases, hasDerivedResults, hasStoredBases, readDerivedResults, storeDerivedResults } from './derived-results.js';
import { presentAsV2, SUPPORTED_SNAPSHOT_SCHEMAS, snapshotColumns, snapshotTables } from './schema.js';
import { SpendingQueries } from './spending-queries.js';
import { scopeSql } from '../scope-sql.js';
import { activeAt, ageAt, dibaoStandardAt, validAt } from '../sql-fragments.js';
import { ProfileQueries } from './profile-queries.js';
import type { PersonFacts } from '../../domain/rules/facts.js';

export interface SnapshotMeta {
  snapshotId: string;
  asOf: string;
  jurisdiction: string[];
  createdAt: string;
  source: 'demo' | 'synced';
}

/** A condition on any table and column of the exchange schema, joined by person (or the household itself). */
export interface FieldCondition {
  table: string;
  column: string;
  op: '=' | '<>' | '>' | '<' | '>=' | '<=';
  value: string | number;
}

export interface MultiQuery {
  fields?: FieldCondition[];
  programs?: string[];
  householdProgram?: string;
  ageMin?: number;
  ageMax?: number;
  gender?: '1' | '2';
  disabilityLevels?: number[];
}

export interface MultiQueryPerson {
  personId: string;
  name: string;
  gender: string;
  birthDate: string;
  householdId: string;
  divisionCode: string;
}

export interface ProgramCount {
  program: string;
  persons: number;
}

/** One row of a rule's statement (the columns are described in rules/types.ts). */
export interface RuleRow {
  subject_id: string;
  household_id: string | null;
  division_code: string | null;
  amount_cents: number | null;
  /** Rules with money: JSON [[payment_id, cents], …], the payments behind amount_cents (what each contributes). */
  payments?: string | null;
  facts: string | null;
  evidence: string;
}

/** One rule's rows as the snapshot's build derived them (derived-results.ts). */
export interface DerivedResult {
  ruleId: string;
  statement: RuleStatement;
  parameters?: Record<string, unknown>;
  rows: RuleRow[];
}

/** A temporary table several rules read (built once per run and window): its name and the SELECT that fills it. */
export interface RulePrelude {
  table: string;
  sql: string;
  /**
   * Tables the prelude reads that depend on the snapshot and its D alone (bound to @d and @month only), in the order
   * they are made: stored in the snapshot when it is built (deriveBases), else built once per connection as temporary
   * tables of the same names (derived-results.ts).
   */
  bases?: readonly DerivedBase[];
}

/** One of a statement's or prelude's bases: a table name (`derived_…`), its column list with the primary key, and its SELECT. */
export interface DerivedBase {
  table: string;
  columns: string;
  sql: string;
}

/** A rule as the snapshot runs it: its statement and the shared table it reads, if any (src-main/rules/). */
export interface RuleStatement {
  sql: string;
  prelude?: RulePrelude;
  /** Tables the statement itself reads that depend on the snapshot and its D alone: as RulePrelude.bases. */
  bases?: readonly DerivedBase[];
}

/** Every set of bases a statement reads: its prelude's, then its own. */
const basesOf = (statement: RuleStatement): (readonly DerivedBase[])[] =>
  [statement.prelude?.bases, statement.bases].filter((b): b is readonly DerivedBase[] => b !== undefined);

/** `(h.division_code BETWEEN ? AND ? OR …)` for a list of prefixes, with its parameters (an empty list matches nothing). */
const divisionFilter = (column: string, prefixes: readonly string[]) => scopeSql(column, prefixes);

/** A snapshot whose schema_version this app does not know: refused on open, as a sync refuses it. */
export class UnknownSnapshotSchemaError extends Error {
  constructor(version: string | undefined) {
    super(`snapshot schema version ${version ?? '(none)'} is not one this app knows (${SUPPORTED_SNAPSHOT_SCHEMAS.join(', ')}): update the app`);
    this.name = 'UnknownSnapshotSchemaError';
  }
}

export class SnapshotDb {
  constructor(
    private readonly db: Db,
    private readonly source: SnapshotMeta['source'],
  ) {
    // Rules are written against schema v2; a v1 snapshot reads as one with empty v2 tables and columns.
    presentAsV2(db);
  }

  /** Wraps an open database (the in-memory demo district built by services/snapshots.ts). */
  static fromDatabase(db: Db, source: SnapshotMeta['source']): SnapshotDb {
    return new SnapshotDb(db, source);
  }

  /** Sets this connection's page cache to `mib` MiB (sqlcipher.ts opens with 256). */
  limitPageCache(mib: number): void {
    this.db.pragma(`cache_size = -${Math.round(mib * 1024)}`);
  }

  /** Opens a snapshot file read-only; one of a schema version this app does not know is refused. */
  static open(file: string, key: Uint8Array): SnapshotDb {
    const snapshot = new SnapshotDb(openEncrypted(file, key, { readonly: true }), 'synced');
    const version = snapshot.metaValues().schema_version;
    if (!SUPPORTED_SNAPSHOT_SCHEMAS.includes(Number(version))) {
      snapshot.close();
      throw new UnknownSnapshotSchemaError(version);
    }
    snapshot.location = { file, key: Buffer.from(key) };
    return snapshot;
  }

  /** One person, one file: profiles and the names of findings' subjects (profile-queries.ts). */
  profiles(): ProfileQueries {
    return (this.profileQueries ??= new ProfileQueries(this.db));
  }
  private profileQueries: ProfileQueries | undefined;

  /**
   * Spending review over the payment ledger (spending-queries.ts), with the F-rules' flagged payments as the rule
   * library writes them (rules/index.ts SPENDING_FLAGS).
   */
  spending(flagged: string): SpendingQueries {
    return new SpendingQueries(this.db, flagged);
  }

  /** Where a file-backed snapshot lives, so that other threads can open their own connection to it. */
  location: { file: string; key: Buffer } | null = null;

  close(): void {
    if (this.db.open) this.db.close();
  }

  private metaValues(): Record<string, string | undefined> {
    const rows = this.db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[];
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  }

  /** The snapshot's schema version (1 or 2). */
  schemaVersion(): number {
    return Number(this.metaValues().schema_version ?? 1);
  }

  /**
   * The feeds the platform delivered, each with its newest date: v2's `meta.feeds`; for a v1 snapshot, which has none,
   * the v1 tables (exchange-schema.md). A table not listed is absent — not empty — and a rule needing it does not run.
   */
  deliveredFeeds(): Record<string, string | null> {
    const feeds = this.metaValues().feeds;
    return feeds ? (JSON.parse(feeds) as Record<string, string | null>) : feedFreshness(this.db, this.meta().asOf, V1_TABLE_NAMES);
  }

  /** The tables this snapshot has, each with its columns (a v1 snapshot lacks v2's): what a query may name. */
  layout(): Map<string, Set<string>> {
    return (this.tableLayout ??= new Map(snapshotTables(this.db).map((t) => [t, new Set(snapshotColumns(this.db, t))])));
  }
  private tableLayout: Map<string, Set<string>> | undefined;

  meta(): SnapshotMeta {
    const m = this.metaValues();
    return {
      snapshotId: m.snapshot_id ?? '',
      asOf: m.as_of ?? '',
      jurisdiction: (m.jurisdiction ?? '').split(',').filter(Boolean),
      createdAt: m.created_at ?? '',
      source: this.source,
    };
  }

  /** A division's name (any level), or null when the snapshot has none (a division outside the jurisdiction). */
  divisionName(code: string): string | null {
    const row = this.db.prepare('SELECT name FROM division WHERE division_code = ?').get(code) as { name: string } | undefined;
    return row?.name ?? null;
  }

  /**
   * The division tree (counties, streets, communities) inside the given prefixes — or all of it for an empty list — each
   * with the prefix it stands for (county 6 digits, street 9, community 12): what a division picker offers.
   */
  divisionTree(prefixes: readonly string[]): { prefix: string; name: string; level: number }[] {
    const f = prefixes.length ? divisionFilter('division_code', prefixes) : { sql: '1', params: [] as string[] };
    const rows = this.db
      .prepare(`SELECT division_code AS code, name, level FROM division WHERE level BETWEEN 3 AND 5 AND ${f.sql} ORDER BY division_code`)
      .all(...f.params) as { code: string; name: string; level: number }[];
    return rows.map((r) => ({ prefix: r.level === 3 ? r.code.slice(0, 6) : r.level === 4 ? r.code.slice(0, 9) : r.code, name: r.name, level: r.level }));
  }

  /** Named divisions (streets and communities) inside the given prefixes, for scope pickers. */
  divisionsWithin(prefixes: readonly string[]): { code: string; name: string }[] {
    const f = divisionFilter('division_code', prefixes);
    return this.db
      .prepare(`SELECT division_code AS code, name FROM division WHERE level >= 4 AND ${f.sql} ORDER BY division_code`)
      .all(...f.params) as { code: string; name: string }[];
  }

  countPersons(prefixes: readonly string[]): number {
    const f = divisionFilter('h.division_code', prefixes);
    return (
      this.db
        .prepare(
          `SELECT count(DISTINCT m.person_id) AS n FROM household h JOIN household_member m USING (household_id) WHERE ${f.sql}`,
        )
        .get(...f.params) as { n: number }
    ).n;
  }

  countHouseholds(prefixes: readonly string[]): number {
    const f = divisionFilter('division_code', prefixes);
    return (this.db.prepare(`SELECT count(*) AS n FROM household WHERE ${f.sql}`).get(...f.params) as { n: number }).n;
  }

  /** Persons per programme with an enrollment active at D (rules.md's definition). */
  activeByProgram(prefixes: readonly string[], asOf: string): ProgramCount[] {
    const f = divisionFilter('h.division_code', prefixes);
    return this.db
      .prepare(
        `SELECT e.program, count(DISTINCT e.person_id) AS persons
           FROM enrollment e JOIN household h ON h.household_id = e.household_id
          WHERE ${activeAt('e', '@d')} AND ${f.sql}
          GROUP BY e.program ORDER BY persons DESC`,
      )
      .all(...f.params, { d: asOf }) as ProgramCount[];
  }

  countActiveEnrollments(prefixes: readonly string[], asOf: string): number {
    const f = divisionFilter('h.division_code', prefixes);
    return (
      this.db
        .prepare(
          `SELECT count(*) AS n FROM enrollment e JOIN household h ON h.household_id = e.household_id
            WHERE ${activeAt('e', '@d')} AND ${f.sql}`,
        )
        .get(...f.params, { d: asOf }) as { n: number }
    ).n;
  }

  /** Where a person lives: the division codes of every household listing them (a person may be in several). */
  divisionsOfPerson(personId: string): string[] {
    return (
      this.db
        .prepare(
          `SELECT DISTINCT h.division_code AS code FROM household_member m JOIN household h USING (household_id)
            WHERE m.person_id = ?`,
        )
        .all(personId) as { code: string }[]
    ).map((r) => r.code);
  }

  person(personId: string) {
    return this.db.prepare('SELECT * FROM person WHERE person_id = ?').get(personId) as
      | { person_id: string; name: string; gender: string; birth_date: string }
      | undefined;
  }

  /** The person's household inside the given prefixes (the first, if several). */
  householdOf(personId: string, prefixes: readonly string[]) {
    const f = divisionFilter('h.division_code', prefixes);
    return this.db
      .prepare(
        `SELECT h.household_id, h.division_code, h.address, m.relation FROM household_member m
           JOIN household h USING (household_id) WHERE m.person_id = ? AND ${f.sql} ORDER BY h.household_id LIMIT 1`,
      )
      .get(personId, ...f.params) as { household_id: string; division_code: string; address: string; relation: string } | undefined;
  }

  /** The person's enrollments recorded against households inside the given prefixes. */
  enrollmentsOf(personId: string, prefixes: readonly string[]) {
    const f = divisionFilter('h.division_code', prefixes);
    return this.db
      .prepare(
        `SELECT e.enrollment_id, e.program, e.status, e.start_date, e.end_date, e.monthly_amount_cents FROM enrollment e
           JOIN household h ON h.household_id = e.household_id
          WHERE e.person_id = ? AND ${f.sql} ORDER BY e.start_date DESC`,
      )
      .all(personId, ...f.params) as {
      enrollment_id: string;
      program: string;
      status: string;
      start_date: string;
      end_date: string | null;
      monthly_amount_cents: number;
    }[];
  }

  /**
   * Enrollments (any programme, linshi awards included) of the persons listed in these households, with their start
   * dates: what the monitoring loop's audit views hold decisions against (monitoring.md "Audit views").
   */
  enrollmentStartsOf(householdIds: readonly string[]): { household_id: string; program: string; start_date: string }[] {
    if (householdIds.length === 0) return [];
    return this.db
      .prepare(
        `SELECT DISTINCT m.household_id, e.program, e.start_date FROM json_each(?) j
           JOIN household_member m ON m.household_id = j.value JOIN enrollment e ON e.person_id = m.person_id`,
      )
      .all(JSON.stringify(householdIds)) as { household_id: string; program: string; start_date: string }[];
  }

  /**
   * Which of these checks an enrollment of a member of the household answers (the audit views' evidence, set-wise):
   * a programme among `programs` (null: any) starting on or after `from`, after `after`, on or before `to` (each
   * bound optional). Returns the checks' keys that found one.
   */
  enrollmentMatches(checks: readonly EnrollmentCheck[]): Set<string> {
    if (checks.length === 0) return new Set();
    const keys = this.db
      .prepare(
        `WITH c AS MATERIALIZED (
           SELECT json_extract(value, '$.key') AS k, json_extract(value, '$.household') AS household, json_extract(value, '$.programs') AS programs,
                  json_extract(value, '$.from') AS "from", json_extract(value, '$.after') AS after, json_extract(value, '$.to') AS "to" FROM json_each(?))
         SELECT c.k FROM c
          WHERE EXISTS (SELECT 1 FROM household_member m JOIN enrollment e ON e.person_id = m.person_id
                         WHERE m.household_id = c.household
                           AND (c.programs IS NULL OR e.program IN (SELECT value FROM json_each(c.programs)))
                           AND (c."from" IS NULL OR e.start_date >= c."from")
                           AND (c.after IS NULL OR e.start_date > c.after)
                           AND (c."to" IS NULL OR e.start_date <= c."to"))`,
      )
      .pluck()
      .all(JSON.stringify(checks.map((c) => ({ key: c.key, household: c.household, programs: c.programs, from: c.from ?? null, after: c.after ?? null, to: c.to ?? null })))) as string[];
    return new Set(keys);
  }

  /**
   * Runs one rule's statement (src-main/rules/<rule>/sql.ts) with its parameters, limited to the given division
   * prefixes (null: the whole snapshot).
   */
  runRule(rule: RuleStatement, parameters: Record<string, unknown>, scope: readonly string[] | null): RuleRow[] {
    return this.runStatement<RuleRow>(rule, parameters, scope);
  }

  /** Whether runRule would read this statement's rows, bound to these values, from the snapshot (derived-results.ts). */
  hasStoredResults(rule: RuleStatement, parameters: Record<string, unknown>): boolean {
    return hasDerivedResults(this.db, rule, parameters);
  }

  /**
   * runRule for statements whose rows have another shape (the monitoring signals, rules/signals/): the same binding,
   * prelude and scope (the rows carry a `division_code`).
   */
  runStatement<T>(rule: RuleStatement, parameters: Record<string, unknown>, scope: readonly string[] | null): T[] {
    const inScope = scopeSql('k.division_code', scope);
    // The statement may have been run once already with these values, when the snapshot was built (derived-results.ts).
    const stored = readDerivedResults<T>(this.db, rule, inScope, parameters);
    if (stored) return stored;
    const bind = this.ruleBinding(parameters);
    if (rule.bases) this.ensureBases(rule.bases);
    const prelude = rule.prelude;
    if (prelude) {
      // Built once per run and parameter set (the window decides the judgement), shared by the rules that need it.
      // (Its key is every value the prelude reads: a region's own parameters — counted income's exclusions — change the
      // judgement; a parameter only one of the rules reads does not.)
      const key = JSON.stringify(Object.entries(bind).filter(([name]) => new RegExp(`@${name}\\b`).test(prelude.sql)));
      if (this.preludes.get(prelude.table) !== key) {
        if (prelude.bases) this.ensureBases(prelude.bases);
        this.db.exec(`DROP TABLE IF EXISTS temp.${prelude.table}`);
        this.db.prepare(`CREATE TEMP TABLE ${prelude.table} AS ${prelude.sql}`).run(bind);
        this.preludes.set(prelude.table, key);
      }
    }
    return this.db.prepare(`SELECT * FROM (${rule.sql}) k WHERE ${inScope.sql}`).all(...inScope.params, bind) as T[];
  }

  /** The values a rule's statement is bound to: the snapshot's D, month, window and jurisdiction, and its parameters. */
  private ruleBinding(parameters: Record<string, unknown>): Record<string, unknown> {
    const meta = this.meta();
    const month = meta.asOf.slice(0, 7);
    // The window and the line it is compared with move together (standard × months × members); at least one month.
    const months = Math.min(24, Math.max(1, Math.trunc(Number(parameters.incomeMonths ?? 12)) || 12));
    const bind: Record<string, unknown> = {
      d: meta.asOf,
      month,
      months,
      from: addMonths(month, -(months - 1)),
      jurisdiction: JSON.stringify(meta.jurisdiction),
    };
    // Lists as JSON; a yes/no parameter as 1/0 (SQLite has no boolean to bind).
    for (const [k, v] of Object.entries(parameters)) if (k !== 'incomeMonths') bind[k] = typeof v === 'object' && v !== null ? JSON.stringify(v) : typeof v === 'boolean' ? Number(v) : v;
    return bind;
  }

  /**
   * Runs the rules' statements, each bound to its parameters (none for the rules without), over the whole snapshot and
   * stores their rows in it (derived-results.ts), their bases first (deriveBases): called once by the
   * snapshot's writer, after indexes, statistics and meta. One run: rules sharing a prelude (the household judgement)
   * build it once, as a workstation's run does.
   */
  deriveResults(rules: readonly { ruleId: string; statement: RuleStatement; parameters?: Record<string, unknown> }[]): DerivedResult[] {
    this.deriveBases(rules.map((r) => r.statement));
    this.startRun();
    const results = rules.map((r) => ({ ...r, rows: this.runStatement<RuleRow>(r.statement, r.parameters ?? {}, null) }));
    this.startRun();
    storeDerivedResults(this.db, results);
    return results;
  }

  /**
   * Makes the statements' bases (RuleStatement.bases and RulePrelude.bases), each set once, and stores them in the
   * snapshot, with the statistics the planner reads for them: called once by the snapshot's writer, before its rules
   * are derived. Returns the rows stored.
   */
  deriveBases(statements: readonly RuleStatement[]): number {
    const distinct = new Map(statements.flatMap(basesOf).map((bases) => [basesDigest(bases), bases]));
    let rows = 0;
    for (const bases of distinct.values()) {
      rows += createBases(this.db, bases, this.ruleBinding({}), 'main');
      for (const b of bases) this.db.exec(`ANALYZE main.${b.table}`);
    }
    return rows;
  }

  /** The bases, read from the snapshot when it holds them as made by this SQL, else built here as temporary tables. */
  private ensureBases(bases: readonly DerivedBase[]): void {
    const digest = basesDigest(bases);
    if (this.basesReady.has(digest)) return;
    if (!hasStoredBases(this.db, bases)) {
      createBases(this.db, bases, this.ruleBinding({}), 'temp');
      this.tempBases.push(...bases.map((b) => b.table));
    }
    this.basesReady.add(digest);
  }

  /** Drops what a previous run built (a new run may follow a sync or a change of parameters). */
  startRun(): void {
    for (const table of this.preludes.keys()) this.db.exec(`DROP TABLE IF EXISTS temp.${table}`);
    this.preludes.clear();
    // Bases built here are dropped too: they depend on D alone, but hold memory between runs.
    for (const table of this.tempBases) this.db.exec(`DROP TABLE IF EXISTS temp.${table}`);
    this.tempBases.length = 0;
    this.basesReady.clear();
  }

  private readonly preludes = new Map<string, string>();
  private readonly basesReady = new Set<string>();
  private readonly tempBases: string[] = [];

  /**
   * Everything the rules look at for the given persons, by indexed lookups (the pre-check reads a household in
   * about a millisecond this way). Persons absent from the snapshot are absent from the map.
   */
  personFacts(personIds: readonly string[]): Map<string, PersonFacts> {
    const q = this.factStatements();
    const facts = new Map<string, PersonFacts>();
    for (const id of personIds) {
      const person = q.person.get(id) as PersonFacts['person'] | undefined;
      if (!person) continue;
      facts.set(id, {
        person,
        enrollments: q.enrollments.all(id) as PersonFacts['enrollments'],
        payments: [],
        death: (q.death.get(id) as PersonFacts['death'] | undefined) ?? null,
        hukouEvents: q.hukou.all(id) as PersonFacts['hukouEvents'],
        cert: (q.cert.get(id) as PersonFacts['cert'] | undefined) ?? null,
        incomes: q.incomes.all(id) as PersonFacts['incomes'],
        vehicles: q.vehicles.all(id) as PersonFacts['vehicles'],
        properties: q.properties.all(id) as PersonFacts['properties'],
        businesses: q.businesses.all(id) as PersonFacts['businesses'],
      });
    }
    return facts;
  }

  /**
   * The given persons' rows, as a rule's truth reads a district: their records in every person-keyed table (income,
   * assets, financial assets, imprisonments, enrollments, payments, certificates, schooling, deaths), their households,
   * and the policy rows — the pre-check judges an applicant household with the rules' own v2 semantics
   * (rules/shared/means-truth.ts, the person rules' truth.ts) on exactly these.
   */
  personRows(personIds: readonly string[]): { [T in keyof TableRows]?: TableRows[T][] } {
    const ids = JSON.stringify(personIds);
    const of = (table: string) => this.db.prepare(`SELECT * FROM ${table} WHERE person_id IN (SELECT value FROM json_each(?))`).all(ids);
    return {
      income_record: of('income_record'),
      vehicle: of('vehicle'),
      business_registration: of('business_registration'),
      real_estate: of('real_estate'),
      financial_asset: of('financial_asset'),
      imprisonment: of('imprisonment'),
      person: of('person'),
      enrollment: of('enrollment'),
      payment: of('payment'),
      disability_cert: of('disability_cert'),
      school_enrollment: of('school_enrollment'),
      death_record: of('death_record'),
      household: this.db.prepare('SELECT h.* FROM household h WHERE h.household_id IN (SELECT m.household_id FROM household_member m WHERE m.person_id IN (SELECT value FROM json_each(?))) ORDER BY h.household_id').all(ids),
      household_member: this.db.prepare('SELECT * FROM household_member WHERE person_id IN (SELECT value FROM json_each(?))').all(ids),
      policy: this.db.prepare('SELECT * FROM policy').all(),
    } as { [T in keyof TableRows]?: TableRows[T][] };
  }

  /** The 低保 standard (cents) for a division at the snapshot date: longest prefix, latest effective_from <= D. */
  dibaoStandardCents(divisionCode: string): number {
    const row = this.db.prepare(`SELECT ${dibaoStandardAt('@code', '@d')} AS v`).get({ code: divisionCode, d: this.meta().asOf }) as { v: number | null } | undefined;
    return row?.v ?? 0;
  }

  private facts?: Record<'person' | 'enrollments' | 'death' | 'hukou' | 'cert' | 'incomes' | 'vehicles' | 'properties' | 'businesses', ReturnType<Db['prepare']>>;
  private factStatements() {
    return (this.facts ??= {
      person: this.db.prepare('SELECT * FROM person WHERE person_id = ?'),
      enrollments: this.db.prepare('SELECT * FROM enrollment WHERE person_id = ?'),
      death: this.db.prepare('SELECT * FROM death_record WHERE person_id = ?'),
      hukou: this.db.prepare('SELECT * FROM hukou_event WHERE person_id = ? ORDER BY event_date'),
      cert: this.db.prepare('SELECT * FROM disability_cert WHERE person_id = ?'),
      incomes: this.db.prepare('SELECT * FROM income_record WHERE person_id = ?'),
      vehicles: this.db.prepare('SELECT * FROM vehicle WHERE person_id = ?'),
      properties: this.db.prepare('SELECT * FROM real_estate WHERE person_id = ?'),
      businesses: this.db.prepare('SELECT * FROM business_registration WHERE person_id = ?'),
    });
  }

  /**
   * Completeness per table and column (how many rows leave it empty) and how fresh each department's data is.
   * One scan per table: `count(column)` counts the non-empty values of every column at once.
   */
  columnProfile(): { table: string; rows: number; columns: { column: string; empty: number }[] }[] {
    const profile = [];
    const layout = this.layout();
    for (const t of FEED_TABLES) {
      const present = layout.get(t.table);
      if (!present) continue;
      const columns = t.columns.map(snapshotColumnOf).filter((c) => present.has(c));
      const row = this.db.prepare(`SELECT count(*) AS n, ${columns.map((c) => `count(NULLIF(${c}, '')) AS "${c}"`).join(', ')} FROM ${t.table}`).get() as Record<string, number>;
      profile.push({ table: t.table, rows: row.n!, columns: columns.map((c) => ({ column: c, empty: row.n! - row[c]! })) });
    }
    return profile;
  }

  freshness(): Record<string, string | null> {
    return feedFreshness(this.db, this.meta().asOf);
  }

  /**
   * 多维查询: persons matching building blocks (programmes they receive, a programme their household receives, age,
   * gender, certificate levels), inside the given prefixes — counted by street and listed. Every value is bound; the
   * shape of the SQL comes only from which blocks are present, never from user text.
   */
  multiQuery(q: MultiQuery, prefixes: readonly string[], limit: number): { byDivision: { code: string; name: string; persons: number }[]; persons: MultiQueryPerson[]; total: number } {
    const where: string[] = [];
    const bind: Record<string, unknown> = { d: this.meta().asOf, limit };
    const active = (a: string) => activeAt(a, '@d');
    if (q.programs?.length) {
      where.push(`EXISTS (SELECT 1 FROM enrollment a WHERE a.person_id = p.person_id AND ${active('a')} AND a.program IN (SELECT value FROM json_each(@programs)))`);
      bind.programs = JSON.stringify(q.programs);
    }
    if (q.householdProgram) {
      where.push(`EXISTS (SELECT 1 FROM household_member m2 JOIN enrollment a2 ON a2.person_id = m2.person_id WHERE m2.household_id = h.household_id AND a2.program = @householdProgram AND ${active('a2')})`);
      bind.householdProgram = q.householdProgram;
    }
    const age = ageAt('p.birth_date', '@d');
    if (q.ageMin !== undefined) {
      where.push(`${age} >= @ageMin`);
      bind.ageMin = q.ageMin;
    }
    if (q.ageMax !== undefined) {
      where.push(`${age} <= @ageMax`);
      bind.ageMax = q.ageMax;
    }
    if (q.gender) {
      where.push('p.gender = @gender');
      bind.gender = q.gender;
    }
    for (const [i, f] of (q.fields ?? []).entries()) {
      // Table and column names come from the exchange schema's own list, never from the caller's text.
      const spec = FEED_TABLES.find((t) => t.table === f.table && t.table !== 'applicant');
      const column = spec?.columns.find((c) => snapshotColumnOf(c) === f.column);
      if (!spec || !column || !['=', '<>', '>', '<', '>=', '<='].includes(f.op)) throw new Error(`unknown condition ${f.table}.${f.column} ${f.op}`);
      // A v2 table or column on a v1 snapshot: the data was never delivered, so the condition cannot be judged.
      if (!this.layout().get(spec.table)?.has(snapshotColumnOf(column))) throw new Error(`this snapshot has no ${f.table}.${f.column} (an older schema version)`);
      const name = `f${i}`;
      bind[name] = f.value;
      const by = queryJoin(spec);
      if (by === 'household' && spec.table === 'household') where.push(`h.${snapshotColumnOf(column)} ${f.op} @${name}`);
      else if (by === 'person' && spec.table === 'person') where.push(`p.${snapshotColumnOf(column)} ${f.op} @${name}`);
      else if (by === 'person') {
        where.push(`EXISTS (SELECT 1 FROM ${spec.table} x${i} WHERE x${i}.person_id = p.person_id AND x${i}.${snapshotColumnOf(column)} ${f.op} @${name})`);
      } else if (by === 'household') {
        // Household-level records (定期核查, 渐退): a person matches through the household they are listed in.
        where.push(`EXISTS (SELECT 1 FROM ${spec.table} x${i} WHERE x${i}.household_id = h.household_id AND x${i}.${snapshotColumnOf(column)} ${f.op} @${name})`);
      } else throw new Error(`table ${f.table} cannot be joined by person or household`);
    }
    if (q.disabilityLevels?.length) {
      where.push(`EXISTS (SELECT 1 FROM disability_cert c WHERE c.person_id = p.person_id AND ${validAt('c.valid_from', 'c.valid_to', '@d')}
                  AND c.disability_level IN (SELECT value FROM json_each(@levels)))`);
      bind.levels = JSON.stringify(q.disabilityLevels);
    }
    // Start from the few enrolled persons when a programme narrows the query; otherwise from everyone.
    const from = q.programs?.length
      ? `(SELECT DISTINCT person_id FROM enrollment WHERE program IN (SELECT value FROM json_each(@programs))) s JOIN person p ON p.person_id = s.person_id`
      : 'person p';
    const inScope = scopeSql('h.division_code', prefixes);
    const base = `
      WITH hit AS (
        SELECT p.person_id, p.name, p.gender, p.birth_date, h.household_id, h.division_code
          FROM ${from} JOIN household_member m ON m.person_id = p.person_id JOIN household h ON h.household_id = m.household_id
         WHERE ${inScope.sql}
           ${where.map((w) => `AND ${w}`).join(' ')})`;
    const byDivision = this.db
      .prepare(`${base} SELECT substr(division_code, 1, 9) AS code, coalesce((SELECT name FROM division WHERE division_code = substr(hit.division_code, 1, 9) || '000'), '') AS name, count(DISTINCT person_id) AS persons FROM hit GROUP BY 1 ORDER BY 1`)
      .all(...inScope.params, bind) as { code: string; name: string; persons: number }[];
    const persons = this.db.prepare(`${base} SELECT person_id AS personId, name, gender, birth_date AS birthDate, household_id AS householdId, division_code AS divisionCode FROM hit ORDER BY division_code, person_id LIMIT @limit`).all(...inScope.params, bind) as MultiQueryPerson[];
    return { byDivision, persons, total: byDivision.reduce((n, d) => n + d.persons, 0) };
  }

  /** Test and demo helper: some person living in a division, to exercise scope checks with real data. */
  anyPersonIn(prefix: string): string | undefined {
    const [lo, hi] = prefixRange(prefix);
    return (
      this.db
        .prepare(
          `SELECT m.person_id FROM household h JOIN household_member m USING (household_id)
            WHERE h.division_code BETWEEN ? AND ? ORDER BY m.person_id LIMIT 1`,
        )
        .get(lo, hi) as { person_id: string } | undefined
    )?.person_id;
  }
}

/** One question to `enrollmentMatches`: an enrollment of a member of `household` of these programmes in these dates. */
export interface EnrollmentCheck {
  key: string;
  household: string;
  programs: readonly string[] | null;
  from?: string;
  after?: string;
  to?: string;
}
