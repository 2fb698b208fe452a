/**
 * Must show: a renderer call without a session, with the wrong role or outside the user's scope is refused and
 * audited. Also: back-off after failed logins, idle lock, the initial-password gate, registry tampering.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openPlain } from '../../src-main/store/sqlcipher.js';
import { join } from 'node:path';
import { ADMIN, makeBench, withStaff, type TestBench } from '../helpers/workstation.js';
import { maskIdNumber } from '../../src-main/domain/id-number.js';

async function lastAudit(b: TestBench, client: string) {
  const page = await b.ok(client, 'audit.myHistory', { limit: 5 });
  return page.entries;
}

describe('the choke point', () => {
  let b: TestBench;
  afterEach(() => b.cleanup());

  it('refuses calls without a session and writes them to the system log', async () => {
    b = makeBench();
    await b.ok('admin-client', 'auth.setupAdmin', ADMIN);
    const r = await b.call('stranger', 'home.summary', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'NO_SESSION' } });
    const r2 = await b.call('stranger', 'users.list', {});
    expect(r2).toMatchObject({ ok: false, error: { code: 'NO_SESSION' } });
    const log = b.ws.internals.registry.recentSystemLog(10);
    expect(log.find((e) => e.action === 'home.summary')).toMatchObject({ outcome: 'denied', userId: null });
    expect(JSON.parse(log.find((e) => e.action === 'users.list')!.detail!)).toMatchObject({ code: 'NO_SESSION', client: 'stranger' });
    // The administrator sees these refusals in their own MAC'd chain at the next login.
    await b.ok('admin-client', 'auth.logout');
    await b.ok('admin-client', 'auth.login', { username: 'admin', password: ADMIN.password });
    const history = await b.ok('admin-client', 'audit.myHistory', { limit: 20 });
    expect(history.entries.some((e) => e.action === 'home.summary' && e.outcome === 'denied')).toBe(true);
  });

  it('names the data scope of an account it created in the administrator\'s history: the street name beside its code, not a bare 320111004', async () => {
    b = makeBench();
    await withStaff(b, ['320111004']);
    const created = (await b.ok('admin-client', 'audit.myHistory', { limit: 20 })).entries.find((e) => e.action === 'users.create');
    expect(created?.details.find((d) => d.label === '数据范围')?.value).toMatch(/^[^0-9（]+（320111004）$/);
  });

  it('refuses the wrong role and audits it in the caller\'s chain', async () => {
    b = makeBench();
    await withStaff(b);
    const r = await b.call('auditor-client', 'users.list', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
    expect((await lastAudit(b, 'auditor-client'))[0]).toMatchObject({ action: 'users.list', outcome: 'denied' });
    // The administrator sees no personal data, not even counts.
    const admin = await b.call('admin-client', 'home.summary', {});
    expect(admin).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
    expect((await lastAudit(b, 'admin-client'))[0]).toMatchObject({ action: 'home.summary', outcome: 'denied' });
  });

  it('refuses a division or a person outside the scope, and audits both', async () => {
    b = makeBench();
    await withStaff(b, ['320111002']);
    const inside = await b.ok('auditor-client', 'home.summary', { divisionPrefix: '320111002' });
    expect(inside.counts.persons).toBeGreaterThan(0);
    const whole = await b.ok('auditor-client', 'home.summary', {});
    expect(whole.effectiveScope).toEqual(['320111002']);
    expect(whole.counts.persons).toBe(inside.counts.persons);

    for (const divisionPrefix of ['320111003', '320111', '32']) {
      const r = await b.call('auditor-client', 'home.summary', { divisionPrefix });
      expect(r).toMatchObject({ ok: false, error: { code: 'OUT_OF_SCOPE' } });
      expect((await lastAudit(b, 'auditor-client'))[0]).toMatchObject({ action: 'home.summary', target: divisionPrefix, outcome: 'denied' });
    }

    const snapshot = b.ws.internals.snapshots.forUser('', null)!;
    const outsider = snapshot.anyPersonIn('320111005')!;
    const insider = snapshot.anyPersonIn('320111002')!;
    const ref = (id: string) => b.ws.internals.refs.toRef(id);
    expect((await b.ok('auditor-client', 'person.file', { personRef: ref(insider) })).personRef).toBe(ref(insider));
    const r = await b.call('auditor-client', 'person.file', { personRef: ref(outsider) });
    expect(r).toMatchObject({ ok: false, error: { code: 'OUT_OF_SCOPE' } });
    // The audit entries name the person the reference stood for (shown masked: a whole number only through the reveal).
    const entries = await lastAudit(b, 'auditor-client');
    expect(entries[0]).toMatchObject({ action: 'person.file', target: maskIdNumber(outsider), outcome: 'denied' });
    expect(entries[1]).toMatchObject({ action: 'person.file', target: maskIdNumber(insider), outcome: 'ok' });
  });

  it('rejects malformed input with the field at fault, and audits the attempt', async () => {
    b = makeBench();
    await withStaff(b);
    const r = await b.call('auditor-client', 'person.file', { personRef: '320111199001011234' });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', details: { issues: [{ path: 'personRef' }] } } });
    const u = await b.call('auditor-client', 'no.such.call' as never, {} as never);
    expect(u).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CALL' } });
    const entries = await lastAudit(b, 'auditor-client');
    expect(entries.slice(0, 2).map((e) => e.action)).toEqual(['unknown_call', 'person.file']);
  });

  it('requires the initial password to be changed before anything else', async () => {
    b = makeBench();
    await b.ok('admin-client', 'auth.setupAdmin', ADMIN);
    await b.ok('admin-client', 'users.create', { username: 'newbie', displayName: '新人', role: 'auditor', scope: ['320111001'], initialPassword: 'initial-pass-1' });
    const s = await b.ok('n', 'auth.login', { username: 'newbie', password: 'initial-pass-1' });
    expect(s.mustChangePassword).toBe(true);
    expect(await b.call('n', 'home.summary', {})).toMatchObject({ ok: false, error: { code: 'PASSWORD_CHANGE_REQUIRED' } });
    await b.ok('n', 'auth.changePassword', { currentPassword: 'initial-pass-1', newPassword: 'my-own-pass-99' });
    expect((await b.call('n', 'home.summary', {})).ok).toBe(true);
  });
});

describe('login back-off and idle lock', () => {
  let b: TestBench;
  afterEach(() => b.cleanup());

  it('backs off exponentially after failures, refuses without checking during the wait, and audits each', async () => {
    b = makeBench();
    const staff = await withStaff(b);
    await b.ok('auditor-client', 'auth.logout');
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await b.call('x', 'auth.login', { username: 'auditor1', password: 'wrong-wrong-1' });
      expect(r).toMatchObject({ ok: false, error: { code: 'BAD_CREDENTIALS' } });
      if (!r.ok) waits.push(r.error.details!.retryAfterMs as number);
      // Even the right password is refused during the wait.
      const early = await b.call('x', 'auth.login', { username: 'auditor1', password: staff.auditor.password });
      expect(early).toMatchObject({ ok: false, error: { code: 'THROTTLED' } });
      b.clock.advance(waits.at(-1)!);
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000]);
    await b.ok('x', 'auth.login', { username: 'auditor1', password: staff.auditor.password });
    const history = await b.ok('x', 'audit.myHistory', { limit: 50 });
    expect(history.entries.filter((e) => e.action === 'auth.login_failed')).toHaveLength(4);
    expect(history.entries.filter((e) => e.action === 'auth.login_throttled')).toHaveLength(4);
    expect(b.ws.internals.registry.findByUsername('auditor1')!.failedLogins).toBe(0);
  });

  it('locks an idle session after the configured time, and only the password unlocks it', async () => {
    b = makeBench();
    const staff = await withStaff(b);
    await b.ok('auditor-client', 'settings.update', { idleLockMinutes: 5 });
    b.clock.advance(4 * 60_000);
    expect((await b.call('auditor-client', 'home.summary', {})).ok).toBe(true);
    b.clock.advance(5 * 60_000 + 1);
    expect(await b.call('auditor-client', 'home.summary', {})).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    expect((await b.ok('auditor-client', 'session.current'))!.state).toBe('locked');
    expect(await b.call('auditor-client', 'auth.unlock', { password: 'wrong-wrong-1' })).toMatchObject({ ok: false, error: { code: 'BAD_CREDENTIALS' } });
    b.clock.advance(1000);
    expect((await b.ok('auditor-client', 'auth.unlock', { password: staff.auditor.password })).state).toBe('active');
    const actions = (await b.ok('auditor-client', 'audit.myHistory', { limit: 10 })).entries.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['session.idle_lock', 'home.summary', 'auth.unlock', 'auth.login_failed']));
  });
});

describe('the account registry', () => {
  let b: TestBench;
  afterEach(() => b.cleanup());

  it('refuses a login whose role or scope was edited in the unencrypted registry', async () => {
    b = makeBench();
    const staff = await withStaff(b, ['320111002']);
    await b.ok('auditor-client', 'auth.logout');
    b.ws.close();
    const db = openPlain(join(b.dir, 'registry.db'));
    db.prepare(`UPDATE account SET scope = '["32"]' WHERE username = 'auditor1'`).run();
    db.close();
    b.reopen();
    const r = await b.call('x', 'auth.login', { username: 'auditor1', password: staff.auditor.password });
    expect(r).toMatchObject({ ok: false, error: { code: 'ACCOUNT_TAMPERED' } });
    expect(b.ws.internals.registry.recentSystemLog(1)[0]).toMatchObject({ action: 'auth.grant_rejected', username: 'auditor1' });
  });

  it('applies an administrator\'s scope change to a live session, and a disabled account is logged out', async () => {
    b = makeBench();
    const staff = await withStaff(b, ['320111002']);
    await b.ok('admin-client', 'users.update', { id: staff.auditor.id, scope: ['320111005'] });
    expect(await b.call('auditor-client', 'home.summary', { divisionPrefix: '320111002' })).toMatchObject({ ok: false, error: { code: 'OUT_OF_SCOPE' } });
    expect((await b.call('auditor-client', 'home.summary', { divisionPrefix: '320111005' })).ok).toBe(true);
    await b.ok('admin-client', 'users.update', { id: staff.auditor.id, status: 'disabled' });
    expect(await b.call('auditor-client', 'home.summary', {})).toMatchObject({ ok: false, error: { code: 'NO_SESSION' } });
    expect(await b.call('y', 'auth.login', { username: 'auditor1', password: staff.auditor.password })).toMatchObject({ ok: false, error: { code: 'ACCOUNT_DISABLED' } });
  });
});
