/**
 * Spending review (资金审核) over a snapshot's payment ledger: the F-rules of rules.md taken payment by payment — so
 * that their totals split by program, street and month — and F-BUDGET, budget execution against the share of the year
 * elapsed at the snapshot's date. A payment is placed in the division of its person's household (the lowest household
 * id when a person is listed in several, as the rule library does).
 */
import { scopeSql } from '../scope-sql.js';
import { activeAt, divisionOfPerson } from '../sql-fragments.js';
import type { Db } from '../sqlcipher.js';

/** An F-rule's id (F-AFTER-DEATH, F-AFTER-EXIT, F-DUPLICATE, F-AMOUNT: src-main/rules/f-*). */
export type SpendingRule = string;

export interface SpendingRow {
  rule: SpendingRule;
  program: string;
  /** The street (9-digit division code) the payments' households belong to. */
  street: string;
  /** The month the payments were for (`YYYY-MM`). */
  period: string;
  payments: number;
  /** What was paid that should not have been (for F-AMOUNT: the part above the enrolled monthly amount). */
  amountCents: number;
  /** F-AMOUNT only: what was paid short of the enrolled monthly amount (owed to the beneficiary, 少发). */
  shortCents: number;
}

export interface FlaggedPayment {
  rule: SpendingRule;
  paymentId: string;
  personId: string;
  program: string;
  period: string;
  paidCents: number;
  flaggedCents: number;
  /** F-AMOUNT only: the part of the enrolled amount not paid. */
  shortCents: number;
  divisionCode: string;
}

export interface BudgetRow {
  divisionPrefix: string;
  program: string;
  year: number;
  budgetCents: number;
  /** Paid for the months of `year` up to and including the snapshot's month, in the budget's division prefix. */
  paidCents: number;
}

/** A flagged payment inside a scope (SpendingQueries.flaggedInScope). */
export interface FlaggedInScope {
  rule: SpendingRule;
  paymentId: string;
  program: string;
  street: string;
  period: string;
  flagged: number | null;
  short: number | null;
}

const byKeys = (a: readonly string[], b: readonly string[]) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
};

/** The spending review's rows from flaggedInScope's: by rule, program, street and month, in that order. */
export function spendingRows(flagged: readonly FlaggedInScope[]): SpendingRow[] {
  const groups = new Map<string, SpendingRow>();
  for (const f of flagged) {
    const id = `${f.rule}\u0000${f.program}\u0000${f.street}\u0000${f.period}`;
    const g = groups.get(id) ?? { rule: f.rule, program: f.program, street: f.street, period: f.period, payments: 0, amountCents: 0, shortCents: 0 };
    g.payments += 1;
    g.amountCents += f.flagged ?? 0;
    g.shortCents += f.short ?? 0;
    groups.set(id, g);
  }
  return [...groups.values()].sort((a, b) => byKeys([a.rule, a.program, a.street, a.period], [b.rule, b.program, b.street, b.period]));
}

/**
 * All F-rules together (and `extra`: a rule's findings, R-LINSHI's money, through `throughPeriod`), each flagged payment
 * once with its largest part (a payment after death is often also outside its enrolment): how many, and how much.
 */
export function flaggedOnce(flagged: readonly FlaggedInScope[], extra: readonly { paymentId: string; cents: number; period: string }[] = [], throughPeriod?: string): { payments: number; amountCents: number } {
  const largest = new Map<string, number>();
  const add = (id: string, cents: number | null) => {
    if (cents === null) return;
    const was = largest.get(id);
    if (was === undefined || cents > was) largest.set(id, cents);
  };
  for (const f of flagged) add(f.paymentId, f.flagged);
  for (const x of extra) if (throughPeriod === undefined || x.period <= throughPeriod) add(x.paymentId, x.cents);
  let payments = 0;
  let amountCents = 0;
  for (const cents of largest.values()) {
    if (cents <= 0) continue;
    payments++;
    amountCents += cents;
  }
  return { payments, amountCents };
}

/**
 * Every payment an F-rule flags, with the amount it flags (paid that should not have been) and, for F-AMOUNT, the
 * shortfall: the rules' own per-payment statements (RuleModule.paymentFlags), united by the caller. A person's division
 * is looked up (divisionOfPerson, through the index on household_member) only for the persons a query needs (flagged
 * payments are a few thousand; building the map for a million persons first costs seconds).
 */
export class SpendingQueries {
  private readonly flagged: string;

  /** `flagged`: UNION ALL of `SELECT rule, payment_id, person_id, program, period, paid, flagged, short` (rules/index.ts SPENDING_FLAGS). */
  constructor(
    private readonly db: Db,
    flagged: string,
  ) {
    this.flagged = `flagged AS (${flagged})`;
  }

