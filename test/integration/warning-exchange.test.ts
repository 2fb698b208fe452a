/**
 * Monitoring warnings travel between workstations like cases (issue 17): their loop's events go up with the case
 * events, signed by their authors, and come down in the team's feed. Two workstations that ran the same snapshot hold the
 * same warnings (the same ids), agree on when each was first pushed (the first writer wins), and see each other's
 * assignments, visits and decisions. An event that this workstation would have refused (不符合 without a visit, made on a
 * patched or older workstation) is applied and listed by the audit view, never hidden; a forged one is refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatformServer, type PlatformServer } from '../../src-main/data-platform/serve.js';
import { buildDemoSnapshot } from '../../src-main/services/snapshots.js';
import { teamCaseExchange } from '../../src-main/services/sync/case-exchange.js';
import { syncCaseEvents } from '../../src-main/services/sync/sync-engine.js';
import { foldHooks, MonitoringService } from '../../src-main/services/monitoring/monitoring-service.js';
import { PersonRefs } from '../../src-main/platform/person-refs.js';
import type { RegistryDb } from '../../src-main/store/registry/registry-db.js';
import type { SnapshotDb } from '../../src-main/store/snapshot/snapshot-db.js';
import { TeamDb } from '../../src-main/store/team/team-db.js';
import { warningEventMessage, type MemberRole } from '../../src-main/domain/authorship.js';
import { toCarrier, type WarningEvent } from '../../src-main/domain/monitoring/warning-loop.js';
import type { MemberSigner } from '../../src-main/services/member-signing.js';
import { testSigner } from '../helpers/signers.js';
import { DISTRICT_JURISDICTION, makePublication, type Publication } from '../helpers/platform-fixture.js';
import { deviceIdOf } from '../../src-main/platform/device-keys.js';
import type { SessionUser } from '../../src-main/services/sessions.js';
import { systemClock } from '../../src-main/platform/clock.js';

const TOKEN = 'warning-token-1';
const SCOPE = ['320111'];
let root: string;
let server: PlatformServer;
let pub: Publication;
let snapshot: SnapshotDb;
let a: TeamDb;
let b: TeamDb;
let clock = Date.UTC(2024, 6, 1, 8);

const user = (id: string, role: 'auditor' | 'supervisor'): SessionUser => ({ id, username: id, displayName: id, role, scope: SCOPE });
const signers = new Map<string, MemberSigner>();
const signerOf = (who: SessionUser) => signers.get(who.id) ?? signers.set(who.id, testSigner(who.id, who.displayName, who.role as MemberRole)).get(who.id)!;
const joins = (team: TeamDb, who: SessionUser) => team.signers.recordLocal(signerOf(who).card, signerOf(who).proof, new Date(clock).toISOString());
const registry = {
  findById: (id: string) => ({ id, displayName: id, role: id.startsWith('sup') ? 'supervisor' : 'auditor', status: 'active', scope: SCOPE }),
  listAccounts: () => [],
} as unknown as RegistryDb;
const monitoring = new MonitoringService({ registry, refs: new PersonRefs(), clock: { now: () => (clock += 1000) } });
const sync = (team: TeamDb) => syncCaseEvents(pub.credentials(server.url, TOKEN), teamCaseExchange(team, server.url, systemClock));
const row = (team: TeamDb, id: string) => team.warnings.rows(SCOPE, [id]).get(id)!;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'aw-warn-'));
  pub = await makePublication(root);
  server = await startPlatformServer({ pubDir: pub.pubDir, state: pub.state, exchange: pub.exchange, tokens: [TOKEN] });
  snapshot = buildDemoSnapshot(5, 3000);
  a = TeamDb.open(join(root, 'a.db'), randomBytes(32), { create: true });
  b = TeamDb.open(join(root, 'b.db'), randomBytes(32), { create: true });
  joins(a, user('sup', 'supervisor'));
  joins(a, user('aud-a', 'auditor'));
  joins(b, user('aud-b', 'auditor'));
}, 120_000);
afterAll(async () => {
  snapshot.close();
  a.close();
  b.close();
  await server.close();
  await pub.close();
  rmSync(root, { recursive: true, force: true });
});

describe('warnings through the platform', () => {
  it('two workstations on one snapshot hold the same warnings and agree on the first push', async () => {
    await monitoring.run(a, snapshot, user('sup', 'supervisor'), signerOf(user('sup', 'supervisor')));
    await monitoring.run(b, snapshot, user('aud-b', 'auditor'), signerOf(user('aud-b', 'auditor')));
    const ids = a.warnings.all(SCOPE, {}, '').map((r) => r.warningId);
    expect(ids.length).toBeGreaterThan(0);
    expect(b.warnings.all(SCOPE, {}, '').map((r) => r.warningId)).toEqual(ids);
    expect(row(a, ids[0]!).pushedAt).not.toBe(row(b, ids[0]!).pushedAt);
    expect(await sync(a)).toMatchObject({ status: 'done', sent: ids.length });
    await sync(b);
    await sync(a);
    for (const id of ids.slice(0, 20)) {
      // A pushed first: its push stands on both, and so do the deadlines counted from it.
      expect(row(b, id).pushedAt).toBe(row(a, id).pushedAt);
      expect(row(b, id).visitDue).toBe(row(a, id).visitDue);
    }
  });

  it('an assignment and a visit made on one workstation arrive on the other', async () => {
    const id = a.warnings.all(SCOPE, { level: ['red'] }, '')[0]!.warningId;
    monitoring.assign(a, user('sup', 'supervisor'), signerOf(user('sup', 'supervisor')), [id], 'aud-a', true, 'zh-CN');
    monitoring.act(a, snapshot, user('aud-a', 'auditor'), signerOf(user('aud-a', 'auditor')), id, row(a, id).view.head, { kind: 'visit', visit: { date: '2024-07-01', visitors: '网格员', situation: '户主去世', income: '无', needs: '低保' } }, 'zh-CN');
    expect(await sync(a)).toMatchObject({ status: 'done', sent: 2 });
    expect(await sync(b)).toMatchObject({ status: 'done', received: 2 });
    expect(row(b, id)).toMatchObject({ state: 'visited', assigneeId: 'aud-a', visitedBy: 'aud-a' });
    expect(row(b, id).view.visit).toMatchObject({ situation: '户主去世', byName: 'aud-a' });
  });

  it('不符合 without a visit made elsewhere is applied, flagged and listed by the audit view', async () => {
    const id = a.warnings.all(SCOPE, { state: ['pushed'] }, '')[0]!.warningId;
    // What a patched workstation could send: signed by a real member, but never checked by the loop's commands.
    const who = user('aud-b', 'auditor');
    const event: WarningEvent = {
      eventId: randomUUID(),
      warningId: id,
      actorId: who.id,
      actorName: who.displayName,
      actorRole: who.role,
      at: new Date(clock).toISOString(),
      body: { kind: 'decided', decision: { outcome: 'not_eligible', reason: 'income', departments: [] } },
    };
    b.warnings.appendLocal([{ ...event, signature: signerOf(who).sign(warningEventMessage(event)) }], new Map([[id, row(b, id).view.head]]), foldHooks(b));
    await sync(b);
    await sync(a);
    expect(row(a, id)).toMatchObject({ state: 'decided', outcome: 'not_eligible' });
    expect(row(a, id).flags).toEqual(['no_visit']);
    expect(monitoring.auditIds(a, snapshot, user('sup', 'supervisor'), 'no_visit')).toEqual([id]);
  });

  it('refuses a warning event in the feed that its author did not sign', async () => {
    const id = a.warnings.all(SCOPE, { state: ['pushed'] }, '')[0]!.warningId;
    const forged = toCarrier({ eventId: randomUUID(), warningId: id, actorId: 'sup', actorName: 'sup', actorRole: 'supervisor', at: new Date(clock).toISOString(), body: { kind: 'fed_back', to: '无' } });
    await pub.exchange.transaction(async (q) => {
      await q.lockFeed();
      await q.appendCaseEvents(deviceIdOf(pub.device.publicKeyDer), [forged], () => DISTRICT_JURISDICTION, new Date(clock).toISOString());
    });
    const before = row(a, id).state;
    await sync(a);
    expect(row(a, id).state).toBe(before);
    expect(a.cases.refused().find((r) => r.eventId === forged.eventId)).toMatchObject({ reason: 'unsigned' });
  });
});
