/** Sync through the service contract: enrol (fingerprint confirmed), sync, and the user's screens move to the synced snapshot. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startPlatformServer } from '../../src-main/data-platform/serve.js';
import { PlatformState } from '../../src-main/data-platform/publish.js';
import { fingerprintOf } from '../../src-main/platform/device-keys.js';
import { makeSnapshot } from '../helpers/platform-fixture.js';
import { publishSnapshot } from '../../src-main/data-platform/publish.js';
import { approveDevice } from '../../src-main/data-platform/enrolment.js';
import { openTestExchange } from '../helpers/exchange-db.js';
import { makeBench, withStaff, type TestBench } from '../helpers/workstation.js';
import { isoTime, systemClock } from '../../src-main/platform/clock.js';

describe('sync in the workstation', () => {
  let b: TestBench;
  const root = mkdtempSync(join(tmpdir(), 'aw-wsync-'));
  afterEach(() => {
    b.cleanup();
    rmSync(root, { recursive: true, force: true });
  });

  async function waitForSync(client: string) {
    for (let i = 0; i < 200; i++) {
      const s = await b.ok(client, 'sync.status');
      if (!s.running && s.lastSync) return s;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('sync did not finish');
  }

  it('enrols after the fingerprint is confirmed, syncs, and serves the synced snapshot to that user only', async () => {
    const state = new PlatformState(join(root, 'state'));
    state.init();
    const pubDir = join(root, 'pub');
    const exchange = await openTestExchange(root);
    const snap = makeSnapshot(join(root, 'built'), 'P-06', 3000, 77);
    await publishSnapshot({ state, exchange, pubDir, snapshotFile: snap.file, snapshotKey: snap.key });
    const server = await startPlatformServer({ pubDir, state, exchange, tokens: ['tok'] });
    try {
      b = makeBench();
      await withStaff(b, ['320111', '320116']);
      expect((await b.ok('auditor-client', 'sync.status')).enrolled).toBe(false);
      expect(await b.call('auditor-client', 'sync.enrolBegin', { url: server.url, token: 'wrong' })).toMatchObject({ ok: false, error: { code: 'BAD_CREDENTIALS' } });
      const offer = await b.ok('auditor-client', 'sync.enrolBegin', { url: server.url, token: 'tok' });
      expect(offer.fingerprint).toBe(fingerprintOf(state.publicKey()));
      expect(await b.call('auditor-client', 'sync.enrolConfirm', { fingerprint: '0000' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
      const enrolled = await b.ok('auditor-client', 'sync.enrolConfirm', { fingerprint: offer.fingerprint });
      // The token alone does not yield a key: the request waits for the platform operator.
      expect(enrolled).toMatchObject({ enrolled: true, enrolment: 'pending', jurisdiction: ['320111', '320116'] });
      expect((await exchange.devices('pending')).map((d) => d.deviceId)).toContain(enrolled.deviceId);
      await b.ok('auditor-client', 'sync.run');
      expect((await waitForSync('auditor-client')).lastSync).toMatchObject({ outcome: 'refused', message: expect.stringMatching(/^NOT_ENROLLED/) });
      await approveDevice(exchange, { deviceId: enrolled.deviceId!, at: isoTime(systemClock), state, pubDir });

      expect((await b.ok('auditor-client', 'home.summary', {})).snapshot?.source).toBe('demo');
      await b.ok('auditor-client', 'sync.run');
      const done = await waitForSync('auditor-client');
      expect(done.lastSync).toMatchObject({ outcome: 'installed', snapshotId: 'P-06', via: 'full' });
      const home = await b.ok('auditor-client', 'home.summary', {});
      expect(home.snapshot).toMatchObject({ snapshotId: 'P-06', source: 'synced', asOf: '2024-06-30' });
      // Another user on the same machine has not synced: still the demo district.
      expect((await b.ok('supervisor-client', 'home.summary', {})).snapshot?.source).toBe('demo');
      // After logging out and in again the key comes from the workspace and the synced snapshot opens.
      await b.ok('auditor-client', 'auth.logout');
      b.ws.internals.snapshots.invalidate(b.ws.internals.registry.findByUsername('auditor1')!.id);
      await b.ok('auditor-client', 'auth.login', { username: 'auditor1', password: 'auditor-pass-5678' });
      expect((await b.ok('auditor-client', 'home.summary', {})).snapshot?.source).toBe('synced');
      const actions = (await b.ok('auditor-client', 'audit.myHistory', { limit: 50 })).entries.map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['sync.enrolBegin', 'sync.enrolConfirm', 'sync.run']));
      // Headless, for scheduled runs: the same user's sync from the command line (the app must be closed: one process per folder).
      b.ws.close();
      // (asynchronously: the platform server runs in this process and must keep answering)
      const cli = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'src-main/shells/cli/main.ts', 'sync', '--user', 'auditor1', '--data', b.dir], {
          env: { ...process.env, AW_PASSWORD: 'auditor-pass-5678' },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('exit', (status) => resolve({ status, stdout, stderr }));
      });
      expect(cli.status, cli.stderr).toBe(0);
      expect(JSON.parse(cli.stdout)).toMatchObject({ outcome: 'up_to_date', snapshotId: 'P-06' });
      b.reopen();
      // The CLI ran the app's own sync: the outcome is in the user's trail as it was.
      await b.ok('auditor-client', 'auth.login', { username: 'auditor1', password: 'auditor-pass-5678' });
      const finished = (await b.ok('auditor-client', 'audit.myHistory', { limit: 50 })).entries.filter((e) => e.action === 'sync.finished');
      expect(finished.map((e) => e.outcome)).toEqual(['ok', 'ok', 'denied']); // CLI, the app's install, the refusal before approval
      // The audit heads went up to the platform, and are kept there.
      expect(await exchange.uploads('audit-head')).toHaveLength(2);
    } finally {
      await server.close();
      await exchange.close();
    }
  });
});
