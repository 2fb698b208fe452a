/**
 * The findings inbox: one row per case (一人一案: a person's findings are one case, case-groups.ts), filtered, counted
 * and sorted in SQL over indexed columns, always inside the caller's data scope (scope-sql.ts). The row that stands for
 * a case is its lead finding; a rule filter keeps the cases that have a finding of that rule. A page is a window
 * (offset, limit) so the screen can virtualise 200,000 rows and fetch only what is visible.
 */
import type { Db } from '../sqlcipher.js';
import type { RegionalValue } from '../../domain/rules/parameters.js';
import { scopeSql } from '../scope-sql.js';

export interface InboxFilter {
  ruleIds?: string[];
  families?: string[];
  /** A division prefix inside the caller's scope (the tree on the screen). */
  divisionPrefix?: string;
  caseStates?: string[];
  /** An account id, 'none' for unassigned. */
  assignee?: string;
  minAmountCents?: number;
  maxAmountCents?: number;
  changes?: ('new' | 'persisting' | 'resolved')[];
  /** open (default), resolved or all findings. */
  findingState?: 'open' | 'resolved' | 'all';
  /** Name, or part of an ID number (the visible digits of a masked one). */
  text?: string;
  pendingApproval?: boolean;
  conflict?: boolean;
  /** Findings first found by runs in this range of run ids (the dashboard's ageing buckets). */
  firstRunFrom?: number;
  firstRunTo?: number;
}

export const INBOX_SORT_COLUMNS = ['priority', 'amount', 'rule', 'division', 'name', 'state', 'change', 'due', 'assignee', 'updated'] as const;
export type InboxSortColumn = (typeof INBOX_SORT_COLUMNS)[number];
export interface InboxSort {
  column: InboxSortColumn;
  direction: 'asc' | 'desc';
}

export interface InboxRow {
  fingerprint: string;
  ruleId: string;
  family: string;
  severity: string;
  subjectKind: string;
  subjectId: string;
  subjectName: string | null;
  personId: string | null;
  householdId: string | null;
  divisionCode: string;
  /** This finding's own amount at risk. */
  amountCents: number | null;
  /** The case this finding belongs to, its amount at risk (each payment once) and its rules, largest amount first. */
  caseKey: string;
  caseAmountCents: number | null;
  caseRuleIds: string[];
  findingState: 'open' | 'resolved';
  change: 'new' | 'persisting' | 'resolved';
  caseState: string;
  assigneeId: string | null;
  assigneeName: string | null;
  dueDate: string | null;
  pendingTo: string | null;
  conflict: boolean;
  priority: number;
}

export type FacetName = 'rule' | 'family' | 'caseState' | 'change' | 'assignee' | 'division';
export type Facets = Record<FacetName, { value: string; count: number }[]>;

const SORT_SQL: Record<InboxSortColumn, string> = {
  priority: 'priority',
  amount: 'coalesce(f.case_amount_cents, -1)',
  rule: 'f.rule_id',
  division: 'f.division_code',
  name: 'f.subject_name',
  state: "coalesce(c.state, 'new')",
  change: 'f.change',
  due: "coalesce(c.due_date, '9999')",
  assignee: "coalesce(c.assignee_name, '')",
  updated: "coalesce(c.updated_at, '')",
};

/** How much a rule's findings are worth looking at first: amount at risk, severity, and how often the rule was right. */
const PRIORITY_SQL = `((coalesce(f.case_amount_cents, 0) / 100.0) + (CASE f.severity WHEN 'high' THEN 300 WHEN 'medium' THEN 100 ELSE 30 END))
  * coalesce(p.precision, 0.5)`;

/**
 * Per rule, (confirmed + 1) / (decided + 2): a rule nobody has judged yet starts at one half. A case's decision counts
 * for every rule it lists. Reads the (few) cases and their findings by key.
 */
const PRECISION_CTE = `precision_by_rule AS MATERIALIZED (
  SELECT g.rule_id, (sum(c.decision = 'confirmed') + 1.0) / (sum(c.decision IS NOT NULL) + 2.0) AS precision
    FROM case_file c CROSS JOIN finding g ON g.case_key = c.fingerprint GROUP BY g.rule_id)`;

