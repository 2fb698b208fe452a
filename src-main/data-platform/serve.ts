/**
 * `npm run platform -- serve`: serves a publication folder on loopback to enrolled workstations.
 *
 *   GET/HEAD /<path>           static files, bearer-token auth, single Range requests (resumable downloads)
 *   POST /enrol                { publicKey, label } → enrols a device and wraps the current snapshot key for it
 *   POST /upload/<kind>        audit-head | outbox | case-events | export-register | member-key: stored append-only (a new
 *                              file per upload, never overwritten). Every upload names an enrolled, approved device and
 *                              carries that device's MAC over the body (X-Device-Mac, platform/upload-auth.ts): 400 for a
 *                              malformed body, 401 for a missing or wrong MAC, each refusal logged (uploads/refused.log).
 *                              Member cards are certified into the roster (member-roster.ts); case events and export
 *                              register entries must be signed by their author, a member the roster holds
 *                              An audit head comes with the entries since the device's last anchored head, and is
 *                              anchored only if they extend it under its signing keys (domain/audit-chain.ts)
 *   GET  /audit-head?device=ID the last audit chain head anchored for a device, with its signed receipt
 *   GET  /case-events?after=N  the case events every workstation uploaded, in arrival order after N (the team's feed)
 *   GET  /members              the roster: every member card the platform certified
 *
 * Any static server can serve the same folder for downloads (CI uses nginx); only enrolment and uploads need this one.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, openSync, closeSync, writeSync, statSync, appendFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join, normalize, sep } from 'node:path';
import { parseAuditEntry, verifyExtension, type AnchoredHead, type AuditEntry } from '../domain/audit-chain.js';
import { canonicalReceipt, type SignedAuditReceipt } from '../domain/audit-receipt.js';
import { isoTime, systemClock, type Clock } from '../platform/clock.js';
import { signBytes } from '../platform/signing.js';
import type { CaseEvent } from '../domain/cases/case-workflow.js';
import { caseEventRefusal, exportEntryRefusal } from '../platform/authorship-check.js';
import { DEVICE_MAC_HEADER, uploadMacKey, verifyUploadMac } from '../platform/upload-auth.js';
import { MAX_CARDS_PER_UPLOAD, MemberRoster } from './member-roster.js';
import { wrapCurrentKeyFor, type PlatformState } from './publish.js';

const MAX_UPLOAD_BYTES = 4 * 1024 * 1024;
/** Audit entries per head upload (the workstation sends a long stretch in several uploads). */
const MAX_AUDIT_ENTRIES = 2000;
const UPLOAD_KINDS = new Set(['audit-head', 'outbox', 'case-events', 'export-register', 'member-key']);
const DEVICE_ID = /^[0-9a-f]{32}$/;
/** Case events per upload (the workstation sends 500 at a time). */
const MAX_CASE_EVENTS = 2000;
/** At most this many case events per answer of GET /case-events (the workstation asks again with the new cursor). */
const CASE_FEED_PAGE = 2000;

