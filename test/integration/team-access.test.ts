/**
 * The team store's key against someone who can write the data folder: a swapped member key is never given the key,
 * a planted wrap of a key the attacker chose is refused, a deleted store is reported rather than silently recreated,
 * and a colleague created later gets the key from whoever holds it.
 */
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { generateDeviceKeyPair } from '../../src-main/platform/device-keys.js';
import { wrapTeamKey } from '../../src-main/platform/team-key-wrap.js';
import { openEncrypted, WrongKeyError } from '../../src-main/store/sqlcipher.js';
import { ADMIN, makeBench, type TestBench } from '../helpers/workstation.js';

const sort = { column: 'priority' as const, direction: 'desc' as const };
let b: TestBench;
afterEach(() => {
  b.cleanup();
  changed.clear();
});

async function createMember(username: string, role: 'auditor' | 'supervisor' = 'auditor') {
  return b.ok('admin-client', 'users.create', { username, displayName: username, role, scope: ['320111'], initialPassword: 'initial-pass-1' });
}
const changed = new Set<string>();
async function login(username: string) {
  await b.ok(`${username}-client`, 'auth.login', { username, password: changed.has(username) ? 'own-pass-5678' : 'initial-pass-1' });
  if (!changed.has(username)) {
    await b.ok(`${username}-client`, 'auth.changePassword', { currentPassword: 'initial-pass-1', newPassword: 'own-pass-5678' });
    changed.add(username);
  }
  return b.call(`${username}-client`, 'inbox.page', { filter: {}, sort, offset: 0, limit: 1 });
}
const registryDb = () => (b.ws.internals.registry as unknown as { db: Database }).db;