  /**
   * Every flagged payment inside the scope through `throughPeriod`, with its street: from one pass over the ledger:
   * the spending review's rows by rule, programme, street and month (spendingRows) and its total once per payment
   * (flaggedOnce) both come from these rows.
   */
  flaggedInScope(scope: readonly string[] | null, throughPeriod: string): FlaggedInScope[] {
    const s = scopeSql('d.division_code', scope);
    return this.db
      .prepare(
        `WITH ${this.flagged},
         d AS (SELECT f.*, ${divisionOfPerson('f.person_id')} AS division_code FROM flagged f WHERE f.period <= @through)
         SELECT d.rule, d.payment_id AS paymentId, d.program, substr(d.division_code, 1, 9) AS street, d.period, d.flagged, d.short
           FROM d WHERE d.division_code IS NOT NULL AND ${s.sql}`,
      )
      .all(...s.params, { through: throughPeriod }) as FlaggedInScope[];
  }

  /** Payments by id (the programme and month of money a finding attributed to them). */
  paymentsById(ids: readonly string[]): { paymentId: string; personId: string; program: string; period: string; paidCents: number }[] {
    if (ids.length === 0) return [];
    return this.db
      .prepare(
        `SELECT y.payment_id AS paymentId, y.person_id AS personId, y.program, y.period, y.amount_cents AS paidCents
           FROM payment y WHERE y.payment_id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(ids)) as { paymentId: string; personId: string; program: string; period: string; paidCents: number }[];
  }

  /** The payments behind one cell of the review (drill-down), newest first, at most `limit`. */
  payments(scope: readonly string[] | null, where: { rule?: SpendingRule; program?: string; street?: string; period?: string }, limit: number): FlaggedPayment[] {
    const s = scopeSql('d.division_code', scope);
    return this.db
      .prepare(
        `WITH ${this.flagged},
         d AS (SELECT f.*, ${divisionOfPerson('f.person_id')} AS division_code FROM flagged f
                WHERE (@rule IS NULL OR f.rule = @rule) AND (@program IS NULL OR f.program = @program) AND (@period IS NULL OR f.period = @period))
         SELECT d.rule, d.payment_id AS paymentId, d.person_id AS personId, d.program, d.period, d.paid AS paidCents, d.flagged AS flaggedCents, d.short AS shortCents, d.division_code AS divisionCode
           FROM d
          WHERE d.division_code IS NOT NULL AND ${s.sql} AND (@street IS NULL OR substr(d.division_code, 1, 9) = @street)
          ORDER BY d.period DESC, d.payment_id LIMIT @limit`,
      )
      .all(...s.params, { rule: where.rule ?? null, program: where.program ?? null, street: where.street ?? null, period: where.period ?? null, limit }) as FlaggedPayment[];
  }

  /**
   * Budget lines of `year`, with what was paid in that
   * prefix for the months of the year up to `throughPeriod`. Payments are summed per division first (a few thousand
   * rows), then per budget prefix.
   */
  budget(scope: readonly string[] | null, year: number, throughPeriod: string): BudgetRow[] {
    const s = scopeSql('d.division_code', scope);
    return this.db
      .prepare(
        `WITH per_person AS (
           SELECT y.person_id, y.program, sum(y.amount_cents) AS cents FROM payment y
            WHERE y.period BETWEEN @from AND @through GROUP BY y.person_id, y.program),
         d AS (SELECT p.program, p.cents, ${divisionOfPerson('p.person_id')} AS division_code FROM per_person p),
         paid AS (
           SELECT d.program, d.division_code, sum(d.cents) AS cents FROM d
            WHERE d.division_code IS NOT NULL AND ${s.sql}
            GROUP BY d.program, d.division_code)
         SELECT b.division_prefix AS divisionPrefix, b.program, b.year, b.amount_cents AS budgetCents,
                coalesce((SELECT sum(p.cents) FROM paid p WHERE p.program = b.program AND p.division_code LIKE b.division_prefix || '%'), 0) AS paidCents
           FROM budget b
          WHERE b.year = @year
          ORDER BY b.division_prefix, b.program`,
      )
      .all(...s.params, { from: `${year}-01`, through: throughPeriod, year }) as BudgetRow[];
  }

  /** What these persons' enrolments active at `asOf` pay a month, together. */
  monthlyAmountOf(personIds: readonly string[], asOf: string): number {
    if (personIds.length === 0) return 0;
    return (
      (this.db
        .prepare(
          `SELECT coalesce(sum(e.monthly_amount_cents), 0) FROM enrollment e
            WHERE e.person_id IN (SELECT value FROM json_each(?)) AND ${activeAt('e', '@d')}`,
        )
        .pluck()
        .get(JSON.stringify(personIds), { d: asOf }) as number) ?? 0
    );
  }
}
