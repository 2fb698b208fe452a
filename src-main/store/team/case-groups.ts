/**
 * 一人一案 in the team store: findings that share a case key (domain/cases/case-key.ts) are one case. Each case has one
 * lead finding — the row that stands for it in the inbox — and one amount at risk, each payment counted once however
 * many of the case's rules point at it (the same definition as report-queries.ts). Both are derived and refreshed after
 * every run, set-wise over the whole table; rows that do not change are not written.
 */
import type { Db } from '../sqlcipher.js';

/**
 * The findings a case's money is counted over: its open ones, or — once every one is resolved — all of them (so a
 * resolved case still shows what was at stake).
 */
const LIVE = `live AS (
  SELECT f.fingerprint, f.case_key, f.amount_cents FROM finding f
   WHERE f.state = 'open' OR NOT EXISTS (SELECT 1 FROM finding g WHERE g.case_key = f.case_key AND g.state = 'open'))`;

const MONEY = `${LIVE},
  paid AS (SELECT l.case_key, p.payment_id, max(p.cents) AS cents FROM live l JOIN finding_payment p ON p.fingerprint = l.fingerprint GROUP BY 1, 2),
  unpaid AS (SELECT l.case_key, l.amount_cents AS cents FROM live l
              WHERE l.amount_cents IS NOT NULL AND NOT EXISTS (SELECT 1 FROM finding_payment p WHERE p.fingerprint = l.fingerprint)),
  money AS (SELECT case_key, sum(cents) AS cents FROM (SELECT case_key, cents FROM paid UNION ALL SELECT case_key, cents FROM unpaid) GROUP BY case_key)`;

export function refreshCaseGroups(db: Db): void {
  // The lead: an open finding before a resolved one, then the larger amount, then a stable order.
  db.exec(`
    WITH ranked AS (
      SELECT fingerprint, row_number() OVER (PARTITION BY case_key ORDER BY state = 'open' DESC, coalesce(amount_cents, 0) DESC, rule_id, fingerprint) = 1 AS lead
        FROM finding)
    UPDATE finding SET case_lead = ranked.lead FROM ranked WHERE ranked.fingerprint = finding.fingerprint AND finding.case_lead IS NOT ranked.lead;

    WITH ${MONEY}
    UPDATE finding SET case_amount_cents = money.cents FROM money WHERE money.case_key = finding.case_key AND finding.case_amount_cents IS NOT money.cents;

    WITH ${MONEY}
    UPDATE finding SET case_amount_cents = NULL
     WHERE case_amount_cents IS NOT NULL AND case_key NOT IN (SELECT case_key FROM money);
  `);
}
