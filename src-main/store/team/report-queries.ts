/**
 * The supervisor dashboard's figures, from the team store's findings and cases, always inside the caller's scope. Each
 * figure comes with what the inbox needs to list the findings behind it (services/reports turns it into a filter).
 * Aggregates only: no names or ID numbers leave these queries.
 */
import { scopeSql } from '../scope-sql.js';
import type { Db } from '../sqlcipher.js';

export interface FamilyStreetCount {
  family: string;
  street: string;
  count: number;
  amountCents: number;
}

export interface RuleCount {
  ruleId: string;
  family: string;
  count: number;
  amountCents: number;
}

export interface CaseStateCount {
  state: string;
  decision: string | null;
  count: number;
}

export interface AgeingRun {
  runId: number;
  startedAt: string;
  count: number;
}

export interface WorkloadRow {
  assigneeId: string | null;
  assigneeName: string | null;
  open: number;
  overdue: number;
}

export interface RulePrecision {
  ruleId: string;
  confirmed: number;
  dismissed: number;
}

export interface MoneyFigures {
  /** Amount at risk on open findings (rules that carry money). */
  atRiskCents: number;
  /** Amount at risk on findings whose case was confirmed. */
  confirmedCents: number;
  /** What confirmed cases set out to recover, and what was recovered. */
  toRecoverCents: number;
  recoveredCents: number;
}

export interface RecoveryRow {
  fingerprint: string;
  ruleId: string;
  divisionCode: string;
  state: string;
  toRecoverCents: number;
  recoveredCents: number;
}

/** When a case's decision was taken (cases folded before that was recorded: their last update). */
/** Per rule, the cases decided each way: a case counts once for every rule it lists (一人一案). */
const DECISIONS_PER_RULE = `count(DISTINCT CASE WHEN c.decision = 'confirmed' THEN c.fingerprint END) AS confirmed,
  count(DISTINCT CASE WHEN c.decision = 'dismissed' THEN c.fingerprint END) AS dismissed`;

const DECIDED_AT = `coalesce(json_extract(c.view, '$.decidedAt'), c.updated_at)`;

/** Cases that are no longer worked on. */
const SETTLED = `('closed', 'dismissed')`;

/**
 * Money of the findings `which` selects, **once per payment** across rules: each payment with the largest part any of
 * its findings attributes to it (finding_payment); a finding recorded before payments were attributed, its own amount.
 * Binds `which`'s parameters and the scope's, twice.
 *
 * The plan is fixed by the join order (CROSS JOIN): the findings `which` selects first (by the finding indexes, or from
 * the few cases when `which` reads the case), then their payments by primary key. Left to itself SQLite walked every
 * payment of the store in payment order and looked each one's finding up — 3 s for 510,000 payments.
 */
const onceSql = (which: string, scope: string, byCase = false) => {
  const from = byCase ? 'case_file c CROSS JOIN finding f ON f.case_key = c.fingerprint' : 'finding f';
  return `
  SELECT coalesce(sum(cents), 0) FROM (
    SELECT max(p.cents) AS cents FROM ${from} CROSS JOIN finding_payment p ON p.fingerprint = f.fingerprint
      WHERE ${which} AND ${scope} GROUP BY p.payment_id
    UNION ALL
    SELECT f.amount_cents FROM ${from}
     WHERE ${which} AND ${scope} AND f.amount_cents > 0 AND NOT EXISTS (SELECT 1 FROM finding_payment p WHERE p.fingerprint = f.fingerprint))`;
};

/*
 * Joins between cases and findings start from case_file (CROSS JOIN fixes the order): cases are few next to findings,
 * and case_file has no statistics (the findings' are refreshed after every run), so left to itself SQLite scanned every
 * finding and probed for its case — 0.3–0.5 s apiece at 200,000 findings, with no case at all.
 */
export class ReportQueries {
  constructor(private readonly db: Db) {}

  private scoped(scope: readonly string[]) {
    return scopeSql('f.division_code', scope);
  }

