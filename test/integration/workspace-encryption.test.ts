/** Must show: a wrong password never opens a workspace; the database file holds no plaintext. */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_KDF_COST } from '../../src-main/platform/key-wrap.js';
import { openEncrypted, WrongKeyError } from '../../src-main/store/sqlcipher.js';
import { createWorkstation } from '../../src-main/services/workstation.js';
import { ADMIN, makeBench, TEST_KDF, withStaff, type TestBench } from '../helpers/workstation.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('encrypted workspaces', () => {
  let b: TestBench;
  afterEach(() => b.cleanup());

  it('never opens with a wrong password, and the wrong key fails at the SQLCipher level too', async () => {
    b = makeBench();
    const staff = await withStaff(b);
    await b.ok('auditor-client', 'auth.logout');
    for (const password of ['auditor-pass-567', 'AUDITOR-PASS-5678', '', 'initial-pass-1']) {
      b.clock.advance(20 * 60_000); // past any back-off
      const r = await b.call('x', 'auth.login', { username: 'auditor1', password: password || 'x' });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('BAD_CREDENTIALS');
    }
    const file = b.ws.internals.accounts.workspaceFile(staff.auditor.id);
    expect(() => openEncrypted(file, Buffer.alloc(32, 7))).toThrow(WrongKeyError);
    b.clock.advance(20 * 60_000);
    expect((await b.call('x', 'auth.login', { username: 'auditor1', password: staff.auditor.password })).ok).toBe(true);
  });

  it('keeps planted names and ID numbers out of every file in the data folder', async () => {
    b = makeBench();
    await withStaff(b, ['320111']);
    const snapshot = b.ws.internals.snapshots.forUser('', null)!;
    const personId = snapshot.anyPersonIn('320111')!;
    const name = snapshot.person(personId)!.name;
    // Viewing a person writes the ID number (audit target) into the workspace.
    const profile = await b.ok('auditor-client', 'person.file', { personRef: b.ws.internals.refs.toRef(personId) });
    expect(profile.name).toBe(name);
    // A planted ID number of our own: the refused lookup is audited with it as the target.
    const planted = { name: '测试张三丰', id: '320111199001011239' };
    await b.call('auditor-client', 'person.file', { personRef: b.ws.internals.refs.toRef(planted.id) });
    // And a planted name, written into the open workspace the way later features store notes.
    const auditorWorkspace = b.ws.internals.sessions.get('auditor-client')!.workspace!;
    auditorWorkspace.setSetting('planted_note', `${planted.name} ${name}`);
    expect(auditorWorkspace.auditPage({ limit: 2 }).map((e) => e.target)).toEqual([planted.id, personId]);
    b.ws.close(); // flush WAL into the main files
    const files = filesUnder(b.dir);
    expect(files.some((f) => f.endsWith('.db'))).toBe(true);
    for (const file of files) {
      const raw = readFileSync(file);
      for (const needle of [personId, name, planted.id, planted.name]) {
        expect(raw.includes(Buffer.from(needle, 'utf8')), `${needle} in ${file}`).toBe(false);
      }
      if (file.includes('workspaces')) expect(raw.subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\u0000');
    }
    b.reopen();
  });

  it('a copied data folder opens for nobody without the password', async () => {
    b = makeBench();
    const staff = await withStaff(b);
    b.ws.close();
    const copy = mkdtempSync(join(tmpdir(), 'aw-copy-'));
    try {
      cpSync(b.dir, copy, { recursive: true });
      const thief = createWorkstation({ dataDir: copy, transport: 'http', kdfCost: TEST_KDF });
      const wrong = await thief.dispatch('t', 'auth.login', { username: 'supervisor1', password: 'guess-guess-1' });
      expect(wrong.ok).toBe(false);
      // (a different account: supervisor1 is now in its back-off after the wrong guess)
      const right = await thief.dispatch('t', 'auth.login', { username: 'finance1', password: staff.finance.password });
      expect(right.ok).toBe(true);
      thief.close();
    } finally {
      rmSync(copy, { recursive: true, force: true });
      b.reopen();
    }
  });

  it('uses a memory-hard KDF by default (scrypt, 128 MiB)', async () => {
    expect(DEFAULT_KDF_COST.N * DEFAULT_KDF_COST.r * 128).toBeGreaterThanOrEqual(128 * 1024 * 1024);
    b = makeBench({ kdfCost: undefined });
    const started = Date.now();
    await b.ok('c', 'auth.setupAdmin', ADMIN);
    const kdf = JSON.parse(b.ws.internals.registry.findByUsername('admin')!.kdf) as { alg: string; N: number };
    expect(kdf).toMatchObject({ alg: 'scrypt', N: 2 ** 17 });
    expect(Date.now() - started).toBeGreaterThan(20); // a real derivation ran
    expect(statSync(join(b.dir, 'workspaces')).mode & 0o077).toBe(0);
  });
});
