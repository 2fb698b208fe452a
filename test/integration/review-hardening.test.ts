/**
 * Attacks and races found in review: personal data reaching the unencrypted system log, scope leaks through
 * multi-household persons, enumeration, concurrent setup, disabling during login, forged system-log rows,
 * truncated audit chains, restarting setup beside old workspaces, abandoned sessions.
 */
import { readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openEncrypted, openPlain } from '../../src-main/store/sqlcipher.js';
import { verifyUserChain } from '../../src-main/services/offline-access.js';
import { ADMIN, makeBench, withStaff, type TestBench } from '../helpers/workstation.js';

describe('hardening', () => {
  let b: TestBench;
  afterEach(() => b.cleanup());

  it('never writes a refused call\'s target into the unencrypted registry', async () => {
    b = makeBench();
    await withStaff(b, ['320111']);
    const snapshot = b.ws.internals.snapshots.forUser('', null)!;
    const personId = snapshot.anyPersonIn('320111002')!;
    await b.ok('auditor-client', 'auth.lock');
    const personRef = b.ws.internals.refs.toRef(personId);
    expect(await b.call('auditor-client', 'person.file', { personRef })).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    expect(await b.call('nobody', 'person.file', { personRef })).toMatchObject({ ok: false, error: { code: 'NO_SESSION' } });
    expect(await b.call('nobody', 'auth.login', { username: personId, password: 'x' })).toMatchObject({ ok: false });
    b.ws.close();
    const raw = Buffer.concat(['registry.db', 'registry.db-wal'].flatMap((f) => { try { return [readFileSync(join(b.dir, f))]; } catch { return []; } }));
    expect(raw.includes(Buffer.from(personId))).toBe(false);
    b.reopen();
  });

  it('shows a person listed in two households only through the household inside the scope', async () => {
    b = makeBench();
    await withStaff(b, ['320111002']);
    const snapshot = b.ws.internals.snapshots.forUser('', null)!;
    const insider = snapshot.anyPersonIn('320111002')!;
    // Put the insider into an out-of-scope household too, with an enrollment there.
    const db = (snapshot as unknown as { db: import('better-sqlite3-multiple-ciphers').Database }).db;
    db.prepare(`INSERT INTO household VALUES ('HH-OUT', ?, '320111005001', '外区地址', '1')`).run(insider);
    db.prepare(`INSERT INTO household_member VALUES ('HH-OUT', ?, '01')`).run(insider);
    db.prepare(
      `INSERT INTO enrollment (enrollment_id, person_id, household_id, program, status, start_date, end_date, monthly_amount_cents, support_mode, cause)
       VALUES ('EN-OUT', ?, 'HH-OUT', 'tekun', 'active', '2020-01-01', NULL, 143000, '2', 'other')`,
    ).run(insider);
    const profile = await b.ok('auditor-client', 'person.file', { personRef: b.ws.internals.refs.toRef(insider) });
    expect(profile.households.length).toBeGreaterThan(0);
    expect(profile.households.every((h) => h.divisionCode.startsWith('320111002'))).toBe(true);
    expect(profile.enrollments.map((e) => e.enrollmentId)).not.toContain('EN-OUT');
  });

  it('answers alike for absent people and people outside the scope, and for unknown and known usernames', async () => {
    b = makeBench();
    await withStaff(b, ['320111002']);
    const outsider = b.ws.internals.snapshots.forUser('', null)!.anyPersonIn('320111005')!;
    const absent = '11010519491231002X';
    const a = await b.call('auditor-client', 'person.file', { personRef: b.ws.internals.refs.toRef(outsider) });
    const c = await b.call('auditor-client', 'person.file', { personRef: b.ws.internals.refs.toRef(absent) });
    expect(a).toEqual(c);
    const known = await b.call('x', 'auth.login', { username: 'finance1', password: 'wrong-wrong-1' });
    const unknown = await b.call('y', 'auth.login', { username: 'nobody1', password: 'wrong-wrong-1' });
    expect(unknown).toEqual(known);
    expect(await b.call('y', 'auth.login', { username: 'nobody1', password: 'wrong-wrong-1' })).toMatchObject({ ok: false, error: { code: 'THROTTLED' } });
  });

  it('lets only one of two concurrent first-run setups through', async () => {
    b = makeBench();
    const results = await Promise.all([
      b.call('a', 'auth.setupAdmin', ADMIN),
      b.call('b', 'auth.setupAdmin', { ...ADMIN, username: 'admin2' }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ error: { code: 'ALREADY_INITIALIZED' } });
    expect(b.ws.internals.registry.countAccounts()).toBe(1);
  });

  it('refuses a login that races with the account being disabled', async () => {
    b = makeBench();
    const staff = await withStaff(b);
    await b.ok('auditor-client', 'auth.logout');
    const login = b.call('z', 'auth.login', { username: 'auditor1', password: staff.auditor.password });
    await b.ok('admin-client', 'users.update', { id: staff.auditor.id, status: 'disabled' }); // while scrypt runs
    expect(await login).toMatchObject({ ok: false, error: { code: 'ACCOUNT_DISABLED' } });
  });

  it('refuses to start a new installation beside existing workspaces', async () => {
    b = makeBench();
    await withStaff(b);
    b.ws.close();
    renameSync(join(b.dir, 'registry.db'), join(b.dir, 'registry.old'));
    for (const f of ['registry.db-wal', 'registry.db-shm']) {
      try { renameSync(join(b.dir, f), join(b.dir, `${f}.old`)); } catch { /* absent after a clean close */ }
    }
    b.reopen();
    expect(await b.call('c', 'auth.setupAdmin', ADMIN)).toMatchObject({ ok: false, error: { code: 'ALREADY_INITIALIZED' } });
  });

  it('marks copied system-log events as unauthenticated and stops at a forged, unchained row', async () => {
    b = makeBench();
    const staff = await withStaff(b);
    await b.ok('auditor-client', 'auth.logout');
    await b.call('x', 'auth.login', { username: 'auditor1', password: 'wrong-wrong-1' });
    b.ws.close();
    const db = openPlain(join(b.dir, 'registry.db'));
    db.prepare(
      `INSERT INTO system_log (seq, ts, user_id, username, action, target, outcome, detail, prev_hash, hash, mac)
       VALUES ((SELECT max(seq) + 1 FROM system_log), '2024-07-01T00:00:00Z', ?, 'auditor1', 'person.profile', '320111199001011239', 'ok', NULL, 'x', 'y', 'z')`,
    ).run(staff.auditor.id);
    db.close();
    b.reopen();
    b.clock.advance(60_000);
    await b.ok('auditor-client', 'auth.login', { username: 'auditor1', password: staff.auditor.password });
    const history = (await b.ok('auditor-client', 'audit.myHistory', { limit: 20 })).entries;
    const failed = history.find((e) => e.action === 'auth.login_failed')!;
    // Said in words: where the entry came from, and that the attempt was not authenticated.
    expect(failed.details).toEqual(expect.arrayContaining([{ label: '来源', value: '系统日志' }, { label: '已验证身份', value: '否' }]));
    expect(history.some((e) => e.target === '320111199001011239')).toBe(false);
    expect(history.some((e) => e.action === 'system.log_broken')).toBe(true);
  });

  it('detects entries cut off the end of a chain', async () => {
    b = makeBench();
    const staff = await withStaff(b);
    for (let i = 0; i < 5; i++) await b.ok('supervisor-client', 'home.summary', {});
    await b.ok('supervisor-client', 'auth.logout'); // anchors the head
    const account = b.ws.internals.registry.findByUsername('supervisor1')!;
    const { dataKey } = await b.ws.internals.accounts.authenticate('supervisor1', staff.supervisor.password, 't');
    b.ws.close();
    const db = openEncrypted(b.ws.internals.accounts.workspaceFile(account.id), dataKey);
    const head = db.prepare('SELECT max(seq) AS n FROM audit_log').get() as { n: number };
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.prepare('DELETE FROM audit_log WHERE seq > ?').run(head.n - 3);
    db.close();
    const report = await verifyUserChain(b.dir, 'supervisor1', staff.supervisor.password, b.clock);
    expect(report.firstBreak).toEqual({ seq: head.n - 2, reason: 'truncated' });
    b.reopen();
  });

  it('locks an abandoned session without waiting for its next call', async () => {
    b = makeBench();
    await withStaff(b);
    b.clock.advance(10 * 60_000 + 1);
    b.ws.sweepIdle();
    const session = b.ws.internals.sessions.get('finance-client')!;
    expect(session.state).toBe('locked');
    expect(session.workspace).toBeNull();
  });
});
