import type { Migration } from '../../migrations.js';

/** Multi-dimensional queries a user saved (their definition as JSON: building blocks, never SQL). */
export const m003SavedQueries: Migration = {
  version: 3,
  name: 'saved queries',
  up(db) {
    db.exec(`
      CREATE TABLE saved_query (
        query_id   INTEGER PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE,
        definition TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
