/**
 * Browser mode: the same renderer and the same calls over a loopback HTTP server.
 *
 * - Listens on 127.0.0.1 only, on a random port.
 * - The printed URL carries a one-time token. Its first use sets an HttpOnly, SameSite=Strict client cookie and
 *   burns the token; every later request needs the cookie. A second browser cannot reuse the URL.
 * - Cookies are not bound to a port, so another server on 127.0.0.1 could receive ours. Calls therefore also need a
 *   per-client secret header, which only our own page knows (it is written into the page's <meta>).
 * - Host and Origin must be this server (defeats DNS rebinding and cross-site requests).
 * - Strict CSP and no-store on everything; calls are POST /api/call with a JSON body of bounded size.
 * The bridge only transports: sessions, roles, scope and audit all happen in the dispatcher.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import type { Workstation } from '../../services/workstation.js';
import { CONTENT_SECURITY_POLICY } from '../csp.js';

/** A leaked file sent for tracing is the largest request (16 MiB, as base64). */
const MAX_BODY_BYTES = 24 * 1024 * 1024;
const COOKIE = 'aw_client';
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export interface HttpBridge {
  url: string;
  port: number;
  /** Issues another one-time URL (for tests that need a second browser). */
  issueUrl(): string;
  close(): Promise<void>;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieOf(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === COOKIE && v) return v;
  }
  return undefined;
}

export async function startHttpBridge(workstation: Workstation, rendererDir: string): Promise<HttpBridge> {
  const pendingTokens = new Set<string>();
  /** client id (cookie) → client secret (header) */
  const clients = new Map<string, string>();
  let port = 0;

  const newToken = () => {
    const token = randomBytes(24).toString('base64url');
    pendingTokens.add(token);
    return token;
  };

  const send = (res: ServerResponse, status: number, body: string | Buffer, type = 'text/plain; charset=utf-8', extra: Record<string, string> = {}) => {
    res.writeHead(status, {
      'Content-Type': type,
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Cache-Control': 'no-store',
      ...extra,
    });
    res.end(body);
  };

  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!allowedHosts().includes(req.headers.host ?? '')) return send(res, 421, 'wrong host');
    const origin = req.headers.origin;
    if (origin && !allowedHosts().some((h) => origin === `http://${h}`)) return send(res, 403, 'cross-origin request refused');
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    } catch {
      return send(res, 400, 'malformed request path');
    }

    // One-time token → client cookie.
    const token = url.searchParams.get('token');
    if (token !== null && req.method === 'GET') {
      const match = [...pendingTokens].find((t) => sameSecret(t, token));
      if (!match) return send(res, 403, 'this link has already been used or is not valid; start `npm run serve` again');
      pendingTokens.delete(match);
      const clientId = randomBytes(24).toString('base64url');
      clients.set(clientId, randomBytes(24).toString('base64url'));
      return send(res, 303, '', 'text/plain', {
        Location: '/',
        'Set-Cookie': `${COOKIE}=${clientId}; HttpOnly; SameSite=Strict; Path=/`,
      });
    }

    const clientId = cookieOf(req);
    if (!clientId || !clients.has(clientId)) return send(res, 401, 'open the one-time link printed by `npm run serve`');

    if (url.pathname === '/api/call') {
      if (req.method !== 'POST') return send(res, 405, 'POST only');
      const secret = req.headers['x-aw-client-secret'];
      if (typeof secret !== 'string' || !sameSecret(secret, clients.get(clientId)!)) return send(res, 403, 'missing client secret');
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 415, 'JSON only');
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of req) {
        size += (chunk as Buffer).length;
        if (size > MAX_BODY_BYTES) return send(res, 413, 'request too large');
        chunks.push(chunk as Buffer);
      }
      let body: { name?: unknown; input?: unknown };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
      } catch {
        return send(res, 400, 'malformed JSON');
      }
      if (!body || typeof body !== 'object' || Array.isArray(body)) return send(res, 400, 'a call is a JSON object { name, input }');
      const result = await workstation.dispatch(`http:${clientId}`, body.name, body.input);
      return send(res, 200, JSON.stringify(result), 'application/json');
    }

    if (req.method !== 'GET') return send(res, 405, 'GET only');
    let relative: string;
    try {
      relative = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
    } catch {
      return send(res, 400, 'malformed request path');
    }
    const file = normalize(join(rendererDir, relative));
    if (!file.startsWith(normalize(rendererDir) + sep)) return send(res, 403, 'outside the renderer');
    try {
      let body = await readFile(file);
      if (relative === 'index.html') {
        const meta = `<meta name="aw-client-secret" content="${clients.get(clientId)}" />`;
        body = Buffer.from(body.toString('utf8').replace('<head>', `<head>\n    ${meta}`), 'utf8');
      }
      return send(res, 200, body, MIME[extname(file)] ?? 'application/octet-stream');
    } catch {
      return send(res, 404, 'not found');
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'internal error');
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (!address || typeof address === 'string' || address.address !== '127.0.0.1') throw new Error('bridge must listen on 127.0.0.1');
  port = address.port;
  const base = `http://127.0.0.1:${port}`;
  return {
    url: `${base}/?token=${newToken()}`,
    port,
    issueUrl: () => `${base}/?token=${newToken()}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of clients.keys()) workstation.disconnect(`http:${c}`);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
