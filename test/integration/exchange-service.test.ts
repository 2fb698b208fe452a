/**
 * The exchange service on its database (issue 18), the same suite on both engines: the embedded PGlite and a real
 * PostgreSQL (a throwaway cluster; skipped with a message outside CI when PostgreSQL is not installed).
 *
 *   - migrations run once; a database newer than the service is refused with a clear message
 *   - uploads are idempotent: the same body again changes nothing
 *   - two service nodes on one database answer the same (nothing kept in a node's memory)
 *   - jurisdiction: a device receives case events and the roster only of its jurisdiction, and its uploads outside it
 *     are refused and logged; a property test over random jurisdictions shows nothing crosses
 *   - a revoked device's uploads and reads are refused; a device over its requests per minute gets 429; /health answers
 *     without a token; every request is logged (route, status, device), never what it carried
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolDevice } from '../../src-main/data-platform/enrolment.js';
import { PlatformState } from '../../src-main/data-platform/publish.js';
import { startPlatformServer, type PlatformServer, type RequestLogLine } from '../../src-main/data-platform/serve.js';
import { caseEventMessage, exportOpeningMessage } from '../../src-main/domain/authorship.js';
import type { CaseEvent } from '../../src-main/domain/cases/case-workflow.js';
import { isoTime, systemClock } from '../../src-main/platform/clock.js';
import { deviceIdOf, generateDeviceKeyPair, type DeviceKeyPair } from '../../src-main/platform/device-keys.js';
import { DEVICE_ID_HEADER, DEVICE_MAC_HEADER, DEVICE_TOKEN_HEADER, deviceToken, uploadMac, uploadMacKey } from '../../src-main/platform/upload-auth.js';
import { EXCHANGE_SCHEMA_VERSION, ExchangeDatabaseTooNewError, migrateExchange } from '../../src-main/store/exchange/exchange-migrations.js';
import { ExchangeStore } from '../../src-main/store/exchange/exchange-store.js';
import { EXCHANGE_ENGINES, POSTGRES_SKIP_REASON, sharedPostgres } from '../helpers/exchange-db.js';
import { parseAuditEntry, verifyExtension } from '../../src-main/domain/audit-chain.js';
import { memoryTrail } from '../helpers/audit-trail.js';
import { testSigner } from '../helpers/signers.js';

const TOKEN = 'exchange-token';

describe.each(EXCHANGE_ENGINES)('the exchange service on $name', (engine) => {
  let root: string;
  let state: PlatformState;
  let exchange: ExchangeStore | null;
  let nodes: PlatformServer[] = [];
  let n = 0;
  const logged: RequestLogLine[] = [];

  /** A device enrolled for a jurisdiction, with a member of its own whose card the platform certified. */
  interface Device {
    keys: DeviceKeyPair;
    id: string;
    member: ReturnType<typeof testSigner>;
  }
  const macKey = (d: Device) => uploadMacKey(d.keys.privateKeyDer, state.uploadAuthKeyPair().publicKeyDer, d.id);
  const node = (i: number) => nodes[i % nodes.length]!;

  async function post(d: Device, kind: string, fields: Record<string, unknown>, via = 0): Promise<{ status: number; body: Record<string, unknown> }> {
    const body = JSON.stringify({ deviceId: d.id, ...fields });
    const res = await fetch(`${node(via).url}/upload/${kind}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', [DEVICE_MAC_HEADER]: uploadMac(macKey(d), body) },
      body,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  async function get(d: Device, path: string, via = 0): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${node(via).url}/${path}`, { headers: { Authorization: `Bearer ${TOKEN}`, [DEVICE_ID_HEADER]: d.id, [DEVICE_TOKEN_HEADER]: deviceToken(macKey(d)) } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  async function device(jurisdiction: string[]): Promise<Device> {
    const keys = generateDeviceKeyPair();
    const d = { keys, id: deviceIdOf(keys.publicKeyDer), member: testSigner(`acct-${++n}`, `审计${n}`, 'auditor') };
    await enrolDevice(exchange!, keys.publicKeyDer, `device ${n}`, jurisdiction, isoTime(systemClock));
    expect((await post(d, 'member-key', { cards: [{ card: d.member.card, proof: d.member.proof }] })).status).toBe(201);
    return d;
  }

  function caseEvent(d: Device, fingerprint = randomBytes(16).toString('hex')): CaseEvent {
    const e = { eventId: randomUUID(), fingerprint, actorId: d.member.card.accountId, actorName: d.member.card.name, actorRole: 'auditor', at: isoTime(systemClock), parent: null, body: { kind: 'note', text: `n${++n}` } };
    return { ...e, signature: d.member.sign(caseEventMessage(e as CaseEvent)) } as CaseEvent;
  }

  const feedOf = async (d: Device, via = 0) => ((await get(d, 'case-events?after=0', via)).body.events as { event: CaseEvent }[]).map((e) => e.event.eventId);

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), `aw-exchange-${engine.name}-`));
    state = new PlatformState(join(root, 'state'));
    state.init();
    exchange = await engine.open(root);
    if (!exchange) return;
    // Two nodes on one database, as behind a load balancer.
    for (let i = 0; i < 2; i++) nodes.push(await startPlatformServer({ pubDir: join(root, 'pub'), state, exchange, tokens: [TOKEN], log: (line) => void logged.push(line) }));
  });
  afterAll(async () => {
    for (const s of nodes) await s.close();
    nodes = [];
    await exchange?.close();
    rmSync(root, { recursive: true, force: true });
  });

  const available = () => {
    if (!exchange) console.warn(POSTGRES_SKIP_REASON);
    return !!exchange;
  };

  it('migrates once: a node starting on a migrated database applies nothing', async (ctx) => {
    if (!available()) return ctx.skip();
    expect(await exchange!.db.query('SELECT version FROM exchange_schema')).toEqual([{ version: EXCHANGE_SCHEMA_VERSION }]);
    expect(await migrateExchange(exchange!.db)).toEqual([]);
  });

  it('keeps an upload once however often it is retried, through either node', async (ctx) => {
    if (!available()) return ctx.skip();
    const a = await device(['320111']);
    const events = [caseEvent(a), caseEvent(a)];
    for (const via of [0, 1, 0]) expect((await post(a, 'case-events', { events }, via)).status).toBe(201);
    expect(await feedOf(a, 1)).toEqual(events.map((e) => e.eventId));
    expect((await exchange!.uploads('case-events')).filter((u) => u.deviceId === a.id)).toHaveLength(1);

    const trail = memoryTrail(3);
    const head = { seq: 3, hash: trail.entries[2]!.hash, entries: trail.entries };
    const first = await post(a, 'audit-head', head, 0);
    const again = await post(a, 'audit-head', head, 1);
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body.signed).toEqual(first.body.signed);
    expect(await exchange!.auditEntries(a.id)).toHaveLength(3);

    const exportId = randomUUID();
    const entry = { exportId, createdAt: isoTime(systemClock), userId: a.member.card.accountId, username: 'a', displayName: a.member.card.name, kind: 'findings', format: 'xlsx', purpose: '核查', recipient: null, query: {}, scope: ['320111002'], columns: [], masking: {}, tag: 'abcdef0123', auditHead: null, approvalId: null, status: 'writing' };
    const signed = { ...entry, openingSignature: a.member.sign(exportOpeningMessage(entry)) };
    for (const via of [0, 1]) expect((await post(a, 'export-register', { entry: signed, part: 0, marks: [{ rowMark: 'M1' }] }, via)).status).toBe(201);
    expect((await exchange!.exportParts()).filter((p) => p.entry.exportId === exportId)).toHaveLength(1);
  });

  it('gives each device the feed and roster of its jurisdiction only, and refuses and logs uploads outside it', async (ctx) => {
    if (!available()) return ctx.skip();
    const pukou = await device(['320111']);
    const luhe = await device(['320116']);
    const district = await device(['320111', '320116']);
    const fromPukou = caseEvent(pukou);
    const fromLuhe = caseEvent(luhe);
    expect((await post(pukou, 'case-events', { events: [fromPukou] })).status).toBe(201);
    expect((await post(luhe, 'case-events', { events: [fromLuhe] }, 1)).status).toBe(201);
    expect(await feedOf(luhe)).not.toContain(fromPukou.eventId);
    expect(await feedOf(pukou, 1)).not.toContain(fromLuhe.eventId);
    expect(await feedOf(district)).toEqual(expect.arrayContaining([fromPukou.eventId, fromLuhe.eventId]));
    const roster = async (d: Device) => ((await get(d, 'members')).body.members as { card: { accountId: string } }[]).map((m) => m.card.accountId);
    expect(await roster(luhe)).not.toContain(pukou.member.card.accountId);
    expect(await roster(district)).toEqual(expect.arrayContaining([pukou.member.card.accountId, luhe.member.card.accountId]));
    // 浦口's member also works on a 六合 workstation: once announced from there, 六合's devices receive the card too.
    expect((await post(luhe, 'member-key', { cards: [{ card: pukou.member.card, proof: pukou.member.proof }] })).status).toBe(201);
    expect(await roster(luhe)).toContain(pukou.member.card.accountId);

    // 六合's device writing into a 浦口 case, and exporting 浦口's streets: refused (403), logged, nothing kept.
    const refusedBefore = (await exchange!.refusals()).length;
    const intrusion = caseEvent(luhe, fromPukou.fingerprint);
    expect((await post(luhe, 'case-events', { events: [intrusion] })).status).toBe(403);
    const entry = { exportId: randomUUID(), createdAt: isoTime(systemClock), userId: luhe.member.card.accountId, username: 'l', displayName: luhe.member.card.name, kind: 'findings', format: 'xlsx', purpose: '核查', recipient: null, query: {}, scope: ['320111'], columns: [], masking: {}, tag: 'abcdef0123', auditHead: null, approvalId: null, status: 'writing' };
    expect((await post(luhe, 'export-register', { entry: { ...entry, openingSignature: luhe.member.sign(exportOpeningMessage(entry)) }, part: 0, marks: [] })).status).toBe(403);
    const refusals = (await exchange!.refusals()).slice(refusedBefore);
    expect(refusals.map((r) => [r.kind, r.status, r.deviceId])).toEqual([
      ['case-events', 403, luhe.id],
      ['export-register', 403, luhe.id],
    ]);
    expect(refusals.every((r) => r.error.startsWith('OUT_OF_JURISDICTION'))).toBe(true);
    expect(await feedOf(district)).not.toContain(intrusion.eventId);
    // The district's device decides on 浦口's case: the event travels under the case's jurisdiction, so 浦口 sees it.
    const decision = caseEvent(district, fromPukou.fingerprint);
    expect((await post(district, 'case-events', { events: [decision] })).status).toBe(201);
    expect(await feedOf(pukou)).toContain(decision.eventId);
    expect(await feedOf(luhe)).not.toContain(decision.eventId);
    // A device reads its own audit head, not another's.
    expect((await get(luhe, `audit-head?device=${pukou.id}`)).status).toBe(403);
    // No device is approved for an empty jurisdiction (which lies within every other): the database itself refuses it.
    const keys = generateDeviceKeyPair();
    const nowhere = { deviceId: deviceIdOf(keys.publicKeyDer), publicKey: keys.publicKeyDer.toString('base64'), label: 'x', jurisdiction: [], at: isoTime(systemClock) };
    await expect(exchange!.enrol(nowhere)).rejects.toThrow(/device_approved_has_jurisdiction/);
    await exchange!.requestEnrolment(nowhere);
    await expect(exchange!.approve(nowhere.deviceId, isoTime(systemClock))).rejects.toThrow(/device_approved_has_jurisdiction/);
  });

  it('property: whatever the jurisdictions, no device receives an event uploaded outside its own', async (ctx) => {
    if (!available()) return ctx.skip();
    const codes = ['320111', '320116', '320102', '320104'];
    const jurisdiction = fc.uniqueArray(fc.constantFrom(...codes), { minLength: 1, maxLength: 3 });
    await fc.assert(
      fc.asyncProperty(fc.array(jurisdiction, { minLength: 2, maxLength: 4 }), fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), async (jurisdictions, uploaders) => {
        const devices = await Promise.all(jurisdictions.map((j) => device(j)));
        const sent = new Map<string, string[]>(); // event id → its uploader's jurisdiction
        for (const u of uploaders) {
          const i = u % devices.length;
          const e = caseEvent(devices[i]!);
          expect((await post(devices[i]!, 'case-events', { events: [e] }, u)).status).toBe(201);
          sent.set(e.eventId, jurisdictions[i]!);
        }
        for (const [i, d] of devices.entries()) {
          const mine = new Set(jurisdictions[i]);
          const received = (await feedOf(d, i)).filter((id) => sent.has(id));
          // Everything received was uploaded within it; everything uploaded within it was received.
          for (const id of received) expect(sent.get(id)!.every((c) => mine.has(c))).toBe(true);
          expect(received.sort()).toEqual([...sent].filter(([, j]) => j.every((c) => mine.has(c))).map(([id]) => id).sort());
        }
      }),
      { numRuns: 15 },
    );
  });

  it('goes on after PostgreSQL restarts mid-run: retried uploads land once, the anchor still verifies', async (ctx) => {
    if (!available() || engine.name !== 'postgresql') return ctx.skip(); // the embedded engine lives and dies with the process
    const d = await device(['320111']);
    const trail = memoryTrail(5);
    const events = [caseEvent(d), caseEvent(d)];
    expect((await post(d, 'case-events', { events: [events[0]] })).status).toBe(201);
    expect((await post(d, 'audit-head', { seq: 3, hash: trail.entries[2]!.hash, entries: trail.entries.slice(0, 3) })).status).toBe(201);
    (await sharedPostgres())!.restart();
    // The workstation retries what was not acknowledged (503 while the pool reconnects), including what had landed.
    const retried = async (kind: string, fields: Record<string, unknown>) => {
      for (let i = 0; i < 20; i++) {
        const { status } = await post(d, kind, fields, i);
        if (status !== 503) return status;
        await new Promise((r) => setTimeout(r, 100));
      }
      return 503;
    };
    expect(await retried('case-events', { events })).toBe(201);
    expect(await retried('audit-head', { seq: 5, hash: trail.entries[4]!.hash, entries: trail.entries.slice(3) })).toBe(201);
    expect((await feedOf(d)).filter((id) => events.some((e) => e.eventId === id))).toEqual(events.map((e) => e.eventId));
    // The platform's copy of the chain verifies from the start to the anchored head.
    const held = (await exchange!.auditEntries(d.id)).map((e) => parseAuditEntry(e)!);
    expect(verifyExtension(null, held).head).toMatchObject({ seq: 5, hash: trail.entries[4]!.hash });
    expect(await exchange!.head(d.id)).toMatchObject({ seq: 5 });
  });

  it("limits each device's requests per minute across nodes, logging the first refusal of the minute", async (ctx) => {
    if (!available()) return ctx.skip();
    const d = await device(['320111']);
    // A third node with a small limit and a stopped clock (one minute throughout), on the same database.
    const strict = await startPlatformServer({ pubDir: join(root, 'pub'), state, exchange: exchange!, tokens: [TOKEN], requestsPerMinute: 3, clock: { now: () => Date.UTC(2030, 0, 1) } });
    nodes.push(strict);
    const via = nodes.length - 1;
    const before = (await exchange!.refusals()).length;
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await get(d, 'case-events?after=0', via)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect((await post(d, 'case-events', { events: [caseEvent(d)] }, via)).status).toBe(429);
    const refusals = (await exchange!.refusals()).slice(before);
    expect(refusals.map((r) => [r.status, r.deviceId])).toEqual([[429, d.id]]);
    // Another device has its own count.
    expect((await get(await device(['320111']), 'case-events?after=0', via)).status).toBe(200);
    nodes.pop();
    await strict.close();
  });

  it('refuses a revoked device everything, logged; answers /health without a token', async (ctx) => {
    if (!available()) return ctx.skip();
    const d = await device(['320111']);
    expect((await get(d, 'case-events?after=0')).status).toBe(200);
    await exchange!.revoke(d.id, isoTime(systemClock));
    const before = (await exchange!.refusals()).length;
    expect((await post(d, 'case-events', { events: [caseEvent(d)] })).status).toBe(401);
    expect((await get(d, 'case-events?after=0', 1)).status).toBe(401);
    const refusals = (await exchange!.refusals()).slice(before);
    expect(refusals.map((r) => [r.status, r.error.split(':')[0]])).toEqual([
      [401, 'DEVICE_REVOKED'],
      [401, 'DEVICE_REVOKED'],
    ]);
    // Every request is in the log with its route, status and device, and nothing of what was sent.
    expect(logged.filter((l) => l.deviceId === d.id).map((l) => [l.method, l.route, l.status])).toEqual([
      ['POST', '/upload/member-key', 201],
      ['GET', '/case-events', 200],
      ['POST', '/upload/case-events', 401],
      ['GET', '/case-events', 401],
    ]);
    expect(JSON.stringify(logged)).not.toMatch(/审计|note|after=/);
    const health = await fetch(`${node(1).url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', engine: engine.name, schemaVersion: EXCHANGE_SCHEMA_VERSION });
  });
});

describe('exchange migrations', () => {
  it('refuse a database newer than the service, with a message saying what to do', async (ctx) => {
    const root = mkdtempSync(join(tmpdir(), 'aw-exchange-newer-'));
    try {
      const store = await EXCHANGE_ENGINES[0]!.open(root);
      if (!store) return ctx.skip();
      expect(await store.db.query('SELECT version FROM exchange_schema')).toEqual([{ version: EXCHANGE_SCHEMA_VERSION }]);
      await store.db.query('UPDATE exchange_schema SET version = $1', [EXCHANGE_SCHEMA_VERSION + 1]);
      await store.close();
      const reopening = ExchangeStore.open({ dataDir: join(root, 'exchange-db') });
      await expect(reopening).rejects.toThrow(ExchangeDatabaseTooNewError);
      await expect(reopening).rejects.toThrow(`schema version ${EXCHANGE_SCHEMA_VERSION + 1}, newer than this service knows (${EXCHANGE_SCHEMA_VERSION})`);
      await expect(reopening).rejects.toThrow(/same version of the service on every node/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
