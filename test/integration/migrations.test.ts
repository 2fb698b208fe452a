/** A failed migration leaves the previous database untouched; a newer database is refused. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseTooNewError, migrate, MigrationFailedError, schemaVersion, type Migration } from '../../src-main/store/migrations.js';
import { openEncrypted } from '../../src-main/store/sqlcipher.js';
import { WORKSPACE_MIGRATIONS } from '../../src-main/store/workspace/migrations/index.js';
import { WorkspaceDb } from '../../src-main/store/workspace/workspace-db.js';

describe('workspace migrations', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'aw-mig-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('rolls back a failing step and keeps the previous schema and data', () => {
    const file = join(dir, 'w.db');
    const key = randomBytes(32);
    const ws = WorkspaceDb.create(file, key, { user_id: 'u' });
    ws.appendAudit({ userId: 'u', username: 'u', action: 'x', target: null, outcome: 'ok' }, '2024-01-01T00:00:00Z');
    ws.close();
    const before = readFileSync(file);

    const broken: Migration[] = [
      ...WORKSPACE_MIGRATIONS,
      { version: WORKSPACE_MIGRATIONS.length + 1, name: 'adds cases', up: (db) => db.exec('CREATE TABLE cases (id INTEGER PRIMARY KEY)') },
      { version: WORKSPACE_MIGRATIONS.length + 2, name: 'fails halfway', up: (db) => db.exec('ALTER TABLE settings ADD COLUMN x TEXT; SELECT * FROM no_such_table') },
    ];
    expect(() => WorkspaceDb.open(file, key, broken)).toThrow(MigrationFailedError);
    const after = readFileSync(file);

    const db = openEncrypted(file, key);
    expect(schemaVersion(db)).toBe(WORKSPACE_MIGRATIONS.length);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'cases'").get()).toEqual({ n: 0 });
    expect(db.prepare('PRAGMA table_info(settings)').all()).toHaveLength(2);
    db.close();
    expect(after.equals(before)).toBe(true); // byte for byte
    const reopened = WorkspaceDb.open(file, key);
    expect(reopened.auditCount()).toBe(1);
    reopened.close();
  });

  it('refuses a database newer than the app', () => {
    const file = join(dir, 'new.db');
    const key = randomBytes(32);
    WorkspaceDb.create(file, key, {}).close();
    const db = openEncrypted(file, key);
    db.pragma('user_version = 99');
    expect(() => migrate(db, WORKSPACE_MIGRATIONS, 'workspace')).toThrow(DatabaseTooNewError);
    db.close();
  });
});
