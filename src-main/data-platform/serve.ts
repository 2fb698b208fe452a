/**
 * `npm run platform -- serve`: the exchange service. One node of N: everything it keeps is in the exchange database
 * (store/exchange/: PGlite in a folder by default, PostgreSQL with --database), so nodes behind a load balancer share it
 * and a node can be killed at any time; nothing another node needs stays in this process's memory.
 *
 *   GET  /health               no token: answers 200 when the database answers (for the load balancer)
 *   GET/HEAD /<path>           static files, bearer-token auth, single Range requests (resumable downloads); nginx can
 *                              serve the same folder instead
 *   POST /enrol                { publicKey, label } → an enrolment request for the publication's jurisdiction, waiting
 *                              for the operator (`platform enrol --approve`); `autoApprove` for demos and tests
 *   POST /upload/<kind>        audit-head | outbox | case-events | export-register | member-key (exchange-uploads.ts).
 *                              Every upload names an enrolled, approved device and carries that device's MAC over the
 *                              body (X-Device-Mac, platform/upload-auth.ts): 400 for a malformed body, 401 for a missing
 *                              or wrong MAC or a revoked device, 403 outside the device's jurisdiction, 413 over 4 MiB,
 *                              429 over the device's requests per minute (all nodes together). Each upload is one
 *                              transaction, and a retry of it changes nothing. Every refusal is logged (table refusal).
 *   GET  /audit-head?device=ID the device's last anchored audit head, with its signed receipt
 *   GET  /case-events?after=N  the case events uploaded within the device's jurisdiction, after N (the team's feed);
 *                              `&limit=K` for at most K of them (a workstation checks one position with K=1)
 *   GET  /members              the roster: the member cards certified within the device's jurisdiction
 *
 * The three reads name the device asking (X-Device-Id) with its token (X-Device-Token, derived from the upload MAC key):
 * what a device receives depends on its jurisdiction, and a revoked device receives nothing.
 */
import { timingSafeEqual } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join, normalize, sep } from 'node:path';
import { isoTime, systemClock, type Clock } from '../platform/clock.js';
import { DEVICE_ID_HEADER, DEVICE_MAC_HEADER, verifyUploadMac } from '../platform/upload-auth.js';
import type { ExchangeStore } from '../store/exchange/exchange-store.js';
import { EXCHANGE_SCHEMA_VERSION } from '../store/exchange/exchange-migrations.js';
import { DEVICE_ID, deviceAccess, type Refusal } from './device-access.js';
import { approveDevice, publishedJurisdiction, requestEnrolment } from './enrolment.js';
import { acceptUpload, UPLOAD_KINDS, UploadRefused } from './exchange-uploads.js';
import type { PlatformState } from './publish.js';

const MAX_UPLOAD_BYTES = 4 * 1024 * 1024;
/** At most this many case events per answer of GET /case-events (the workstation asks again with the new cursor). */
const CASE_FEED_PAGE = 2000;

/** What the service logs of a request: when, what (the route, not the query), for which device, the outcome. */
export interface RequestLogLine {
  at: string;
  method: string;
  /** The path for the service's routes; "static" for published files. */
  route: string;
  status: number;
  ms: number;
  deviceId: string | null;
  /** For a request that failed inside the service: the error's class or code, never its message (it may quote input). */
  failure?: string;
}

const SERVICE_ROUTES = /^\/(health|enrol|case-events|members|audit-head|upload\/[a-z-]{1,32})$/;