const FROM = `FROM finding f LEFT JOIN case_file c ON c.fingerprint = f.case_key LEFT JOIN precision_by_rule p ON p.rule_id = f.rule_id`;
/** Without the cases: most filters and sorts need only the (narrow, indexed) finding table. */
const FROM_FINDINGS = `FROM finding f LEFT JOIN precision_by_rule p ON p.rule_id = f.rule_id`;
const CASE_SORTS = new Set<InboxSortColumn>(['state', 'due', 'assignee', 'updated']);

/** A GROUP BY row: a count for one combination of facet values. */
type Group = { n: number } & Partial<Record<FacetName, string>>;

interface Where {
  sql: string;
  params: unknown[];
  /** Whether a condition reads the case (so the query must join case_file). */
  needsCase: boolean;
}

/**
 * The WHERE clause for a filter, leaving out one facet's own condition (so its counts show every value). Per case (the
 * default) it keeps the lead rows, and a rule or family filter asks whether any of the case's findings has it; per
 * finding (the rule and family facets) it keeps every finding and asks that finding.
 */
function where(scope: readonly string[], filter: InboxFilter, except?: FacetName, perCase = true): Where {
  const s = scopeSql('f.division_code', scope);
  const parts = [s.sql];
  const params: unknown[] = [...s.params];
  const inList = (column: string, values: readonly string[] | undefined, facet: FacetName) => {
    if (!values?.length || except === facet) return;
    parts.push(`${column} IN (SELECT value FROM json_each(?))`);
    params.push(JSON.stringify(values));
  };
  const state = filter.findingState ?? 'open';
  if (state !== 'all') {
    parts.push('f.state = ?');
    params.push(state);
  }
  if (perCase) {
    parts.push('f.case_lead = 1');
    for (const [column, values, facet] of [['rule_id', filter.ruleIds, 'rule'], ['family', filter.families, 'family']] as const) {
      if (!values?.length || except === facet) continue;
      // One set of case keys, built once from the (rule_id, state, case_key) index, not a probe per row.
      parts.push(`f.case_key IN (SELECT g.case_key FROM finding g WHERE g.${column} IN (SELECT value FROM json_each(?))${state === 'all' ? '' : ' AND g.state = ?'})`);
      params.push(JSON.stringify(values));
      if (state !== 'all') params.push(state);
    }
  } else {
    inList('f.rule_id', filter.ruleIds, 'rule');
    inList('f.family', filter.families, 'family');
  }
  let needsCase = false;
  if (filter.caseStates?.length && except !== 'caseState') needsCase = true;
  inList("coalesce(c.state, 'new')", filter.caseStates, 'caseState');
  inList('f.change', filter.changes, 'change');
  if (filter.divisionPrefix && except !== 'division') {
    parts.push('f.division_code BETWEEN ? AND ?');
    params.push(filter.divisionPrefix.padEnd(12, '0'), filter.divisionPrefix.padEnd(12, '9'));
  }
  if (filter.assignee && except !== 'assignee') {
    needsCase = true;
    if (filter.assignee === 'none') parts.push('c.assignee_id IS NULL');
    else {
      parts.push('c.assignee_id = ?');
      params.push(filter.assignee);
    }
  }
  if (filter.minAmountCents !== undefined) {
    parts.push('coalesce(f.case_amount_cents, 0) >= ?');
    params.push(filter.minAmountCents);
  }
  if (filter.maxAmountCents !== undefined) {
    parts.push('coalesce(f.case_amount_cents, 0) <= ?');
    params.push(filter.maxAmountCents);
  }
  if (filter.firstRunFrom !== undefined) {
    parts.push('f.first_run_id >= ?');
    params.push(filter.firstRunFrom);
  }
  if (filter.firstRunTo !== undefined) {
    parts.push('f.first_run_id <= ?');
    params.push(filter.firstRunTo);
  }
  if (filter.pendingApproval) parts.push('c.pending_to IS NOT NULL');
  if (filter.conflict) parts.push('c.conflict = 1');
  if (filter.pendingApproval || filter.conflict) needsCase = true;
  const text = filter.text?.trim();
  if (text) {
    // ID numbers are searched only by what a screen already shows — the last four characters, or the masked label
    // (first three and last four) — or as a whole number typed in. Anything finer would let a count reveal a masked
    // number digit by digit.
    const id = /^[0-9]{17}[0-9Xx]$/.test(text) ? text.toUpperCase() : null;
    const masked = /^([0-9]{3})\*+([0-9]{3}[0-9Xx])$/.exec(text);
    const last4 = /^[0-9]{3}[0-9Xx]$/.test(text) ? text.toUpperCase() : null;
    if (id) {
      parts.push('(f.subject_id = ? OR f.person_id = ?)');
      params.push(id, id);
    } else if (masked) {
      parts.push("(f.person_id LIKE ? AND length(f.person_id) = 18)");
      params.push(`${masked[1]}${'_'.repeat(11)}${masked[2]!.toUpperCase()}`);
    } else if (last4) {
      parts.push("(f.person_id LIKE ? AND length(f.person_id) = 18)");
      params.push(`${'_'.repeat(14)}${last4}`);
    } else {
      parts.push(`(f.subject_name LIKE ? ESCAPE '\\' OR f.rule_id LIKE ? ESCAPE '\\')`);
      const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      params.push(like, like);
    }
  }
  return { sql: parts.join(' AND '), params, needsCase };
}

