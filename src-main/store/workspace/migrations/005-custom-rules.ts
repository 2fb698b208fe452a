import type { Migration } from '../../migrations.js';

/** Rules auditors and supervisors wrote themselves, every version kept (a finding names the version that made it). */
export const m005CustomRules: Migration = {
  version: 5,
  name: 'custom rules',
  up(db) {
    db.exec(`
      CREATE TABLE custom_rule (
        rule_id    TEXT NOT NULL,
        version    INTEGER NOT NULL,
        definition TEXT NOT NULL,   -- JSON building blocks (never SQL)
        saved_by   TEXT NOT NULL,
        saved_at   TEXT NOT NULL,
        PRIMARY KEY (rule_id, version)
      ) STRICT;
    `);
  },
};
