import type { Migration } from '../../migrations.js';

/** Rule parameter values set for a region from a date on (rules.md: every threshold is a parameter a region can change). */
export const m004RuleParameters: Migration = {
  version: 4,
  name: 'regional rule parameters',
  up(db) {
    db.exec(`
      CREATE TABLE rule_parameter (
        rule_id         TEXT NOT NULL,
        name            TEXT NOT NULL,
        division_prefix TEXT NOT NULL,
        effective_from  TEXT NOT NULL,
        value           TEXT NOT NULL,   -- JSON
        set_by          TEXT NOT NULL,
        set_at          TEXT NOT NULL,
        PRIMARY KEY (rule_id, name, division_prefix, effective_from)
      ) STRICT;
    `);
  },
};