interface RawRow {
  fingerprint: string;
  rule_id: string;
  family: string;
  severity: string;
  subject_kind: string;
  subject_id: string;
  subject_name: string | null;
  person_id: string | null;
  household_id: string | null;
  division_code: string;
  amount_cents: number | null;
  case_key: string;
  case_amount_cents: number | null;
  case_rules: string;
  state: 'open' | 'resolved';
  change: 'new' | 'persisting' | 'resolved';
  case_state: string | null;
  assignee_id: string | null;
  assignee_name: string | null;
  due_date: string | null;
  pending_to: string | null;
  conflict: number | null;
  priority: number;
}

const toRow = (r: RawRow): InboxRow => ({
  fingerprint: r.fingerprint,
  ruleId: r.rule_id,
  family: r.family,
  severity: r.severity,
  subjectKind: r.subject_kind,
  subjectId: r.subject_id,
  subjectName: r.subject_name,
  personId: r.person_id,
  householdId: r.household_id,
  divisionCode: r.division_code,
  amountCents: r.amount_cents,
  caseKey: r.case_key,
  caseAmountCents: r.case_amount_cents,
  caseRuleIds: JSON.parse(r.case_rules) as string[],
  findingState: r.state,
  change: r.change,
  caseState: r.case_state ?? 'new',
  assigneeId: r.assignee_id,
  assigneeName: r.assignee_name,
  dueDate: r.due_date,
  pendingTo: r.pending_to,
  conflict: r.conflict === 1,
  priority: Math.round(r.priority * 100) / 100,
});

/** A case's rules: those of its open findings (of all, once none is open), the one with the most money first. */
const CASE_RULES_SQL = `(SELECT json_group_array(rule_id) FROM (SELECT g.rule_id FROM finding g WHERE g.case_key = f.case_key AND (g.state = 'open' OR f.state <> 'open')
  GROUP BY g.rule_id ORDER BY max(coalesce(g.amount_cents, 0)) DESC, g.rule_id))`;

const SELECT = `SELECT f.fingerprint, f.rule_id, f.family, f.severity, f.subject_kind, f.subject_id, f.subject_name, f.person_id, f.household_id,
  f.division_code, f.amount_cents, f.case_key, f.case_amount_cents, ${CASE_RULES_SQL} AS case_rules, f.state, f.change,
  c.state AS case_state, c.assignee_id, c.assignee_name, c.due_date, c.pending_to, c.conflict, ${PRIORITY_SQL} AS priority`;

/** Pages within the first rows are answered by a top-k query; deeper ones from a cached full order. */
const TOP_K_LIMIT = 1000;
const ORDER_CACHE_SIZE = 4;

/** Bumped on every write to the team store, so that cached orders are never stale. */
export interface Revision {
  value: number;
}

