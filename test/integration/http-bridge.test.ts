/** Browser mode's transport: loopback only, one-time token, cookie-bound client, same calls as IPC. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpBridge, type HttpBridge } from '../../src-main/shells/http/http-bridge.js';
import { rawStatus, UNDECODABLE_PATHS } from '../helpers/raw-http.js';
import { ADMIN, makeBench, type TestBench } from '../helpers/workstation.js';

/** Opens a one-time link like a browser: the cookie, then the page with this window's secret in it. */
async function enter(url: string): Promise<{ cookie: string; secret: string }> {
  const r = await fetch(url, { redirect: 'manual' });
  expect(r.status).toBe(303);
  const cookie = r.headers.get('set-cookie')!.split(';')[0]!;
  const page = await (await fetch(new URL('/', url), { headers: { Cookie: cookie } })).text();
  const secret = /name="aw-client-secret" content="([\w-]+)"/.exec(page)![1]!;
  return { cookie, secret };
}

describe('HTTP bridge', () => {
  let b: TestBench;
  let bridge: HttpBridge;
  afterEach(async () => {
    await bridge.close();
    b.cleanup();
  });

  async function start() {
    b = makeBench();
    const rendererDir = join(b.dir, 'renderer');
    mkdirSync(rendererDir);
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><html><head><title>t</title></head><body></body></html>');
    bridge = await startHttpBridge(b.ws, rendererDir);
    return `http://127.0.0.1:${bridge.port}`;
  }

  const post = (base: string, client: { cookie: string; secret: string } | null, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}/api/call`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(client ? { Cookie: client.cookie, 'X-AW-Client-Secret': client.secret } : {}),
        ...headers,
      },
      body: JSON.stringify(body),
    });

  it('listens on 127.0.0.1 and burns the one-time token on first use', async () => {
    const base = await start();
    expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
    const { cookie } = await enter(bridge.url);
    expect(cookie).toMatch(/^aw_client=/);
    expect((await fetch(bridge.url, { redirect: 'manual' })).status).toBe(403);
    const page = await fetch(`${base}/`, { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses requests without the client cookie, from another host or origin, and path escapes', async () => {
    const base = await start();
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect((await post(base, null, { name: 'system.status', input: {} })).status).toBe(401);
    const client = await enter(bridge.url);
    const { cookie } = client;
    expect((await post(base, client, { name: 'system.status', input: {} }, { Origin: 'http://evil.example' })).status).toBe(403);
    // Another local server that received our cookie does not know the page's secret.
    expect((await post(base, { cookie, secret: 'guess' }, { name: 'system.status', input: {} })).status).toBe(403);
    expect((await post(base, client, { name: 'system.status', input: {} })).status).toBe(200);
    // DNS rebinding: the browser would send the attacker's host name.
    const rebound = await new Promise<number>((resolve, reject) =>
      request({ host: '127.0.0.1', port: bridge.port, path: '/', headers: { Cookie: cookie, Host: `evil.example:${bridge.port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      })
        .on('error', reject)
        .end(),
    );
    expect(rebound).toBe(421);
    expect((await fetch(`${base}/..%2f..%2fregistry.db`, { headers: { Cookie: cookie } })).status).toBe(403);
  });

  it('answers malformed requests with 400, not 500', async () => {
    const base = await start();
    const client = await enter(bridge.url);
    for (const body of [null, [1, 2], 'system.status', 42]) expect((await post(base, client, body)).status, JSON.stringify(body)).toBe(400);
    for (const path of UNDECODABLE_PATHS) expect(await rawStatus(bridge.port, path, { Cookie: client.cookie }), path).toBe(400);
    // And the bridge still answers.
    expect((await post(base, client, { name: 'system.status', input: {} })).status).toBe(200);
  });

  it('carries calls to the dispatcher, one session per browser', async () => {
    const base = await start();
    const first = await enter(bridge.url);
    const second = await enter(bridge.issueUrl());
    const setup = await (await post(base, first, { name: 'auth.setupAdmin', input: ADMIN })).json();
    expect(setup).toMatchObject({ ok: true, value: { username: 'admin', role: 'admin' } });
    expect(await (await post(base, first, { name: 'session.current', input: {} })).json()).toMatchObject({ ok: true, value: { username: 'admin' } });
    expect(await (await post(base, second, { name: 'session.current', input: {} })).json()).toEqual({ ok: true, value: null });
    expect(await (await post(base, second, { name: 'users.list', input: {} })).json()).toMatchObject({ ok: false, error: { code: 'NO_SESSION' } });
  });
});
