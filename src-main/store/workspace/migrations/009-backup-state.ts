import type { Migration } from '../../migrations.js';

/**
 * What the last backup piece held, per database file: the hash of every page (16 bytes each), so that the next
 * piece carries only the pages that changed. The set's key and folder live in `secrets` / `settings`.
 */
export const m009BackupState: Migration = {
  version: 9,
  name: 'backup state',
  up(db) {
    db.exec(`
      CREATE TABLE backup_pages (
        db         TEXT PRIMARY KEY,
        set_id     TEXT NOT NULL,
        piece      INTEGER NOT NULL,
        page_size  INTEGER NOT NULL,
        hashes     BLOB NOT NULL
      ) STRICT;
    `);
  },
};