export class InboxQueries {
  private readonly orderCache = new Map<string, { revision: number; fingerprints: string[] }>();

  constructor(
    private readonly db: Db,
    private readonly revision: Revision = { value: 0 },
  ) {}

  /**
   * One window of rows. The window is chosen first over the finding table alone (joining cases only when a filter or
   * the sort reads them), then only its rows are read in full.
   */
  page(scope: readonly string[], filter: InboxFilter, sort: InboxSort, offset: number, limit: number): { rows: InboxRow[]; total: number } {
    const w = where(scope, filter);
    const direction = sort.direction === 'asc' ? 'ASC' : 'DESC';
    const from = w.needsCase || CASE_SORTS.has(sort.column) ? FROM : FROM_FINDINGS;
    const order = sort.column === 'priority' ? PRIORITY_SQL : SORT_SQL[sort.column];
    const ordered = `WITH ${PRECISION_CTE} SELECT f.fingerprint ${from} WHERE ${w.sql} ORDER BY ${order} ${direction}, f.fingerprint`;
    // The first screens come from a top-k query; a jump deeper into the list orders it once and keeps that order
    // until the store changes, so scrolling on through 200,000 rows reads slices of it.
    const key = JSON.stringify([scope, filter, sort]);
    let cached = this.orderCache.get(key);
    if (cached && cached.revision !== this.revision.value) cached = undefined;
    if (!cached && offset + limit > TOP_K_LIMIT) {
      cached = { revision: this.revision.value, fingerprints: this.db.prepare(ordered).pluck().all(...w.params) as string[] };
      this.orderCache.delete(key);
      this.orderCache.set(key, cached);
      if (this.orderCache.size > ORDER_CACHE_SIZE) this.orderCache.delete(this.orderCache.keys().next().value!);
    }
    const window = cached ? cached.fingerprints.slice(offset, offset + limit) : (this.db.prepare(`${ordered} LIMIT ? OFFSET ?`).pluck().all(...w.params, limit, offset) as string[]);
    const total = cached ? cached.fingerprints.length : this.count(scope, filter);
    const shown = this.representatives(window, filter);
    // Read from the window outwards (CROSS JOIN keeps that order), never by scanning the findings again.
    const full = this.db
      .prepare(
        `WITH ${PRECISION_CTE} ${SELECT} FROM json_each(?) w CROSS JOIN finding f ON f.fingerprint = w.value
           LEFT JOIN case_file c ON c.fingerprint = f.case_key LEFT JOIN precision_by_rule p ON p.rule_id = f.rule_id`,
      )
      .all(JSON.stringify(shown)) as RawRow[];
    const byFingerprint = new Map(full.map((r) => [r.fingerprint, r]));
    return { rows: shown.map((f) => toRow(byFingerprint.get(f)!)), total };
  }

  /**
   * Under a rule or family filter, a case is shown by its finding of that rule (the one the user asked for), not by its
   * lead: filtered on 死亡未停保, the person's case opens on 死亡未停保 even when 死亡后发放 carries more money.
   */
  private representatives(leads: string[], filter: InboxFilter): string[] {
    const conditions: string[] = [];
    const params: string[] = [];
    if (filter.ruleIds?.length) {
      conditions.push('g.rule_id IN (SELECT value FROM json_each(?))');
      params.push(JSON.stringify(filter.ruleIds));
    }
    if (filter.families?.length) {
      conditions.push('g.family IN (SELECT value FROM json_each(?))');
      params.push(JSON.stringify(filter.families));
    }
    if (conditions.length === 0 || leads.length === 0) return leads;
    const rows = this.db
      .prepare(
        `SELECT w.value AS lead, coalesce((SELECT g.fingerprint FROM finding g WHERE g.case_key = f.case_key AND ${conditions.join(' AND ')}
                  ORDER BY g.state = f.state DESC, coalesce(g.amount_cents, 0) DESC, g.fingerprint LIMIT 1), w.value) AS shown
           FROM json_each(?) w CROSS JOIN finding f ON f.fingerprint = w.value`,
      )
      .all(...params, JSON.stringify(leads)) as { lead: string; shown: string }[];
    const shown = new Map(rows.map((r) => [r.lead, r.shown]));
    return leads.map((l) => shown.get(l) ?? l);
  }

