/** A failed migration leaves the previous database untouched; a newer database is refused; a data step moves data right. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { caseKeyFor } from '../../src-main/domain/cases/case-key.js';
import { DatabaseTooNewError, migrate, MigrationFailedError, schemaVersion, type Migration } from '../../src-main/store/migrations.js';
import { openEncrypted } from '../../src-main/store/sqlcipher.js';
import { TEAM_MIGRATIONS } from '../../src-main/store/team/migrations/index.js';
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

describe('team migration 009: one case per person', () => {
  it('keeps a case opened on one finding under its key, and moves the person\'s other findings into person cases', () => {
    const db = new Database(':memory:');
    migrate(db, TEAM_MIGRATIONS.slice(0, 8), 'team');
    db.prepare(`INSERT INTO rule_run (run_id, run_by, snapshot_id, as_of, rules, started_at, finished_at, new_count, persisting_count, resolved_count) VALUES (1, 'x', 's', '2024-06-30', '[]', '', '', 0, 0, 0)`).run();
    const finding = db.prepare(
      `INSERT INTO finding (fingerprint, rule_id, rule_version, family, severity, subject_kind, subject_id, person_id, division_code, amount_cents, state, change, first_run_id, last_run_id, first_snapshot, last_snapshot)
       VALUES (?, ?, 1, 'reminder', 'high', 'person', ?, ?, '320111001001', ?, 'open', 'new', 1, 1, 's', 's')`,
    );
    // Person A: an old case on the R-DEATH finding; person B: two findings, one shared payment, no case yet.
    finding.run('a1', 'R-DEATH', 'A', 'A', 500);
    finding.run('a2', 'F-AFTER-DEATH', 'A', 'A', 700);
    finding.run('b1', 'R-DEATH', 'B', 'B', 300);
    finding.run('b2', 'F-AFTER-DEATH', 'B', 'B', 400);
    const pay = db.prepare('INSERT INTO finding_payment (fingerprint, payment_id, cents) VALUES (?, ?, ?)');
    pay.run('b1', 'P1', 300);
    pay.run('b2', 'P1', 300);
    pay.run('b2', 'P2', 100);
    db.prepare(`INSERT INTO case_file (fingerprint, rule_id, state, view, updated_at) VALUES ('a1', 'R-DEATH', 'in_review', '{}', '')`).run();

    migrate(db, TEAM_MIGRATIONS, 'team');
    const rows = new Map((db.prepare('SELECT fingerprint, case_key, case_lead, case_amount_cents FROM finding').all() as { fingerprint: string; case_key: string; case_lead: number; case_amount_cents: number | null }[]).map((r) => [r.fingerprint, r]));
    expect(rows.get('a1')!.case_key).toBe('a1');
    expect(rows.get('a2')!.case_key).toBe(caseKeyFor('A', 'a2'));
    expect(rows.get('b1')!.case_key).toBe(caseKeyFor('B', 'b1'));
    expect(rows.get('b2')!.case_key).toBe(rows.get('b1')!.case_key);
    // B's case: led by its larger finding, P1 counted once (300 + 100, not 300 + 400).
    expect([rows.get('b1')!.case_lead, rows.get('b2')!.case_lead]).toEqual([0, 1]);
    expect(rows.get('b1')!.case_amount_cents).toBe(400);
    expect(rows.get('a1')!.case_amount_cents).toBe(500);
    db.close();
  });
});

describe('team migration 012: the audit views\' columns', () => {
  it('fills the visit date, programme, departments and the Beijing dates of push and decision from each warning\'s view', () => {
    const db = new Database(':memory:');
    migrate(db, TEAM_MIGRATIONS.slice(0, 11), 'team');
    db.prepare(`INSERT INTO monitor_run (run_id, run_by, snapshot_id, as_of, signals, population, started_at, finished_at, new_count, persisting_count, resolved_count) VALUES (1, 'x', 's', '2026-06-30', '[]', '{}', '', '', 0, 0, 0)`).run();
    const warning = db.prepare(
      `INSERT INTO warning (warning_id, household_id, division_code, signals, firing, fingerprint, monitored, layers, change, first_run_id, last_run_id, first_snapshot, last_snapshot, as_of, state, level, pushed_at, decided_at, view)
       VALUES (?, ?, '320111001001', '[]', '[]', 'f', 1, '[]', 'new', 1, 1, 's', 's', '2026-06-30', ?, 'red', ?, ?, ?)`,
    );
    const decided = { visit: { date: '2026-07-02', byId: 'u1' }, decision: { outcome: 'enrolled', program: 'tekun', departments: ['health'], at: '2026-07-03T16:30:00.000Z' } };
    warning.run('w1', 'h1', 'decided', '2026-06-30T16:10:00.000Z', '2026-07-03T16:30:00.000Z', JSON.stringify(decided));
    warning.run('w2', 'h2', 'pushed', '2026-06-30T15:59:59.999Z', null, JSON.stringify({ visit: null, decision: null }));
    migrate(db, TEAM_MIGRATIONS, 'team');
    expect(db.prepare('SELECT warning_id, visit_date, decided_program, decided_departments, pushed_date, decided_date FROM warning ORDER BY warning_id').all()).toEqual([
      { warning_id: 'w1', visit_date: '2026-07-02', decided_program: 'tekun', decided_departments: '["health"]', pushed_date: '2026-07-01', decided_date: '2026-07-04' },
      { warning_id: 'w2', visit_date: null, decided_program: null, decided_departments: '[]', pushed_date: '2026-06-30', decided_date: null },
    ]);
  });
});
