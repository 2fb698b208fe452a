/**
 * The same publication folder served by an ordinary static server: a real nginx on loopback (installed by .ci/run),
 * with the bearer token checked in its config and Range requests handled natively. Sync must work against it exactly
 * as against `platform serve`; uploads are not something a static server takes, so they are reported unsupported.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifest } from '../../src-main/data-platform/publish.js';
import { LocalSnapshots } from '../../src-main/store/snapshot/local-snapshots.js';
import { syncOnce } from '../../src-main/services/sync/sync-engine.js';
import { memoryTrail } from '../helpers/audit-trail.js';
import { freePort, NGINX, runNginx } from '../helpers/exchange-front.js';
import { evolve, makePublication, makeSnapshot, type BuiltSnapshot, type Publication } from '../helpers/platform-fixture.js';
import { systemClock } from '../../src-main/platform/clock.js';

const root = mkdtempSync(join(tmpdir(), 'aw-nginx-'));
const TOKEN = 'nginx-token-xyz';
let stopNginx: (() => void) | null = null;
let url = '';
let pub: Publication;
let a: BuiltSnapshot;

beforeAll(async () => {
  if (!NGINX) {
    if (process.env.CI) throw new Error('nginx is required in CI (.ci/run installs it)');
    return;
  }
  pub = await makePublication(root);
  a = makeSnapshot(join(root, 'built'), 'N-06');
  await pub.publish(a);
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  const http = `
  server {
    listen 127.0.0.1:${port};
    root ${pub.pubDir};
    location / {
      if ($http_authorization != "Bearer ${TOKEN}") { return 401; }
      try_files $uri =404;
    }
  }`;
  stopNginx = await runNginx(join(root, 'nginx'), http, async () => (await fetch(`${url}/platform.pub`, { headers: { Authorization: `Bearer ${TOKEN}` } })).ok);
}, 60_000);

afterAll(async () => {
  stopNginx?.();
  // (undefined when nginx is missing outside CI: the suite is skipped)
  await (pub as Publication | undefined)?.close();
  rmSync(root, { recursive: true, force: true });
});

describe.skipIf(!NGINX && !process.env.CI)('sync against nginx', () => {
  it('refuses without the token, syncs full then delta, resumes with Range, and reports uploads unsupported', async () => {
    expect((await fetch(`${url}/manifest.json`)).status).toBe(401);
    const keys = new Map<string, Buffer>();
    const local = new LocalSnapshots(join(root, 'ws'));
    const creds = pub.credentials(url, TOKEN, keys);
    expect(await syncOnce({ clock: systemClock, credentials: creds, local })).toMatchObject({ result: 'installed', via: 'full', snapshotId: 'N-06' });

    await pub.publish(evolve(a, join(root, 'built'), 'N-07', '2024-07-31'));
    // Half a delta already on disk: nginx must continue it with a Range request.
    const delta = readManifest(pub.pubDir)!.body.deltas.at(-1)!;
    const bytes = readFileSync(join(pub.pubDir, delta.path));
    writeFileSync(join(local.downloadsDir, `${delta.sha256}.bin.part`), bytes.subarray(0, bytes.length >> 1));
    const second = await syncOnce({ clock: systemClock, credentials: creds, local, audit: memoryTrail(1) });
    expect(second).toMatchObject({ result: 'installed', via: 'delta', snapshotId: 'N-07' });
    expect(second.bytesDownloaded).toBe(bytes.length - (bytes.length >> 1));
    expect(second.uploads).toEqual([{ kind: 'audit-head', status: 'unsupported' }]);
    expect(local.current()?.snapshotId).toBe('N-07');
  });
});
