/**
 * The platform's database is restored from an earlier copy (docs/deployment.md, Backups): it no longer holds case
 * events, warning events and export register parts it had acknowledged, and it hands the feed numbers of what it lost
 * to new uploads. Each workstation notices at its next sync — the event it read at its feed cursor is no longer there —
 * sends again everything it authored (the platform keeps each once, by id) and reads the feed again from its start.
 * Afterwards both workstations hold the same team feed, and nothing is doubled, here or at the platform.
 *
 * A real platform server on the embedded PGlite in a data folder: the folder is copied while the service is stopped,
 * work goes on, the service is stopped again, the copy is put back and the service started on the same address.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolDevice } from '../../src-main/data-platform/enrolment.js';
import { PlatformState } from '../../src-main/data-platform/publish.js';
import { startPlatformServer, type PlatformServer } from '../../src-main/data-platform/serve.js';
import { exportClosingMessage, exportOpeningMessage, type MemberRole } from '../../src-main/domain/authorship.js';
import { isoTime, systemClock } from '../../src-main/platform/clock.js';
import { deviceIdOf, generateDeviceKeyPair, type DeviceKeyPair } from '../../src-main/platform/device-keys.js';
import { PersonRefs } from '../../src-main/platform/person-refs.js';
import { withSubjects } from '../../src-main/services/checks/check-service.js';
import { runChecks } from '../../src-main/services/checks/rule-engine.js';
import type { MemberSigner } from '../../src-main/services/member-signing.js';
import { MonitoringService } from '../../src-main/services/monitoring/monitoring-service.js';
import type { SessionUser } from '../../src-main/services/sessions.js';
import { buildDemoSnapshot } from '../../src-main/services/snapshots.js';
import { teamCaseExchange } from '../../src-main/services/sync/case-exchange.js';
import { teamRegisterExchange } from '../../src-main/services/sync/register-exchange.js';
import { syncCaseEvents, syncExportRegister, type SyncCredentials } from '../../src-main/services/sync/sync-engine.js';
import { TriageService } from '../../src-main/services/triage/triage-service.js';
import type { ExchangeStore } from '../../src-main/store/exchange/exchange-store.js';
import type { RegistryDb } from '../../src-main/store/registry/registry-db.js';
import type { ExportEntry } from '../../src-main/store/team/export-register.js';
import { TeamDb } from '../../src-main/store/team/team-db.js';
import { approveDevice } from '../../src-main/data-platform/enrolment.js';
import { publishSnapshot } from '../../src-main/data-platform/publish.js';
import { openPgliteFolder } from '../helpers/exchange-db.js';
import { DISTRICT_JURISDICTION, makeSnapshot } from '../helpers/platform-fixture.js';
import { syncAndWait } from '../helpers/served-platform.js';
import { testSigner } from '../helpers/signers.js';
import { makeBench, waitForRun, withStaff, type TestBench } from '../helpers/workstation.js';

const TOKEN = 'restore-token-1';
const SCOPE = ['320111'];
let root: string;
let bench: TestBench | undefined;
let state: PlatformState;
let exchange: ExchangeStore;
let server: PlatformServer;
let port = 0;
let clock = Date.UTC(2024, 6, 1, 8);

interface Workstation {
  team: TeamDb;
  device: DeviceKeyPair;
  auditor: SessionUser;
}
let a: Workstation;
let b: Workstation;
let fingerprints: string[] = [];

const user = (id: string, role: 'auditor' | 'supervisor'): SessionUser => ({ id, username: id, displayName: id, role, scope: SCOPE });
const signers = new Map<string, MemberSigner>();
const signerOf = (who: SessionUser) => signers.get(who.id) ?? signers.set(who.id, testSigner(who.id, who.displayName, who.role as MemberRole)).get(who.id)!;
const registry = {
  findById: (id: string) => ({ id, displayName: id, role: id.startsWith('sup') ? 'supervisor' : 'auditor', status: 'active', scope: SCOPE }),
  listAccounts: () => [],
} as unknown as RegistryDb;
const tick = { now: () => (clock += 1000) };
const triage = new TriageService({ registry, refs: new PersonRefs(), clock: tick });
const monitoring = new MonitoringService({ registry, refs: new PersonRefs(), clock: tick });

function credentials(device: DeviceKeyPair): SyncCredentials {
  return {
    url: server.url,
    token: TOKEN,
    platformPublicKey: state.publicKey(),
    jurisdiction: DISTRICT_JURISDICTION,
    device,
    deviceId: deviceIdOf(device.publicKeyDer),
    snapshotKey: () => undefined,
    saveSnapshotKey: () => undefined,
    highestSequence: () => 0,
    recordSequence: () => undefined,
    uploadAuthKey: state.uploadAuthKeyPair().publicKeyDer,
  };
}

/** One sync's exchange part, as syncOnce runs it: the case exchange, then the export register. */
async function sync(w: Workstation) {
  const c = credentials(w.device);
  const cases = await syncCaseEvents(c, teamCaseExchange(w.team, server.url, systemClock));
  const exports = await syncExportRegister(c, teamRegisterExchange(w.team, systemClock));
  return { cases, exports };
}

