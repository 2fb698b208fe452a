/**
 * Cases travel between workstations through the platform: each uploads its unsent events, reads the team's feed and
 * merges. Two auditors who decided differently on the same finding end with the same case on both machines — in
 * conflict, every event kept — until a supervisor settles it. Every event is signed by its author: one from the feed
 * that does not verify against the team's roster (forged in the platform's storage, unsigned, malformed, or claiming
 * another name or role) is kept aside as refused and changes no case; a genuine colleague's event still merges.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
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
import { caseEventMessage, type MemberRole } from '../../src-main/domain/authorship.js';
import type { CaseEvent } from '../../src-main/domain/cases/case-workflow.js';
import type { MemberSigner } from '../../src-main/services/member-signing.js';
import { testSigner } from '../helpers/signers.js';
import { DISTRICT_JURISDICTION, makePublication, type Publication } from '../helpers/platform-fixture.js';
import { deviceIdOf } from '../../src-main/platform/device-keys.js';
import { DEVICE_ID_HEADER, DEVICE_MAC_HEADER, DEVICE_TOKEN_HEADER, deviceToken, uploadMac, uploadMacKey } from '../../src-main/platform/upload-auth.js';
import type { SessionUser } from '../../src-main/services/sessions.js';
import { systemClock } from '../../src-main/platform/clock.js';

const TOKEN = 'case-token-1';
const SCOPE = ['320111'];
let root: string;
let server: PlatformServer;
let pub: Publication;
let a: TeamDb;
let b: TeamDb;
let fingerprint: string;
/** The case of that finding: its person's one case (一人一案). */
let caseKey: string;
let clock = Date.UTC(2024, 6, 1, 8);

const user = (id: string, role: 'auditor' | 'supervisor'): SessionUser => ({ id, username: id, displayName: id, role, scope: SCOPE });
const signers = new Map<string, MemberSigner>();
const signerOf = (who: SessionUser) => signers.get(who.id) ?? signers.set(who.id, testSigner(who.id, who.displayName, who.role as MemberRole)).get(who.id)!;
/** A member logs in on a workstation: their card goes into its team store's roster (as TeamAccess.join does). */
const joins = (team: TeamDb, who: SessionUser) => team.signers.recordLocal(signerOf(who).card, signerOf(who).proof, new Date(clock).toISOString());
const triage = new TriageService({ registry: {} as RegistryDb, refs: new PersonRefs(), clock: { now: () => (clock += 1000) } });
const act = (team: TeamDb, who: SessionUser, command: Parameters<TriageService['act']>[5]) =>
  triage.act(team, who, signerOf(who), fingerprint, team.cases.view(caseKey).head, command);
const sync = (team: TeamDb) => syncCaseEvents(pub.credentials(server.url, TOKEN), teamCaseExchange(team, server.url, systemClock));
const deviceId = () => deviceIdOf(pub.device.publicKeyDer);
const macKey = () => uploadMacKey(pub.device.privateKeyDer, pub.state.uploadAuthKeyPair().publicKeyDer, deviceId());
/** Writes events straight into the platform's database, as someone with access to it could (no check, no signature). */
async function plantInFeed(events: object[]): Promise<void> {
  await pub.exchange.transaction(async (q) => {
    await q.lockFeed();
    await q.appendCaseEvents(deviceId(), events as { eventId: string; fingerprint: string }[], () => DISTRICT_JURISDICTION, new Date(clock).toISOString());
  });
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'aw-merge-'));
  pub = await makePublication(root);
  server = await startPlatformServer({ pubDir: pub.pubDir, state: pub.state, exchange: pub.exchange, tokens: [TOKEN] });
  const snapshot = buildDemoSnapshot(5, 3000);
  const run = await runChecks(snapshot, { clock: systemClock, scope: SCOPE });
  const findings = withSubjects(snapshot, run.findings);
  snapshot.close();
  a = TeamDb.open(join(root, 'a.db'), randomBytes(32), { create: true });
  b = TeamDb.open(join(root, 'b.db'), randomBytes(32), { create: true });
  for (const t of [a, b]) {
    t.findings.recordRun({ ...run, runBy: 'x' }, findings);
    t.cases.setPolicy({ approvalThresholdCents: 1e12 });
  }
  joins(a, user('aud-a', 'auditor'));
  joins(a, user('sup', 'supervisor'));
  joins(b, user('aud-b', 'auditor'));
  fingerprint = findings.find((f) => f.ruleId === 'R-DEATH')!.fingerprint;
  caseKey = a.inbox.row(SCOPE, fingerprint)!.caseKey;
});
afterAll(async () => {
  a.close();
  b.close();
  await server.close();
  await pub.close();
  rmSync(root, { recursive: true, force: true });
});

