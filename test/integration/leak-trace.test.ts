/**
 * Leak tracing, the must-show: 200 exports by 20 users over the same findings; 200 leaks made of 50 random rows
 * of one export, re-sorted, two columns dropped, and round-tripped through LibreOffice headless (re-saved as xlsx, or
 * saved as CSV); the right export must rank first in at least 99% of them. Then 1,000 samples that came from no
 * registered export (another workstation's exports of the same data, and rows whose marks were forged) must be
 * attributed to nothing. Everything goes through the service contract as a supervisor would use it; the CLI is run once.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../src-main/domain/random.js';
import { workstationSnapshots } from '../../src-main/services/snapshots.js';
import { convertWithLibreOffice } from '../helpers/libreoffice.js';
import { addMember, ADMIN, makeBench, waitForRun, type TestBench } from '../helpers/workstation.js';

const SCOPE = ['320111', '320116'];
/** Both workstations work on the same district: about 1,100 findings. */
const sameData = () => ({ maxExportRows: 1_000_000, snapshots: workstationSnapshots(null, 20240630, 60_000) });
const SORTS = ['priority', 'amount', 'rule', 'division', 'name'] as const;
const ZW = /(?:\u200B|\u200C|\u200D|\u2060)/g;
const HAS_ZW = /(?:\u200B|\u200C|\u200D|\u2060)/;

interface Exported {
  exportId: string;
  file: string;
  format: 'csv' | 'xlsx';
  header: string[];
  rows: (string | number)[][];
}

/** Admin, one supervisor, and `n` staff (auditors and some finance), all over the same county-wide scope. */
async function team(b: TestBench, n: number) {
  await b.ok('admin-client', 'auth.setupAdmin', ADMIN);
  // The supervisor founds the team store and lets each colleague in.
  await b.ok('admin-client', 'users.create', { username: 'chief', displayName: 'chief 同志', role: 'supervisor', scope: SCOPE, initialPassword: 'initial-pass-1' });
  await b.ok('chief', 'auth.login', { username: 'chief', password: 'initial-pass-1' });
  await b.ok('chief', 'auth.changePassword', { currentPassword: 'initial-pass-1', newPassword: 'chief-pass-5678' });
  const supervisor = 'chief';
  const make = async (username: string, role: 'auditor' | 'finance') => {
    await addMember(b, supervisor, { client: username, username, displayName: `${username} 同志`, role, scope: SCOPE, password: `${username}-pass-5678` });
    return username;
  };
  const staff: string[] = [];
  for (let i = 0; i < n; i++) staff.push(await make(`user${String(i).padStart(2, '0')}`, i % 5 === 4 ? 'finance' : 'auditor'));
  await b.ok(staff[0]!, 'checks.run', {});
  await waitForRun(b, staff[0]!);
  return { supervisor, staff };
}

async function readExport(file: string, format: 'csv' | 'xlsx'): Promise<{ header: string[]; rows: (string | number)[][] }> {
  if (format === 'csv') {
    const records = parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][];
    return { header: records[1]!, rows: records.slice(2) };
  }
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const all: (string | number)[][] = [];
  workbook.getWorksheet('导出')!.eachRow((row) => all.push((row.values as (string | number | null)[]).slice(1).map((v) => v ?? '')));
  return { header: all[1]!.map(String), rows: all.slice(2) };
}

/** Each user makes exports with filters and sorts of their own choosing. */
async function makeExports(b: TestBench, users: string[], perUser: number, rng: SeededRandom): Promise<Exported[]> {
  const facets = await b.ok(users[0]!, 'inbox.facets', { filter: {} });
  const rules = facets.rule.filter((r) => r.count >= 60).map((r) => r.value);
  const families = facets.family.filter((r) => r.count >= 60).map((r) => r.value);
  const filters = [() => ({}), () => ({ ruleIds: [rng.pick(rules)] }), () => ({ families: [rng.pick(families)] }), () => ({ ruleIds: [rng.pick(rules), rng.pick(rules)] })];
  const out: Exported[] = [];
  for (const user of users) {
    for (let k = 0; k < perUser; k++) {
      const format = rng.pick(['csv', 'xlsx'] as const);
      const r = await b.ok(user, 'export.findings', {
        format,
        purpose: `第${k + 1}次核查`,
        filter: rng.pick(filters)(),
        sort: { column: rng.pick(SORTS), direction: rng.pick(['asc', 'desc'] as const) },
      });
      out.push({ exportId: r.exportId, file: r.file, format, ...(await readExport(r.file, format)) });
    }
  }
  return out;
}