  /**
   * Every fingerprint of the filtered list, in the list's order, as of now: an export walks this fixed list (reading rows
   * by fingerprint), so colleagues' changes while it is being written cannot shift rows in or out between its pages.
   */
  order(scope: readonly string[], filter: InboxFilter, sort: InboxSort): string[] {
    const w = where(scope, filter);
    const direction = sort.direction === 'asc' ? 'ASC' : 'DESC';
    const from = w.needsCase || CASE_SORTS.has(sort.column) ? FROM : FROM_FINDINGS;
    const order = sort.column === 'priority' ? PRIORITY_SQL : SORT_SQL[sort.column];
    return this.db.prepare(`WITH ${PRECISION_CTE} SELECT f.fingerprint ${from} WHERE ${w.sql} ORDER BY ${order} ${direction}, f.fingerprint`).pluck().all(...w.params) as string[];
  }

  count(scope: readonly string[], filter: InboxFilter): number {
    const w = where(scope, filter);
    const from = w.needsCase ? 'FROM finding f LEFT JOIN case_file c ON c.fingerprint = f.case_key' : 'FROM finding f';
    return (this.db.prepare(`SELECT count(*) AS n ${from} WHERE ${w.sql}`).get(...w.params) as { n: number }).n;
  }

  /**
   * Counts of cases per value of each filter, each with every other filter applied (so picking a value shows what it
   * yields). A case counts once under each of its rules and families (so those counts may add up to more than the
   * list). Division and change are read from the lead rows, rule and family from every finding, counted per case.
   */
  facets(scope: readonly string[], filter: InboxFilter): Facets {
    const street = filter.divisionPrefix && filter.divisionPrefix.length >= 9 ? 12 : 9;
    const expressions: Record<FacetName, string> = {
      rule: 'f.rule_id',
      family: 'f.family',
      caseState: "coalesce(c.state, 'new')",
      change: 'f.change',
      assignee: "coalesce(c.assignee_id, 'none')",
      // Counted per street (9 digits), or per community once a street is chosen.
      division: `substr(f.division_code, 1, ${street})`,
    };
    const active: Record<FacetName, boolean> = {
      rule: !!filter.ruleIds?.length,
      family: !!filter.families?.length,
      caseState: !!filter.caseStates?.length,
      change: !!filter.changes?.length,
      assignee: !!filter.assignee,
      division: !!filter.divisionPrefix,
    };
    const tally = (rows: Group[], name: FacetName) => {
      const counts = new Map<string, number>();
      for (const row of rows) counts.set(row[name]!, (counts.get(row[name]!) ?? 0) + row.n);
      return [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
    };
    const out = {} as Facets;
    const caseJoin = (w: Where) => (w.needsCase ? 'LEFT JOIN case_file c ON c.fingerprint = f.case_key' : '');
    // Rule and family: every finding that passes the other filters, counted once per case — by the flag that marks the
    // first finding of each (case, state, rule / family) when one state is shown, by a DISTINCT across states.
    const oneState = (filter.findingState ?? 'open') !== 'all';
    const perFinding = (name: 'rule' | 'family') => {
      const x = where(scope, filter, name, false);
      const n = oneState ? `sum(f.case_${name}_first)` : 'count(DISTINCT f.case_key)';
      return (this.db.prepare(`SELECT ${expressions[name]} AS ${name}, ${n} AS n FROM finding f ${caseJoin(x)} WHERE ${x.sql} GROUP BY 1`).all(...x.params) as Group[]).filter((g) => g.n > 0);
    };
    const w = where(scope, filter);
    if (!w.needsCase && oneState && !active.rule && !active.family) {
      // Fast path: one scan of the findings, grouped in the covering index's own order (the division cut to its facet
      // level afterwards), gives every finding facet at once — lead rows counted for division and change, the first
      // finding of each case per rule and per family for those. The case facets come from the (few) cases, with the
      // cases that have no events yet counted as 'new' / 'none'.
      const base = where(scope, filter, undefined, false);
      const groups = (
        this.db
          .prepare(
            `SELECT f.division_code AS division, f.rule_id AS rule, f.family AS family, f.change AS change,
                    sum(f.case_lead) AS leads, sum(f.case_rule_first) AS rules, sum(f.case_family_first) AS families
               FROM finding f WHERE ${base.sql} GROUP BY f.division_code, f.rule_id, f.family, f.change`,
          )
          .all(...base.params) as (Group & { leads: number; rules: number; families: number })[]
      ).map((r) => ({ ...r, division: r.division!.slice(0, street) }));
      const counted = (n: 'leads' | 'rules' | 'families') => groups.map((g) => ({ ...g, n: g[n] })).filter((g) => g.n > 0);
      out.rule = tally(counted('rules'), 'rule');
      out.family = tally(counted('families'), 'family');
      const leads = counted('leads');
      const total = leads.reduce((n, r) => n + r.n, 0);
      for (const name of ['division', 'change'] as const) {
        if (!active[name]) {
          out[name] = tally(leads, name);
          continue;
        }
        const x = where(scope, filter, name);
        out[name] = tally(this.db.prepare(`SELECT ${expressions[name]} AS ${name}, count(*) AS n FROM finding f WHERE ${x.sql} GROUP BY 1`).all(...x.params) as Group[], name);
      }
      // From the cases outwards (CROSS JOIN): otherwise SQLite scans every finding and probes for a case.
      const cases = this.db
        .prepare(`SELECT c.state AS caseState, coalesce(c.assignee_id, 'none') AS assignee, count(*) AS n FROM case_file c CROSS JOIN finding f ON f.case_key = c.fingerprint WHERE ${w.sql} GROUP BY 1, 2`)
        .all(...w.params) as Group[];
      const withCase = cases.reduce((n, r) => n + r.n, 0);
      const all = [...cases, { caseState: 'new', assignee: 'none', n: total - withCase }].filter((r) => r.n > 0);
      out.caseState = tally(all, 'caseState');
      out.assignee = tally(all, 'assignee');
      return out;
    }
    out.rule = tally(perFinding('rule'), 'rule');
    out.family = tally(perFinding('family'), 'family');
    const names = ['division', 'change', 'caseState', 'assignee'] as const;
    const scan = (except?: FacetName) => {
      const x = where(scope, filter, except);
      const select = names.map((n) => `${expressions[n]} AS ${n}`).join(', ');
      return this.db
        .prepare(`SELECT ${select}, count(*) AS n FROM finding f LEFT JOIN case_file c ON c.fingerprint = f.case_key WHERE ${x.sql} GROUP BY ${names.map((_, i) => i + 1).join(', ')}`)
        .all(...x.params) as Group[];
    };
    const all = scan();
    for (const name of names) out[name] = tally(active[name] ? scan(name) : all, name);
    return out;
  }

  /** The rows of these findings that lie inside the scope (for bulk actions: one query, not one per finding). */
  rows(scope: readonly string[], fingerprints: readonly string[]): Map<string, InboxRow> {
    const s = scopeSql('f.division_code', scope);
    const rows = this.db
      .prepare(
        `WITH ${PRECISION_CTE} ${SELECT} FROM json_each(?) w CROSS JOIN finding f ON f.fingerprint = w.value
           LEFT JOIN case_file c ON c.fingerprint = f.case_key LEFT JOIN precision_by_rule p ON p.rule_id = f.rule_id WHERE ${s.sql}`,
      )
      .all(JSON.stringify(fingerprints), ...s.params) as RawRow[];
    return new Map(rows.map((r) => [r.fingerprint, toRow(r)]));
  }

  /** The finding row with its case columns, when inside the scope. */
  row(scope: readonly string[], fingerprint: string): InboxRow | undefined {
    const s = scopeSql('f.division_code', scope);
    const r = this.db.prepare(`WITH ${PRECISION_CTE} ${SELECT} ${FROM} WHERE f.fingerprint = ? AND ${s.sql}`).get(fingerprint, ...s.params) as RawRow | undefined;
    return r ? toRow(r) : undefined;
  }

  /** Findings about a person or their household, inside the scope, newest first. */
  aboutPerson(scope: readonly string[], personId: string, householdId: string | null): InboxRow[] {
    const s = scopeSql('f.division_code', scope);
    return (
      this.db
        .prepare(`WITH ${PRECISION_CTE} ${SELECT} ${FROM} WHERE (f.person_id = ? OR f.subject_id = ? OR f.household_id = ?) AND ${s.sql} ORDER BY f.last_run_id DESC, f.rule_id`)
        .all(personId, personId, householdId ?? '\u0000', ...s.params) as RawRow[]
    ).map(toRow);
  }

  /** The findings of one case inside the scope, the lead first, then by amount. */
  caseFindings(scope: readonly string[], caseKey: string): InboxRow[] {
    const s = scopeSql('f.division_code', scope);
    return (
      this.db
        .prepare(`WITH ${PRECISION_CTE} ${SELECT} ${FROM} WHERE f.case_key = ? AND ${s.sql} ORDER BY f.case_lead DESC, f.state, coalesce(f.amount_cents, 0) DESC, f.rule_id`)
        .all(caseKey, ...s.params) as RawRow[]
    ).map(toRow);
  }

  /** The division of each fingerprint (for the scope check of actions), absent when unknown. */
  divisionsOf(fingerprints: readonly string[]): Map<string, string> {
    const rows = this.db.prepare('SELECT fingerprint, division_code FROM finding WHERE fingerprint IN (SELECT value FROM json_each(?))').all(JSON.stringify(fingerprints)) as {
      fingerprint: string;
      division_code: string;
    }[];
    return new Map(rows.map((r) => [r.fingerprint, r.division_code]));
  }

  /** The finding's stored detail: evidence and the parameters of the pass that produced it. */
  detail(fingerprint: string):
    | { evidence: unknown; parameters: Record<string, unknown>; firstSnapshot: string; lastSnapshot: string; ruleVersion: number; runValues: RegionalValue[]; asOf: string }
    | undefined {
    const r = this.db
      .prepare(
        `SELECT d.evidence, d.parameters, f.first_snapshot, f.last_snapshot, f.rule_version, r.parameter_values, r.as_of
           FROM finding f JOIN finding_detail d USING (fingerprint) JOIN rule_run r ON r.run_id = f.last_run_id WHERE f.fingerprint = ?`,
      )
      .get(fingerprint) as
      | { evidence: string; parameters: string; first_snapshot: string; last_snapshot: string; rule_version: number; parameter_values: string; as_of: string }
      | undefined;
    return r
      ? {
          evidence: JSON.parse(r.evidence) as unknown,
          parameters: JSON.parse(r.parameters) as Record<string, unknown>,
          firstSnapshot: r.first_snapshot,
          lastSnapshot: r.last_snapshot,
          ruleVersion: r.rule_version,
          // The regional values (with their sources) the run that last found it had in force.
          runValues: JSON.parse(r.parameter_values) as RegionalValue[],
          asOf: r.as_of,
        }
      : undefined;
  }

  /**
   * Learning from outcomes, per rule and street: findings, confirmed, dismissed, amount confirmed. Feeds the
   * supervisors' table and (through the same precision) the default order of the inbox.
   */
  outcomesByRule(scope: readonly string[]): { ruleId: string; street: string; findings: number; open: number; confirmed: number; dismissed: number; amountConfirmedCents: number; recoveredCents: number }[] {
    const s = scopeSql('f.division_code', scope);
    return this.db
      .prepare(
        `SELECT f.rule_id AS ruleId, substr(f.division_code, 1, 9) AS street, count(*) AS findings, sum(f.state = 'open') AS open,
                coalesce(sum(c.decision = 'confirmed'), 0) AS confirmed, coalesce(sum(c.decision = 'dismissed'), 0) AS dismissed,
                coalesce(sum(CASE WHEN c.decision = 'confirmed' THEN f.amount_cents END), 0) AS amountConfirmedCents,
                coalesce(sum(c.recovered_cents), 0) AS recoveredCents
           FROM finding f LEFT JOIN case_file c ON c.fingerprint = f.case_key
          WHERE ${s.sql} GROUP BY 1, 2 ORDER BY 1, 2`,
      )
      .all(...s.params) as never;
  }
}