describe('case exchange through the platform', () => {
  it('two decisions made apart become one conflict on both workstations, then one settled case', async () => {
    // Both start from the same reviewed case.
    act(a, user('aud-a', 'auditor'), { kind: 'transition', to: 'in_review' });
    expect(await sync(a)).toMatchObject({ status: 'done', sent: 1 });
    expect(await sync(b)).toMatchObject({ status: 'done', received: 1 });
    expect(b.cases.view(caseKey).state).toBe('in_review');

    // Offline, each decides differently.
    act(a, user('aud-a', 'auditor'), { kind: 'transition', to: 'awaiting_verification' });
    act(a, user('aud-a', 'auditor'), { kind: 'verify', verification: { method: 'home_visit', date: '2024-07-02', verifiedBy: '网格员', result: 'confirms', note: '' } });
    act(a, user('aud-a', 'auditor'), { kind: 'transition', to: 'confirmed' });
    act(b, user('aud-b', 'auditor'), { kind: 'transition', to: 'dismissed', reasonCode: 'data_error' });
    expect(a.cases.view(caseKey).state).toBe('confirmed');
    expect(b.cases.view(caseKey).state).toBe('dismissed');

    await sync(a);
    await sync(b);
    await sync(a);
    // The same case on both (only `head`, the last event to arrive at each, differs).
    const same = (t: TeamDb) => ({ ...t.cases.view(caseKey), head: null });
    expect(a.cases.view(caseKey).conflict).not.toBeNull();
    expect(same(a)).toEqual(same(b));
    expect(a.cases.events(caseKey)).toHaveLength(5);
    expect(b.cases.events(caseKey).map((e) => e.eventId).sort()).toEqual(a.cases.events(caseKey).map((e) => e.eventId).sort());
    // The supervisors' inbox filter finds it on both.
    for (const t of [a, b]) expect(t.inbox.page(SCOPE, { conflict: true }, { column: 'priority', direction: 'desc' }, 0, 10).rows.map((r) => r.caseKey)).toEqual([caseKey]);
    // Auditors cannot go on until it is settled.
    expect(() => act(b, user('aud-b', 'auditor'), { kind: 'transition', to: 'closed' })).toThrow(/conflict/);

    act(a, user('sup', 'supervisor'), { kind: 'resolve_conflict', state: 'confirmed', note: '以入户核实为准' });
    await sync(a);
    await sync(b);
    expect(b.cases.view(caseKey)).toMatchObject({ state: 'confirmed', conflict: null, decision: 'confirmed' });
    expect(same(b)).toEqual(same(a));
    expect(a.cases.unsent()).toHaveLength(0);
    expect(b.cases.unsent()).toHaveLength(0);
  });

  it('refuses forged events planted in the platform\'s storage at merge, and still merges a genuine colleague\'s', async () => {
    const before = { a: a.cases.view(caseKey), b: b.cases.view(caseKey), events: b.cases.events(caseKey).length };
    const base = { fingerprint: caseKey, at: new Date(clock + 1).toISOString(), parent: before.b.stateHead, body: { kind: 'transition', to: 'dismissed', reasonCode: 'data_error' } };
    const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    const supervisor = signerOf(user('sup', 'supervisor'));
    const event = (n: number, actor: { actorId: string; actorName: string; actorRole: string }) => ({ eventId: id(n), ...base, ...actor });
    const sign = (e: object, s: MemberSigner) => ({ ...e, signature: s.sign(caseEventMessage(e as CaseEvent)) });
    const asSup = { actorId: 'sup', actorName: 'sup', actorRole: 'supervisor' };
    const attacker = testSigner('sup', 'sup', 'supervisor');
    await plantInFeed([
      event(1, asSup), // unsigned, in the supervisor's name
      { ...event(2, asSup), signature: randomBytes(64).toString('base64') }, // a signature that is not theirs
      sign(event(3, asSup), attacker), // signed with a key of the attacker's own, claiming to be the supervisor
      { ...sign(event(4, asSup), supervisor), body: { kind: 'transition', to: 'closed' } }, // the supervisor's, altered after signing
      sign(event(5, { actorId: 'aud-a', actorName: 'aud-a', actorRole: 'supervisor' }), signerOf(user('aud-a', 'auditor'))), // an auditor claiming to be a supervisor
      sign(event(6, { actorId: 'ghost', actorName: '攻击者', actorRole: 'supervisor' }), testSigner('ghost', '攻击者', 'supervisor')), // nobody the platform certified
      { eventId: id(7), fingerprint: caseKey, actorId: 'x', actorName: 'x', actorRole: 'admin', at: 'yesterday', parent: null, body: { kind: 'transition', to: 'closed' } }, // malformed
    ]);
    expect(await sync(b)).toMatchObject({ status: 'done', received: 0, skipped: 7 });
    // No case changed, no event applied.
    expect(b.cases.view(caseKey)).toEqual(before.b);
    expect(b.cases.events(caseKey)).toHaveLength(before.events);
    // Kept aside, each with why.
    const reasons = new Map(b.cases.refused().map((r) => [r.eventId, r.reason]));
    expect(Object.fromEntries(reasons)).toEqual({
      [id(1)]: 'unsigned',
      [id(2)]: 'bad_signature',
      [id(3)]: 'bad_signature',
      [id(4)]: 'bad_signature',
      [id(5)]: 'actor_mismatch',
      [id(6)]: 'unknown_member',
      [id(7)]: 'malformed',
    });
    // The same holds on the other workstation, whose own supervisor's name was used.
    await sync(a);
    expect(a.cases.view(caseKey)).toEqual(before.a);
    expect(a.cases.refused()).toHaveLength(7);

    // A genuine colleague's event still merges, and nothing is refused twice.
    act(a, user('aud-a', 'auditor'), { kind: 'note', text: '入户核实已安排' });
    await sync(a);
    expect(await sync(b)).toMatchObject({ status: 'done', received: 1, skipped: 0 });
    expect(b.cases.events(caseKey).map((e) => e.body)).toContainEqual({ kind: 'note', text: '入户核实已安排' });
    expect(b.cases.refused()).toHaveLength(7);
  });

  it('holds an event whose author is not certified yet, and merges it once the platform certifies them', async () => {
    const newcomer = user('aud-c', 'auditor');
    const c = TeamDb.open(join(root, 'c.db'), randomBytes(32), { create: true });
    try {
      // aud-c's event reaches the feed through a workstation that has not announced aud-c (planted, as a lagging roster would be).
      const e = { eventId: '00000000-0000-4000-8000-0000000000c1', fingerprint: caseKey, actorId: 'aud-c', actorName: 'aud-c', actorRole: 'auditor', at: new Date((clock += 1000)).toISOString(), parent: null, body: { kind: 'note', text: '新同事的记录' } };
      await plantInFeed([{ ...e, signature: signerOf(newcomer).sign(caseEventMessage(e as CaseEvent)) }]);
      await sync(b);
      expect(b.cases.refused().find((r) => r.eventId === e.eventId)).toMatchObject({ reason: 'unknown_member', mergedAt: null });
      // aud-c logs in on workstation c, which syncs: the platform certifies the card, and b applies the held event.
      joins(c, newcomer);
      await sync(c);
      await sync(b);
      expect(b.cases.events(caseKey).map((x) => x.body)).toContainEqual({ kind: 'note', text: '新同事的记录' });
      expect(b.cases.refused().find((r) => r.eventId === e.eventId)!.mergedAt).not.toBeNull();
    } finally {
      c.close();
    }
  });

  it('pins a member\'s key at the platform: another workstation cannot announce a card of its own for them', async () => {
    const impostor = testSigner('sup', 'sup', 'supervisor');
    const rogue = TeamDb.open(join(root, 'rogue.db'), randomBytes(32), { create: true });
    try {
      rogue.signers.recordLocal(impostor.card, impostor.proof, new Date().toISOString());
      await sync(rogue);
      // Refused (MEMBER_KEY_PINNED): the card stays unannounced, and the roster keeps the supervisor's own key.
      expect(rogue.signers.unannounced()).toHaveLength(1);
      const res = await fetch(`${server.url}/members`, { headers: { Authorization: `Bearer ${TOKEN}`, [DEVICE_ID_HEADER]: deviceId(), [DEVICE_TOKEN_HEADER]: deviceToken(macKey()) } });
      const { members } = (await res.json()) as { members: { card: { accountId: string; signingKey: string } }[] };
      expect(members.filter((m) => m.card.accountId === 'sup').map((m) => m.card.signingKey)).toEqual([signerOf(user('sup', 'supervisor')).card.signingKey]);
    } finally {
      rogue.close();
    }
  });

  it('against a static server the events stay in the outbox', async () => {
    act(a, user('aud-a', 'auditor'), { kind: 'note', text: '待下次同步' });
    const outcome = await syncCaseEvents({ ...pub.credentials(server.url, TOKEN), url: `${server.url}/no-such-platform` }, teamCaseExchange(a, 'static', systemClock));
    expect(outcome.status).not.toBe('done');
    expect(a.cases.unsent()).toHaveLength(1);
  });

  it('an upload refused midway keeps none of its events (one transaction), and the feed goes on', async () => {
    act(a, user('aud-a', 'auditor'), { kind: 'note', text: '崩溃之后' });
    const [genuine] = a.cases.unsent() as { eventId: string }[];
    const forged = { ...genuine!, eventId: '00000000-0000-4000-8000-00000000dead', signature: undefined };
    const body = JSON.stringify({ deviceId: deviceId(), events: [genuine, forged] });
    const res = await fetch(`${server.url}/upload/case-events`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', [DEVICE_MAC_HEADER]: uploadMac(macKey(), body) },
      body,
    });
    expect(res.status).toBe(400);
    const feed = await pub.exchange.caseFeed(DISTRICT_JURISDICTION, 0, 100_000);
    expect(feed.map((f) => (f.event as { eventId: string }).eventId)).not.toContain(genuine!.eventId);
    await sync(a);
    await sync(b);
    expect(b.cases.events(caseKey).map((e) => e.body)).toContainEqual({ kind: 'note', text: '崩溃之后' });
  });
});