/** 50 random rows of an export, re-sorted on a random column, with two random columns dropped. */
function leakOf(e: Exported, rng: SeededRandom, size = 50) {
  const rows = [...e.rows];
  for (let i = rows.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  }
  const picked = rows.slice(0, size);
  const by = rng.int(0, e.header.length - 1);
  const dir = rng.chance(0.5) ? 1 : -1;
  picked.sort((x, y) => dir * String(x[by]).localeCompare(String(y[by])));
  const drop = new Set<number>();
  while (drop.size < 2) drop.add(rng.int(0, e.header.length - 1));
  const keep = (r: (string | number)[]) => r.filter((_, i) => !drop.has(i));
  const rowsKept = picked.map(keep);
  // The rows that still carry keyed evidence: their 线索编号 (column 0) was kept, or a cell still holds the hidden tag.
  const withEvidence = rowsKept.filter((r) => (!drop.has(0) && /^[0-9A-Z]{12}$/.test(String(r[0]))) || r.some((c) => HAS_ZW.test(String(c))));
  return { header: keep(e.header) as string[], rows: rowsKept, evidenceShare: withEvidence.length / rowsKept.length };
}

async function writeXlsx(file: string, table: { header: string[]; rows: (string | number)[][] }) {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Sheet1');
  sheet.addRow(table.header);
  for (const r of table.rows) sheet.addRow(r);
  await workbook.xlsx.writeFile(file);
}

const tsv = (table: { header: string[]; rows: (string | number)[][] }) => [table.header, ...table.rows].map((r) => r.join('\t')).join('\n');

