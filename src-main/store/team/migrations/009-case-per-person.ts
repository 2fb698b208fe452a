import { caseKeyFor } from '../../../domain/cases/case-key.js';
import type { Migration } from '../../migrations.js';
import { OWN_CASE_AMOUNT, refreshCaseGroups } from '../case-groups.js';

/**
 * 一人一案: a finding names its case (`case_key`), whether it is the row that stands for the case in the inbox
 * (`case_lead`), the case's amount at risk with each payment counted once (`case_amount_cents`), and whether it is the
 * first of its case for its rule and for its family (`case_rule_first`, `case_family_first`, for counting cases per
 * rule) — see case-groups.ts. Cases opened before this step were keyed by one finding's fingerprint; they keep that key (their
 * signed events name it), and only findings without such a case move to their person's case.
 */
export const m009CasePerPerson: Migration = {
  version: 9,
  name: 'one case per person',
  up(db) {
    db.exec(`
      ALTER TABLE finding ADD COLUMN case_key TEXT NOT NULL DEFAULT '';
      ALTER TABLE finding ADD COLUMN case_lead INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE finding ADD COLUMN case_amount_cents INTEGER;
      ALTER TABLE finding ADD COLUMN case_rule_first INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE finding ADD COLUMN case_family_first INTEGER NOT NULL DEFAULT 1;
    `);
    const rows = db.prepare('SELECT f.fingerprint, f.person_id, EXISTS (SELECT 1 FROM case_file c WHERE c.fingerprint = f.fingerprint) AS has_case FROM finding f').all() as {
      fingerprint: string;
      person_id: string | null;
      has_case: number;
    }[];
    const set = db.prepare('UPDATE finding SET case_key = ? WHERE fingerprint = ?');
    for (const r of rows) set.run(r.has_case ? r.fingerprint : caseKeyFor(r.person_id, r.fingerprint), r.fingerprint);
    db.exec(`
      DROP INDEX finding_inbox;
      CREATE INDEX finding_inbox ON finding (state, division_code, rule_id, family, change, severity, case_lead, case_rule_first, case_family_first,
        case_amount_cents, subject_name, subject_id, person_id, case_key);
      CREATE INDEX finding_by_case ON finding (case_key, state, rule_id, family);
      -- "cases with a finding of these rules" (the inbox's rule filter) reads this index alone.
      DROP INDEX finding_by_rule;
      CREATE INDEX finding_by_rule ON finding (rule_id, state, case_key);
      CREATE INDEX finding_by_family ON finding (family, state, case_key);
    `);
    db.exec(`UPDATE finding SET case_amount_cents = ${OWN_CASE_AMOUNT('finding')}`);
    refreshCaseGroups(db);
  },
};
