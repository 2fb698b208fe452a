import type { Migration } from '../../migrations.js';

/**
 * The export register, shared by the team so that a supervisor can trace a leaked file to any colleague's export
 * (it replaces the per-user register of workspace migration 7, which was only ever readable by its owner).
 *
 * An export is registered *before* its first row is written (status `writing`) and its rows' marks as they are
 * written, so a crash mid-export still leaves a traceable entry; it becomes `complete` with its file hash, or
 * `abandoned` when the file was removed. Nothing is ever deleted, and only the status of a `writing` entry changes.
 */
export const m002ExportRegister: Migration = {
  version: 2,
  name: 'export register',
  up(db) {
    db.exec(`
      CREATE TABLE export_register (
        export_no   INTEGER PRIMARY KEY,      -- compact number the row marks refer to
        export_id   TEXT NOT NULL UNIQUE,
        created_at  TEXT NOT NULL,
        user_id     TEXT NOT NULL,
        username    TEXT NOT NULL,
        display_name TEXT NOT NULL,
        kind        TEXT NOT NULL,            -- findings | person | case | report
        format      TEXT NOT NULL,            -- csv | xlsx | pdf
        purpose     TEXT NOT NULL,
        recipient   TEXT,
        query       TEXT NOT NULL,            -- JSON: what was asked for (filter, division, sort / the person / the case)
        scope       TEXT NOT NULL,            -- JSON: the exporter's division prefixes
        columns     TEXT NOT NULL,            -- JSON
        masking     TEXT NOT NULL,            -- JSON
        tag         TEXT NOT NULL UNIQUE,     -- the keyed 40-bit export tag hidden in text cells (hex)
        audit_head  TEXT,                     -- the exporter's audit chain head when the export was made
        approval_id TEXT,                     -- the supervisor's approval, for an export above the size limit
        status      TEXT NOT NULL CHECK (status IN ('writing', 'complete', 'abandoned')),
        row_count   INTEGER,
        file_name   TEXT,
        file_sha256 TEXT,
        uploaded_at TEXT
      ) STRICT;
      CREATE INDEX export_register_by_time ON export_register (created_at);

      -- One row per exported row, as small as it can be (a register of millions of rows must stay fast to append to):
      -- its per-export mark as the 60-bit integer it encodes (the key), the export's number, and 64 bits of a keyed
      -- hash of the finding or fact it showed (the same in every export: "who exported this" is one index lookup).
      CREATE TABLE export_row (
        row_mark  INTEGER PRIMARY KEY,
        export_no INTEGER NOT NULL,
        identity  INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX export_row_by_identity ON export_row (identity);
      -- An export's own marks (uploaded to the platform in parts).
      CREATE INDEX export_row_by_export ON export_row (export_no, row_mark);

      CREATE TRIGGER export_register_no_delete BEFORE DELETE ON export_register BEGIN SELECT RAISE(ABORT, 'the export register is append-only'); END;
      CREATE TRIGGER export_row_no_delete BEFORE DELETE ON export_row BEGIN SELECT RAISE(ABORT, 'the export register is append-only'); END;
      CREATE TRIGGER export_row_no_update BEFORE UPDATE ON export_row BEGIN SELECT RAISE(ABORT, 'the export register is append-only'); END;
      CREATE TRIGGER export_register_settled BEFORE UPDATE ON export_register
        WHEN OLD.status <> 'writing' AND (NEW.status <> OLD.status OR NEW.file_sha256 IS NOT OLD.file_sha256 OR NEW.row_count IS NOT OLD.row_count)
        BEGIN SELECT RAISE(ABORT, 'a settled export cannot change'); END;
      CREATE TRIGGER export_register_fixed BEFORE UPDATE ON export_register
        WHEN NEW.export_id IS NOT OLD.export_id OR NEW.export_no IS NOT OLD.export_no OR NEW.user_id IS NOT OLD.user_id OR NEW.created_at IS NOT OLD.created_at OR NEW.tag IS NOT OLD.tag
          OR NEW.purpose IS NOT OLD.purpose OR NEW.recipient IS NOT OLD.recipient OR NEW.query IS NOT OLD.query
        BEGIN SELECT RAISE(ABORT, 'an export''s identity cannot change'); END;
    `);
  },
};
