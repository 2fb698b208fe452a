/**
 * Export benchmark, through the real service stack (dispatcher, validation, audit entry, register):
 * - 100,000-row watermarked exports of the findings inbox to CSV, xlsx and PDF: time, size, peak memory added;
 * - a 500,000-row xlsx export, to show that memory stays bounded as rows grow (BENCH_EXPORT_LARGE=0 skips it);
 * - the leak trace of a 50-row excerpt (re-sorted, two columns dropped, written as a new workbook) against a register
 *   of 10,000 exports (BENCH_REGISTERED; synthetic entries of 50–1,000 rows each, plus the real ones).
 * Findings are a real rule run over a generated district, repeated under new fingerprints up to the row count needed.
 * Writes bench/results/exports.json.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { CallInput, CallName } from '../src-main/contract/contract.js';
import { exportClosingMessage, exportOpeningMessage } from '../src-main/domain/authorship.js';
import { generateDistrict } from '../src-main/generator/district-generator.js';
import { withSubjects } from '../src-main/services/checks/check-service.js';
import { runChecks } from '../src-main/services/checks/rule-engine.js';
import { createWorkstation } from '../src-main/services/workstation.js';
import { SnapshotDb } from '../src-main/store/snapshot/snapshot-db.js';
import { SnapshotWriter } from '../src-main/store/snapshot/snapshot-writer.js';
import type { ExportEntry } from '../src-main/store/team/export-register.js';
import { testSigner } from '../test/helpers/signers.js';
import { withPeakMemory } from './peak-memory.js';
import { systemClock } from '../src-main/platform/clock.js';

const REGISTERED = Number(process.env.BENCH_REGISTERED ?? 10_000);
const LARGE = process.env.BENCH_EXPORT_LARGE !== '0';
const RATES = { death: 0.08, hukouOut: 0.08, mutex: 0.08, attr: 0.08, exit: 0.3, cover: 0.3, payment: 0.25, quality: 0.03 };
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const dir = mkdtempSync(join(tmpdir(), 'aw-bench-exports-'));
const pct = (xs: number[], p: number) => +[...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!.toFixed(1);
const sort = { column: 'priority' as const, direction: 'desc' as const };

try {
  const key = randomBytes(32);
  const file = join(dir, 'snapshot.db');
  const writer = SnapshotWriter.toFile(file, key);
  const summary = generateDistrict({ seed: 12, persons: 100_000, rates: RATES }, { row: (r) => writer.write(r), truth: () => undefined });
  writer.finish({ snapshotId: 'bench-exports', asOf: summary.asOf, jurisdiction: summary.jurisdiction, createdAt: new Date().toISOString() });
  const snapshot = SnapshotDb.open(file, key);
  const county = summary.jurisdiction[0]!;
  const run = await runChecks(snapshot, { clock: systemClock, scope: [county] });
  const real = withSubjects(snapshot, run.findings);
  console.log(`${real.length} real findings from ${summary.persons} persons`);

  /** A workstation whose team store holds `rows` findings, and its supervisor's call function. */
  async function workstationWith(name: string, rows: number) {
    const ws = createWorkstation({
      dataDir: join(dir, name),
      transport: 'http',
      kdfCost: { N: 2 ** 14, r: 8, p: 1 },
      snapshots: { forUser: () => snapshot, invalidate: () => undefined, close: () => undefined },
      maxExportRows: 10_000_000,
    });
    const ok = async <K extends CallName>(client: string, call: K, input: CallInput<K>) => {
      const r = await ws.dispatch(client, call, input);
      if (!r.ok) throw new Error(`${call}: ${r.error.code} ${r.error.message}`);
      return r.value as never;
    };
    await ok('admin', 'auth.setupAdmin', { username: 'admin', displayName: '管理员', password: 'bench-admin-pass-1' });
    await ok('admin', 'users.create', { username: 'sup', displayName: '主管', role: 'supervisor', scope: [county], initialPassword: 'bench-initial-1' });
    await ok('sup', 'auth.login', { username: 'sup', password: 'bench-initial-1' });
    await ok('sup', 'auth.changePassword', { currentPassword: 'bench-initial-1', newPassword: 'bench-own-pass-1' });
    const team = ws.internals.team.forUser(ws.internals.sessions.get('sup')!.user.id);
    const findings = [...real];
    for (let copy = 1; findings.length < rows; copy++) {
      for (const f of real) {
        if (findings.length >= rows) break;
        findings.push({ ...f, fingerprint: createHash('sha256').update(`${f.fingerprint}:${copy}`).digest('hex').slice(0, 32) });
      }
    }
    team.findings.recordRun({ ...run, runBy: 'sup' }, findings.slice(0, rows));
    return { ws, ok, team };
  }

  // 100,000 rows in each format.
  const hundred = await workstationWith('w100k', 100_000);
  const formats: Record<string, unknown> = {};
  let xlsxFile = '';
  let xlsxId = '';
  for (const format of ['csv', 'xlsx', 'pdf'] as const) {
    const m = await withPeakMemory(() => hundred.ok('sup', 'export.findings', { format, purpose: 'benchmark', filter: {}, sort }) as Promise<{ rows: number; bytes: number; file: string; exportId: string }>);
    if (format === 'xlsx') [xlsxFile, xlsxId] = [m.value.file, m.value.exportId];
    formats[format] = { rows: m.value.rows, ms: m.ms, megabytes: +(m.value.bytes / 1e6).toFixed(1), peakRssAddedMiB: m.peakRssAddedMiB };
    console.log(`export ${format}: ${m.value.rows} rows in ${m.ms} ms, ${(m.value.bytes / 1e6).toFixed(1)} MB, peak RSS +${m.peakRssAddedMiB} MiB`);
  }

  // The register grows to REGISTERED exports (synthetic entries: the lookup cost depends on how many marks it holds).
  const t = Date.now();
  let registeredRows = 0;
  // Synthetic marks rise from one export to the next (a 3-character export prefix, then random), so the register is
  // built by appending rather than by 5 million random inserts; a lookup's cost depends on the size of the tree, not on
  // the order it was filled in. The same holds for identities. Real exports' marks are random (see intoBigRegister).
  const prefix = (i: number) => Array.from({ length: 3 }, (_, k) => CROCKFORD[Math.floor(i / 32 ** (2 - k)) % 32]).join('');
  const mark = (i: number) => prefix(i) + Array.from(randomBytes(9), (b) => CROCKFORD[b & 31]).join('');
  const signers = Array.from({ length: 20 }, (_, i) => testSigner(`u${i}`, `用户${i}`, 'auditor'));
  for (let i = 0; i < REGISTERED; i++) {
    const exportId = randomUUID();
    const entry: ExportEntry = {
      exportId,
      createdAt: new Date().toISOString(),
      userId: `u${i % 20}`,
      username: `user${i % 20}`,
      displayName: `用户${i % 20}`,
      kind: 'findings',
      format: 'xlsx',
      purpose: 'synthetic',
      recipient: null,
      query: {},
      scope: [county],
      columns: [],
      masking: {},
      tag: randomBytes(5).toString('hex'),
      auditHead: null,
      approvalId: null,
    };
    hundred.team.exports.begin(entry, signers[i % 20]!.sign(exportOpeningMessage(entry)));
    const n = 50 + Math.floor(Math.random() * 951);
    hundred.team.exports.addRows(exportId, Array.from({ length: n }, () => ({ rowMark: mark(i), identity: (i + 0x1000).toString(16).padStart(6, '0') + randomBytes(5).toString('hex') })));
    const closing = { rowCount: n, fileName: 'synthetic', fileSha256: '0'.repeat(64) };
    hundred.team.exports.complete(exportId, closing, signers[i % 20]!.sign(exportClosingMessage({ exportId, ...closing })));
    registeredRows += n;
  }
  const registerMs = Date.now() - t;
  console.log(`${REGISTERED} synthetic exports (${registeredRows} rows) registered in ${registerMs} ms`);

  // Leaks of 50 rows of the real 100,000-row xlsx: re-sorted, two columns dropped, written as a new workbook.
  const source = new ExcelJS.Workbook();
  await source.xlsx.readFile(xlsxFile);
  const all: (string | number)[][] = [];
  source.getWorksheet('导出')!.eachRow((row, n) => {
    if (n > 2) all.push((row.values as (string | number | null)[]).slice(1).map((v) => v ?? ''));
  });
  const traceMs: number[] = [];
  let rightFirst = 0;
  for (let trial = 0; trial < 20; trial++) {
    const picked = Array.from({ length: 50 }, () => all[Math.floor(Math.random() * all.length)]!).sort((a, b) => String(a[7]).localeCompare(String(b[7])));
    const drop = new Set([Math.floor(Math.random() * 13), Math.floor(Math.random() * 13)]);
    const leak = new ExcelJS.Workbook();
    const sheet = leak.addWorksheet('Sheet1');
    for (const r of picked) sheet.addRow(r.filter((_, i) => !drop.has(i)));
    const leakFile = join(dir, `leak-${trial}.xlsx`);
    await leak.xlsx.writeFile(leakFile);
    const s = performance.now();
    const trace = (await hundred.ok('sup', 'export.trace', { fileName: 'leak.xlsx', base64: readFileSync(leakFile).toString('base64') })) as { candidates: { attributed: boolean; exportId: string }[] };
    traceMs.push(performance.now() - s);
    if (trace.candidates[0]?.attributed && trace.candidates[0].exportId === xlsxId) rightFirst++;
  }
  console.log(`trace of a 50-row leak against ${hundred.team.exports.count()} exports: median ${pct(traceMs, 50)} ms, max ${Math.round(Math.max(...traceMs))} ms; attributed ${rightFirst}/20`);

  // What a big register costs an export: the same 100,000-row xlsx, now that millions of marks are registered.
  const intoBig = await withPeakMemory(() => hundred.ok('sup', 'export.findings', { format: 'xlsx', purpose: 'benchmark', filter: {}, sort }) as Promise<{ rows: number; bytes: number }>);
  const intoBigRegister = { rows: intoBig.value.rows, ms: intoBig.ms, peakRssAddedMiB: intoBig.peakRssAddedMiB };
  console.log(`export xlsx into the big register: ${intoBig.value.rows} rows in ${intoBig.ms} ms, peak RSS +${intoBig.peakRssAddedMiB} MiB`);
  hundred.ws.close();

  let large: unknown = null;
  if (LARGE) {
    const big = await workstationWith('w500k', 500_000);
    const m = await withPeakMemory(() => big.ok('sup', 'export.findings', { format: 'xlsx', purpose: 'benchmark', filter: {}, sort }) as Promise<{ rows: number; bytes: number }>);
    large = { rows: m.value.rows, ms: m.ms, megabytes: +(m.value.bytes / 1e6).toFixed(1), peakRssAddedMiB: m.peakRssAddedMiB };
    console.log(`export xlsx: ${m.value.rows} rows in ${m.ms} ms, ${(m.value.bytes / 1e6).toFixed(1)} MB, peak RSS +${m.peakRssAddedMiB} MiB`);
    big.ws.close();
  }

  const result = {
    benchmark: 'exports',
    at: new Date().toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
    note: 'exports through the dispatcher: row marks, hidden tags, register rows written as they go, file hash; peak RSS sampled every 10 ms from a worker thread',
    exports100k: formats,
    export100kXlsxIntoBigRegister: intoBigRegister,
    export500kXlsx: large,
    trace: {
      registeredExports: REGISTERED + 3,
      registeredRows: registeredRows + 300_000,
      note: 'synthetic entries of 50–1,000 rows, marks appended in rising order to build the register quickly; lookups are random',
      registerBuildMs: registerMs,
      leakRows: 50,
      trials: traceMs.length,
      medianMs: pct(traceMs, 50),
      maxMs: Math.round(Math.max(...traceMs)),
      attributedToTheRightExport: rightFirst,
    },
  };
  mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(join(import.meta.dirname, 'results', 'exports.json'), JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify(result, null, 2));
  snapshot.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
