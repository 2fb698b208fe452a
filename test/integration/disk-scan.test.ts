/**
 * No plaintext personal data on disk. A whole day's work runs through the service contract on a synced snapshot —
 * enrol and sync, run the rules, open the inbox, a finding, a person's file, reveal an ID, act on a case, the monitoring
 * loop (a run, the warnings, a warning's why, assignment, a visit, a decision, the audit views), a 多维查询,
 * a household pre-check, an export traced back by a supervisor, log out — with the process's temp folder pointed at a
 * fresh one. Then every file in the data folder and the temp folder is scanned for the planted people's names and ID
 * numbers (UTF-8 and UTF-16): none may appear. The exports folder is the one exception by design — an export is the
 * deliberate, registered, watermarked way personal data leaves — and is checked to be the only place they are.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { afterAll, describe, expect, it } from 'vitest';
import type { PlatformServer } from '../../src-main/data-platform/serve.js';
import { SnapshotDb } from '../../src-main/store/snapshot/snapshot-db.js';
import { enrolApproved, servePlatform, syncAndWait } from '../helpers/served-platform.js';
import { makeBench, waitForRun, withStaff, type TestBench } from '../helpers/workstation.js';

const platformRoot = mkdtempSync(join(tmpdir(), 'aw-scan-platform-'));
const scannedTmp = mkdtempSync(join(tmpdir(), 'aw-scan-tmp-'));
let b: TestBench | undefined;
let server: PlatformServer | undefined;
afterAll(async () => {
  b?.cleanup();
  await server?.close();
  rmSync(platformRoot, { recursive: true, force: true });
  rmSync(scannedTmp, { recursive: true, force: true });
});

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.isFile()) yield path;
  }
}

/** The planted names and ID numbers found in a file's bytes, read as UTF-8 and as UTF-16. */
function plantedIn(bytes: Buffer, names: ReadonlySet<string>, ids: ReadonlySet<string>): string[] {
  const found = new Set<string>();
  for (const text of [bytes.toString('utf8'), bytes.toString('utf16le')]) {
    for (const id of text.match(/\d{17}[\dX]/g) ?? []) if (ids.has(id)) found.add(id);
    for (const run of text.match(/[\u4e00-\u9fff]{3,}/g) ?? []) {
      for (let i = 0; i + 3 <= run.length; i++) if (names.has(run.slice(i, i + 3))) found.add(run.slice(i, i + 3));
    }
  }
  return [...found];
}

describe('disk scan', () => {
  it('finds no planted name or ID number outside encrypted databases after a full workflow', async () => {
    // The platform publishes an encrypted snapshot; its people are the planted data.
    const platform = await servePlatform(platformRoot, 'SCAN-1', 3000, 99);
    server = platform.server;
    const { snap } = platform;
    const source = SnapshotDb.open(snap.file, snap.key);
    const people = (source as unknown as { db: Database }).db.prepare('SELECT person_id, name FROM person').all() as { person_id: string; name: string }[];
    source.close();
    const ids = new Set(people.map((p) => p.person_id));
    const names = new Set(people.map((p) => p.name).filter((n) => n.length === 3));
    expect(names.size).toBeGreaterThan(1000);

    // Everything the workstation writes to "temp" goes to a folder of this test's own.
    process.env.TMPDIR = scannedTmp;
    b = makeBench();
    expect(b.dir.startsWith(scannedTmp)).toBe(true);
    const staff = await withStaff(b, ['320111', '320116']);
    await enrolApproved(b, 'auditor-client', platform);
    await syncAndWait(b, 'auditor-client');
    expect((await b.ok('auditor-client', 'home.summary', {})).snapshot?.source).toBe('synced');

    await b.ok('auditor-client', 'checks.run', {});
    await waitForRun(b, 'auditor-client');
    const sort = { column: 'priority' as const, direction: 'desc' as const };
    const page = await b.ok('auditor-client', 'inbox.page', { filter: { text: [...names][0]!.slice(0, 1) }, sort, offset: 0, limit: 50 });
    const inbox = page.rows.length ? page : await b.ok('auditor-client', 'inbox.page', { filter: {}, sort, offset: 0, limit: 50 });
    const finding = inbox.rows.find((r) => r.personRef)!;
    await b.ok('auditor-client', 'finding.detail', { fingerprint: finding.fingerprint });
    await b.ok('auditor-client', 'person.file', { personRef: finding.personRef! });
    const revealed = await b.ok('auditor-client', 'person.reveal', { personRef: finding.personRef!, reason: '核对户籍信息' });
    expect(ids.has(revealed.idNumber)).toBe(true);
    await b.ok('auditor-client', 'case.act', { fingerprint: finding.fingerprint, expectedHead: null, command: { kind: 'note', text: `已联系${finding.subjectName}本人核实` } });
    // The monitoring loop: a run, the warnings list, a warning's why, an assignment, a visit that names the household's
    // head in its notes, a second person's decision, the audit views.
    await b.ok('auditor-client', 'monitoring.run');
    const warning = (await b.ok('auditor-client', 'monitoring.page', { filter: {}, offset: 0, limit: 50 })).rows[0]!;
    await b.ok('auditor-client', 'monitoring.detail', { warningId: warning.warningId });
    await b.ok('supervisor-client', 'monitoring.assign', { warningIds: [warning.warningId], assigneeId: staff.auditor.id, apply: true });
    const assigned = await b.ok('auditor-client', 'monitoring.detail', { warningId: warning.warningId });
    const visited = await b.ok('auditor-client', 'monitoring.act', {
      warningId: warning.warningId,
      expectedHead: assigned.head,
      command: { kind: 'visit', visit: { date: '2024-07-01', visitors: '网格员', situation: `${warning.headName}家中无劳动力`, income: '无', needs: '低保' } },
    });
    await b.ok('supervisor-client', 'monitoring.act', { warningId: warning.warningId, expectedHead: visited.head, command: { kind: 'decide', decision: { outcome: 'enrolled', program: 'dibao', departments: [] } } });
    await b.ok('supervisor-client', 'monitoring.audit');
    await b.ok('auditor-client', 'query.run', { query: { programs: ['dibao'] } });
    await b.ok('auditor-client', 'precheck.household', { personIds: [revealed.idNumber], program: 'dibao', divisionCode: finding.divisionCode });
    const exported = await b.ok('auditor-client', 'export.findings', { format: 'csv', purpose: '磁盘扫描测试', filter: {}, sort });
    await b.ok('supervisor-client', 'export.trace', { fileName: 'x.csv', base64: readFileSync(exported.file).toString('base64') });
    for (const client of ['auditor-client', 'supervisor-client', 'finance-client', 'admin-client']) await b.call(client, 'auth.logout');
    b.ws.close();

    const hits: string[] = [];
    let scanned = 0;
    let exportHits = 0;
    for (const file of files(scannedTmp)) {
      const found = plantedIn(readFileSync(file), names, ids);
      const where = relative(scannedTmp, file);
      if (where.split('/').includes('exports')) {
        exportHits += found.length;
        continue;
      }
      scanned++;
      if (found.length) hits.push(`${where}: ${found.slice(0, 3).join(', ')} (${statSync(file).size} bytes)`);
    }
    expect(hits).toEqual([]);
    expect(scanned).toBeGreaterThan(5);
    // The scan would see them if they were there: the export (by design, plaintext) holds the planted names.
    expect(exportHits).toBeGreaterThan(0);
    b.reopen();
  }, 180_000);
});
