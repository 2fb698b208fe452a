/** One rule, one folder (docs/adding-a-rule.md): the list in src-main/rules/index.ts, the folders and the renderer's catalogue agree. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULE_CATALOGUE, SIGNAL_CATALOGUE } from '../../src-main/rules/catalogue.js';
import { BUILTIN_RULES, QUALITY_RULES, RULE_MODULES, SPENDING_FLAGS } from '../../src-main/rules/index.js';
import { SIGNAL_MODULES } from '../../src-main/rules/signals/index.js';
import { parameterByName } from '../../src-main/domain/rules/parameters.js';

const root = join(import.meta.dirname, '../../src-main/rules');
// shared/ holds the rules' common pieces and signals/ the monitoring signals (their own list): neither is a rule.
const folders = readdirSync(root).filter((f) => f !== 'shared' && f !== 'signals' && statSync(join(root, f)).isDirectory());

describe('the rule modules', () => {
  it('are one per folder, named by the rule id in lower case', () => {
    expect(RULE_MODULES.map((m) => m.definition.id.toLowerCase()).sort()).toEqual([...folders].sort());
    expect(new Set(BUILTIN_RULES.map((r) => r.id)).size).toBe(BUILTIN_RULES.length);
  });

  it('the renderer reads the same definitions in the same order', () => {
    expect(RULE_CATALOGUE.map((d) => d.id)).toEqual(BUILTIN_RULES.map((r) => r.id));
    expect(RULE_CATALOGUE).toEqual(BUILTIN_RULES);
  });

  it('each has a statement', () => {
    for (const m of RULE_MODULES) expect(m.sql.trim(), m.definition.id).not.toBe('');
  });

  it('the quality rules and the spending flags come from the modules', () => {
    expect(QUALITY_RULES.map((q) => q.id)).toEqual(BUILTIN_RULES.filter((r) => r.family === 'quality').map((r) => r.id));
    for (const m of RULE_MODULES.filter((x) => x.definition.family === 'spending')) {
      expect(m.paymentFlags, m.definition.id).toBeDefined();
      expect(SPENDING_FLAGS).toContain(`'${m.definition.id}' AS rule`);
    }
  });

  it('the signals are one per folder of rules/signals/, family monitoring, ids M-*, their parameters catalogued', () => {
    const signalRoot = join(root, 'signals');
    const signalFolders = readdirSync(signalRoot).filter((f) => f.startsWith('m-') && statSync(join(signalRoot, f)).isDirectory());
    expect(SIGNAL_MODULES.map((m) => m.definition.id.toLowerCase()).sort()).toEqual(signalFolders.sort());
    for (const m of SIGNAL_MODULES) {
      expect(m.definition.id).toMatch(/^M-[A-Z-]+$/);
      expect(m.definition.family).toBe('monitoring');
      expect(m.definition.name.zh.length, m.definition.id).toBeGreaterThan(1);
      expect(m.definition.basis[0]!.zh, m.definition.id).toMatch(/[《民]/);
      expect(m.definition.requires.length, m.definition.id).toBeGreaterThan(0);
      expect([0, 1]).toContain(m.thread);
      for (const p of m.definition.parameters) expect(parameterByName(p.name), `${m.definition.id} ${p.name}`).toBeDefined();
      expect(BUILTIN_RULES.some((r) => r.id === m.definition.id)).toBe(false);
    }
    expect(SIGNAL_CATALOGUE).toEqual(SIGNAL_MODULES.map((m) => m.definition));
  });
});
