/**
 * The same publication folder served by an ordinary static server: a real nginx on loopback (installed by .ci/run),
 * with the bearer token checked in its config and Range requests handled natively. Sync must work against it exactly
 * as against `platform serve`; uploads are not something a static server takes, so they are reported unsupported.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifest } from '../../src-main/data-platform/publish.js';
import { LocalSnapshots } from '../../src-main/store/snapshot/local-snapshots.js';
import { syncOnce } from '../../src-main/services/sync/sync-engine.js';
import { memoryTrail } from '../helpers/audit-trail.js';
import { evolve, makePublication, makeSnapshot, type BuiltSnapshot, type Publication } from '../helpers/platform-fixture.js';
import { systemClock } from '../../src-main/platform/clock.js';

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => spawnSync(p, ['-v']).status === 0);
const root = mkdtempSync(join(tmpdir(), 'aw-nginx-'));
const TOKEN = 'nginx-token-xyz';
let nginx: ChildProcess | null = null;
let url = '';
let pub: Publication;
let a: BuiltSnapshot;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  if (!NGINX) {
    if (process.env.CI) throw new Error('nginx is required in CI (.ci/run installs it)');
    return;
  }
  pub = await makePublication(root);
  a = makeSnapshot(join(root, 'built'), 'N-06');
  await pub.publish(a);
  const port = await freePort();
  const prefix = join(root, 'nginx');
  mkdirSync(join(prefix, 'logs'), { recursive: true });
  const conf = join(prefix, 'nginx.conf');
  writeFileSync(
    conf,
    `${process.getuid?.() === 0 ? 'user root;' : ''}
worker_processes 1;
daemon off;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${prefix}/body; proxy_temp_path ${prefix}/proxy; fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi; scgi_temp_path ${prefix}/scgi;
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:${port};
    root ${pub.pubDir};
    location / {
      if ($http_authorization != "Bearer ${TOKEN}") { return 401; }
      try_files $uri =404;
    }
  }
}
`,
  );
  nginx = spawn(NGINX, ['-p', prefix, '-c', conf], { stdio: 'ignore' });
  url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 50; i++) {
    try {
      const r = await fetch(`${url}/platform.pub`, { headers: { Authorization: `Bearer ${TOKEN}` } });
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nginx did not start: ${readFileSync(join(prefix, 'logs', 'error.log'), 'utf8')}`);
}, 60_000);

afterAll(async () => {
  nginx?.kill('SIGTERM');
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