  /** Open cases by rule family and street (9-digit division code): a case counts once per family it has a finding of. */
  byFamilyStreet(scope: readonly string[]): FamilyStreetCount[] {
    const s = this.scoped(scope);
    return this.db
      .prepare(
        `SELECT f.family, substr(f.division_code, 1, 9) AS street, count(DISTINCT f.case_key) AS count, coalesce(sum(f.amount_cents), 0) AS amountCents
           FROM finding f WHERE f.state = 'open' AND ${s.sql} GROUP BY f.family, street ORDER BY f.family, street`,
      )
      .all(...s.params) as FamilyStreetCount[];
  }

  byRule(scope: readonly string[]): RuleCount[] {
    const s = this.scoped(scope);
    return this.db
      .prepare(
        `SELECT f.rule_id AS ruleId, f.family, count(*) AS count, coalesce(sum(f.amount_cents), 0) AS amountCents
           FROM finding f WHERE f.state = 'open' AND ${s.sql} GROUP BY f.rule_id, f.family ORDER BY f.rule_id`,
      )
      .all(...s.params) as RuleCount[];
  }

  /** What the last run changed: open findings new or persisting, and findings it resolved. */
  changes(scope: readonly string[]): { new: number; persisting: number; resolved: number; lastRunId: number | null } {
    const s = this.scoped(scope);
    const lastRunId = (this.db.prepare('SELECT max(run_id) FROM rule_run').pluck().get() as number | null) ?? null;
    const rows = this.db
      .prepare(
        `SELECT f.change, count(*) AS n FROM finding f
          WHERE ${s.sql} AND (f.state = 'open' OR (f.change = 'resolved' AND f.last_run_id = ?)) GROUP BY f.change`,
      )
      .all(...s.params, lastRunId ?? 0) as { change: string; n: number }[];
    const n = (c: string) => rows.find((r) => r.change === c)?.n ?? 0;
    return { new: n('new'), persisting: n('persisting'), resolved: n('resolved'), lastRunId };
  }

  /** Cases with an open finding (or a decision) by state (no events yet = 'new'), with the last decision for closed ones. */
  caseStates(scope: readonly string[]): CaseStateCount[] {
    const s = this.scoped(scope);
    return this.db
      .prepare(
        `SELECT coalesce(c.state, 'new') AS state, c.decision, count(*) AS count
           FROM finding f LEFT JOIN case_file c ON c.fingerprint = f.case_key
          WHERE f.case_lead = 1 AND (f.state = 'open' OR c.fingerprint IS NOT NULL) AND ${s.sql}
          GROUP BY 1, 2 ORDER BY 1, 2`,
      )
      .all(...s.params) as CaseStateCount[];
  }

  /** Open, unsettled cases by the run that first found their lead finding (the dashboard buckets runs by age). */
  openByFirstRun(scope: readonly string[]): AgeingRun[] {
    const s = this.scoped(scope);
    return this.db
      .prepare(
        `SELECT f.first_run_id AS runId, r.started_at AS startedAt, count(*) AS count
           FROM finding f JOIN rule_run r ON r.run_id = f.first_run_id LEFT JOIN case_file c ON c.fingerprint = f.case_key
          WHERE f.state = 'open' AND f.case_lead = 1 AND coalesce(c.state, 'new') NOT IN ${SETTLED} AND ${s.sql}
          GROUP BY f.first_run_id ORDER BY f.first_run_id`,
      )
      .all(...s.params) as AgeingRun[];
  }

  /** Unsettled cases per assignee (null: nobody yet), and how many are past their due date. */
  workload(scope: readonly string[], today: string): WorkloadRow[] {
    const s = this.scoped(scope);
    return this.db
      .prepare(
        `SELECT c.assignee_id AS assigneeId, max(c.assignee_name) AS assigneeName, count(*) AS open,
                sum(CASE WHEN c.due_date IS NOT NULL AND c.due_date < ? THEN 1 ELSE 0 END) AS overdue
           FROM case_file c CROSS JOIN finding f ON f.case_key = c.fingerprint AND f.case_lead = 1
          WHERE c.state NOT IN ${SETTLED} AND ${s.sql}
          GROUP BY c.assignee_id ORDER BY open DESC`,
      )
      .all(today, ...s.params) as WorkloadRow[];
  }