export interface PlatformServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startPlatformServer(o: {
  pubDir: string;
  state: PlatformState;
  tokens: string[];
  port?: number;
  /** Slows downloads to about this many bytes per second (tests that interrupt a download midway). */
  throttleBytesPerSecond?: number;
  /**
   * Enrol devices that ask over the network at once (demos and tests). By default a request waits for the operator
   * (`platform enrol --approve`), because the bearer token alone must not be enough to obtain a data key.
   */
  autoApprove?: boolean;
  /** Stamps receipts, enrolments and the upload logs; default: the system's. */
  clock?: Clock;
}): Promise<PlatformServer> {
  const clock = o.clock ?? systemClock;
  const root = normalize(o.pubDir);
  const uploads = join(o.state.dir, 'uploads');
  mkdirSync(uploads, { recursive: true, mode: 0o700 });

  // The case feed: every uploaded case event once (by event id), numbered in arrival order, appended to one file.
  const feedFile = join(uploads, 'case-events.feed');
  // A line cut short by a crash while appending is dropped (its upload was never acknowledged, so it is sent again).
  const feed: { seq: number; event: unknown }[] = [];
  const text = existsSync(feedFile) ? readFileSync(feedFile, 'utf8') : '';
  for (const line of text.split('\n')) {
    try {
      const entry = JSON.parse(line) as { seq: number; event: unknown };
      if (entry.seq === feed.length + 1) feed.push(entry);
    } catch {
      // not a whole line
    }
  }
  const whole = feed.map((f) => JSON.stringify(f) + '\n').join('');
  if (text !== whole) {
    // Rewrite without the broken tail (atomically), so that later lines are not glued to it.
    writeFileSync(`${feedFile}.tmp`, whole, { mode: 0o600 });
    renameSync(`${feedFile}.tmp`, feedFile);
  }
  const known = new Set(feed.map((f) => (f.event as { eventId?: string }).eventId));
  const appendToFeed = (events: unknown[]) => {
    const lines: string[] = [];
    for (const event of events) {
      const id = (event as { eventId?: unknown } | null)?.eventId;
      if (typeof id !== 'string' || id.length > 64 || known.has(id)) continue;
      known.add(id);
      const entry = { seq: feed.length + 1, event };
      feed.push(entry);
      lines.push(JSON.stringify(entry));
    }
    if (lines.length) appendFileSync(feedFile, lines.join('\n') + '\n', { mode: 0o600 });
  };

  // Audit heads: the last one each device reported, with the signed receipt it got and the key that must sign the
  // entry after it (append-only log, newest wins). The entries themselves are kept as uploaded, one file per upload.
  const headsFile = join(uploads, 'audit-heads.log');
  const heads = new Map<string, { receipt: SignedAuditReceipt; nextKey: string | null }>();
  if (existsSync(headsFile)) {
    for (const line of readFileSync(headsFile, 'utf8').split('\n')) {
      try {
        const { nextKey, ...receipt } = JSON.parse(line) as SignedAuditReceipt & { nextKey?: string | null };
        heads.set(receipt.body.deviceId, { receipt, nextKey: nextKey ?? null });
      } catch {
        // a line cut short by a crash was never acknowledged: the workstation sends its head again
      }
    }
  }
  /**
   * Anchors a head, given the entries since the last one: refused (with the last receipt) when it is behind or differs
   * at what this device reported before, or when the entries do not extend that head under its signing keys — a chain
   * rewritten on the laptop, however long, is not anchored.
   */
  const anchorHead = (deviceId: string, seq: number, hash: string, entries: AuditEntry[]): { status: 201 | 409; receipt: SignedAuditReceipt; error?: string } | { status: 400; error: string } => {
    const last = heads.get(deviceId);
    if (last && seq === last.receipt.body.seq && hash === last.receipt.body.hash) return { status: 201, receipt: last.receipt };
    if (last && seq <= last.receipt.body.seq) return { status: 409, receipt: last.receipt, error: 'ROLLED_BACK' };
    const from: AnchoredHead | null = last ? { ...last.receipt.body, nextKey: last.nextKey } : null;
    const extension = verifyExtension(from, entries);
    if (!extension.head) {
      const why = `NOT_AN_EXTENSION: entry ${extension.firstBreak.seq} does not continue the anchored chain (${extension.firstBreak.reason})`;
      return last ? { status: 409, receipt: last.receipt, error: why } : { status: 400, error: why };
    }
    if (extension.head.seq !== seq || extension.head.hash !== hash) return { status: 400, error: 'the entries end elsewhere than the head they come with' };
    const body = { deviceId, seq, hash, receivedAt: isoTime(clock) };
    const receipt = { body, signature: signBytes(o.state.signingKey(), canonicalReceipt(body)).toString('base64') };
    appendFileSync(headsFile, JSON.stringify({ ...receipt, nextKey: extension.head.nextKey }) + '\n', { mode: 0o600 });
    heads.set(deviceId, { receipt, nextKey: extension.head.nextKey });
    return { status: 201, receipt };
  };

  // Which signing key speaks for which member: every case event and export entry is checked against it.
  const roster = new MemberRoster(join(uploads, 'members.log'), () => o.state.signingKey());

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

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
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
      const label = String(request.label ?? '').slice(0, 100);
      const pending = o.state.requestEnrolment(publicKey, label, isoTime(clock));
      if (o.state.isEnrolled(pending.deviceId)) return json(res, 201, { deviceId: pending.deviceId, status: 'enrolled' });
      if (!o.autoApprove) return json(res, 202, { deviceId: pending.deviceId, status: 'pending' });
      wrapCurrentKeyFor(o.state, o.pubDir, o.state.approve(pending.deviceId, isoTime(clock)));
      return json(res, 201, { deviceId: pending.deviceId, status: 'enrolled' });
    }

    const upload = /^\/upload\/([a-z-]+)$/.exec(url.pathname);
    if (req.method === 'POST' && upload) {
      const kind = upload[1]!;
      if (!UPLOAD_KINDS.has(kind)) return json(res, 404, { error: `unknown upload kind ${kind}` });
      const body = await readBody(req);
      if (!body) return json(res, 413, { error: 'upload too large' });
      const refuse = (status: 400 | 401, error: string) => {
        appendFileSync(join(uploads, 'refused.log'), JSON.stringify({ at: isoTime(clock), kind, status, error: error.slice(0, 300) }) + '\n', { mode: 0o600 });
        return json(res, status, { error });
      };
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      } catch {
        return refuse(400, 'uploads are JSON');
      }
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return refuse(400, 'an upload is a JSON object { deviceId, … }');
      // Every upload comes from one enrolled, approved device and carries its MAC over the body (platform/upload-auth.ts):
      // the bearer token alone says only "someone of this platform".
      const deviceId = parsed.deviceId;
      if (typeof deviceId !== 'string' || !DEVICE_ID.test(deviceId)) return refuse(400, 'deviceId (the id of an enrolled device, 32 hex digits) is required');
      const devicePublic = o.state.devicePublicKey(deviceId);
      const mac = req.headers[DEVICE_MAC_HEADER];
      const key = devicePublic ? uploadMacKey(o.state.uploadAuthKeyPair().privateKeyDer, devicePublic, deviceId) : null;
      if (!key || !verifyUploadMac(key, body, typeof mac === 'string' ? mac : undefined)) {
        return refuse(401, 'DEVICE_AUTH: this upload is not authenticated by an enrolled device it names');
      }

      let answer: Record<string, unknown> = {};
      let status: 201 | 409 = 201;
      let caseEvents: unknown[] | null = null;
      if (kind === 'member-key') {
        const cards = parsed.cards;
        if (!Array.isArray(cards) || cards.length === 0 || cards.length > MAX_CARDS_PER_UPLOAD) return refuse(400, `expected JSON { deviceId, cards: [1…${MAX_CARDS_PER_UPLOAD} { card, proof }] }`);
        answer = roster.announce(deviceId, cards, isoTime(clock));
      }
      if (kind === 'case-events') {
        const events = parsed.events;
        if (!Array.isArray(events) || events.length > MAX_CASE_EVENTS) return refuse(400, `expected JSON { deviceId, events: [at most ${MAX_CASE_EVENTS}] }`);
        // Each event must be signed by its author, a member whose card the roster holds, with the name and role claimed.
        for (const [i, event] of events.entries()) {
          const e = event as CaseEvent | null;
          const why = !e || typeof e !== 'object' || typeof e.eventId !== 'string' || !e.body ? 'malformed' : caseEventRefusal(e, roster.signersOf(e.actorId));
          if (why) return refuse(400, `CASE_EVENT_REFUSED: event ${i} (${typeof e?.eventId === 'string' ? e.eventId.slice(0, 64) : '?'}): ${why}`);
        }
        caseEvents = events;
      }
      if (kind === 'audit-head') {
        const head = parsed as { seq?: unknown; hash?: unknown; entries?: unknown };
        const entries = Array.isArray(head.entries) && head.entries.length <= MAX_AUDIT_ENTRIES ? head.entries.map(parseAuditEntry) : null;
        if (!Number.isInteger(head.seq) || (head.seq as number) < 1 || typeof head.hash !== 'string' || !/^[0-9a-f]{64}$/.test(head.hash) || !entries || entries.includes(null)) {
          return refuse(400, `expected JSON { deviceId, seq, hash, entries: [the audit entries since the last anchored head, at most ${MAX_AUDIT_ENTRIES}] }`);
        }
        const result = anchorHead(deviceId, head.seq as number, head.hash, entries as AuditEntry[]);
        if (result.status === 400) return refuse(400, result.error);
        status = result.status;
        answer = { signed: result.receipt, ...(result.error ? { error: result.error } : {}) };
      }
      if (kind === 'export-register') {
        const entry = parsed.entry as Record<string, unknown> | null;
        if (!entry || typeof entry !== 'object' || typeof entry.exportId !== 'string' || !Array.isArray(parsed.marks)) {
          return refuse(400, 'expected JSON { deviceId, entry: { exportId, … }, part, marks: [...] }');
        }
        // The exporter signed who exported what and why, and the finished file: the register cannot be written in their name.
        const why = exportEntryRefusal(entry, roster.signersOf(entry.userId));
        if (why) return refuse(400, `EXPORT_ENTRY_REFUSED: ${entry.exportId.slice(0, 64)}: ${why}`);
      }

      const receipt = createHash('sha256').update(body).digest('hex');
      const dir = join(uploads, kind);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      // Append-only: a new file per upload ('wx' never overwrites), and a line in the kind's log.
      const at = isoTime(clock);
      const name = `${at.replace(/[:.]/g, '-')}-${receipt.slice(0, 16)}.json`;
      if (!existsSync(join(dir, name))) {
        const fd = openSync(join(dir, name), 'wx', 0o600);
        writeSync(fd, body);
        closeSync(fd);
      }
      appendFileSync(join(uploads, `${kind}.log`), JSON.stringify({ at, deviceId, receipt, file: name }) + '\n');
      if (caseEvents) appendToFeed(caseEvents);
      return json(res, status, { receipt, ...answer });
    }

    if (req.method === 'GET' && url.pathname === '/members') return json(res, 200, { members: roster.list() });

    if (req.method === 'GET' && url.pathname === '/audit-head') {
      const last = heads.get(url.searchParams.get('device') ?? '');
      return last ? json(res, 200, { signed: last.receipt }) : json(res, 404, { error: 'no head anchored for this device' });
    }

    if (req.method === 'GET' && url.pathname === '/case-events') {
      const after = Math.max(0, Number(url.searchParams.get('after') ?? '0') || 0);
      const page = feed.slice(after, after + CASE_FEED_PAGE);
      return json(res, 200, { events: page, next: after + page.length });
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
    const stream = createReadStream(file, { start, end, highWaterMark: 16 * 1024 });
    if (!o.throttleBytesPerSecond) return void stream.pipe(res);
    const pause = (16 * 1024 * 1000) / o.throttleBytesPerSecond;
    for await (const chunk of stream) {
      if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
      await new Promise((r) => setTimeout(r, pause));
    }
    res.end();
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) json(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
