/**
 * A colleague's workstation, `days` days ago, in its own process (for the overdue e2e): a headless workstation on its own
 * data folder with an injected clock set back, whose supervisor enrols with the platform (it approves at once), syncs
 * the platform's snapshot, runs monitoring over 320111 and works a few warnings through the loop the next day
 * (assigned; visited; visited and decided by a second auditor), then syncs again, uploading the signed warning events.
 * Prints one JSON line: every warning as this workstation holds it (id, level, push, state, head, street).
 *
 * Usage: node --import tsx test/helpers/overdue-colleague.ts PLATFORM_URL TOKEN DAYS
 */
import { ADMIN, makeBench } from './workstation.js';
import { syncAndWait } from './served-platform.js';

const [url, token, daysArg] = process.argv.slice(2) as [string, string, string];
const days = Number(daysArg);
const DAY = 86_400_000;
const b = makeBench();
// 10:00 Beijing time, `days` Beijing days before today.
const todayBeijing = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
b.clock.t = Date.parse(`${todayBeijing}T10:00:00+08:00`) - days * DAY;
const beijingDate = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
try {
  // The colleague's team, named as people are (their names show on the other workstation): all accounts first, then the
  // logins, so that all three found the team store.
  await b.ok('admin-client', 'auth.setupAdmin', ADMIN);
  const staff = [
    { client: 'supervisor-client', username: 'sun.sup', displayName: '孙科长', role: 'supervisor' as const, password: 'supervisor-pass-5678' },
    { client: 'auditor-client', username: 'zhou.audit', displayName: '周审计', role: 'auditor' as const, password: 'auditor-pass-5678' },
    { client: 'auditor2-client', username: 'wu.audit', displayName: '吴核查', role: 'auditor' as const, password: 'auditor2-pass-5678' },
  ];
  const ids = new Map<string, string>();
  for (const m of staff) ids.set(m.username, (await b.ok('admin-client', 'users.create', { username: m.username, displayName: m.displayName, role: m.role, scope: ['320111'], initialPassword: 'initial-pass-1' })).id);
  for (const m of staff) {
    await b.ok(m.client, 'auth.login', { username: m.username, password: 'initial-pass-1' });
    await b.ok(m.client, 'auth.changePassword', { currentPassword: 'initial-pass-1', newPassword: m.password });
  }
  const offer = await b.ok('supervisor-client', 'sync.enrolBegin', { url, token });
  const enrolled = await b.ok('supervisor-client', 'sync.enrolConfirm', { fingerprint: offer.fingerprint });
  if (enrolled.enrolment === 'pending') throw new Error(`enrolment ${enrolled.enrolment}`);
  const first = await syncAndWait(b, 'supervisor-client');
  if (first.outcome !== 'installed') throw new Error(`sync: ${JSON.stringify(first)}`);

  await b.ok('supervisor-client', 'monitoring.run');
  const list = async () => (await b.ok('supervisor-client', 'monitoring.page', { filter: {}, offset: 0, limit: 500 })).rows;
  const all = await list();
  const of = (level: string) => all.filter((w) => w.level === level);
  const [redDecided, redVisited] = of('red');
  const [orangeVisited, orangeAssigned] = of('orange');
  const [yellowAssigned] = of('yellow');
  const worked = [redDecided, redVisited, orangeVisited, orangeAssigned, yellowAssigned];
  if (worked.some((w) => !w)) throw new Error('too few warnings of some level');

  // The next day: assigned, visited, and a red one decided by a second auditor (four eyes).
  b.clock.advance(DAY);
  for (const m of staff) await b.ok(m.client, 'auth.unlock', { password: m.password });
  await b.ok('supervisor-client', 'monitoring.assign', { warningIds: worked.map((w) => w!.warningId), assigneeId: ids.get('zhou.audit')!, apply: true });
  const head = async (client: string, id: string) => (await b.ok(client, 'monitoring.detail', { warningId: id })).head;
  for (const w of [redDecided, redVisited, orangeVisited]) {
    await b.ok('auditor-client', 'monitoring.act', {
      warningId: w!.warningId,
      expectedHead: await head('auditor-client', w!.warningId),
      command: { kind: 'visit', visit: { date: beijingDate(b.clock.t), visitors: '网格员', situation: '入户了解家庭情况', income: '不详', needs: '待定' } },
    });
  }
  await b.ok('auditor2-client', 'monitoring.act', { warningId: redDecided!.warningId, expectedHead: await head('auditor2-client', redDecided!.warningId), command: { kind: 'decide', decision: { outcome: 'enrolled', program: 'dibao', departments: [] } } });

  const second = await syncAndWait(b, 'supervisor-client');
  if (second.outcome === 'refused' || second.outcome === 'failed') throw new Error(`sync: ${JSON.stringify(second)}`);
  const rows = await list();
  console.log(
    JSON.stringify({
      now: b.clock.t,
      cases: second.cases ?? null,
      warnings: rows.map((w) => ({ warningId: w.warningId, level: w.level, pushedAt: w.pushedAt, state: w.state, headName: w.headName, headLabel: w.headLabel, division: w.divisionCode, visitDue: w.visitDue, decideDue: w.decideDue })),
    }),
  );
} finally {
  b.cleanup();
}
