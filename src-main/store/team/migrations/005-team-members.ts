import type { Migration } from '../../migrations.js';

/**
 * Who may be given the team store's key. The members who existed when the store was created are its founders; anyone
 * created later must be activated by a supervisor who holds the key. The list lives here, inside the encrypted store,
 * so that an administrator — who can write the registry but not this file — cannot add a name to it: an account the
 * administrator created (and whose initial password the administrator knows) sees no team data until a supervisor
 * lets it in. Append-only.
 */
export const m005TeamMembers: Migration = {
  version: 5,
  name: 'team members',
  up(db) {
    db.exec(`
      CREATE TABLE team_member (
        account_id TEXT PRIMARY KEY,
        kind       TEXT NOT NULL CHECK (kind IN ('founding', 'activated')),
        by_account TEXT,
        at         TEXT NOT NULL
      ) STRICT;
      CREATE TRIGGER team_member_no_delete BEFORE DELETE ON team_member BEGIN SELECT RAISE(ABORT, 'team membership is kept'); END;
      CREATE TRIGGER team_member_no_update BEFORE UPDATE ON team_member BEGIN SELECT RAISE(ABORT, 'team membership is kept'); END;
    `);
  },
};
