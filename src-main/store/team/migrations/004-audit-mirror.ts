import type { Migration } from '../../migrations.js';

/**
 * A copy of every member's audit entries, so that supervisors can read the team's trail (each user's own chain stays
 * in their encrypted workspace, where only they can open it; the chain there is what proves integrity, this copy is
 * what can be searched). Entries hold ids (person, finding, export), never personal values. Nothing is ever deleted:
 * retention is unlimited, beyond 等保 2.0's 180 days.
 */
export const m004AuditMirror: Migration = {
  version: 4,
  name: 'audit mirror',
  up(db) {
    db.exec(`
      CREATE TABLE audit_mirror (
        user_id  TEXT NOT NULL,
        seq      INTEGER NOT NULL,
        ts       TEXT NOT NULL,
        username TEXT,
        action   TEXT NOT NULL,
        target   TEXT,
        outcome  TEXT NOT NULL,
        detail   TEXT,
        hash     TEXT NOT NULL,
        PRIMARY KEY (user_id, seq)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX audit_mirror_by_time ON audit_mirror (ts);
      CREATE INDEX audit_mirror_by_target ON audit_mirror (target, ts);
      CREATE TRIGGER audit_mirror_no_delete BEFORE DELETE ON audit_mirror BEGIN SELECT RAISE(ABORT, 'the audit trail is kept'); END;
      CREATE TRIGGER audit_mirror_no_update BEFORE UPDATE ON audit_mirror BEGIN SELECT RAISE(ABORT, 'the audit trail is kept'); END;
    `);
  },
};
