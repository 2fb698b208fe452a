import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JsonText } from '../../src-main/domain/json-text.js';
import { writeReportJson } from '../../src-main/shells/cli/report-json.js';

const dir = mkdtempSync(join(tmpdir(), 'report-json-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the cli reports’ JSON', () => {
  const report = {
    format: 'audit-workstation/check-report@1',
    run: { scope: null, rules: [{ id: 'R-DEATH', count: 3 }] },
    findings: Array.from({ length: 4_321 }, (_, i) => ({ rule: 'R-DEATH', subject: `p${i}`, evidence: { rows: [{ note: '死亡 "x"\n' }] } })),
  };

  it('reads back as the report, with each entry on a line of its own', () => {
    const file = join(dir, 'check.json');
    writeReportJson(file, report, 'findings');
    const text = readFileSync(file, 'utf8');
    expect(JSON.parse(text)).toEqual(report);
    const lines = text.split('\n');
    expect(lines.filter((l) => l.startsWith('    {"rule":"R-DEATH"'))).toHaveLength(4_321);
    expect(lines).toContain('  "format": "audit-workstation/check-report@1",');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('copies evidence kept as JSON text as it is, as the value it stands for', () => {
    const file = join(dir, 'text.json');
    const evidence = '{"rows":[{"note":"死亡 \\"x\\"\\n","cents":12}],"comparisons":[]}';
    const entries = [
      { rule: 'R-EXIT', subject: 'H1', evidence: new JsonText(evidence), amountCents: 5 },
      { evidence: new JsonText('[]') },
      { rule: 'R-DEATH', evidence: null },
    ];
    writeReportJson(file, { format: 'f', findings: entries }, 'findings');
    const text = readFileSync(file, 'utf8');
    expect(JSON.parse(text)).toEqual({ format: 'f', findings: JSON.parse(JSON.stringify(entries)) });
    expect(JSON.parse(text).findings[0].evidence.rows[0].note).toBe('死亡 "x"\n');
    expect(text).toContain(`    {"rule":"R-EXIT","subject":"H1","amountCents":5,"evidence":${evidence}},`);
    expect(text).toContain('    {"evidence":[]},');
  });

  it('writes an empty list as []', () => {
    const file = join(dir, 'empty.json');
    writeReportJson(file, { format: 'f', warnings: [] }, 'warnings');
    expect(readFileSync(file, 'utf8')).toBe('{\n  "format": "f",\n  "warnings": []\n}\n');
  });
});
