/**
 * The bundled command line (scripts/build-cli.mjs → `node out/cli/main.js …`, as an operator's shipped build would run
 * it): it generates a snapshot, checks it on the two rule threads — the snapshot worker started from the bundle's own
 * snapshot-worker.js — with exactly the findings the source finds, and writes the monthly report (the PDF font and
 * pdfkit's files found from the bundle).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkReport, runChecks } from '../../src-main/services/checks/rule-engine.js';
import { SnapshotDb } from '../../src-main/store/snapshot/snapshot-db.js';

const root = resolve(import.meta.dirname, '../..');
let outdir: string;
let dir: string;
let snapshotFile: string;

/** Runs the bundled CLI; returns its exit status and output. */
const bundled = (...args: string[]) => spawnSync(process.execPath, [join(outdir, 'main.js'), ...args], { cwd: root, encoding: 'utf8' });

beforeAll(() => {
  // Inside the repository (out/ is ignored), as out/cli is: the external packages resolve from its node_modules.
  mkdirSync(join(root, 'out'), { recursive: true });
  outdir = mkdtempSync(join(root, 'out', 'cli-test-'));
  execFileSync(process.execPath, [join(root, 'scripts/build-cli.mjs'), outdir], { cwd: root, stdio: 'pipe' });
  dir = mkdtempSync(join(tmpdir(), 'aw-cli-bundle-'));
  const gen = bundled('generate', '--out', join(dir, 'gen'), '--persons', '3000', '--seed', '5', '--format', 'snapshot');
  expect(gen.status, gen.stderr).toBe(0);
  snapshotFile = join(dir, 'gen', 'snapshot.db');
});
afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

describe('the bundled cli', () => {
  it('is built as entries, workers and chunks in one folder, with the native packages left outside', () => {
    const files = readdirSync(outdir);
    for (const f of ['main.js', 'snapshot-worker.js', 'feed-worker.js']) expect(files).toContain(f);
    expect(files.some((f) => /^chunk-.+\.js$/.test(f))).toBe(true);
    const text = files.filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(outdir, f), 'utf8')).join('\n');
    expect(text).toMatch(/from ["']better-sqlite3-multiple-ciphers["']/);
    // Nothing left for Node to load from the TypeScript sources.
    expect(text).not.toMatch(/from ["'][^"']*src-main\//);
  });

  it('checks a snapshot on its two rule threads with the findings the source finds', async () => {
    const key = Buffer.from(readFileSync(`${snapshotFile}.key`, 'utf8').trim(), 'hex');
    const snapshot = SnapshotDb.open(snapshotFile, key);
    try {
      // At the policy defaults every rule reads the rows the snapshot's build stored; at the v1 preset the rules whose
      // values it changes (the household judgement's among them) run live on the bundle's two threads.
      for (const preset of ['policy', 'v1'] as const) {
        const out = join(dir, `check-${preset}.json`);
        const run = bundled('check', '--snapshot', snapshotFile, '--json', out, '--preset', preset);
        expect(run.status, run.stderr).toBe(0);
        expect(run.stdout).toMatch(/\d+ findings written to/);
        const report = JSON.parse(readFileSync(out, 'utf8')) as ReturnType<typeof checkReport>;
        expect(report.findings.length).toBeGreaterThan(100);
        const live = report.run.rules.filter((r) => !(r as { storedAtBuild?: true }).storedAtBuild).map((r) => r.id);
        if (preset === 'v1') expect(live).toContain('R-EXIT');
        else expect(live).toEqual([]);
        // The source, on this thread: the same rules, findings and evidence, in the same order.
        const source = checkReport(snapshot, await runChecks(snapshot, { clock: { now: () => 0 }, threads: 1, preset }));
        expect(report.run.rules.map((r) => [r.id, r.count])).toEqual(source.run.rules.map((r) => [r.id, r.count]));
        expect(report.findings.map((f) => [f.rule, f.subjectKind, f.subject, f.fingerprint])).toEqual(source.findings.map((f) => [f.rule, f.subjectKind, f.subject, f.fingerprint]));
        expect(report.findings).toEqual(JSON.parse(JSON.stringify(source.findings)));
      }
    } finally {
      snapshot.close();
    }

    // The threads are the bundle's own: without its snapshot-worker.js a live check cannot run.
    renameSync(join(outdir, 'snapshot-worker.js'), join(outdir, 'snapshot-worker.js.away'));
    try {
      const without = bundled('check', '--snapshot', snapshotFile, '--json', join(dir, 'none.json'), '--rules', 'R-DEATH,R-EXIT', '--preset', 'v1');
      expect(without.status).toBe(1);
      expect(without.stderr).toContain(join(outdir, 'snapshot-worker.js'));
    } finally {
      renameSync(join(outdir, 'snapshot-worker.js.away'), join(outdir, 'snapshot-worker.js'));
    }
  });

  it('writes the monthly report (PDF with its font, xlsx) and csv feeds', () => {
    const report = bundled('report', '--snapshot', snapshotFile, '--period', '2024-06', '--out', join(dir, 'report'));
    expect(report.status, report.stderr).toBe(0);
    expect(report.stderr).not.toMatch(/Warning/);
    const files = readdirSync(join(dir, 'report'));
    const pdf = files.find((f) => f.endsWith('.pdf'))!;
    expect(readFileSync(join(dir, 'report', pdf)).subarray(0, 5).toString()).toBe('%PDF-');
    expect(files.some((f) => f.endsWith('.xlsx'))).toBe(true);

    const csv = bundled('generate', '--out', join(dir, 'csv'), '--persons', '500', '--format', 'csv', '--dirty');
    expect(csv.status, csv.stderr).toBe(0);
    expect(existsSync(join(dir, 'csv', 'feeds', 'person.csv'))).toBe(true);
  });
});
