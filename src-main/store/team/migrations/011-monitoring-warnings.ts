import type { Migration } from '../../migrations.js';

/**
 * Monitoring warnings and their closed loop (monitoring.md). A monitoring run is recorded like a rule run; a household
 * has at most one open warning, which collects every hit (signal + event key) that fires for it until the loop is
 * closed (`fed_back`); hits that stop firing stay on it as 已消除. The loop is append-only events (signed like case
 * events) and the warning row carries their fold plus what lists filter on: state, level, assignee, outcome and the
 * deadlines as instants, so that "overdue" is one comparison with the clock.
 */
export const m011MonitoringWarnings: Migration = {
  version: 11,
  name: 'monitoring warnings and the closed loop',
  up(db) {
    db.exec(`
      CREATE TABLE monitor_run (
        run_id        INTEGER PRIMARY KEY,
        run_by        TEXT NOT NULL,
        snapshot_id   TEXT NOT NULL,
        as_of         TEXT NOT NULL,
        scope         TEXT,              -- JSON array of division prefixes, NULL = whole snapshot
        signals       TEXT NOT NULL,     -- JSON: what each signal ran with (parameters, sources, hits, missing feeds)
        population    TEXT NOT NULL,     -- JSON: monitored households and persons by layer
        started_at    TEXT NOT NULL,
        finished_at   TEXT NOT NULL,
        new_count        INTEGER NOT NULL,
        persisting_count INTEGER NOT NULL,
        resolved_count   INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE warning (
        warning_id     TEXT PRIMARY KEY,  -- digest of the first hit set and the snapshot date: equal on every workstation
        household_id   TEXT NOT NULL,
        head_person_id TEXT,
        division_code  TEXT NOT NULL,
        signals        TEXT NOT NULL,     -- JSON: the signals of every hit on it, in the library's order
        firing         TEXT NOT NULL,     -- JSON: the signals still firing at the last run
        fingerprint    TEXT NOT NULL,     -- the hit set the last run saw (monitoring.md "fingerprint")
        monitored      INTEGER NOT NULL,
        layers         TEXT NOT NULL,     -- JSON
        change         TEXT NOT NULL CHECK (change IN ('new', 'persisting', 'resolved')),
        first_run_id   INTEGER NOT NULL REFERENCES monitor_run (run_id),
        last_run_id    INTEGER NOT NULL REFERENCES monitor_run (run_id),
        first_snapshot TEXT NOT NULL,
        last_snapshot  TEXT NOT NULL,
        as_of          TEXT NOT NULL,     -- the snapshot date it was first found on
        -- the fold of its events
        state          TEXT NOT NULL,
        level          TEXT NOT NULL,
        pushed_at      TEXT,
        assignee_id    TEXT,
        assignee_name  TEXT,
        visited_by     TEXT,
        outcome        TEXT,
        decided_by     TEXT,
        decided_at     TEXT,
        closed_at      TEXT,
        flags          TEXT NOT NULL DEFAULT '[]',
        visit_due      TEXT,              -- local dates (Asia/Shanghai)
        decide_due     TEXT,
        visit_overdue_at  TEXT,           -- ISO UTC instants: 00:00 Beijing time of the day after the due date
        decide_overdue_at TEXT,
        view           TEXT NOT NULL      -- JSON WarningView
      ) STRICT;
      CREATE INDEX warning_by_household ON warning (household_id, state);
      CREATE INDEX warning_list ON warning (division_code, state, level);

      CREATE TABLE warning_hit (
        warning_id   TEXT NOT NULL REFERENCES warning (warning_id),
        hit_key      TEXT NOT NULL,       -- signal|event key
        signal       TEXT NOT NULL,
        event_key    TEXT NOT NULL,
        level        TEXT NOT NULL,
        evidence     TEXT NOT NULL,       -- JSON, as the last run that saw it firing wrote it
        first_run_id INTEGER NOT NULL,
        last_run_id  INTEGER NOT NULL,
        firing       INTEGER NOT NULL,    -- 0: 已消除 (stopped firing; kept as information)
        PRIMARY KEY (warning_id, hit_key)
      ) STRICT;
      CREATE INDEX warning_hit_by_key ON warning_hit (hit_key);

      CREATE TABLE warning_event (
        event_id    TEXT PRIMARY KEY,
        warning_id  TEXT NOT NULL,
        actor_id    TEXT NOT NULL,
        actor_name  TEXT NOT NULL,
        actor_role  TEXT NOT NULL,
        at          TEXT NOT NULL,
        body        TEXT NOT NULL,        -- JSON WarningEventBody
        origin      TEXT NOT NULL CHECK (origin IN ('local', 'remote')),
        received    INTEGER NOT NULL,
        signature   TEXT,
        uploaded_at TEXT
      ) STRICT;
      CREATE INDEX warning_event_by_warning ON warning_event (warning_id, at);
      CREATE UNIQUE INDEX warning_event_by_arrival ON warning_event (received);
      CREATE TRIGGER warning_event_no_delete BEFORE DELETE ON warning_event BEGIN SELECT RAISE(ABORT, 'warning events are append-only'); END;
      CREATE TRIGGER warning_event_no_update BEFORE UPDATE OF event_id, warning_id, actor_id, actor_name, actor_role, at, body, origin, received, signature ON warning_event
        BEGIN SELECT RAISE(ABORT, 'warning events are append-only'); END;
    `);
  },
};