describe('leak tracing', () => {
  let b: TestBench;
  let other: TestBench;
  let exports: Exported[];
  let supervisor: string;
  const rng = new SeededRandom(20261123);

  beforeAll(async () => {
    b = makeBench(sameData());
    const t = await team(b, 20);
    supervisor = t.supervisor;
    exports = await makeExports(b, t.staff, 10, rng);
  }, 600_000);
  afterAll(() => {
    b?.cleanup();
    other?.cleanup();
  });

  it('made 200 exports by 20 users, all registered and complete', async () => {
    expect(exports).toHaveLength(200);
    const register = await b.ok(supervisor, 'export.register', { limit: 1000 });
    expect(register).toHaveLength(200);
    expect(new Set(register.map((e) => e.username)).size).toBe(20);
    expect(register.every((e) => e.status === 'complete')).toBe(true);
    // The rows' marks are per export: the same finding has another mark in every export.
    const marks = exports.flatMap((e) => e.rows.map((r) => r[0]));
    expect(new Set(marks).size).toBe(marks.length);
    // The hidden tag never touches names, ID numbers, amounts or dates.
    for (const e of exports) for (const r of e.rows) for (const i of [4, 5, 6, 8, 12]) expect(String(r[i])).not.toMatch(ZW);
  });

  it('names the right export first in ≥ 99% of 200 leaks round-tripped through LibreOffice', async () => {
    const dir = join(b.dir, 'leaks');
    mkdirSync(dir, { recursive: true });
    const eligible = exports.filter((e) => e.rows.length >= 50);
    expect(eligible.length).toBeGreaterThan(150);
    const trials: { source: Exported; file: string; evidenceShare: number }[] = [];
    for (let i = 0; i < 200; i++) {
      const source = rng.pick(eligible);
      const file = join(dir, `leak-${String(i).padStart(3, '0')}.xlsx`);
      const leak = leakOf(source, rng);
      await writeXlsx(file, leak);
      trials.push({ source, file, evidenceShare: leak.evidenceShare });
    }
    // Half re-saved as xlsx, half saved as CSV, by LibreOffice.
    const resaved = convertWithLibreOffice(trials.filter((_, i) => i % 2 === 0).map((t) => t.file), 'xlsx', join(dir, 'resaved'));
    const asCsv = convertWithLibreOffice(trials.filter((_, i) => i % 2 === 1).map((t) => t.file), 'csv', join(dir, 'csv'));
    const converted = trials.map((t, i) => ({ ...t, file: i % 2 === 0 ? resaved[i / 2]! : asCsv[(i - 1) / 2]! }));

    let first = 0;
    const scores: number[] = [];
    for (const t of converted) {
      const trace = await b.ok(supervisor, 'export.trace', { fileName: t.file.split('/').pop()!, base64: readFileSync(t.file).toString('base64') });
      const top = trace.candidates[0];
      if (top?.exportId === t.source.exportId && top.attributed) first++;
      const score = top?.exportId === t.source.exportId ? top.score : 0;
      scores.push(score);
      expect(trace.dataRows).toBe(50); // the header is recognised
      // Every row that kept its mark or its hidden tag through LibreOffice is explained, and no other row is.
      expect(score).toBeCloseTo(t.evidenceShare, 6);
    }
    console.log(`leak trials: right export first in ${first}/200; median score ${scores.sort((x, y) => x - y)[100]}`);
    expect(first).toBeGreaterThanOrEqual(198);
    // Keyed evidence on (nearly) every row, not a lucky few: only when the 线索编号 column and a row's one tag-carrying
    // column are both dropped does that row go unexplained (checked trial by trial above).
    expect(scores[100]).toBe(1);
  }, 600_000);

  it('attributes none of 1,000 samples that came from no registered export', async () => {
    // Another workstation (its own keys) exporting the same data.
    other = makeBench(sameData());
    const t = await team(other, 4);
    const foreign = await makeExports(other, t.staff, 3, new SeededRandom(7));
    let attributed = 0;
    let anyCandidate = 0;
    for (let i = 0; i < 1000; i++) {
      let table;
      if (i % 2 === 0) {
        table = leakOf(rng.pick(foreign.filter((e) => e.rows.length >= 50)), rng);
      } else {
        // Rows of a real export with the keyed marks forged: marks of the right shape, tags of the right length.
        const forged = leakOf(rng.pick(exports.filter((e) => e.rows.length >= 50)), rng);
        const fake = () => Array.from({ length: 12 }, () => rng.pick([...'0123456789ABCDEFGHJKMNPQRSTVWXYZ'])).join('');
        const fakeTag = () => Array.from({ length: 20 }, () => rng.pick(['\u200B', '\u200C', '\u200D', '\u2060'])).join('');
        table = {
          header: forged.header,
          rows: forged.rows.map((r) => r.map((c) => (typeof c === 'string' ? c.replace(/^[0-9A-Z]{12}$/, fake).replace(/(?:\u200B|\u200C|\u200D|\u2060)+/g, fakeTag) : c))),
        };
      }
      const trace = await b.ok(supervisor, 'export.trace', { text: tsv(table) });
      if (trace.candidates.some((c) => c.attributed)) attributed++;
      if (trace.candidates.length) anyCandidate++;
      expect(trace.dataRows).toBe(50);
    }
    console.log(`unrelated samples: ${attributed}/1000 attributed, ${anyCandidate}/1000 with any candidate`);
    expect(attributed).toBe(0);
    expect(anyCandidate).toBe(0);
  }, 600_000);

  it('states but never counts an export id the file claims for itself, and traces pasted rows and CSV files', async () => {
    const source = exports.find((e) => e.format === 'csv' && e.rows.length >= 50)!;
    const victim = exports.find((e) => e.exportId !== source.exportId)!;
    const leak = leakOf(source, rng, 10);
    // A leaker pastes another export's banner on top to frame a colleague.
    const framed = `救助审计工作站导出 · 编号 ${victim.exportId}\n${tsv(leak)}`;
    const trace = await b.ok(supervisor, 'export.trace', { text: framed });
    expect(trace.candidates[0]).toMatchObject({ exportId: source.exportId, attributed: true });
    expect(trace.candidates.map((c) => c.exportId)).not.toContain(victim.exportId);
    expect(trace.stated).toContainEqual({ exportId: victim.exportId, known: true });

    const csv = stringify([leak.header, ...leak.rows]);
    const asFile = await b.ok(supervisor, 'export.trace', { fileName: 'leak.csv', base64: Buffer.from(csv).toString('base64') });
    expect(asFile.candidates[0]?.exportId).toBe(source.exportId);
    expect(asFile.format).toBe('csv');

    // Only supervisors trace; the trace is audited with the file's hash, never its rows.
    expect(await b.call('user00', 'export.trace', { text: framed })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
    const history = (await b.ok(supervisor, 'audit.myHistory', { limit: 20 })).entries;
    const traced = history.filter((e) => e.action === 'export.traced');
    expect(traced.length).toBeGreaterThan(0);
    // (the row's longest cell: a fixed column can be empty after the leak's columns were dropped)
    const distinctive = leak.rows[0]!.map(String).sort((x, y) => y.length - x.length)[0]!;
    expect(distinctive.length).toBeGreaterThan(5);
    expect(JSON.stringify(history)).not.toContain(distinctive);
  });

  it('traces from the command line, as the supervisor, on the same data folder', async () => {
    const source = exports.find((e) => e.format === 'xlsx' && e.rows.length >= 50)!;
    const file = join(b.dir, 'cli-leak.xlsx');
    await writeXlsx(file, leakOf(source, rng));
    b.ws.close();
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src-main/shells/cli/main.ts', 'trace', file, '--user', 'chief', '--data', b.dir], {
      env: { ...process.env, AW_PASSWORD: 'chief-pass-5678' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`1. ATTRIBUTED`);
    expect(run.stdout).toContain(source.exportId);
    b.reopen();
  }, 180_000);
});
