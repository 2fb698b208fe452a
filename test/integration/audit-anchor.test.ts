/**
 * The audit chain anchored beyond the laptop: every sync sends the user's head to the platform, which keeps the last one
 * per device and returns a receipt signed with its key. A workspace put back from an older copy is refused at login
 * (its chain ends before the anchor); and when the registry is put back with it, so that the laptop alone cannot tell,
 * the platform refuses the older head at the next sync, and from then on the copy is refused too.
 */
import { cpSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalReceipt, type SignedAuditReceipt } from '../../src-main/domain/audit-receipt.js';
import type { PlatformServer } from '../../src-main/data-platform/serve.js';
import { verifyBytes } from '../../src-main/platform/signing.js';
import { verifyUserChain } from '../../src-main/services/offline-access.js';
import { enrolApproved, PLATFORM_TOKEN, servePlatform, syncAndWait } from '../helpers/served-platform.js';
import { makeBench, withStaff, type TestBench } from '../helpers/workstation.js';

const root = mkdtempSync(join(tmpdir(), 'aw-anchor-'));
let b: TestBench;
let server: PlatformServer;
afterAll(async () => {
  b?.cleanup();
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

const login = () => b.call('auditor-client', 'auth.login', { username: 'auditor1', password: 'auditor-pass-5678' });

const sync = () => syncAndWait(b, 'auditor-client');

describe('audit anchor', () => {
  it('anchors the head at the platform, and refuses a rolled-back workspace', async () => {
    const platform = await servePlatform(root, 'A-1', 1500, 5);
    server = platform.server;
    const { state } = platform;
    b = makeBench();
    await withStaff(b, ['320111', '320116']);
    const deviceId = await enrolApproved(b, 'auditor-client', platform);
    expect(await sync()).toMatchObject({ outcome: 'installed' });

    // The receipt is signed by the platform, for this device, and the local anchor moved to it.
    const userId = b.ws.internals.registry.findByUsername('auditor1')!.id;
    const workspace = b.ws.internals.sessions.get('auditor-client')!.workspace!;
    const receipt = JSON.parse(workspace.getSetting('audit_receipt')!) as SignedAuditReceipt;
    expect(receipt.body.deviceId).toBe(deviceId);
    expect(verifyBytes(state.publicKey(), canonicalReceipt(receipt.body), Buffer.from(receipt.signature, 'base64'))).toBe(true);
    expect(b.ws.internals.registry.auditAnchor(userId)!.seq).toBeGreaterThanOrEqual(receipt.body.seq);

    // A colleague holding the platform token cannot post a head for this device (to lock its user out, or to anchor a
    // forged chain): uploads naming a device must carry that device's MAC.
    const forged = await fetch(`${platform.server.url}/upload/audit-head`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${PLATFORM_TOKEN}`, 'Content-Type': 'application/json', 'x-device-mac': Buffer.alloc(32).toString('base64') },
      body: JSON.stringify({ deviceId, seq: 1_000_000, hash: 'f'.repeat(64), at: new Date().toISOString() }),
    });
    expect(forged.status).toBe(401);
    // The head the platform holds is still the genuine one (read from its database: reads answer the device itself only).
    const held = (await platform.exchange.head(deviceId))!.receipt as SignedAuditReceipt;
    expect(held.body.seq).toBe(receipt.body.seq);

    // A replaced signing seed does not survive in the write-ahead log: it is checkpointed and truncated after each entry.
    await b.ok('auditor-client', 'home.summary', {});
    const wal = `${b.ws.internals.accounts.workspaceFile(userId)}-wal`;
    expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);

    // A copy of the data folder as it is now (registry and workspaces), then more work, synced and anchored.
    await b.ok('auditor-client', 'auth.logout');
    b.ws.close();
    const copy = join(root, 'copy');
    cpSync(b.dir, copy, { recursive: true });
    b.reopen();
    expect(await login()).toMatchObject({ ok: true });
    for (let i = 0; i < 5; i++) await b.ok('auditor-client', 'home.summary', {});
    expect(await sync()).toMatchObject({ outcome: 'up_to_date' });
    await b.ok('auditor-client', 'auth.logout');

    // Only the workspace is put back: the registry's anchor (set at the last logout) is ahead of it.
    b.ws.close();
    cpSync(join(copy, 'workspaces'), join(b.dir, 'workspaces'), { recursive: true });
    b.reopen();
    const refused = await login();
    expect(refused).toMatchObject({ ok: false, error: { code: 'AUDIT_ROLLED_BACK' } });
    expect(!refused.ok && refused.error.message).toMatch(/restored from an older copy or cut short/);
    // The verifier reports the rolled-back copy without writing to it or moving the anchor onto it, however often it runs.
    b.ws.close();
    for (let i = 0; i < 12; i++) expect((await verifyUserChain(b.dir, 'auditor1', 'auditor-pass-5678', b.clock)).firstBreak?.reason).toBe('truncated');
    b.reopen();
    expect(await login()).toMatchObject({ ok: false, error: { code: 'AUDIT_ROLLED_BACK' } });

    // The registry is put back too: the laptop alone cannot tell — the platform can.
    b.ws.close();
    for (const f of ['registry.db', 'registry.db-wal', 'registry.db-shm']) rmSync(join(b.dir, f), { force: true });
    cpSync(copy, b.dir, { recursive: true });
    b.reopen();
    expect(await login()).toMatchObject({ ok: true });
    // The platform refuses the older head: the session on the rolled-back copy ends at once, and the copy is refused.
    await b.ok('auditor-client', 'sync.run');
    let status = await b.call('auditor-client', 'sync.status');
    for (let i = 0; i < 400 && status.ok; i++) {
      await new Promise((r) => setTimeout(r, 25));
      status = await b.call('auditor-client', 'sync.status');
    }
    expect(status.ok).toBe(false);
    expect(b.ws.internals.registry.systemLogFor(userId, 0).some((e) => e.action === 'auth.audit_rolled_back')).toBe(true);
    expect(await login()).toMatchObject({ ok: false, error: { code: 'AUDIT_ROLLED_BACK' } });
  }, 120_000);
});
