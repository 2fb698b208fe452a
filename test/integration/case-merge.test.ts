/**
 * Cases travel between workstations through the platform: each uploads its unsent events, reads the team's feed and
 * merges. Two auditors who decided differently on the same finding end with the same case on both machines — in
 * conflict, every event kept — until a supervisor settles it; a malformed event from the feed is skipped, not applied.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { deviceIdOf } from '../../src-main/platform/device-keys.js';
import { DEVICE_MAC_HEADER, uploadMac, uploadMacKey } from '../../src-main/platform/upload-auth.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatformServer, type PlatformServer } from '../../src-main/data-platform/serve.js';
import { buildDemoSnapshot } from '../../src-main/services/snapshots.js';
import { runChecks } from '../../src-main/services/checks/rule-engine.js';
import { withSubjects } from '../../src-main/services/checks/check-service.js';
import { teamCaseExchange } from '../../src-main/services/sync/case-exchange.js';
import { syncCaseEvents } from '../../src-main/services/sync/sync-engine.js';
import { TriageService } from '../../src-main/services/triage/triage-service.js';
import { PersonRefs } from '../../src-main/platform/person-refs.js';
import type { RegistryDb } from '../../src-main/store/registry/registry-db.js';
import { TeamDb } from '../../src-main/store/team/team-db.js';
import { makePublication, type Publication } from '../helpers/platform-fixture.js';
import type { SessionUser } from '../../src-main/services/sessions.js';

const TOKEN = 'case-token-1';
const SCOPE = ['320111'];
let root: string;
let server: PlatformServer;
let pub: Publication;
let a: TeamDb;
let b: TeamDb;
let fingerprint: string;
let clock = Date.UTC(2024, 6, 1, 8);

const user = (id: string, role: 'auditor' | 'supervisor'): SessionUser => ({ id, username: id, displayName: id, role, scope: SCOPE });
const triage = new TriageService({ registry: {} as RegistryDb, refs: new PersonRefs(), now: () => new Date((clock += 1000)).toISOString() });
const act = (team: TeamDb, who: SessionUser, command: Parameters<TriageService['act']>[4]) => triage.act(team, who, fingerprint, team.cases.view(fingerprint).head, command);
const sync = (team: TeamDb) => syncCaseEvents(pub.credentials(server.url, TOKEN), teamCaseExchange(team, server.url));

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'aw-merge-'));
  pub = makePublication(root);
  server = await startPlatformServer({ pubDir: pub.pubDir, state: pub.state, tokens: [TOKEN] });
  const snapshot = buildDemoSnapshot(5, 3000);
  const run = await runChecks(snapshot, { scope: SCOPE });
  const findings = withSubjects(snapshot, run.findings);
  snapshot.close();
  a = TeamDb.open(join(root, 'a.db'), randomBytes(32), { create: true });
  b = TeamDb.open(join(root, 'b.db'), randomBytes(32), { create: true });
  for (const t of [a, b]) {
    t.findings.recordRun({ ...run, runBy: 'x' }, findings);
    t.cases.setPolicy({ approvalThresholdCents: 1e12 });
  }
  fingerprint = findings.find((f) => f.ruleId === 'R-DEATH')!.fingerprint;
});
afterAll(async () => {
  a.close();
  b.close();
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

describe('case exchange through the platform', () => {
  it('two decisions made apart become one conflict on both workstations, then one settled case', async () => {
    // Both start from the same reviewed case.
    act(a, user('aud-a', 'auditor'), { kind: 'transition', to: 'in_review' });
    expect(await sync(a)).toMatchObject({ status: 'done', sent: 1 });
    expect(await sync(b)).toMatchObject({ status: 'done', received: 1 });
    expect(b.cases.view(fingerprint).state).toBe('in_review');

    // Offline, each decides differently.
    act(a, user('aud-a', 'auditor'), { kind: 'transition', to: 'awaiting_verification' });
    act(a, user('aud-a', 'auditor'), { kind: 'verify', verification: { method: 'home_visit', date: '2024-07-02', verifiedBy: '网格员', result: 'confirms', note: '' } });
    act(a, user('aud-a', 'auditor'), { kind: 'transition', to: 'confirmed' });
    act(b, user('aud-b', 'auditor'), { kind: 'transition', to: 'dismissed', reasonCode: 'data_error' });
    expect(a.cases.view(fingerprint).state).toBe('confirmed');
    expect(b.cases.view(fingerprint).state).toBe('dismissed');

    await sync(a);
    await sync(b);
    await sync(a);
    // The same case on both (only `head`, the last event to arrive at each, differs).
    const same = (t: TeamDb) => ({ ...t.cases.view(fingerprint), head: null });
    expect(a.cases.view(fingerprint).conflict).not.toBeNull();
    expect(same(a)).toEqual(same(b));
    expect(a.cases.events(fingerprint)).toHaveLength(5);
    expect(b.cases.events(fingerprint).map((e) => e.eventId).sort()).toEqual(a.cases.events(fingerprint).map((e) => e.eventId).sort());
    // The supervisors' inbox filter finds it on both.
    for (const t of [a, b]) expect(t.inbox.page(SCOPE, { conflict: true }, { column: 'priority', direction: 'desc' }, 0, 10).rows.map((r) => r.fingerprint)).toEqual([fingerprint]);
    // Auditors cannot go on until it is settled.
    expect(() => act(b, user('aud-b', 'auditor'), { kind: 'transition', to: 'closed' })).toThrow(/conflict/);

    act(a, user('sup', 'supervisor'), { kind: 'resolve_conflict', state: 'confirmed', note: '以入户核实为准' });
    await sync(a);
    await sync(b);
    expect(b.cases.view(fingerprint)).toMatchObject({ state: 'confirmed', conflict: null, decision: 'confirmed' });
    expect(same(b)).toEqual(same(a));
    expect(a.cases.unsent()).toHaveLength(0);
    expect(b.cases.unsent()).toHaveLength(0);
  });

  it('skips a malformed event in the feed, keeps the cursor moving, and sends nothing twice', async () => {
    const before = a.cases.events(fingerprint).length;
    const bad = { eventId: '00000000-0000-4000-8000-000000000000', fingerprint, actorId: 'x', actorName: 'x', actorRole: 'admin', at: 'yesterday', parent: null, body: { kind: 'transition', to: 'closed' } };
    // A token holder cannot post in a device's name without that device's key…
    const forged = await fetch(`${server.url}/upload/case-events`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ deviceId: 'evil', events: [bad] }) });
    expect(forged.status).toBe(401);
    // …but an enrolled device can still send a malformed event, and the feed must survive it.
    const deviceId = deviceIdOf(pub.device.publicKeyDer);
    const body = JSON.stringify({ deviceId, events: [bad] });
    const mac = uploadMac(uploadMacKey(pub.device.privateKeyDer, pub.state.uploadAuthKeyPair().publicKeyDer, deviceId), body);
    const res = await fetch(`${server.url}/upload/case-events`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', [DEVICE_MAC_HEADER]: mac }, body });
    expect(res.status).toBe(201);
    expect(await sync(a)).toMatchObject({ status: 'done', sent: 0, received: 0, skipped: 1 });
    expect(a.cases.events(fingerprint)).toHaveLength(before);
    expect(await sync(a)).toMatchObject({ status: 'done', sent: 0, received: 0, skipped: 0 });
  });

  it('against a static server the events stay in the outbox', async () => {
    act(a, user('aud-a', 'auditor'), { kind: 'note', text: '待下次同步' });
    const outcome = await syncCaseEvents({ ...pub.credentials(server.url, TOKEN), url: `${server.url}/no-such-platform` }, teamCaseExchange(a, 'static'));
    expect(outcome.status).not.toBe('done');
    expect(a.cases.unsent()).toHaveLength(1);
  });

  it('a feed cut short by a crash loses only the unfinished line, and goes on', async () => {
    const feedFile = join(pub.state.dir, 'uploads', 'case-events.feed');
    appendFileSync(feedFile, '{"seq":999,"event":{"eventId":"cut sh');
    await server.close();
    server = await startPlatformServer({ pubDir: pub.pubDir, state: pub.state, tokens: [TOKEN] });
    act(a, user('aud-a', 'auditor'), { kind: 'note', text: '崩溃之后' });
    await sync(a);
    await sync(b);
    expect(b.cases.events(fingerprint).map((e) => e.body)).toContainEqual({ kind: 'note', text: '崩溃之后' });
    expect(readFileSync(feedFile, 'utf8').trim().split('\n').every((line) => JSON.parse(line) !== null)).toBe(true);
  });
});
