/**
 * 一人一案 in the team store: findings that share a case key (domain/cases/case-key.ts) are one case. Each case has one
 * lead finding — the row that stands for it in the inbox — and one amount at risk, each payment counted once however
 * many of the case's rules point at it (the same definition as report-queries.ts).
 *
 * A finding alone in its case is its own lead, first of its rule and family, and its case's amount is its own (written
 * with the finding: OWN_CASE_AMOUNT). Only cases with several findings need working out: refreshCaseGroups does that
 * set-wise after every run, for those cases alone, and writes only the rows that change.
 */
import type { Db } from '../sqlcipher.js';

/** A finding's case amount while it is alone in its case: its payments (each once), else its own amount. */
export const OWN_CASE_AMOUNT = (f: string) => `coalesce((SELECT sum(p.cents) FROM finding_payment p WHERE p.fingerprint = ${f}.fingerprint), ${f}.amount_cents)`;

/** The same, from what a run hands over (recordRun writes it with the row). */
export function ownCaseAmount(amountCents: number | null, payments: readonly (readonly [string, number])[] | undefined): number | null {
  const paid = (payments ?? []).filter(([, cents]) => cents > 0);
  return paid.length > 0 ? paid.reduce((n, [, cents]) => n + cents, 0) : amountCents;
}

const SHARED = `case_key IN (SELECT case_key FROM temp.case_refresh)`;

/**
 * The findings a case's money is counted over: its open ones, or — once every one is resolved — all of them (so a
 * resolved case still shows what was at stake).
 */
const MONEY = `
  live AS (
    SELECT f.fingerprint, f.case_key, f.amount_cents FROM finding f
     WHERE f.${SHARED} AND (f.state = 'open' OR NOT EXISTS (SELECT 1 FROM finding g WHERE g.case_key = f.case_key AND g.state = 'open'))),
  paid AS (SELECT l.case_key, p.payment_id, max(p.cents) AS cents FROM live l JOIN finding_payment p ON p.fingerprint = l.fingerprint GROUP BY 1, 2),
  unpaid AS (SELECT l.case_key, l.amount_cents AS cents FROM live l
              WHERE l.amount_cents IS NOT NULL AND NOT EXISTS (SELECT 1 FROM finding_payment p WHERE p.fingerprint = l.fingerprint)),
  money AS (SELECT case_key, sum(cents) AS cents FROM (SELECT case_key, cents FROM paid UNION ALL SELECT case_key, cents FROM unpaid) GROUP BY case_key)`;

/**
 * Works out the cases with several findings. `leftKeys`: the keys findings moved away from in this run (a household's
 * head changed) — a case left with one finding goes back to that finding's own values.
 */
export function refreshCaseGroups(db: Db, leftKeys: readonly string[] = []): void {
  // The keys to work out, in memory (temp_store = MEMORY: nothing of it reaches the disk).
  db.exec(`
    CREATE TEMP TABLE IF NOT EXISTS case_refresh (case_key TEXT PRIMARY KEY) WITHOUT ROWID;
    DELETE FROM temp.case_refresh;
    INSERT INTO temp.case_refresh SELECT case_key FROM finding GROUP BY case_key HAVING count(*) > 1;
  `);
  if (leftKeys.length > 0) {
    db.prepare(
      `UPDATE finding SET case_lead = 1, case_rule_first = 1, case_family_first = 1, case_amount_cents = ${OWN_CASE_AMOUNT('finding')}
        WHERE case_key IN (SELECT value FROM json_each(?)) AND NOT ${SHARED}`,
    ).run(JSON.stringify(leftKeys));
  }
  // The lead: an open finding before a resolved one, then the larger amount, then a stable order. And, so that the
  // inbox can count cases per rule and per family by summing a flag from its covering index (instead of a DISTINCT
  // over case keys), the first finding of each (case, state, rule) and (case, state, family).
  db.exec(`
    WITH ranked AS (
      SELECT fingerprint,
        row_number() OVER (PARTITION BY case_key ORDER BY state = 'open' DESC, coalesce(amount_cents, 0) DESC, rule_id, fingerprint) = 1 AS lead,
        row_number() OVER (PARTITION BY case_key, state, rule_id ORDER BY fingerprint) = 1 AS rule_first,
        row_number() OVER (PARTITION BY case_key, state, family ORDER BY fingerprint) = 1 AS family_first
        FROM finding WHERE ${SHARED})
    UPDATE finding SET case_lead = ranked.lead, case_rule_first = ranked.rule_first, case_family_first = ranked.family_first FROM ranked
     WHERE ranked.fingerprint = finding.fingerprint
       AND (finding.case_lead IS NOT ranked.lead OR finding.case_rule_first IS NOT ranked.rule_first OR finding.case_family_first IS NOT ranked.family_first);

    WITH ${MONEY},
    cases AS (SELECT r.case_key, m.cents FROM temp.case_refresh r LEFT JOIN money m ON m.case_key = r.case_key)
    UPDATE finding SET case_amount_cents = cases.cents FROM cases WHERE cases.case_key = finding.case_key AND finding.case_amount_cents IS NOT cases.cents;

    DELETE FROM temp.case_refresh;
  `);
}
