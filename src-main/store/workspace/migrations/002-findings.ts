import type { Migration } from '../../migrations.js';

/**
 * Rule runs and their findings. A finding is keyed by its fingerprint, so a re-run on a newer snapshot updates the
 * same row (persisting), adds new ones and marks those no longer produced as resolved; cases (issue 5) attach to the
 * fingerprint and survive snapshot changes.
 */
export const m002Findings: Migration = {
  version: 2,
  name: 'rule runs and findings',
  up(db) {
    db.exec(`
      CREATE TABLE rule_run (
        run_id        INTEGER PRIMARY KEY,
        snapshot_id   TEXT NOT NULL,
        as_of         TEXT NOT NULL,
        scope         TEXT,              -- JSON array of division prefixes, NULL = whole snapshot
        rules         TEXT NOT NULL,     -- JSON: [{ id, version, parameters, count, ms }]
        started_at    TEXT NOT NULL,
        finished_at   TEXT NOT NULL,
        new_count     INTEGER NOT NULL,
        persisting_count INTEGER NOT NULL,
        resolved_count INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE finding (
        fingerprint      TEXT PRIMARY KEY,
        rule_id          TEXT NOT NULL,
        rule_version     INTEGER NOT NULL,
        subject_kind     TEXT NOT NULL,
        subject_id       TEXT NOT NULL,
        household_id     TEXT,
        division_code    TEXT,
        amount_cents     INTEGER,
        evidence         TEXT NOT NULL,
        state            TEXT NOT NULL CHECK (state IN ('open', 'resolved')),
        change           TEXT NOT NULL CHECK (change IN ('new', 'persisting', 'resolved')),
        first_run_id     INTEGER NOT NULL REFERENCES rule_run (run_id),
        last_run_id      INTEGER NOT NULL REFERENCES rule_run (run_id),
        first_snapshot   TEXT NOT NULL,
        last_snapshot    TEXT NOT NULL
      ) STRICT;
      CREATE INDEX finding_by_rule ON finding (rule_id, state);
      CREATE INDEX finding_by_subject ON finding (subject_id);
      CREATE INDEX finding_by_division ON finding (division_code);
    `);
  },
};