  precision(scope: readonly string[]): RulePrecision[] {
    const s = this.scoped(scope);
    return this.db
      .prepare(
        `SELECT f.rule_id AS ruleId, ${DECISIONS_PER_RULE}
           FROM case_file c CROSS JOIN finding f ON f.case_key = c.fingerprint
          WHERE c.decision IS NOT NULL AND ${s.sql} GROUP BY f.rule_id ORDER BY f.rule_id`,
      )
      .all(...s.params) as RulePrecision[];
  }

  /**
   * Money figures of the scope. Amounts at risk and confirmed are counted **once per payment** across rules: a payment
   * after death is both 死亡未停保 and 死亡后发放, a payment after moving out both 户籍迁出 and 退出后发放. Each payment
   * counts once, with the largest part any of its findings attributes to it (finding_payment); a finding recorded
   * before payments were attributed counts its own amount.
   */
  money(scope: readonly string[]): MoneyFigures {
    const s = this.scoped(scope);
    const atRisk = this.db.prepare(onceSql(`f.state = 'open'`, s.sql)).pluck().get(...s.params, ...s.params) as number;
    const confirmed = this.db.prepare(onceSql(`c.decision = 'confirmed'`, s.sql, true)).pluck().get(...s.params, ...s.params) as number;
    return { atRiskCents: atRisk, confirmedCents: confirmed, ...this.recoveryTotals(scope) };
  }

  /** What confirmed cases set out to recover, and what was recovered (money()'s case figures, without the amounts at risk). */
  recoveryTotals(scope: readonly string[]): Pick<MoneyFigures, 'toRecoverCents' | 'recoveredCents'> {
    const s = this.scoped(scope);
    return this.db
      .prepare(
        `SELECT coalesce(sum(CASE WHEN c.decision = 'confirmed' THEN c.to_recover_cents END), 0) AS toRecoverCents,
                coalesce(sum(c.recovered_cents), 0) AS recoveredCents
           FROM case_file c CROSS JOIN finding f ON f.case_key = c.fingerprint AND f.case_lead = 1 WHERE ${s.sql}`,
      )
      .get(...s.params) as Pick<MoneyFigures, 'toRecoverCents' | 'recoveredCents'>;
  }

  /**
   * Amount at risk on the open findings of each group of rules (the report's anomaly types), each payment once within a
   * group, as money() counts it: one pass over the open findings and their payments instead of one per group.
   */
  atRiskOfGroups(scope: readonly string[], groups: readonly (readonly string[])[]): number[] {
    const pairs = groups.flatMap((ids, group) => ids.map((id) => [id, group] as const));
    if (pairs.length === 0) return groups.map(() => 0);
    const s = this.scoped(scope);
    const rows = this.db
      .prepare(
        `WITH g AS MATERIALIZED (SELECT json_extract(value, '$[0]') AS rule_id, json_extract(value, '$[1]') AS grp FROM json_each(@groups))
         SELECT grp, sum(cents) AS cents FROM (
           SELECT g.grp, max(p.cents) AS cents FROM finding f CROSS JOIN g ON g.rule_id = f.rule_id CROSS JOIN finding_payment p ON p.fingerprint = f.fingerprint
            WHERE f.state = 'open' AND ${s.sql} GROUP BY g.grp, p.payment_id
           UNION ALL
           SELECT g.grp, f.amount_cents FROM finding f CROSS JOIN g ON g.rule_id = f.rule_id
            WHERE f.state = 'open' AND ${s.sql} AND f.amount_cents > 0 AND NOT EXISTS (SELECT 1 FROM finding_payment p WHERE p.fingerprint = f.fingerprint))
         GROUP BY grp`,
      )
      .all(...s.params, ...s.params, { groups: JSON.stringify(pairs) }) as { grp: number; cents: number }[];
    const byGroup = new Map(rows.map((r) => [r.grp, r.cents]));
    return groups.map((_, i) => byGroup.get(i) ?? 0);
  }

