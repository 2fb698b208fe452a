import type { Migration } from '../../migrations.js';

/**
 * The member's data scope when an entry was copied: a supervisor sees an entry if it was made inside their scope,
 * whatever the member's scope is today (a member who moved streets takes no history along to the new supervisor).
 * Entries copied before this column existed have none and follow the member's current scope.
 */
export const m006AuditScope: Migration = {
  version: 6,
  name: 'audit mirror scope',
  up(db) {
    db.exec(`ALTER TABLE audit_mirror ADD COLUMN scope TEXT;`);
  },
};
