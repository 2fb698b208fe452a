/** "Now" is read only through the injected clock (platform/clock.ts); lint enforces it, and this proves the rule bites. */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function violations(filePath: string, code: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-syntax').length;
}

describe('one clock', () => {
  it('refuses reading the time directly anywhere in src-main', async () => {
    expect(await violations('src-main/services/x.ts', 'export const at = new Date().toISOString();\n')).toBe(1);
    expect(await violations('src-main/data-platform/x.ts', 'export const at = Date.now();\n')).toBe(1);
    expect(await violations('src-main/store/snapshot/x.ts', 'export const at = Date();\n')).toBe(1);
  });

  it('allows the clock module itself, durations, and instants that are given', async () => {
    expect(await violations('src-main/platform/clock.ts', 'export const now = () => Date.now();\n')).toBe(0);
    expect(await violations('src-main/services/x.ts', 'export const ms = performance.now();\n')).toBe(0);
    expect(await violations('src-main/services/x.ts', "export const next = new Date(Date.parse('2024-07-01T00:00:00Z') + 1).toISOString();\n")).toBe(0);
  });
});