export interface PlatformServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startPlatformServer(o: {
  pubDir: string;
  state: PlatformState;
  /** The exchange database (opened, migrated) — owned by the caller, who closes it after the server. */
  exchange: ExchangeStore;
  tokens: string[];
  port?: number;
  /**
   * The address to listen on: loopback by default (nginx on the same machine). A private address when nginx runs on
   * another machine — the traffic between them is plain HTTP, so only on a network the operator controls.
   */
  host?: string;
  /** Slows downloads to about this many bytes per second (tests that interrupt a download midway). */
  throttleBytesPerSecond?: number;
  /**
   * Enrol devices that ask over the network at once (demos and tests). By default a request waits for the operator
   * (`platform enrol --approve`), because the bearer token alone must not be enough to obtain a data key.
   */
  autoApprove?: boolean;
  /** Stamps receipts, enrolments and the upload logs; default: the system's. */
  clock?: Clock;
  /** Requests a device may make per minute, counted across all nodes (default 600; a sync makes a few dozen). */
  requestsPerMinute?: number;
  /** Receives one structured line per request (no bodies, no personal data); `platform serve` prints them as JSON. */
  log?: (line: RequestLogLine) => void;
}): Promise<PlatformServer> {
  const clock = o.clock ?? systemClock;
  const root = normalize(o.pubDir);
  const { exchange } = o;

  const authorized = (req: IncomingMessage) => {
    const header = req.headers.authorization ?? '';
    const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
    return o.tokens.some((t) => {
      const want = Buffer.from(t);
      return want.length === given.length && timingSafeEqual(want, given);
    });
  };

  const readBody = async (req: IncomingMessage): Promise<Buffer | null> => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_UPLOAD_BYTES) return null;
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  };

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify(body));
  };

  /** Answers a refusal and logs it (what was asked, by which device if it said, why; never the body). */
  const refuse = async (res: ServerResponse, r: Refusal) => {
    await exchange.logRefusal({ at: isoTime(clock), kind: r.kind, status: r.status, deviceId: r.deviceId ?? null, error: r.error.slice(0, 300) });
    json(res, r.status, { error: r.error });
  };

  const signingKey = o.state.signingKey();
  /** The device an upload names (read from its body), for the request log. */
  const deviceOfRequest = new WeakMap<IncomingMessage, string>();
  const { approvedDevice, withinRate, readingDevice } = deviceAccess({ exchange, state: o.state, clock, requestsPerMinute: o.requestsPerMinute ?? 600, refuse });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'GET' && req.url === '/health') {
      // For the load balancer: no token, no personal data; 503 when the database does not answer.
      try {
        await exchange.db.query('SELECT 1');
        return json(res, 200, { status: 'ok', engine: exchange.engine, schemaVersion: EXCHANGE_SCHEMA_VERSION });
      } catch {
        return json(res, 503, { status: 'database unavailable' });
      }
    }
    if (!authorized(req)) {
      res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="audit-platform"' });
      return void res.end('a valid bearer token is required');
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://platform');
    } catch {
      return json(res, 400, { error: 'malformed request path' });
    }

    if (req.method === 'POST' && url.pathname === '/enrol') {
      const body = await readBody(req);
      let request: { publicKey?: string; label?: string };
      try {
        request = JSON.parse(body?.toString('utf8') ?? '') as typeof request;
      } catch {
        return json(res, 400, { error: 'expected JSON { publicKey, label }' });
      }
      const publicKey = Buffer.from(request.publicKey ?? '', 'base64');
      if (publicKey.length !== 44) return json(res, 400, { error: 'publicKey must be a base64 X25519 SPKI key' });
      // The device works for the jurisdiction of what is published here (the operator may approve it for another).
      const pending = await requestEnrolment(exchange, publicKey, String(request.label ?? ''), publishedJurisdiction(o.pubDir), isoTime(clock));
      if (pending.status === 'approved') return json(res, 201, { deviceId: pending.deviceId, status: 'enrolled' });
      if (pending.status === 'revoked') return refuse(res, { kind: 'enrol', status: 403, deviceId: pending.deviceId, error: 'DEVICE_REVOKED: this device key was revoked; enrol with a new key' });
      // Nothing published yet means no jurisdiction to approve for: the request waits for the operator either way.
      if (!o.autoApprove || pending.jurisdiction.length === 0) return json(res, 202, { deviceId: pending.deviceId, status: 'pending' });
      await approveDevice(exchange, { deviceId: pending.deviceId, at: isoTime(clock), state: o.state, pubDir: o.pubDir });
      return json(res, 201, { deviceId: pending.deviceId, status: 'enrolled' });
    }

    const upload = /^\/upload\/([a-z-]+)$/.exec(url.pathname);
    if (req.method === 'POST' && upload) {
      const kind = upload[1]!;
      if (!UPLOAD_KINDS.has(kind)) return json(res, 404, { error: `unknown upload kind ${kind}` });
      const body = await readBody(req);
      if (!body) return refuse(res, { kind, status: 413, error: 'upload too large' });
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      } catch {
        return refuse(res, { kind, status: 400, error: 'uploads are JSON' });
      }
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return refuse(res, { kind, status: 400, error: 'an upload is a JSON object { deviceId, … }' });
      // Every upload comes from one enrolled, approved device and carries its MAC over the body (platform/upload-auth.ts):
      // the bearer token alone says only "someone of this platform".
      const deviceId = parsed.deviceId;
      if (typeof deviceId !== 'string' || !DEVICE_ID.test(deviceId)) return refuse(res, { kind, status: 400, error: 'deviceId (the id of an enrolled device, 32 hex digits) is required' });
      deviceOfRequest.set(req, deviceId);
      const found = await approvedDevice(deviceId);
      const mac = req.headers[DEVICE_MAC_HEADER];
      if (!('device' in found) || !verifyUploadMac(found.key, body, typeof mac === 'string' ? mac : undefined)) {
        return refuse(res, { kind, status: 401, deviceId, error: 'refusal' in found ? found.refusal : 'DEVICE_AUTH: this upload is not authenticated by an enrolled device it names' });
      }
      if (!(await withinRate(res, deviceId, kind))) return;
      const now = isoTime(clock);
      try {
        const accepted = await acceptUpload({ exchange, device: found.device, kind, parsed, body, now, signingKey: () => signingKey });
        return json(res, accepted.status, accepted.answer);
      } catch (error) {
        if (error instanceof UploadRefused) return refuse(res, { kind, status: error.status, deviceId, error: error.message });
        throw error;
      }
    }

    if (req.method === 'GET' && url.pathname === '/members') {
      const device = await readingDevice(req, res, 'members');
      return device ? json(res, 200, { members: await exchange.members(device.jurisdiction) }) : undefined;
    }

    if (req.method === 'GET' && url.pathname === '/audit-head') {
      const device = await readingDevice(req, res, 'audit-head');
      if (!device) return;
      if (url.searchParams.get('device') !== device.deviceId) return refuse(res, { kind: 'audit-head', status: 403, deviceId: device.deviceId, error: "a device reads its own audit head, not another's" });
      const last = await exchange.head(device.deviceId);
      return last ? json(res, 200, { signed: last.receipt }) : json(res, 404, { error: 'no head anchored for this device' });
    }

    if (req.method === 'GET' && url.pathname === '/case-events') {
      const device = await readingDevice(req, res, 'case-events');
      if (!device) return;
      const after = Math.max(0, Number(url.searchParams.get('after') ?? '0') || 0);
      // `limit` lets a workstation look at one position (is the event it read there still there?) without a whole page.
      const limit = Math.min(CASE_FEED_PAGE, Math.max(1, Math.floor(Number(url.searchParams.get('limit') ?? CASE_FEED_PAGE)) || CASE_FEED_PAGE));
      const page = await exchange.caseFeed(device.jurisdiction, after, limit);
      // The cursor is the last sequence number returned: numbers skip events of other jurisdictions (and rolled-back inserts).
      return json(res, 200, { events: page, next: page.at(-1)?.seq ?? after });
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: 'method not allowed' });
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return json(res, 400, { error: 'malformed request path' });
    }
    const file = normalize(join(root, path));
    if (!file.startsWith(root + sep)) return json(res, 403, { error: 'outside the publication' });
    let size: number;
    try {
      const st = statSync(file);
      if (!st.isFile()) throw new Error('not a file');
      size = st.size;
    } catch {
      return json(res, 404, { error: 'not found' });
    }
    const headers: Record<string, string | number> = { 'Accept-Ranges': 'bytes', 'Content-Type': 'application/octet-stream', 'Cache-Control': 'no-cache' };
    const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
    let start = 0;
    let end = size - 1;
    let status = 200;
    if (req.headers.range) {
      if (!range || (range[1] === '' && range[2] === '')) {
        res.writeHead(416, { 'Content-Range': `bytes */${size}` });
        return void res.end();
      }
      if (range[1] === '') {
        start = Math.max(0, size - Number(range[2]));
      } else {
        start = Number(range[1]);
        end = range[2] === '' ? size - 1 : Math.min(Number(range[2]), size - 1);
      }
      if (start >= size || start > end) {
        res.writeHead(416, { 'Content-Range': `bytes */${size}` });
        return void res.end();
      }
      status = 206;
      headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
    }
    headers['Content-Length'] = end - start + 1;
    res.writeHead(status, headers);
    if (req.method === 'HEAD' || size === 0) return void res.end();
    // Unthrottled, the file is read in 1 MiB blocks: with 16 KiB ones a gigabyte snapshot took 60,000 reads and as many
    // socket writes, and loopback downloads ran at a fraction of the disk's speed. Throttled (tests), small steps.
    if (!o.throttleBytesPerSecond) return void createReadStream(file, { start, end, highWaterMark: 1 << 20 }).pipe(res);
    const stream = createReadStream(file, { start, end, highWaterMark: 16 * 1024 });
    const pause = (16 * 1024 * 1000) / o.throttleBytesPerSecond;
    for await (const chunk of stream) {
      if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
      await new Promise((r) => setTimeout(r, pause));
    }
    res.end();
  }

  const server: Server = createServer((req, res) => {
    const started = performance.now();
    let failure: string | undefined;
    res.once('finish', () => {
      if (!o.log) return;
      const path = (req.url ?? '').split('?')[0]!;
      const id = req.headers[DEVICE_ID_HEADER];
      o.log({
        at: isoTime(clock),
        method: req.method ?? '?',
        route: SERVICE_ROUTES.test(path) ? path : 'static',
        status: res.statusCode,
        ms: Math.round(performance.now() - started),
        deviceId: deviceOfRequest.get(req) ?? (typeof id === 'string' && DEVICE_ID.test(id) ? id : null),
        ...(failure ? { failure } : {}),
      });
    });
    handle(req, res).catch((error: unknown) => {
      failure = (error as { code?: string } | null)?.code ?? (error as Error | null)?.name ?? 'unknown';
      // Most likely the database is unreachable (restarting): 503 tells the workstation to try again later; an upload
      // whose transaction did not commit left nothing behind.
      if (!res.headersSent) json(res, 503, { error: 'the exchange service cannot answer now; try again' });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, o.host ?? '127.0.0.1', resolve);
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return {
    url: `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
