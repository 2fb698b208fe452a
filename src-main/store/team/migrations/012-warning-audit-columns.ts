import type { Migration } from '../../migrations.js';

/**
 * The facts of a warning's fold that the audit views and the month's figures count by (monitoring.md "Benchmark"):
 * the visit's date, the programme decided and the departments referred to, as columns beside state, level, outcome
 * and the deadlines, so that the supervisors' counts are set-wise SQL over indexed columns instead of every row's
 * `view` JSON parsed in JavaScript. Filled from the rows' `view` here; kept up to date by the store's refold.
 */
export const m012WarningAuditColumns: Migration = {
  version: 12,
  name: 'warning columns for the audit views and the month figures',
  up(db) {
    db.exec(`
      ALTER TABLE warning ADD COLUMN visit_date TEXT;                            -- local date of the visit (Asia/Shanghai)
      ALTER TABLE warning ADD COLUMN decided_program TEXT;                       -- enrolled: the programme
      ALTER TABLE warning ADD COLUMN decided_departments TEXT NOT NULL DEFAULT '[]'; -- JSON: the referral departments
      UPDATE warning SET
        visit_date = json_extract(view, '$.visit.date'),
        decided_program = json_extract(view, '$.decision.program'),
        decided_departments = coalesce(json_extract(view, '$.decision.departments'), '[]');
      CREATE INDEX warning_by_outcome ON warning (outcome, division_code);
      CREATE INDEX warning_by_push ON warning (level, pushed_at);
      CREATE INDEX warning_by_decision ON warning (decided_at);
    `);
  },
};