describe('team store key sharing', () => {
  it('never wraps the key for a member key swapped in the registry', async () => {
    b = makeBench();
    await b.ok('admin-client', 'auth.setupAdmin', ADMIN);
    const victim = await createMember('victim1');
    await createMember('founder1');
    const attacker = generateDeviceKeyPair();
    registryDb().prepare('UPDATE member_key SET public_key = ? WHERE account_id = ?').run(attacker.publicKeyDer, victim.id);
    // The founder creates the store and shares it with everyone whose member key the installation signed.
    expect((await login('founder1')).ok).toBe(true);
    expect(b.ws.internals.registry.teamKeyWrap(victim.id)).toBeUndefined();
    expect(await login('victim1')).toMatchObject({ ok: false, error: { code: 'NO_TEAM_ACCESS' } });
  });

  it('refuses a planted wrap of a key the attacker chose, and never opens a store under it', async () => {
    b = makeBench();
    await b.ok('admin-client', 'auth.setupAdmin', ADMIN);
    const member = await createMember('member1');
    const memberPublic = b.ws.internals.registry.memberKey(member.id)!.publicKey;
    const attacker = generateDeviceKeyPair();
    const chosen = randomBytes(32);
    b.ws.internals.registry.putTeamKeyWrap(member.id, wrapTeamKey(attacker, memberPublic, chosen, `team:${member.id}`), member.id, '2024-07-01T00:00:00Z');
    expect(await login('member1')).toMatchObject({ ok: false, error: { code: 'NO_TEAM_ACCESS' } });
    expect(existsSync(join(b.dir, 'team.db'))).toBe(false);
  });

  it('reports a deleted store instead of starting a new one; the login itself still works', async () => {
    b = makeBench();
    await b.ok('admin-client', 'auth.setupAdmin', ADMIN);
    await createMember('member1');
    expect((await login('member1')).ok).toBe(true);
    await b.ok('member1-client', 'auth.logout');
    renameSync(join(b.dir, 'team.db'), join(b.dir, 'team.db.moved'));
    const denied = await login('member1');
    expect(denied).toMatchObject({ ok: false, error: { code: 'NO_TEAM_ACCESS' } });
    expect((denied as { error: { message: string } }).error.message).toMatch(/missing/);
    expect(existsSync(join(b.dir, 'team.db'))).toBe(false);
    expect((await b.ok('member1-client', 'session.current'))?.username).toBe('member1');
  });

  it('an administrator never holds the key; a colleague created later gets it only once a supervisor lets them in', async () => {
    b = makeBench();
    const admin = await b.ok('admin-client', 'auth.setupAdmin', ADMIN);
    await createMember('first1');
    await createMember('sup1', 'supervisor');
    const narrow = await b.ok('admin-client', 'users.create', { username: 'sup2', displayName: 'sup2', role: 'supervisor', scope: ['320111002'], initialPassword: 'initial-pass-1' });
    expect((await login('first1')).ok).toBe(true);
    expect((await login('sup1')).ok).toBe(true);
    expect((await login('sup2')).ok).toBe(true);
    expect(narrow.id).toBeTruthy();
    // An account the administrator creates afterwards (and whose initial password the administrator knows) gets nothing,
    // however often its colleagues log in.
    const later = await createMember('later1');
    expect(await login('later1')).toMatchObject({ ok: false, error: { code: 'NO_TEAM_ACCESS' } });
    await b.ok('first1-client', 'auth.logout');
    expect((await login('first1')).ok).toBe(true);
    expect(b.ws.internals.registry.teamKeyWrap(later.id)).toBeUndefined();
    // Writing the registry does not help: membership is kept inside the encrypted store.
    expect(() => registryDb().prepare('SELECT * FROM team_member').all()).toThrow();
    // Only a supervisor whose scope covers the member can let them in; an auditor cannot.
    expect(await b.call('first1-client', 'team.activateMember', { accountId: later.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
    expect(await b.ok('sup2-client', 'team.pendingMembers')).toEqual([]);
    expect(await b.call('sup2-client', 'team.activateMember', { accountId: later.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect((await b.ok('sup1-client', 'team.pendingMembers')).map((m) => [m.username, m.mustChangePassword])).toEqual([['later1', false]]);
    expect(await b.ok('sup1-client', 'team.activateMember', { accountId: later.id })).toEqual([]);
    await b.ok('later1-client', 'auth.logout');
    expect((await login('later1')).ok).toBe(true);
    // The supervisors see who holds the key (the store's own record), within their scope: the founders, and who let in
    // the one activated later. A fake account let in at the start would show here as a founder nobody knows.
    const holders = await b.ok('sup1-client', 'team.keyHolders');
    expect(holders.map((h) => [h.account.username, h.kind, h.byDisplayName])).toEqual([
      ['first1', 'founding', null],
      ['sup1', 'founding', null],
      ['sup2', 'founding', null],
      ['later1', 'activated', 'sup1'],
    ]);
    expect((await b.ok('sup2-client', 'team.keyHolders')).map((h) => h.account.username)).toEqual(['sup2']);
    expect(await b.call('first1-client', 'team.keyHolders')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
    expect(b.ws.internals.registry.teamKeyWrap(admin.userId)).toBeUndefined();
    expect(b.ws.internals.registry.memberKey(admin.userId)).toBeUndefined();

    // Disabled, the account loses its wrap of the team key, and the key is rotated at the next member's login: the old
    // key (which a copied wrap would give) no longer opens the store; every remaining member still gets in.
    const sup1Id = b.ws.internals.registry.findByUsername('sup1')!.id;
    const oldKey = b.ws.internals.team.keyForBackup(sup1Id);
    await b.ok('admin-client', 'users.update', { id: later.id, status: 'disabled' });
    expect(b.ws.internals.registry.teamKeyWrap(later.id)).toBeUndefined();
    expect(b.ws.internals.registry.teamKeyRotationDue()).toBe(true);
    await b.ok('sup1-client', 'auth.logout');
    expect((await login('sup1')).ok).toBe(true);
    expect(b.ws.internals.registry.teamKeyRotationDue()).toBe(false);
    const newKey = b.ws.internals.team.keyForBackup(sup1Id);
    expect(newKey.equals(oldKey)).toBe(false);
    expect(() => openEncrypted(join(b.dir, 'team.db'), oldKey, { readonly: true })).toThrow(WrongKeyError);
    for (const u of ['first1', 'sup2']) {
      await b.ok(`${u}-client`, 'auth.logout');
      expect((await login(u)).ok, u).toBe(true);
    }
    // Enabled again, a colleague re-wraps the current key for the account at their next login.
    await b.ok('admin-client', 'users.update', { id: later.id, status: 'active' });
    await b.ok('sup1-client', 'auth.logout');
    expect((await login('sup1')).ok).toBe(true);
    expect(b.ws.internals.registry.teamKeyWrap(later.id)).toBeDefined();
    expect((await login('later1')).ok).toBe(true);
  });

  it('a rotation cut short at any step leaves a store that the next login opens (and finishes or drops the rotation)', async () => {
    for (const step of ['staged', 'rekeyed', 'swapped'] as const) {
      b = makeBench();
      await b.ok('admin-client', 'auth.setupAdmin', ADMIN);
      await createMember('first1');
      const gone = await createMember('gone1');
      expect((await login('first1')).ok).toBe(true);
      expect((await login('gone1')).ok).toBe(true);
      await b.ok('first1-client', 'auth.logout');
      await b.ok('gone1-client', 'auth.logout');
      await b.ok('admin-client', 'users.update', { id: gone.id, status: 'disabled' });
      b.ws.internals.team.onRotationStep = (s) => {
        if (s === step) throw new Error(`crash after ${s}`);
      };
      // The login during which the rotation dies: the store is closed, as after a crash.
      await login('first1').catch(() => undefined);
      expect(b.ws.internals.registry.hasStagedTeamKeyWraps(), step).toBe(true);
      expect(b.ws.internals.registry.teamKeyRotationDue(), step).toBe(true);
      expect(existsSync(join(b.dir, 'team.db.rekey')), step).toBe(step === 'rekeyed');
      b.reopen();
      const again = await login('first1');
      expect(again.ok, step).toBe(true);
      expect(b.ws.internals.registry.teamKeyRotationDue(), step).toBe(false);
      expect(b.ws.internals.registry.hasStagedTeamKeyWraps(), step).toBe(false);
      expect(b.ws.internals.registry.teamKeyWrap(gone.id), step).toBeUndefined();
      expect(existsSync(join(b.dir, 'team.db.rekey')), step).toBe(false);
      b.cleanup();
      changed.clear();
    }
    b = makeBench();
  });
});
