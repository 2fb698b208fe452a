import type { Migration } from '../../migrations.js';

/**
 * Rule parameters are the team's policy, not one person's settings (rules.md §P): a value per parameter, region and
 * effective date, with the document it rests on and who set it. Every run reads them all and records what it used.
 */
export const m010ParameterValues: Migration = {
  version: 10,
  name: 'parameter values with sources',
  up(db) {
    db.exec(`
      CREATE TABLE parameter_value (
        name            TEXT NOT NULL,
        division_prefix TEXT NOT NULL,
        effective_from  TEXT NOT NULL,
        value           TEXT NOT NULL,   -- JSON, as the workstation holds it (money in cents)
        source          TEXT NOT NULL,   -- document, number, article
        set_by          TEXT NOT NULL,
        set_at          TEXT NOT NULL,
        PRIMARY KEY (name, division_prefix, effective_from)
      ) STRICT;
      -- What a run read: the regional values in force at its date, with their sources (JSON), so "why it fired" can
      -- name the document behind each threshold as it was when the finding was made.
      ALTER TABLE rule_run ADD COLUMN parameter_values TEXT NOT NULL DEFAULT '[]';
    `);
  },
};