  /**
   * The payments the open findings of one rule attribute money to, inside the scope: each payment with its part and the
   * finding's division (R-LINSHI's excess over the cap, a repeat, a split — computed by the last run with each region's
   * own parameters), for the spending review.
   */
  attributedPayments(scope: readonly string[], ruleId: string): { paymentId: string; cents: number; divisionCode: string }[] {
    const s = this.scoped(scope);
    return this.db
      .prepare(
        `SELECT p.payment_id AS paymentId, max(p.cents) AS cents, min(f.division_code) AS divisionCode
           FROM finding f JOIN finding_payment p ON p.fingerprint = f.fingerprint
          WHERE f.state = 'open' AND f.rule_id = ? AND p.cents > 0 AND ${s.sql} GROUP BY p.payment_id`,
      )
      .all(ruleId, ...s.params) as { paymentId: string; cents: number; divisionCode: string }[];
  }

  /** The persons whose benefit a confirmed case stopped (for the estimate of future payments prevented). */
  stoppedPersons(scope: readonly string[]): string[] {
    const s = this.scoped(scope);
    return this.db
      .prepare(
        `SELECT DISTINCT f.person_id FROM case_file c CROSS JOIN finding f ON f.case_key = c.fingerprint
          WHERE c.decision = 'confirmed' AND c.outcome_benefit = 'stopped' AND f.person_id IS NOT NULL AND ${s.sql}`,
      )
      .pluck()
      .all(...s.params) as string[];
  }

  /** Cases that set out to recover money, largest first. */
  recoveries(scope: readonly string[], limit: number): RecoveryRow[] {
    const s = this.scoped(scope);
    return this.db
      .prepare(
        `SELECT f.fingerprint, f.rule_id AS ruleId, f.division_code AS divisionCode, c.state,
                coalesce(c.to_recover_cents, 0) AS toRecoverCents, coalesce(c.recovered_cents, 0) AS recoveredCents
           FROM case_file c CROSS JOIN finding f ON f.case_key = c.fingerprint AND f.case_lead = 1
          WHERE (c.to_recover_cents > 0 OR c.recovered_cents > 0) AND ${s.sql}
          ORDER BY c.to_recover_cents DESC, f.fingerprint LIMIT ?`,
      )
      .all(...s.params, limit) as RecoveryRow[];
  }

  /**
   * Findings first found in a snapshot as of a date inside the period, and case decisions taken inside it (by the time
   * of the event that took them), for the monthly report.
   */
  periodActivity(scope: readonly string[], from: string, to: string): { ruleId: string; found: number; foundCents: number; confirmed: number; dismissed: number }[] {
    const s = this.scoped(scope);
    return this.db
      .prepare(
        `WITH found AS (
           SELECT f.rule_id, count(*) AS n, coalesce(sum(f.amount_cents), 0) AS cents FROM finding f JOIN rule_run r ON r.run_id = f.first_run_id
            WHERE r.as_of >= @from AND r.as_of < @to AND ${s.sql} GROUP BY f.rule_id),
         decided AS (
           SELECT f.rule_id, ${DECISIONS_PER_RULE}
             FROM case_file c CROSS JOIN finding f ON f.case_key = c.fingerprint
            WHERE c.decision IS NOT NULL AND ${DECIDED_AT} >= @from AND ${DECIDED_AT} < @to AND ${s.sql} GROUP BY f.rule_id),
         rules AS (SELECT rule_id FROM found UNION SELECT rule_id FROM decided)
         SELECT r.rule_id AS ruleId, coalesce(fo.n, 0) AS found, coalesce(fo.cents, 0) AS foundCents, coalesce(d.confirmed, 0) AS confirmed, coalesce(d.dismissed, 0) AS dismissed
           FROM rules r LEFT JOIN found fo ON fo.rule_id = r.rule_id LEFT JOIN decided d ON d.rule_id = r.rule_id ORDER BY r.rule_id`,
      )
      .all(...s.params, ...s.params, { from, to }) as { ruleId: string; found: number; foundCents: number; confirmed: number; dismissed: number }[];
  }
}
