/**
 * Simulated workstations against the exchange service as deployed: over TLS (the throwaway CA pinned) and HTTP/2 to
 * nginx, which serves the publication's files and passes the rest to `platform serve` node processes on PostgreSQL.
 * Shared by the load bench (bench/exchange.ts) and the fault test (exchange-faults.test.ts), so that both run the same
 * client and the same end-of-run checks.
 *
 * Each workstation, on its own HTTP/2 connection: asks to enrol and waits for the operator (who approves every request
 * for the workstation's jurisdiction, as `platform enrol --approve` would), syncs (the signed manifest, its wrapped
 * snapshot key, unwrapped with its device key, and the snapshot file checked against the manifest's SHA-256), announces
 * its member, then for `rounds` rounds uploads signed case events, audit entries up to a new head and an export
 * register part with row marks, and reads its jurisdiction's feed. Like the real workstation it retries what was not
 * acknowledged (a refused connection, 502/503/504 from nginx while a node or the database is away, a timeout): the
 * uploads are idempotent, so a retry of something that did land changes nothing.
 *
 * The end-of-run checks are what the issue asks: every workstation's feed equals the events uploaded within its
 * jurisdiction, each once; every audit head is where its workstation left it and the platform's copy of each chain
 * verifies from the first entry; every register part is there once with all its marks.
 */
import { createHash, randomUUID } from 'node:crypto';
import { connect, type ClientHttp2Session } from 'node:http2';
import { approveDevice } from '../../src-main/data-platform/enrolment.js';
import type { PlatformState } from '../../src-main/data-platform/publish.js';
import { parseAuditEntry, verifyExtension } from '../../src-main/domain/audit-chain.js';
import { caseEventMessage, exportOpeningMessage } from '../../src-main/domain/authorship.js';
import type { CaseEvent } from '../../src-main/domain/cases/case-workflow.js';
import type { SignedManifest } from '../../src-main/domain/manifest.js';
import { isoTime, systemClock } from '../../src-main/platform/clock.js';
import { deviceIdOf, generateDeviceKeyPair, unwrapForDevice } from '../../src-main/platform/device-keys.js';
import { DEVICE_ID_HEADER, DEVICE_MAC_HEADER, DEVICE_TOKEN_HEADER, deviceToken, uploadMac, uploadMacKey } from '../../src-main/platform/upload-auth.js';
import type { ExchangeStore } from '../../src-main/store/exchange/exchange-store.js';
import { memoryTrail } from './audit-trail.js';
import { testSigner } from './signers.js';

export interface LoadOptions {
  /** nginx's TLS address and the CA the workstations pin. */
  url: string;
  ca: Buffer;
  token: string;
  /** The operator's side: the exchange database, the platform's keys and the publication (to approve requests). */
  exchange: ExchangeStore;
  state: PlatformState;
  pubDir: string;
  devices: number;
  rounds: number;
  jurisdictions: string[][];
  eventsPerUpload?: number;
  entriesPerUpload?: number;
  marksPerPart?: number;
  /** Faults: `act` runs (not awaited by the workstations) once `afterCalls` requests have been answered (not "try again"). */
  faults?: { afterCalls: number; act: () => unknown }[];
  /** The whole run fails past this (a workstation retrying forever is a failure, not a slow run). */
  deadlineMs?: number;
}

export interface LoadResult {
  seconds: number;
  /** When the last workstation was told "enrolled" (the operator approves as requests come). */
  allEnrolledAfterSeconds: number;
  /** Calls answered, not counting the enrolment polls (a workstation asks every 500 ms until approved). */
  calls: number;
  callsPerSecond: number;
  caseEventsPerSecond: number;
  /** Per kind of call: answered calls and their latency (the attempt that succeeded), and the retries it took. */
  latencyMs: Record<string, { calls: number; p50: number; p99: number; retries: number }>;
  check: { devicesWhoseFeedEqualsTheirJurisdiction: number; eventsUploaded: number; lost: number; doubled: number; headsVerified: number; registerParts: number };
}

