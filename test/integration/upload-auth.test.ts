/**
 * Every upload to the platform must come from an enrolled, approved device and carry that device's MAC over the body:
 * the bearer token alone is not enough (issue: forged case events reached every workstation). Each upload kind is tried
 * with every shape of deviceId and every MAC; only the authenticated combination is accepted — 400 for a malformed body,
 * 401 for a missing or wrong MAC — and nothing refused reaches the platform's storage or the case feed.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatformServer, type PlatformServer } from '../../src-main/data-platform/serve.js';
import { caseEventMessage, exportClosingMessage, exportOpeningMessage } from '../../src-main/domain/authorship.js';
import type { CaseEvent } from '../../src-main/domain/cases/case-workflow.js';
import { deviceIdOf, generateDeviceKeyPair, type DeviceKeyPair } from '../../src-main/platform/device-keys.js';
import { DEVICE_MAC_HEADER, uploadMac, uploadMacKey } from '../../src-main/platform/upload-auth.js';
import { memoryTrail } from '../helpers/audit-trail.js';
import { DISTRICT_JURISDICTION, makePublication, type Publication } from '../helpers/platform-fixture.js';
import { enrolDevice, requestEnrolment } from '../../src-main/data-platform/enrolment.js';
import { rawStatus, UNDECODABLE_PATHS } from '../helpers/raw-http.js';
import { testSigner } from '../helpers/signers.js';
import { isoTime, systemClock } from '../../src-main/platform/clock.js';

const TOKEN = 'upload-auth-token';
let root: string;
let server: PlatformServer;
let pub: Publication;
let other: DeviceKeyPair; // a second enrolled device
let unapproved: DeviceKeyPair; // asked to be enrolled, not approved
let stranger: DeviceKeyPair; // never asked
const member = testSigner('acct-1', '审计一', 'auditor');

/** The whole case feed as the platform stores it (every jurisdiction). */
const feed = () => pub.exchange.caseFeed(['320111', '320116'], 0, 100_000);
const idOf = (d: DeviceKeyPair) => deviceIdOf(d.publicKeyDer);
const macBy = (d: DeviceKeyPair, body: string) => uploadMac(uploadMacKey(d.privateKeyDer, pub.state.uploadAuthKeyPair().publicKeyDer, idOf(d)), body);

