/**
 * What the rules say to a person is in their words: every finding of every built-in rule, on a generated district
 * with every anomaly planted, is explained without a column name, a code, English, JSON or a whole ID number.
 */
import { describe, expect, it } from 'vitest';
import { resolveParameters } from '../../src-main/domain/rules/rule-library.js';
import { BUILTIN_RULES } from '../../src-main/rules/index.js';
import { generateDistrict } from '../../src-main/generator/district-generator.js';
import { terms } from '../../src-main/platform/terms.js';
import { runChecks } from '../../src-main/services/checks/rule-engine.js';
import { explainEvidence } from '../../src-main/services/evidence/explain-evidence.js';
import { SnapshotDb } from '../../src-main/store/snapshot/snapshot-db.js';
import { SnapshotWriter } from '../../src-main/store/snapshot/snapshot-writer.js';
import { humanTextProblems } from '../helpers/human-text.js';
import { systemClock } from '../../src-main/platform/clock.js';

describe('findings in words', () => {
  const writer = SnapshotWriter.inMemory();
  const rates = { death: 0.05, hukouOut: 0.05, mutex: 0.03, attr: 0.05, exit: 0.15, cover: 0.2, payment: 0.05, quality: 0.02 };
  const summary = generateDistrict({ seed: 77, persons: 4000, rates }, { row: (r) => writer.write(r), truth: () => undefined });
  const snapshot = SnapshotDb.fromDatabase(writer.finish({ snapshotId: 'h', asOf: summary.asOf, jurisdiction: summary.jurisdiction, createdAt: 'x' })!, 'synced');

  it('explains every finding of every built-in rule in Chinese, with the figures', async () => {
    const run = await runChecks(snapshot, { clock: systemClock });
    const t = terms('zh-CN');
    const seen = new Set<string>();
    const problems: string[] = [];
    for (const f of run.findings) {
      const rule = BUILTIN_RULES.find((r) => r.id === f.ruleId)!;
      const x = explainEvidence(f.ruleId, JSON.parse(f.evidenceJson), { t, asOf: summary.asOf, amountCents: f.amountCents, parameters: resolveParameters(rule), divisionName: (c) => snapshot.divisionName(c) });
      seen.add(f.ruleId);
      expect(x.summary.length, f.ruleId).toBeGreaterThan(0);
      const text = [...x.summary, ...x.rows.flatMap((r) => [r.table, r.key, ...r.fields.flatMap((fl) => [fl.label, fl.value])])].join('\n');
      for (const p of humanTextProblems(text)) problems.push(`${f.ruleId}: ${p} in ${text.slice(0, 300)}`);
      // A rule with money names it, in 元.
      if (rule.money && f.amountCents) expect(x.summary.join(''), f.ruleId).toMatch(/[\d,]+\.\d{2} 元/);
    }
    expect([...new Set(problems)].slice(0, 10)).toEqual([]);
    expect([...seen].sort()).toEqual(BUILTIN_RULES.map((r) => r.id).filter((id) => seen.has(id)).sort());
    // Every rule of the library found something on this district, so every one was read.
    expect(seen.size).toBeGreaterThanOrEqual(BUILTIN_RULES.length - 2);
  });

  it('explains every finding in English for an English reader: Chinese only where the data itself is Chinese', async () => {
    const run = await runChecks(snapshot, { clock: systemClock });
    const t = terms('en');
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const f of run.findings) {
      const rule = BUILTIN_RULES.find((r) => r.id === f.ruleId)!;
      // The data's own Chinese — names, institutions, free text, the divisions' names — may be quoted; no word of the app's.
      const named: string[] = [];
      const divisionName = (c: string) => {
        const name = snapshot.divisionName(c);
        if (name) named.push(name);
        return name;
      };
      const x = explainEvidence(f.ruleId, JSON.parse(f.evidenceJson), { t, language: 'en', asOf: summary.asOf, amountCents: f.amountCents, parameters: resolveParameters(rule), divisionName });
      seen.add(f.ruleId);
      const text = [...x.summary, x.owed ?? '', ...x.rows.flatMap((r) => [r.table, r.key, ...r.fields.flatMap((fl) => [fl.label, fl.value])])].join('\n');
      const data = f.evidenceJson + named.join(' ');
      for (const run of text.match(/[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+/g) ?? []) {
        if (!data.includes(run)) problems.push(`${f.ruleId}: "${run}" in ${text.slice(0, 300)}`);
      }
      if (/\{\{|explain\./.test(text)) problems.push(`${f.ruleId}: a key or placeholder in ${text.slice(0, 300)}`);
      if (rule.money && f.amountCents) expect(x.summary.join(''), f.ruleId).toMatch(/[\d,]+\.\d{2} yuan/);
    }
    expect([...new Set(problems)].slice(0, 10)).toEqual([]);
    expect(seen.size).toBeGreaterThanOrEqual(BUILTIN_RULES.length - 2);
  });
});
