/**
 * Backups: full and incremental pieces of the workspace and the team store to a folder (a USB drive), verifiable,
 * restorable on a new laptop with the user's password or with the recovery code the platform's escrow gives out; a
 * damaged piece stops the restore at the last good one, and says so. Nothing in a piece is readable without the key.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PlatformServer } from '../../src-main/data-platform/serve.js';
import { escrowOpen, recoveryCodeOf, type BackupSetFile } from '../../src-main/platform/backup-pieces.js';
import { enrolApproved, servePlatform, syncAndWait } from '../helpers/served-platform.js';
import { makeBench, waitForRun, withStaff, type TestBench } from '../helpers/workstation.js';

const root = mkdtempSync(join(tmpdir(), 'aw-backup-'));
const usb = join(root, 'usb');
mkdirSync(usb);
const benches: TestBench[] = [];
let server: PlatformServer;
afterAll(async () => {
  for (const b of benches) b.cleanup();
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

const sort = { column: 'priority', direction: 'desc' } as const;
const VIEW = (n: number) => `备份视图-${n}-独有名称`;

async function newLaptop() {
  const b = makeBench();
  benches.push(b);
  const staff = await withStaff(b, ['320111', '320116']);
  return { b, staff };
}

describe('backups', () => {
  let setDir = '';
  let a: TestBench;
  let password = '';
  let findingsOnA = 0;

  it('writes a full piece, then incremental pieces carrying only what changed, none of it readable', async () => {
    const platform = await servePlatform(root, 'B-1', 1500, 7);
    server = platform.server;
    ({ b: a } = await newLaptop());
    password = 'auditor-pass-5678';
    await enrolApproved(a, 'auditor-client', platform);
    expect(await syncAndWait(a, 'auditor-client')).toMatchObject({ outcome: 'installed' });
    expect(await a.ok('auditor-client', 'backup.status')).toMatchObject({ last: null, escrow: true });
    await a.ok('auditor-client', 'checks.run', {});
    await waitForRun(a, 'auditor-client');
    findingsOnA = (await a.ok('auditor-client', 'inbox.page', { filter: {}, sort, offset: 0, limit: 1 })).total;
    expect(findingsOnA).toBeGreaterThan(0);

    const pieces = [];
    for (let n = 1; n <= 3; n++) {
      await a.ok('auditor-client', 'inbox.saveView', { view: { name: VIEW(n), filter: {}, sort } });
      pieces.push(await a.ok('auditor-client', 'backup.run', { folder: usb, password }));
    }
    expect(pieces.map((p) => [p.piece, p.kind])).toEqual([
      [1, 'full'],
      [2, 'incremental'],
      [3, 'incremental'],
    ]);
    expect(new Set(pieces.map((p) => p.setId)).size).toBe(1);
    expect(pieces[1]!.pages).toBeLessThan(pieces[0]!.pages / 2);
    setDir = pieces[0]!.dir;
    console.log(`backup pieces: ${JSON.stringify(pieces.map((p) => ({ piece: p.piece, kind: p.kind, pages: p.pages, bytes: p.bytes, ms: p.ms })))}`);

    // A wrong password backs nothing up, and counts as a failed login.
    expect(await a.call('auditor-client', 'backup.run', { folder: usb, password: 'wrong' })).toMatchObject({ ok: false, error: { code: 'BAD_CREDENTIALS' } });
    expect(readdirSync(setDir).filter((f) => f.endsWith('.awb'))).toHaveLength(3);

    // Nothing in the set reads as SQLite or as what the user wrote.
    for (const f of readdirSync(setDir)) {
      const bytes = readFileSync(join(setDir, f));
      expect(bytes.includes(Buffer.from('SQLite format 3')), f).toBe(false);
      expect(bytes.includes(Buffer.from(VIEW(1))), f).toBe(false);
      expect(bytes.includes(Buffer.from('backup.run')), f).toBe(false);
    }
    // The user's own set verifies without a password; listing needs none either.
    const checks = await a.ok('auditor-client', 'backup.verify', { dir: setDir });
    expect(checks.map((c) => c.ok)).toEqual([true, true, true]);
    const sets = await a.ok('auditor-client', 'backup.sets', { folder: usb });
    expect(sets).toHaveLength(1);
    expect(sets[0]).toMatchObject({ username: 'auditor1', escrow: true });
  }, 120_000);

  it('restores everything on a new laptop with the password, and the trail goes on from the backup', async () => {
    const { b } = await newLaptop();
    // The new laptop's user logs in once (the team store here is created, empty) and restores.
    const result = await b.ok('auditor-client', 'backup.restore', { dir: setDir, password });
    expect(result).toMatchObject({ restoredPiece: 3, stoppedAt: null, team: 'restored', piecesInSet: 3 });
    // The session ended with the restore; the user logs in again, on the restored workspace.
    expect(await b.call('auditor-client', 'inbox.views')).toMatchObject({ ok: false });
    expect(await b.call('auditor-client', 'auth.login', { username: 'auditor1', password })).toMatchObject({ ok: true });
    const views = (await b.ok('auditor-client', 'inbox.views')).map((v) => v.name);
    expect(views).toEqual(expect.arrayContaining([VIEW(1), VIEW(2), VIEW(3)]));
    expect((await b.ok('auditor-client', 'inbox.page', { filter: {}, sort, offset: 0, limit: 1 })).total).toBe(findingsOnA);
    const verified = await b.ok('auditor-client', 'audit.verifyMine');
    expect(verified.firstBreak).toBeNull();
    const trail = await b.ok('auditor-client', 'audit.myHistory', { limit: 200 });
    expect(trail.entries.some((e) => e.action === 'backup.restored')).toBe(true);
    // The backed-up entries are there (the backups themselves, from the old laptop).
    expect(trail.entries.filter((e) => e.action === 'backup.run').length).toBeGreaterThanOrEqual(2);
    // The workspace it replaced is kept beside it.
    expect(readdirSync(join(b.dir, 'workspaces')).some((f) => f.includes('.replaced-'))).toBe(true);
  }, 120_000);

  it('stops at the last good piece when one is damaged, and says so', async () => {
    const damaged = join(root, 'damaged');
    mkdirSync(damaged);
    for (const f of readdirSync(setDir)) writeFileSync(join(damaged, f), readFileSync(join(setDir, f)));
    const third = join(damaged, readdirSync(damaged).find((f) => f.startsWith('000003'))!);
    const bytes = readFileSync(third);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x40;
    writeFileSync(third, bytes);

    const { b } = await newLaptop();
    const verify = await b.ok('auditor-client', 'backup.verify', { dir: damaged, password });
    expect(verify.map((c) => c.ok)).toEqual([true, true, false]);
    const result = await b.ok('auditor-client', 'backup.restore', { dir: damaged, password });
    expect(result.restoredPiece).toBe(2);
    expect(result.stoppedAt).toMatchObject({ piece: 3 });
    expect(result.stoppedAt!.reason).toMatch(/damaged/);
    // The screens say it in the user's language (reasons.pieceProblems.*), never the English above.
    expect(result.stoppedAt!.why).toEqual({ reason: 'pieceProblems.damaged' });
    expect(verify[2]!.why).toEqual({ reason: 'pieceProblems.damaged' });
    await b.ok('auditor-client', 'auth.login', { username: 'auditor1', password });
    const views = (await b.ok('auditor-client', 'inbox.views')).map((v) => v.name);
    expect(views).toEqual(expect.arrayContaining([VIEW(1), VIEW(2)]));
    expect(views).not.toContain(VIEW(3));
    expect((await b.ok('auditor-client', 'audit.verifyMine')).firstBreak).toBeNull();

    // A piece cut short is refused the same way.
    const cut = readFileSync(third);
    writeFileSync(third, cut.subarray(0, cut.length - 100));
    const again = await b.ok('auditor-client', 'backup.verify', { dir: damaged, password });
    expect(again[2]).toMatchObject({ ok: false });
  }, 120_000);

  it('opens with the escrow recovery code when the password is lost; a wrong one changes nothing', async () => {
    const { b } = await newLaptop();
    const before = statSync(join(b.dir, 'workspaces')).mtimeMs;
    expect(await b.call('auditor-client', 'backup.restore', { dir: setDir, password, backupPassword: 'not-the-password' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_CREDENTIALS' },
    });
    expect(readdirSync(join(b.dir, 'workspaces')).some((f) => f.includes('.replaced-'))).toBe(false);
    expect(readdirSync(b.dir).some((f) => f.startsWith('restore-'))).toBe(false);
    expect(statSync(join(b.dir, 'workspaces')).mtimeMs).toBe(before);

    const set = JSON.parse(readFileSync(join(setDir, 'set.json'), 'utf8')) as BackupSetFile;
    const platformState = (await import('../../src-main/data-platform/publish.js')).PlatformState;
    const key = escrowOpen(set, new platformState(join(root, 'state')).escrowKeyPair());
    expect(key).not.toBeNull();
    const code = recoveryCodeOf(key!);
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{1,4}){12}$/);
    const result = await b.ok('auditor-client', 'backup.restore', { dir: setDir, password, recoveryCode: code.toLowerCase() });
    expect(result).toMatchObject({ restoredPiece: 3, team: 'restored' });
  }, 120_000);
});
