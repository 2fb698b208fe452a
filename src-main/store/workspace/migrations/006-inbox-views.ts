import type { Migration } from '../../migrations.js';

/**
 * Saved views of the findings inbox (a filter and a sort, by name). Findings themselves moved to the team store
 * (store/team/), shared by the members of the workstation; the workspace's old finding tables stay as they were.
 */
export const m006InboxViews: Migration = {
  version: 6,
  name: 'inbox views',
  up(db) {
    db.exec(`
      CREATE TABLE inbox_view (
        name       TEXT PRIMARY KEY,
        definition TEXT NOT NULL,
        saved_at   TEXT NOT NULL
      ) STRICT;
    `);
  },
};
