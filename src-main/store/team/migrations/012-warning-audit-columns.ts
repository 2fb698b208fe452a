import { localDate } from '../../../domain/local-time.js';
import { DEADLINE_TIME_ZONE } from '../../../domain/monitoring/warning-loop.js';
import type { Migration } from '../../migrations.js';

/**
 * The facts of a warning's fold that the audit views and the month's figures count by (monitoring.md "Benchmark"):
 * the visit's date, the programme decided, the departments referred to, and the Beijing dates of the push and the
 * decision (the audit views hold enrollments' start dates against them), as columns beside state, level, outcome
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
      ALTER TABLE warning ADD COLUMN pushed_date TEXT;                           -- local dates (Asia/Shanghai) of pushed_at
      ALTER TABLE warning ADD COLUMN decided_date TEXT;                          -- and decided_at
      UPDATE warning SET
        visit_date = json_extract(view, '$.visit.date'),
        decided_program = json_extract(view, '$.decision.program'),
        decided_departments = coalesce(json_extract(view, '$.decision.departments'), '[]');
      CREATE INDEX warning_by_outcome ON warning (outcome, division_code);
      CREATE INDEX warning_by_push ON warning (level, pushed_at);
      CREATE INDEX warning_by_decision ON warning (decided_at);
    `);
    const dated = db.prepare('SELECT warning_id, pushed_at, decided_at FROM warning WHERE pushed_at IS NOT NULL OR decided_at IS NOT NULL').all() as { warning_id: string; pushed_at: string | null; decided_at: string | null }[];
    const update = db.prepare('UPDATE warning SET pushed_date = ?, decided_date = ? WHERE warning_id = ?');
    const day = (iso: string | null) => (iso ? localDate(iso, DEADLINE_TIME_ZONE) : null);
    for (const r of dated) update.run(day(r.pushed_at), day(r.decided_at), r.warning_id);
  },
};