const RETRY = new Set([502, 503, 504]);
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runExchangeLoad(o: LoadOptions): Promise<LoadResult> {
  const EVENTS = o.eventsPerUpload ?? 10;
  const ENTRIES = o.entriesPerUpload ?? 20;
  const MARKS = o.marksPerPart ?? 100;
  const deadline = performance.now() + (o.deadlineMs ?? 600_000);
  const latencies = new Map<string, number[]>();
  const retries = new Map<string, number>();
  let answered = 0;
  const faults = [...(o.faults ?? [])].sort((a, b) => a.afterCalls - b.afterCalls);
  const faultRuns: Promise<unknown>[] = [];
  const onAnswer = () => {
    answered++;
    while (faults.length > 0 && faults[0]!.afterCalls <= answered) faultRuns.push(Promise.resolve(faults.shift()!.act()));
  };

  const devices = Array.from({ length: o.devices }, (_, i) => {
    const keys = generateDeviceKeyPair();
    const id = deviceIdOf(keys.publicKeyDer);
    return {
      i,
      id,
      keys,
      jurisdiction: o.jurisdictions[i % o.jurisdictions.length]!,
      macKey: uploadMacKey(keys.privateKeyDer, o.state.uploadAuthKeyPair().publicKeyDer, id),
      member: testSigner(`acct-${i}`, `审计${i}`, 'auditor'),
      trail: memoryTrail(o.rounds * ENTRIES),
      sent: [] as string[],
      session: null as ClientHttp2Session | null,
    };
  });
  type Device = (typeof devices)[number];
  const wanted = new Map(devices.map((d) => [d.id, d]));

  /** One request on the device's HTTP/2 connection (opened again if nginx or the network dropped it). */
  const once = (d: Device, method: string, path: string, headers: Record<string, string>, body?: string) =>
    new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
      if (!d.session || d.session.closed || d.session.destroyed) {
        d.session = connect(o.url, { ca: o.ca });
        d.session.on('error', () => undefined); // surfaces on the request below
      }
      const req = d.session.request({ ':method': method, ':path': path, authorization: `Bearer ${o.token}`, ...headers }, { endStream: body === undefined });
      const chunks: Buffer[] = [];
      let status = 0;
      req.setTimeout(30_000, () => req.close());
      req.on('response', (h) => (status = Number(h[':status'])));
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => (status ? resolve({ status, body: Buffer.concat(chunks) }) : reject(new Error(`${path}: no answer`))));
      req.on('error', reject);
      req.on('close', () => status || reject(new Error(`${path}: stream closed`)));
      if (body !== undefined) req.end(body);
    });

  /** The workstation's retry loop: until an answer that is not "try again", within the deadline. */
  const call = async (d: Device, kind: string, method: string, path: string, headers: Record<string, string> = {}, body?: string) => {
    for (let attempt = 0; ; attempt++) {
      if (performance.now() > deadline) throw new Error(`deadline: ${kind} from workstation ${d.i} still failing after ${attempt} attempts`);
      if (attempt > 0) retries.set(kind, (retries.get(kind) ?? 0) + 1);
      const t0 = performance.now();
      try {
        const res = await once(d, method, path, headers, body);
        if (RETRY.has(res.status)) {
          await sleep(100 + 100 * Math.min(attempt, 10));
          continue;
        }
        onAnswer();
        const list = latencies.get(kind) ?? [];
        list.push(performance.now() - t0);
        latencies.set(kind, list);
        return res;
      } catch {
        d.session?.destroy();
        d.session = null;
        await sleep(100 + 100 * Math.min(attempt, 10));
      }
    }
  };
  const post = async (d: Device, kind: string, fields: object) => {
    const body = JSON.stringify({ deviceId: d.id, ...fields });
    const res = await call(d, kind, 'POST', `/upload/${kind}`, { 'content-type': 'application/json', [DEVICE_MAC_HEADER.toLowerCase()]: uploadMac(d.macKey, body) }, body);
    if (res.status !== 201) throw new Error(`${kind} from workstation ${d.i}: ${res.status} ${res.body.toString().slice(0, 200)}`);
  };
  const readHeaders = (d: Device) => ({ [DEVICE_ID_HEADER.toLowerCase()]: d.id, [DEVICE_TOKEN_HEADER.toLowerCase()]: deviceToken(d.macKey) });
  const feed = async (d: Device): Promise<string[]> => {
    const ids: string[] = [];
    for (let after = 0; ; ) {
      const res = await call(d, 'GET case-events', 'GET', `/case-events?after=${after}`, readHeaders(d));
      if (res.status !== 200) throw new Error(`feed of workstation ${d.i}: ${res.status}`);
      const page = JSON.parse(res.body.toString()) as { events: { event: { eventId: string } }[]; next: number };
      if (page.events.length === 0) return ids;
      ids.push(...page.events.map((e) => e.event.eventId));
      after = page.next;
    }
  };
  const getFile = async (d: Device, kind: string, path: string) => {
    const res = await call(d, kind, 'GET', `/${path}`);
    if (res.status !== 200) throw new Error(`${path} for workstation ${d.i}: ${res.status}`);
    return res.body;
  };

  // The operator, approving requests as they come, each for its workstation's jurisdiction.
  let enrolling = true;
  const operator = (async () => {
    while (enrolling) {
      try {
        // Sixteen at a time, as an operator approving a list of requests in one go (one by one, each wrapping and
        // syncing a key file, the 200 took ~40 s here and the run measured mostly enrolment polls).
        const pending = (await o.exchange.devices('pending')).filter((r) => wanted.has(r.deviceId));
        for (let i = 0; i < pending.length; i += 16) {
          await Promise.all(
            pending.slice(i, i + 16).map((r) => {
              const d = wanted.get(r.deviceId)!;
              return approveDevice(o.exchange, { deviceId: d.id, at: isoTime(systemClock), jurisdiction: d.jurisdiction, state: o.state, pubDir: o.pubDir });
            }),
          );
        }
      } catch {
        // the database is restarting: the operator tries again in a moment, like the workstations
      }
      await sleep(200);
    }
  })();

  const started = performance.now();
  let enrolled = 0;
  let allEnrolledAfter = 0;
  try {
    await Promise.all(
      devices.map(async (d) => {
        const request = JSON.stringify({ publicKey: d.keys.publicKeyDer.toString('base64'), label: `ws ${d.i}` });
        for (;;) {
          const res = await call(d, 'POST enrol', 'POST', '/enrol', { 'content-type': 'application/json' }, request);
          if (res.status === 201) break;
          if (res.status !== 202) throw new Error(`enrol of workstation ${d.i}: ${res.status}`);
          await sleep(500);
        }
        if (++enrolled === devices.length) {
          enrolling = false;
          allEnrolledAfter = (performance.now() - started) / 1000;
        }

        const manifest = JSON.parse((await getFile(d, 'GET manifest', 'manifest.json')).toString()) as SignedManifest;
        const wrapped = JSON.parse((await getFile(d, 'GET key', `${manifest.body.keysPath}/${manifest.body.snapshotId}/${d.id}.json`)).toString());
        if (!unwrapForDevice(d.keys, wrapped, manifest.body.snapshotId)) throw new Error(`workstation ${d.i}: its snapshot key does not unwrap`);
        const file = await getFile(d, 'GET snapshot', manifest.body.full.path);
        if (createHash('sha256').update(file).digest('hex') !== manifest.body.full.sha256) throw new Error(`workstation ${d.i}: snapshot differs from the manifest`);

        await post(d, 'member-key', { cards: [{ card: d.member.card, proof: d.member.proof }] });
        for (let round = 0; round < o.rounds; round++) {
          const events = Array.from({ length: EVENTS }, (_, k) => {
            const e = { eventId: randomUUID(), fingerprint: `${d.i}-${round}-${k}`.padEnd(16, '0'), actorId: d.member.card.accountId, actorName: d.member.card.name, actorRole: 'auditor', at: isoTime(systemClock), parent: null, body: { kind: 'note', text: `r${round}` } };
            return { ...e, signature: d.member.sign(caseEventMessage(e as CaseEvent)) };
          });
          await post(d, 'case-events', { events });
          d.sent.push(...events.map((e) => e.eventId));
          const entries = d.trail.entries.slice(round * ENTRIES, (round + 1) * ENTRIES);
          await post(d, 'audit-head', { seq: entries.at(-1)!.seq, hash: entries.at(-1)!.hash, entries });
          const entry = { exportId: `${d.i}-${round}-${randomUUID()}`, createdAt: isoTime(systemClock), userId: d.member.card.accountId, username: `u${d.i}`, displayName: d.member.card.name, kind: 'findings', format: 'xlsx', purpose: '核查', recipient: null, query: {}, scope: d.jurisdiction, columns: [], masking: {}, tag: 'abcdef0123', auditHead: null, approvalId: null, status: 'writing' };
          await post(d, 'export-register', { entry: { ...entry, openingSignature: d.member.sign(exportOpeningMessage(entry)) }, part: 0, marks: Array.from({ length: MARKS }, (_, k) => ({ rowMark: `M${d.i}-${round}-${k}` })) });
          await feed(d);
        }
      }),
    );
  } finally {
    enrolling = false;
    await operator;
    await Promise.allSettled(faultRuns);
  }
  const seconds = (performance.now() - started) / 1000;
  const calls = [...latencies].filter(([kind]) => kind !== 'POST enrol').reduce((n, [, xs]) => n + xs.length, 0);
  // The run's calls only: the checks below read the feeds again.
  const latencyMs = Object.fromEntries([...latencies].map(([kind, xs]) => [kind, { calls: xs.length, p50: Math.round(percentile(xs, 50)), p99: Math.round(percentile(xs, 99)), retries: retries.get(kind) ?? 0 }]));

  // Nothing lost or doubled: each workstation's whole feed is exactly what its jurisdiction uploaded, once.
  let equal = 0;
  let lost = 0;
  let doubled = 0;
  for (const d of devices) {
    const got = await feed(d);
    const want = new Set(devices.filter((x) => x.jurisdiction.join() === d.jurisdiction.join()).flatMap((x) => x.sent));
    const seen = new Set<string>();
    for (const id of got) {
      if (seen.has(id) || !want.has(id)) doubled++;
      else seen.add(id);
    }
    lost += [...want].filter((id) => !seen.has(id)).length;
    if (seen.size === want.size && got.length === want.size) equal++;
  }
  // Every anchor where its workstation left it, and the platform's copy of the chain verifying up to it.
  let verified = 0;
  for (const d of devices) {
    const head = await o.exchange.head(d.id);
    const held = (await o.exchange.auditEntries(d.id)).map((e) => parseAuditEntry(e)!);
    const last = d.trail.entries.at(-1)!;
    if (head?.seq === last.seq && head.hash === last.hash && verifyExtension(null, held).head?.hash === last.hash) verified++;
  }
  // Every register part once, with all its marks.
  const parts = await o.exchange.exportParts();
  const registerParts = new Set(parts.filter((p) => p.marks.length === MARKS).map((p) => `${p.entry.exportId}/${p.part}`)).size;
  if (registerParts !== parts.length || registerParts !== o.devices * o.rounds) throw new Error(`register: ${parts.length} parts stored, ${registerParts} distinct and whole, ${o.devices * o.rounds} sent`);

  return {
    seconds: Number(seconds.toFixed(1)),
    allEnrolledAfterSeconds: Number(allEnrolledAfter.toFixed(1)),
    calls,
    callsPerSecond: Math.round(calls / seconds),
    caseEventsPerSecond: Math.round((o.devices * o.rounds * EVENTS) / seconds),
    latencyMs,
    check: { devicesWhoseFeedEqualsTheirJurisdiction: equal, eventsUploaded: devices.reduce((n, d) => n + d.sent.length, 0), lost, doubled, headsVerified: verified, registerParts },
  };
}