/** A note on the case of the n-th finding (each note is one signed case event). */
function note(w: Workstation, n: number, text: string): void {
  const fingerprint = fingerprints[n]!;
  const caseKey = w.team.inbox.row(SCOPE, fingerprint)!.caseKey;
  triage.act(w.team, w.auditor, signerOf(w.auditor), fingerprint, w.team.cases.view(caseKey).head, { kind: 'note', text });
}

/** A settled export in the register, signed by its exporter. */
function exportOf(w: Workstation, rows: number): string {
  const signer = signerOf(w.auditor);
  const exportId = randomUUID();
  const entry: ExportEntry = {
    exportId,
    createdAt: new Date(clock).toISOString(),
    userId: w.auditor.id,
    username: w.auditor.username,
    displayName: w.auditor.displayName,
    kind: 'findings',
    format: 'xlsx',
    purpose: '季度核查',
    recipient: null,
    query: { filter: {} },
    scope: SCOPE,
    columns: ['线索编号'],
    masking: {},
    tag: randomBytes(5).toString('hex'),
    auditHead: null,
    approvalId: null,
  };
  w.team.exports.begin(entry, signer.sign(exportOpeningMessage(entry)));
  w.team.exports.addRows(exportId, Array.from({ length: rows }, (_, i) => ({ rowMark: `${exportId.slice(0, 4).toUpperCase()}${String(i).padStart(8, '0')}`, identity: randomBytes(8).toString('hex') })));
  const closing = { rowCount: rows, fileName: 'x.xlsx', fileSha256: '0'.repeat(64) };
  w.team.exports.complete(exportId, closing, signer.sign(exportClosingMessage({ exportId, ...closing })));
  return exportId;
}

/** Every event id a workstation holds: its cases' and its warnings'. */
function feedOf(w: Workstation): string[] {
  const cases = fingerprints.flatMap((fp) => w.team.cases.events(w.team.inbox.row(SCOPE, fp)!.caseKey).map((e) => e.eventId));
  const warnings = w.team.warnings.all(SCOPE, {}, '').flatMap((r) => w.team.warnings.events(r.warningId).map((e) => e.eventId));
  return [...new Set([...cases, ...warnings])].sort();
}

/** Stops the service, puts the data folder back as it was in `copy`, and starts it again on the same address. */
async function restoreFrom(copy: string): Promise<void> {
  await stopService();
  rmSync(dataDir(), { recursive: true, force: true });
  cpSync(copy, dataDir(), { recursive: true });
  await startService();
}

/** Copies the data folder while the service is stopped (the nightly copy). */
async function copyDatabase(copy: string): Promise<void> {
  await stopService();
  cpSync(dataDir(), copy, { recursive: true });
  await startService();
}

/** The platform's feed as every id in it, in feed order (duplicates would show). */
async function platformFeed(): Promise<string[]> {
  return (await exchange.caseFeed(DISTRICT_JURISDICTION, 0, 1_000_000)).map((r) => (r.event as { eventId: string }).eventId);
}

const dataDir = () => join(root, 'exchange-db');

async function startService(): Promise<void> {
  exchange = await openPgliteFolder(root);
  server = await startPlatformServer({ pubDir: join(root, 'pub'), state, exchange, tokens: [TOKEN], port });
  port = server.port;
}

