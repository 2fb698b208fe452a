/**
 * `npm run cli -- monitor --snapshot FILE --json OUT [--parameters FILE] [--scope PREFIX]` (monitoring.md "Headless"):
 * the report's format, one entry per household hit, exactly the service's warnings (the CLI on two worker threads, the
 * service here on one); a scope keeps its households only;
 * a region's parameter file changes the values its households are judged with.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateMonitoring } from '../../src-main/services/monitoring/evaluate.js';
import { SnapshotDb } from '../../src-main/store/snapshot/snapshot-db.js';
import { makeSnapshot, type BuiltSnapshot } from '../helpers/platform-fixture.js';

interface Report {
  format: string;
  snapshot: { snapshotId: string; asOf: string };
  run: { signals: { id: string; missingFeeds?: string[]; sources: Record<string, string>; regional?: { region: string; parameters: Record<string, unknown>; sources: Record<string, string> }[] }[] };
  warnings: { household: string; head: string; division: string; signals: string[]; level: string; signalLevels: Record<string, string>; monitored: boolean; layers: string[]; fingerprint: string; evidence: Record<string, unknown[]> }[];
}

let dir: string;
let snap: BuiltSnapshot;
const cli = (...args: string[]) => execFileSync(process.execPath, ['--import', 'tsx', 'src-main/shells/cli/main.ts', 'monitor', '--snapshot', snap.file, ...args]).toString('utf8');
const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Report;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aw-monitor-cli-'));
  snap = makeSnapshot(dir, 'M-1', 3000, 7);
  writeFileSync(`${snap.file}.key`, snap.key.toString('hex'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cli monitor', () => {
  it('writes one warning per household hit, as the service finds them', async () => {
    const out = join(dir, 'all.json');
    const text = cli('--json', out);
    expect(text).toMatch(/\d+ warnings \(red \d+, orange \d+, yellow \d+\)/);
    const report = read(out);
    expect(report.format).toBe('audit-workstation/monitor-report@1');
    expect(report.snapshot.snapshotId).toBe('M-1');
    expect(report.warnings.length).toBeGreaterThan(0);
    expect(new Set(report.warnings.map((w) => w.household)).size).toBe(report.warnings.length);
    for (const w of report.warnings) {
      expect(['red', 'orange', 'yellow']).toContain(w.level);
      expect(Object.keys(w.signalLevels)).toEqual(w.signals);
      expect(Object.keys(w.evidence)).toEqual(w.signals);
      expect(w.head).toMatch(/^\d{17}[\dX]$/);
      expect(w.monitored).toBe(w.layers.length > 0);
    }
    const snapshot = SnapshotDb.open(snap.file, snap.key);
    try {
      // The CLI reads a snapshot file on two worker threads; the same evaluation on this thread gives the same warnings.
      const run = await evaluateMonitoring(snapshot, { clock: { now: () => 0 }, threads: 1 });
      const pick = (w: { household: string; head: string | null; level: string; signalLevels: Record<string, string>; layers: string[]; fingerprint: string }) => [w.household, w.head, w.level, w.signalLevels, w.layers, w.fingerprint];
      expect(report.warnings.map(pick)).toEqual(run.warnings.map(pick));
      expect(report.run.signals.map((s) => s.id)).toEqual(run.signals.map((s) => s.id));
    } finally {
      snapshot.close();
    }
  });

  it('keeps the scope, and judges a region with its own parameter file', () => {
    const all = read(join(dir, 'all.json'));
    const street = all.warnings[0]!.division.slice(0, 9);
    cli('--json', join(dir, 'street.json'), '--scope', street);
    const scoped = read(join(dir, 'street.json'));
    expect(scoped.warnings.map((w) => w.household)).toEqual(all.warnings.filter((w) => w.division.startsWith(street)).map((w) => w.household));

    // The region raises the students' threshold to 3: its two-student households are no longer warned for M-EDUCATION.
    const region = all.warnings.find((w) => w.signals.includes('M-EDUCATION'))!.division.slice(0, 6);
    writeFileSync(join(dir, 'region.json'), JSON.stringify({ region, effectiveFrom: '2020-01-01', parameters: { studentsThreshold: { value: 3, source: '测试：地方文件' } } }));
    cli('--json', join(dir, 'region.json.out'), '--parameters', join(dir, 'region.json'));
    const regional = read(join(dir, 'region.json.out'));
    const education = (r: Report, inside: boolean) => r.warnings.filter((w) => w.signals.includes('M-EDUCATION') && w.division.startsWith(region) === inside).map((w) => w.household);
    expect(education(all, true).length).toBeGreaterThan(0);
    expect(education(regional, true)).toEqual([]);
    expect(education(regional, false)).toEqual(education(all, false));
    // The run records the values it used and where they come from.
    const info = regional.run.signals.find((s) => s.id === 'M-EDUCATION')!;
    expect(info.sources.studentsThreshold).toContain('国办发〔2023〕39号');
    expect(info.regional).toEqual([{ region, parameters: { studentsThreshold: 3 }, sources: { studentsThreshold: '测试：地方文件' } }]);
  });
});
