import type { Migration } from '../../migrations.js';

/**
 * The team store: what auditors and supervisors on this workstation share — rule runs and their findings, and the
 * cases built on them. A finding is keyed by its fingerprint, so a re-run on a newer snapshot updates the same row;
 * a case hangs on the same fingerprint and so survives snapshot changes. Case events are append-only (triggers), the
 * case row is their fold, rebuilt whenever an event arrives.
 */
export const m001Team: Migration = {
  version: 1,
  name: 'findings and cases',
  up(db) {
    db.exec(`
      CREATE TABLE team_setting (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

      CREATE TABLE rule_run (
        run_id        INTEGER PRIMARY KEY,
        run_by        TEXT NOT NULL,
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
        family           TEXT NOT NULL,
        severity         TEXT NOT NULL,
        subject_kind     TEXT NOT NULL,
        subject_id       TEXT NOT NULL,
        subject_name     TEXT,
        person_id        TEXT,             -- the person the finding is about (a household's head for household rules)
        household_id     TEXT,
        division_code    TEXT NOT NULL DEFAULT '',
        amount_cents     INTEGER,
        state            TEXT NOT NULL CHECK (state IN ('open', 'resolved')),
        change           TEXT NOT NULL CHECK (change IN ('new', 'persisting', 'resolved')),
        first_run_id     INTEGER NOT NULL REFERENCES rule_run (run_id),
        last_run_id      INTEGER NOT NULL REFERENCES rule_run (run_id),
        first_snapshot   TEXT NOT NULL,
        last_snapshot    TEXT NOT NULL
      ) STRICT;
      -- Covers the inbox's scans: open findings in a scope, with what they are filtered, counted and ordered by. (No
      -- index on division_code alone: the planner would pick it and then read every row it covers.)
      CREATE INDEX finding_inbox ON finding (state, division_code, rule_id, family, change, severity, amount_cents, subject_name, subject_id, person_id);
      CREATE INDEX finding_by_rule ON finding (rule_id, state);
      CREATE INDEX finding_by_person ON finding (person_id);
      CREATE INDEX finding_by_household ON finding (household_id);

      -- What a finding's detail shows, kept apart so that the inbox scans a narrow table.
      CREATE TABLE finding_detail (
        fingerprint TEXT PRIMARY KEY REFERENCES finding (fingerprint),
        evidence    TEXT NOT NULL,
        parameters  TEXT NOT NULL     -- the parameter values the firing pass used
      ) STRICT;

      CREATE TABLE case_event (
        event_id    TEXT PRIMARY KEY,
        fingerprint TEXT NOT NULL,
        actor_id    TEXT NOT NULL,
        actor_name  TEXT NOT NULL,
        actor_role  TEXT NOT NULL,
        at          TEXT NOT NULL,
        parent      TEXT,
        body        TEXT NOT NULL,       -- JSON CaseEventBody
        origin      TEXT NOT NULL CHECK (origin IN ('local', 'remote')),
        received    INTEGER NOT NULL,    -- local arrival order (the outbox cursor)
        uploaded_at TEXT
      ) STRICT;
      CREATE INDEX case_event_by_case ON case_event (fingerprint, at);
      CREATE UNIQUE INDEX case_event_by_arrival ON case_event (received);
      CREATE TRIGGER case_event_no_delete BEFORE DELETE ON case_event BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END;
      CREATE TRIGGER case_event_no_update BEFORE UPDATE OF event_id, fingerprint, actor_id, actor_name, actor_role, at, parent, body, origin, received ON case_event
        BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END;

      CREATE TABLE case_file (
        fingerprint   TEXT PRIMARY KEY,
        rule_id       TEXT,              -- the finding's rule (for per-rule learning without scanning findings)
        state         TEXT NOT NULL,
        reason_code   TEXT,
        assignee_id   TEXT,
        assignee_name TEXT,
        due_date      TEXT,
        decision      TEXT,              -- the last decision taken: 'confirmed' | 'dismissed' (kept after closing)
        pending_to    TEXT,              -- a decision waiting for approval: 'confirmed' | 'dismissed'
        pending_by    TEXT,
        conflict      INTEGER NOT NULL DEFAULT 0,
        outcome_benefit TEXT,
        to_recover_cents INTEGER,
        recovered_cents  INTEGER,
        view          TEXT NOT NULL,     -- JSON CaseView (the full fold)
        updated_at    TEXT NOT NULL
      ) STRICT;
      CREATE INDEX case_by_state ON case_file (state);
      CREATE INDEX case_by_rule ON case_file (rule_id, decision);
      CREATE INDEX case_by_assignee ON case_file (assignee_id);
      CREATE INDEX case_pending ON case_file (pending_to) WHERE pending_to IS NOT NULL;
    `);
  },
};