async function post(kind: string, body: string, mac: string | null): Promise<number> {
  const res = await fetch(`${server.url}/upload/${kind}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', ...(mac === null ? {} : { [DEVICE_MAC_HEADER]: mac }) },
    body,
  });
  await res.arrayBuffer();
  return res.status;
}

/** A body of each kind that the platform takes when it comes from `deviceId` with that device's MAC. */
function validBody(kind: string, deviceId: unknown, n: number): Record<string, unknown> {
  const at = new Date(Date.UTC(2024, 6, 1, 0, 0, n)).toISOString();
  switch (kind) {
    case 'member-key':
      return { deviceId, cards: [{ card: member.card, proof: member.proof }] };
    case 'case-events': {
      const e = { eventId: randomUUID(), fingerprint: 'ab'.repeat(16), actorId: member.card.accountId, actorName: member.card.name, actorRole: 'auditor', at, parent: null, body: { kind: 'note', text: `n${n}` } };
      return { deviceId, events: [{ ...e, signature: member.sign(caseEventMessage(e as CaseEvent)) }] };
    }
    case 'export-register': {
      const exportId = randomUUID();
      const entry = { exportId, createdAt: at, userId: member.card.accountId, username: 'a1', displayName: member.card.name, kind: 'findings', format: 'xlsx', purpose: '核查', recipient: null, query: {}, scope: ['320111'], columns: [], masking: {}, tag: randomBytes(5).toString('hex'), auditHead: null, approvalId: null };
      const closing = { rowCount: 0, fileName: 'x.xlsx', fileSha256: '0'.repeat(64) };
      return {
        deviceId,
        entry: { ...entry, ...closing, status: 'complete', openingSignature: member.sign(exportOpeningMessage(entry)), closingSignature: member.sign(exportClosingMessage({ exportId, ...closing })) },
        part: 0,
        marks: [],
      };
    }
    case 'audit-head': {
      const trail = memoryTrail(2, Buffer.alloc(32, 7));
      const head = trail.head()!;
      return { deviceId, seq: head.seq, hash: head.hash, at, entries: trail.entries };
    }
    default:
      return { deviceId, note: 'outbox item' };
  }
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'aw-upload-auth-'));
  pub = await makePublication(root);
  other = generateDeviceKeyPair();
  await enrolDevice(pub.exchange, other.publicKeyDer, 'other device', DISTRICT_JURISDICTION, isoTime(systemClock));
  unapproved = generateDeviceKeyPair();
  await requestEnrolment(pub.exchange, unapproved.publicKeyDer, 'waiting', DISTRICT_JURISDICTION, isoTime(systemClock));
  stranger = generateDeviceKeyPair();
  server = await startPlatformServer({ pubDir: pub.pubDir, state: pub.state, exchange: pub.exchange, tokens: [TOKEN] });
  // The member's card is certified first (through the enrolled device), so case events and export entries can be checked.
  const body = JSON.stringify(validBody('member-key', idOf(pub.device), 0));
  expect(await post('member-key', body, macBy(pub.device, body))).toBe(201);
});
afterAll(async () => {
  await server.close();
  await pub.close();
  rmSync(root, { recursive: true, force: true });
});

const KINDS = ['audit-head', 'outbox', 'case-events', 'export-register', 'member-key'];

describe('upload authentication', () => {
  it('accepts only the enrolled device that signs its own upload, for every kind × deviceId × MAC', async () => {
    const self = () => pub.device;
    // Who the body names, and (where it has one) the device whose key goes with that id.
    const ids: { name: string; id: unknown; holder: DeviceKeyPair | null; malformed: boolean }[] = [
      { name: 'missing', id: undefined, holder: null, malformed: true },
      { name: 'number', id: 12345, holder: null, malformed: true },
      { name: 'array', id: [idOf(self())], holder: null, malformed: true },
      { name: 'object', id: { id: idOf(self()) }, holder: null, malformed: true },
      { name: 'empty string', id: '', holder: null, malformed: true },
      { name: 'unknown', id: idOf(stranger), holder: stranger, malformed: false },
      { name: 'unapproved', id: idOf(unapproved), holder: unapproved, malformed: false },
      { name: 'another device', id: idOf(other), holder: other, malformed: false },
      { name: 'own', id: idOf(self()), holder: self(), malformed: false },
    ];
    const macs: { name: string; mac: (body: string, holder: DeviceKeyPair | null) => string | null }[] = [
      { name: 'missing', mac: () => null },
      { name: 'wrong', mac: () => randomBytes(32).toString('base64') },
      // The MAC of a device other than the one named (the attacker's own device, naming someone else's).
      { name: "another device's", mac: (body, holder) => macBy(holder === self() ? other : self(), body) },
      { name: "the named device's", mac: (body, holder) => (holder ? macBy(holder, body) : macBy(self(), body)) },
    ];
    const feedBefore = await feed();
    const refusedBefore = (await pub.exchange.refusals()).length;
    const results: string[] = [];
    let n = 1;
    for (const kind of KINDS) {
      for (const who of ids) {
        for (const m of macs) {
          const fields = validBody(kind, who.id, n++);
          if (who.id === undefined) delete fields.deviceId;
          const body = JSON.stringify(fields);
          const status = await post(kind, body, m.mac(body, who.holder));
          // Authentic: an enrolled, approved device (this one or another) whose own MAC covers the body.
          const authentic = (who.name === 'own' || who.name === 'another device') && m.name === "the named device's";
          const expected = who.malformed ? 400 : authentic ? 201 : 401;
          if (status !== expected) results.push(`${kind} · deviceId ${who.name} · MAC ${m.name}: ${status}, expected ${expected}`);
        }
      }
    }
    expect(results).toEqual([]);
    // Only the authentic case events reached the feed (two: one from each enrolled device).
    const added = (await feed()).slice(feedBefore.length);
    expect(added).toHaveLength(2);
    // Every refusal is logged: 5 kinds × (5 malformed ids × 4 MACs + 4 well-formed ids × 4 MACs − 2 authentic).
    const refused = (await pub.exchange.refusals()).slice(refusedBefore);
    expect(refused).toHaveLength(5 * (5 * 4 + 4 * 4 - 2));
  });

  it('refuses a case event its author did not sign, even from an authenticated device, and stores nothing of it', async () => {
    const stored = (await pub.exchange.uploads('case-events')).length;
    const feedBefore = await feed();
    const genuine = validBody('case-events', idOf(pub.device), 900);
    const [event] = genuine.events as Record<string, unknown>[];
    const forgeries = [
      { ...event, signature: undefined }, // unsigned
      { ...event, actorRole: 'supervisor' }, // the signature no longer covers it
      { ...event, actorId: 'someone-else' }, // nobody the roster knows
      { ...event, body: { kind: 'transition', to: 'dismissed' } },
      null,
    ];
    for (const forged of forgeries) {
      const body = JSON.stringify({ deviceId: idOf(pub.device), events: [forged] });
      expect(await post('case-events', body, macBy(pub.device, body)), JSON.stringify(forged)).toBe(400);
    }
    expect(await pub.exchange.uploads('case-events')).toHaveLength(stored);
    expect(await feed()).toEqual(feedBefore);
  });

  it('answers malformed requests with 400, not 500', async () => {
    for (const kind of KINDS) {
      for (const body of ['null', '[]', '"text"', '42', '{"deviceId":', '']) {
        expect(await post(kind, body, null), `${kind} ${body}`).toBe(400);
      }
    }
    for (const path of UNDECODABLE_PATHS) expect(await rawStatus(server.port, path, { Authorization: `Bearer ${TOKEN}` }), path).toBe(400);
  });
});