async function stopService(): Promise<void> {
  await server.close();
  await exchange.close();
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'aw-restore-'));
  mkdirSync(join(root, 'pub'));
  state = new PlatformState(join(root, 'state'));
  state.init();
  await startService();
  const snapshot = buildDemoSnapshot(5, 3000);
  const run = await runChecks(snapshot, { clock: systemClock, scope: SCOPE });
  const findings = withSubjects(snapshot, run.findings);
  fingerprints = [...new Set(findings.map((f) => f.fingerprint))].slice(0, 8);
  const open = async (name: string, auditor: SessionUser): Promise<Workstation> => {
    const team = TeamDb.open(join(root, `${name}.db`), randomBytes(32), { create: true });
    team.findings.recordRun({ ...run, runBy: 'x' }, findings);
    team.cases.setPolicy({ approvalThresholdCents: 1e12 });
    for (const who of [auditor, user(`sup-${name}`, 'supervisor')]) team.signers.recordLocal(signerOf(who).card, signerOf(who).proof, new Date(clock).toISOString());
    const device = generateDeviceKeyPair();
    await enrolDevice(exchange, device.publicKeyDer, name, DISTRICT_JURISDICTION, isoTime(systemClock));
    await monitoring.run(team, snapshot, auditor, signerOf(auditor));
    return { team, device, auditor };
  };
  a = await open('a', user('aud-a', 'auditor'));
  b = await open('b', user('aud-b', 'auditor'));
  snapshot.close();
}, 180_000);

afterAll(async () => {
  bench?.cleanup();
  a?.team.close();
  b?.team.close();
  await stopService();
  rmSync(root, { recursive: true, force: true });
});

