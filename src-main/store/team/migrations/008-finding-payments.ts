import type { Migration } from '../../migrations.js';

/**
 * The payments behind each finding's amount at risk, and what each contributes (a rule statement's `payments` column, src-main/rules/types.ts). Several
 * rules can point at the same payment (a payment after death is 死亡未停保 and 死亡后发放): money at risk is summed
 * once per payment across them (report-queries.ts). Replaced for a finding each time a run finds it again.
 */
export const m008FindingPayments: Migration = {
  version: 8,
  name: 'finding payments',
  up(db) {
    db.exec(`
      CREATE TABLE finding_payment (
        fingerprint TEXT NOT NULL,
        payment_id  TEXT NOT NULL,
        cents       INTEGER NOT NULL,
        PRIMARY KEY (fingerprint, payment_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX finding_payment_by_payment ON finding_payment (payment_id);
    `);
  },
};
