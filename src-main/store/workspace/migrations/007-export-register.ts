import type { Migration } from '../../migrations.js';

/**
 * Superseded by the team store's register (team migration 2), which supervisors can trace across colleagues; these
 * tables stay (append-only) but nothing writes them any more.
 *
 * The export register: every file that left the workstation, who made it, why, for whom, from which query, and a keyed
 * mark of every row in it (HMAC of the row's identity under this workspace's export key) for leak tracing.
 */
export const m007ExportRegister: Migration = {
  version: 7,
  name: 'export register',
  up(db) {
    db.exec(`
      CREATE TABLE export_register (
        export_id   TEXT PRIMARY KEY,
        created_at  TEXT NOT NULL,
        user_id     TEXT NOT NULL,
        username    TEXT NOT NULL,
        kind        TEXT NOT NULL,            -- findings | …
        format      TEXT NOT NULL,            -- csv | xlsx
        purpose     TEXT NOT NULL,
        recipient   TEXT,
        query       TEXT NOT NULL,            -- JSON: filter, division, sort
        scope       TEXT NOT NULL,            -- JSON: the exporter's division prefixes
        columns     TEXT NOT NULL,            -- JSON
        masking     TEXT NOT NULL,            -- JSON
        row_count   INTEGER NOT NULL,
        file_name   TEXT NOT NULL,
        file_sha256 TEXT NOT NULL,
        audit_head  TEXT,                     -- the audit chain's head when the export was made
        uploaded_at TEXT
      ) STRICT;
      CREATE TABLE export_row (
        export_id TEXT NOT NULL REFERENCES export_register (export_id),
        row_mark  TEXT NOT NULL,
        PRIMARY KEY (export_id, row_mark)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX export_row_by_mark ON export_row (row_mark);
      CREATE TRIGGER export_register_no_delete BEFORE DELETE ON export_register BEGIN SELECT RAISE(ABORT, 'the export register is append-only'); END;
      CREATE TRIGGER export_row_no_delete BEFORE DELETE ON export_row BEGIN SELECT RAISE(ABORT, 'the export register is append-only'); END;
    `);
  },
};
