/** Both languages carry the same keys, and every error code and audited call has a label in each. */
import { describe, expect, it } from 'vitest';
import en from '../../resources/i18n/en.json';
import zh from '../../resources/i18n/zh-CN.json';
import { contract } from '../../src-main/contract/contract.js';
import { ERROR_CODES } from '../../src-main/contract/errors.js';

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

describe('translations', () => {
  it('have the same keys in zh-CN and en', () => {
    expect(keys(en).sort()).toEqual(keys(zh).sort());
  });

  it('name every error code and every audited call', () => {
    for (const code of ERROR_CODES) expect(zh.errors, code).toHaveProperty(code);
    for (const [name, spec] of Object.entries(contract)) {
      if (spec.audit === 'always') expect(Object.keys(zh.actions), name).toContain(name);
    }
  });
});
