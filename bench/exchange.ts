/**
 * `BENCH_ONLY=exchange npm run bench`: many workstations against the exchange service on PostgreSQL, concurrently.
 *
 * BENCH_DEVICES (default 200) simulated devices in 4 jurisdictions, spread over 2 service nodes (in this process, each
 * with its own connection pool, on one throwaway PostgreSQL cluster): each announces its member, then for BENCH_ROUNDS
 * (default 3) rounds uploads 10 signed case events, 20 audit entries and an export register part, and reads its feed.
 * Records p50/p99 per call and the throughput, and checks that nothing is lost or doubled: every device's feed equals
 * the events uploaded within its jurisdiction, each once. Both ends share the machine's cores (the simulated
 * workstations sign, MAC and verify too): the figures are a floor for a server of its own.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { enrolDevice } from '../src-main/data-platform/enrolment.js';
import { PlatformState } from '../src-main/data-platform/publish.js';
import { startPlatformServer, type PlatformServer } from '../src-main/data-platform/serve.js';
import { caseEventMessage, exportOpeningMessage } from '../src-main/domain/authorship.js';
import type { CaseEvent } from '../src-main/domain/cases/case-workflow.js';
import { isoTime, systemClock } from '../src-main/platform/clock.js';
import { deviceIdOf, generateDeviceKeyPair } from '../src-main/platform/device-keys.js';
import { DEVICE_ID_HEADER, DEVICE_MAC_HEADER, DEVICE_TOKEN_HEADER, deviceToken, uploadMac, uploadMacKey } from '../src-main/platform/upload-auth.js';
import { ExchangeStore } from '../src-main/store/exchange/exchange-store.js';
import { memoryTrail } from '../test/helpers/audit-trail.js';
import { startPostgresCluster } from '../test/helpers/postgres-cluster.js';
import { testSigner } from '../test/helpers/signers.js';

const DEVICES = Number(process.env.BENCH_DEVICES ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const EVENTS_PER_UPLOAD = 10;
const ENTRIES_PER_UPLOAD = 20;
const JURISDICTIONS = [['320111'], ['320116'], ['320102'], ['320104']];
const TOKEN = 'bench-exchange';

const cluster = await startPostgresCluster();
if (!cluster) throw new Error('PostgreSQL is not installed (apt-get install postgresql)');
const dir = mkdtempSync(join(tmpdir(), 'aw-bench-exchange-'));
const latencies = new Map<string, number[]>();
const timed = async <T>(kind: string, call: () => Promise<T>): Promise<T> => {
  const t0 = performance.now();
  const result = await call();
  latencies.set(kind, [...(latencies.get(kind) ?? []), performance.now() - t0]);
  return result;
};
const percentile = (xs: number[], p: number) => xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

try {
  const url = await cluster.createDatabase();
  const state = new PlatformState(join(dir, 'state'));
  state.init();
  // Two nodes, each with its own pool, as two processes would have.
  const stores = [await ExchangeStore.open({ url }), await ExchangeStore.open({ url })];
  const nodes: PlatformServer[] = [];
  for (const exchange of stores) nodes.push(await startPlatformServer({ pubDir: join(dir, 'pub'), state, exchange, tokens: [TOKEN] }));

  // The workstations: keys, a member each, their audit trails sealed beforehand (sealing is the workstation's cost).
  const devices = await Promise.all(
    Array.from({ length: DEVICES }, async (_, i) => {
      const keys = generateDeviceKeyPair();
      const id = deviceIdOf(keys.publicKeyDer);
      const jurisdiction = JURISDICTIONS[i % JURISDICTIONS.length]!;
      await enrolDevice(stores[0]!, keys.publicKeyDer, `ws ${i}`, jurisdiction, isoTime(systemClock));
      const macKey = uploadMacKey(keys.privateKeyDer, state.uploadAuthKeyPair().publicKeyDer, id);
      return { i, id, jurisdiction, macKey, member: testSigner(`acct-${i}`, `审计${i}`, 'auditor'), trail: memoryTrail(ROUNDS * ENTRIES_PER_UPLOAD), sent: [] as string[] };
    }),
  );
  type Device = (typeof devices)[number];
  const node = (d: Device, n: number) => nodes[(d.i + n) % nodes.length]!.url;
  const post = async (d: Device, n: number, kind: string, fields: object) => {
    const body = JSON.stringify({ deviceId: d.id, ...fields });
    const res = await timed(kind, () =>
      fetch(`${node(d, n)}/upload/${kind}`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', [DEVICE_MAC_HEADER]: uploadMac(d.macKey, body) }, body }),
    );
    await res.arrayBuffer();
    if (res.status !== 201) throw new Error(`${kind} from device ${d.i}: ${res.status}`);
  };
  const feed = async (d: Device, n: number): Promise<string[]> => {
    const ids: string[] = [];
    for (let after = 0; ; ) {
      const res = await timed('GET case-events', () => fetch(`${node(d, n)}/case-events?after=${after}`, { headers: { Authorization: `Bearer ${TOKEN}`, [DEVICE_ID_HEADER]: d.id, [DEVICE_TOKEN_HEADER]: deviceToken(d.macKey) } }));
      const page = (await res.json()) as { events: { event: { eventId: string } }[]; next: number };
      if (page.events.length === 0) return ids;
      ids.push(...page.events.map((e) => e.event.eventId));
      after = page.next;
    }
  };

  const started = performance.now();
  await Promise.all(
    devices.map(async (d) => {
      await post(d, 0, 'member-key', { cards: [{ card: d.member.card, proof: d.member.proof }] });
      for (let round = 0; round < ROUNDS; round++) {
        const events = Array.from({ length: EVENTS_PER_UPLOAD }, (_, k) => {
          const e = { eventId: randomUUID(), fingerprint: `${d.i}-${round}-${k}`.padEnd(16, '0'), actorId: d.member.card.accountId, actorName: d.member.card.name, actorRole: 'auditor', at: isoTime(systemClock), parent: null, body: { kind: 'note', text: `r${round}` } };
          return { ...e, signature: d.member.sign(caseEventMessage(e as CaseEvent)) };
        });
        await post(d, round, 'case-events', { events });
        d.sent.push(...events.map((e) => e.eventId));
        const entries = d.trail.entries.slice(round * ENTRIES_PER_UPLOAD, (round + 1) * ENTRIES_PER_UPLOAD);
        await post(d, round + 1, 'audit-head', { seq: entries.at(-1)!.seq, hash: entries.at(-1)!.hash, entries });
        const entry = { exportId: randomUUID(), createdAt: isoTime(systemClock), userId: d.member.card.accountId, username: `u${d.i}`, displayName: d.member.card.name, kind: 'findings', format: 'xlsx', purpose: '核查', recipient: null, query: {}, scope: d.jurisdiction, columns: [], masking: {}, tag: 'abcdef0123', auditHead: null, approvalId: null, status: 'writing' };
        await post(d, round, 'export-register', { entry: { ...entry, openingSignature: d.member.sign(exportOpeningMessage(entry)) }, part: 0, marks: Array.from({ length: 100 }, (_, k) => ({ rowMark: `M${d.i}-${round}-${k}` })) });
        await feed(d, round);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;

  // Nothing lost or doubled: each device's whole feed is exactly what its jurisdiction uploaded, once.
  let checked = 0;
  for (const d of devices) {
    const got = await feed(d, 1);
    const want = devices.filter((o) => o.jurisdiction.join() === d.jurisdiction.join()).flatMap((o) => o.sent);
    if (new Set(got).size !== got.length) throw new Error(`device ${d.i}: an event twice in its feed`);
    if (got.length !== want.length || !want.every((id) => got.includes(id))) throw new Error(`device ${d.i}: feed differs from its jurisdiction's uploads`);
    checked++;
  }
  const heads = await Promise.all(devices.map((d) => stores[0]!.head(d.id)));
  if (!heads.every((h) => h?.seq === ROUNDS * ENTRIES_PER_UPLOAD)) throw new Error('an audit head is not where its device left it');

  const calls = [...latencies.values()].reduce((n, xs) => n + xs.length, 0);
  const result = {
    benchmark: 'exchange',
    at: isoTime(systemClock),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
    setup: { devices: DEVICES, jurisdictions: JURISDICTIONS.length, rounds: ROUNDS, nodes: nodes.length, database: 'PostgreSQL 15 (throwaway cluster, fsync off)', sameMachine: true },
    seconds: Number(seconds.toFixed(1)),
    callsPerSecond: Math.round(calls / seconds),
    caseEventsPerSecond: Math.round((DEVICES * ROUNDS * EVENTS_PER_UPLOAD) / seconds),
    latencyMs: Object.fromEntries([...latencies].map(([kind, xs]) => [kind, { calls: xs.length, p50: Math.round(percentile(xs, 50)), p99: Math.round(percentile(xs, 99)) }])),
    check: { devicesWhoseFeedEqualsTheirJurisdiction: checked, lost: 0, doubled: 0 },
  };
  for (const s of nodes) await s.close();
  for (const s of stores) await s.close();
  mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(join(import.meta.dirname, 'results', 'exchange.json'), JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify(result, null, 2));
} finally {
  cluster.stop();
  rmSync(dir, { recursive: true, force: true });
}
