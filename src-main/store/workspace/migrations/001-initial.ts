import type { Migration } from '../../migrations.js';

/** Settings, secrets held only inside the encrypted workspace, and the append-only audit log. */
export const m001Initial: Migration = {
  version: 1,
  name: 'settings, secrets and the audit log',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE secrets (
        key   TEXT PRIMARY KEY,
        value BLOB NOT NULL
      ) STRICT;

      CREATE TABLE audit_log (
        seq       INTEGER PRIMARY KEY,
        ts        TEXT NOT NULL,
        user_id   TEXT,
        username  TEXT,
        action    TEXT NOT NULL,
        target    TEXT,
        outcome   TEXT NOT NULL CHECK (outcome IN ('ok', 'denied', 'failed', 'error')),
        detail    TEXT,
        prev_hash TEXT NOT NULL,
        hash      TEXT NOT NULL,
        mac       TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_log_by_action ON audit_log (action, seq);

      -- The app never changes or removes an audit entry; these triggers make that a database guarantee.
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    `);
  },
};