describe('after the platform is restored from an earlier copy', () => {
  it('each workstation sends again what it authored, and both end with the same feed, nothing doubled', async () => {
    // Before the copy: both exchange their warnings, a note each and an export of a's.
    note(a, 0, '入户前电话联系');
    note(b, 1, '待民政所回函');
    exportOf(a, 3);
    await sync(a);
    await sync(b);
    expect((await sync(a)).cases).toMatchObject({ status: 'done' });
    expect(feedOf(a)).toEqual(feedOf(b));

    // The nightly copy, taken while the service is stopped.
    await copyDatabase(join(root, 'copy'));

    // Work goes on and is acknowledged: notes on both, a warning assigned, another export.
    note(a, 2, '已调取殡葬记录');
    note(a, 3, '核实为同名');
    note(b, 4, '补充银行流水');
    const warning = a.team.warnings.all(SCOPE, {}, '')[0]!.warningId;
    monitoring.assign(a.team, user('sup-a', 'supervisor'), signerOf(user('sup-a', 'supervisor')), [warning], a.auditor.id, true, 'zh-CN');
    const later = exportOf(a, 2);
    await sync(a);
    await sync(b);
    await sync(a);
    const acknowledged = feedOf(a);
    expect(feedOf(b)).toEqual(acknowledged);
    expect((await platformFeed()).sort()).toEqual(acknowledged);
    expect((await exchange.exportParts()).map((p) => p.entry.exportId)).toContain(later);

    // The database is restored from the copy: what was acknowledged since is gone.
    await restoreFrom(join(root, 'copy'));
    const restored = await platformFeed();
    expect(restored.length).toBeLessThan(acknowledged.length);
    expect((await exchange.exportParts()).map((p) => p.entry.exportId)).not.toContain(later);

    // b syncs first, with new work: it finds the loss, sends everything it authored again, and its new notes take feed
    // numbers a had already read past — a's cursor now points at another event than the one a read there.
    for (const n of [5, 6, 7, 5]) note(b, n, `复核后补充说明 ${n}`);
    const bLocal = b.team.cases.unsent().length;
    const first = await sync(b);
    expect(first.cases).toMatchObject({ status: 'done', resent: { exports: 0 } });
    expect(first.cases.resent!.events).toBeGreaterThan(0);
    expect(first.cases.sent).toBe(first.cases.resent!.events + bLocal);

    const aMark = a.team.cases.feedMark(server.url)!;
    const atMark = (await exchange.caseFeed(DISTRICT_JURISDICTION, aMark.cursor - 1, 1))[0];
    expect(atMark?.seq).toBe(aMark.cursor);
    expect((atMark?.event as { eventId: string }).eventId).not.toBe(aMark.eventId);

    // a then finds another event at the number it had read: it sends again its events and both exports.
    const second = await sync(a);
    expect(second.cases).toMatchObject({ status: 'done', resent: { exports: 2 } });
    expect(second.cases.sent).toBe(second.cases.resent!.events);
    expect(second.exports).toEqual({ status: 'done', exports: 2 });
    expect((await exchange.exportParts()).map((p) => p.entry.exportId)).toContain(later);

    // b reads a's events sent again; nothing more is lost, so nobody resends again.
    const third = await sync(b);
    expect(third.cases.resent).toBeUndefined();
    expect((await sync(a)).cases.resent).toBeUndefined();

    const feed = feedOf(a);
    expect(feedOf(b)).toEqual(feed);
    expect(feed.length).toBe(acknowledged.length + 4);
    for (const id of acknowledged) expect(feed).toContain(id);
    const atPlatform = await platformFeed();
    expect(atPlatform.length).toBe(new Set(atPlatform).size);
    expect([...atPlatform].sort()).toEqual(feed);
    const parts = (await exchange.exportParts()).map((p) => `${p.entry.exportId}:${p.part}`);
    expect(parts.length).toBe(new Set(parts).size);
    expect(parts).toHaveLength(2);
    for (const w of [a, b]) {
      expect(w.team.cases.unsent()).toHaveLength(0);
      expect(w.team.warnings.unsent()).toHaveLength(0);
      expect(w.team.exports.unsent()).toHaveLength(0);
    }
  });

  it('the workstation shows it in the sync result on 数据同步 and records it in the user’s audit trail', async () => {
    const snap = makeSnapshot(join(root, 'built'), 'R-1', 1500, 5);
    await publishSnapshot({ state, exchange, pubDir: join(root, 'pub'), snapshotFile: snap.file, snapshotKey: snap.key });
    bench = makeBench();
    const b = bench;
    await withStaff(b, DISTRICT_JURISDICTION);
    const offer = await b.ok('auditor-client', 'sync.enrolBegin', { url: server.url, token: TOKEN });
    const enrolled = await b.ok('auditor-client', 'sync.enrolConfirm', { fingerprint: offer.fingerprint });
    await approveDevice(exchange, { deviceId: enrolled.deviceId!, at: isoTime(systemClock), state, pubDir: join(root, 'pub') });
    expect(await syncAndWait(b, 'auditor-client')).toMatchObject({ outcome: 'installed' });
    await b.ok('auditor-client', 'checks.run', {});
    await waitForRun(b, 'auditor-client');
    const sort = { column: 'priority' as const, direction: 'desc' as const };
    const [first, second] = (await b.ok('auditor-client', 'inbox.page', { filter: {}, sort, offset: 0, limit: 2 })).rows;
    const noteOn = (fingerprint: string, text: string) => b.ok('auditor-client', 'case.act', { fingerprint, expectedHead: null, command: { kind: 'note', text } });
    await noteOn(first!.fingerprint, '已电话联系');
    expect((await syncAndWait(b, 'auditor-client')).cases).toMatchObject({ status: 'done', sent: 1 });
    await copyDatabase(join(root, 'copy-2'));
    await noteOn(second!.fingerprint, '已调取记录');
    expect((await syncAndWait(b, 'auditor-client')).cases).toMatchObject({ status: 'done', sent: 1 });

    await restoreFrom(join(root, 'copy-2'));
    const last = await syncAndWait(b, 'auditor-client');
    expect(last).toMatchObject({ outcome: 'up_to_date', cases: { status: 'done', sent: 2, resent: { events: 2, exports: 0 } } });
    expect((await b.ok('auditor-client', 'sync.status')).lastSync?.cases?.resent).toEqual({ events: 2, exports: 0 });
    const history = await b.ok('auditor-client', 'audit.myHistory', { actionPrefix: 'sync.', limit: 1 });
    expect(history.entries[0]!.details).toEqual(expect.arrayContaining([{ label: '重新发送的案件与预警记录', value: '2' }, { label: '重新发送的导出登记', value: '0' }]));
    // The next sync finds nothing lost.
    expect((await syncAndWait(b, 'auditor-client')).cases?.resent).toBeUndefined();
  }, 120_000);
});
