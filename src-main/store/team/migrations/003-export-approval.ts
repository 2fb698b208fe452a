import type { Migration } from '../../migrations.js';

/**
 * Approval of large exports: a member asks for an export above the size limit, a supervisor (another person) approves or
 * rejects it, and the approval is spent by exactly one export of the same query, format and purpose.
 */
export const m003ExportApproval: Migration = {
  version: 3,
  name: 'export approval',
  up(db) {
    db.exec(`
      CREATE TABLE export_request (
        request_id   TEXT PRIMARY KEY,
        requested_at TEXT NOT NULL,
        user_id      TEXT NOT NULL,
        username     TEXT NOT NULL,
        display_name TEXT NOT NULL,
        scope        TEXT NOT NULL,            -- JSON: the requester's division prefixes
        kind         TEXT NOT NULL,
        format       TEXT NOT NULL,
        purpose      TEXT NOT NULL,
        recipient    TEXT,
        query        TEXT NOT NULL,            -- JSON, as the export will run it
        query_hash   TEXT NOT NULL,            -- binds the approval to this query, format, purpose and recipient
        rows         INTEGER NOT NULL,         -- rows when asked: the export may not be larger
        state        TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected', 'used')),
        decided_by   TEXT,
        decided_name TEXT,
        decided_at   TEXT,
        note         TEXT,
        export_id    TEXT                      -- the export that spent the approval
      ) STRICT;
      CREATE INDEX export_request_by_state ON export_request (state, requested_at);
      CREATE TRIGGER export_request_no_delete BEFORE DELETE ON export_request BEGIN SELECT RAISE(ABORT, 'export requests are kept'); END;
      CREATE TRIGGER export_request_forward BEFORE UPDATE ON export_request
        WHEN NOT ((OLD.state = 'pending' AND NEW.state IN ('approved', 'rejected')) OR (OLD.state = 'approved' AND NEW.state = 'used'))
          OR NEW.query_hash IS NOT OLD.query_hash OR NEW.user_id IS NOT OLD.user_id OR NEW.rows IS NOT OLD.rows
        BEGIN SELECT RAISE(ABORT, 'an export request only moves forward'); END;
    `);
  },
};
