/** Must show: a tampered audit entry is reported by the verifier at the right sequence number. */
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { openEncrypted } from '../../src-main/store/sqlcipher.js';
import { makeBench, withStaff, type TestBench } from '../helpers/workstation.js';
import { verifyUserChain } from '../../src-main/services/offline-access.js';

describe('audit chain verification', () => {
  let b: TestBench;
  afterEach(() => b.cleanup());

  it('records every call, is append-only, and reports the first tampered entry', async () => {
    b = makeBench();
    const staff = await withStaff(b);
    for (let i = 0; i < 40; i++) await b.ok('auditor-client', 'home.summary', {});
    const verified = await b.ok('auditor-client', 'audit.verifyMine');
    expect(verified.firstBreak).toBeNull();
    expect(verified.checked).toBeGreaterThan(40);

    // Grab the data key the way an attacker who knows it would, and edit entry 25.
    const account = b.ws.internals.registry.findByUsername('auditor1')!;
    const { dataKey } = await b.ws.internals.accounts.authenticate('auditor1', staff.auditor.password, 'test');
    const file = b.ws.internals.accounts.workspaceFile(account.id);
    b.ws.close();
    const db = openEncrypted(file, dataKey);
    expect(() => db.prepare("UPDATE audit_log SET outcome = 'denied' WHERE seq = 25").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 30').run()).toThrow(/append-only/);
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET target = '320111999' WHERE seq = 25").run();
    db.close();

    const report = await verifyUserChain(b.dir, 'auditor1', staff.auditor.password, b.clock);
    expect(report.firstBreak).toEqual({ seq: 25, reason: 'hash_mismatch' });
    b.reopen();
  });

  it('`npm run cli -- audit verify` prints the broken sequence number and exits 2', async () => {
    b = makeBench();
    const staff = await withStaff(b);
    const account = b.ws.internals.registry.findByUsername('finance1')!;
    const { dataKey } = await b.ws.internals.accounts.authenticate('finance1', staff.finance.password, 'test');
    b.ws.close();
    const cli = (env: Record<string, string>) =>
      spawnSync('npx', ['tsx', 'src-main/shells/cli/main.ts', 'audit', 'verify', '--user', 'finance1', '--data', b.dir], {
        env: { ...process.env, ...env },
        encoding: 'utf8',
      });
    const intact = cli({ AW_PASSWORD: staff.finance.password });
    expect(intact.status, intact.stderr).toBe(0);
    expect(intact.stdout).toMatch(/intact/);

    const db = openEncrypted(b.ws.internals.accounts.workspaceFile(account.id), dataKey);
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET action = 'nothing.to.see' WHERE seq = 3").run();
    db.close();
    const broken = cli({ AW_PASSWORD: staff.finance.password });
    expect(broken.status).toBe(2);
    expect(broken.stdout).toMatch(/BROKEN at entry 3 \(hash_mismatch\)/);

    const wrong = cli({ AW_PASSWORD: 'not-the-password' });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/BAD_CREDENTIALS/);
    b.reopen();
  });
});
