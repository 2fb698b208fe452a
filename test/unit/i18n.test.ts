/** Both languages carry the same keys, and every error code and audited call has a label in each. */
import { describe, expect, it } from 'vitest';
import en from '../../resources/i18n/en.json';
import zh from '../../resources/i18n/zh-CN.json';
import { contract } from '../../src-main/contract/contract.js';
import { ERROR_CODES, ERROR_REASONS } from '../../src-main/contract/errors.js';
import { terms } from '../../src-main/platform/terms.js';
import { reasonText } from '../../src-renderer/components/reasonText.js';

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
      // Any call can be refused, and a refusal is audited under the call's name: every call is named in words.
      expect(Object.keys(zh.actions), name).toContain(name);
    }
  });
});

describe('service error reasons', () => {
  const sample = { folder: '/media/usb', dir: '/media/usb/aw-backup-x', file: '/media/usb/set.json', url: 'http://127.0.0.1:9', host: '10.0.0.1', path: 'manifest.json', status: 404, seq: 12, piece: 3, other: 4, expected: 'AB:CD', code: 'ERR_TLS_CERT_ALTNAME_INVALID', detail: 'bad port' };
  const nested = {
    why: { reason: 'unreachable.ECONNREFUSED' },
    seen: { reason: 'noCertificate' },
    refusal: { reason: 'syncRefusals.NETWORK' },
    problem: { reason: 'parameterFile.integer', params: { found: '"x"' } },
    parameter: { zh: '儿童补贴最大年龄', en: 'Oldest age for child allowances' },
  };
  const more = { found: '"x"', min: 0, max: 30, names: 'incomeMonths, childMaxAge' };
  it('are said in both languages: English without Chinese, Chinese in Chinese, no raw key or placeholder', () => {
    for (const reason of ERROR_REASONS) {
      const r = { reason, params: { ...sample, ...more, ...nested } };
      const english = reasonText(terms('en'), r);
      const chinese = reasonText(terms('zh-CN'), r);
      expect(english, reason).not.toMatch(/[\u4e00-\u9fff]|reasons\.|\{\{/);
      expect(chinese, reason).toMatch(/[\u4e00-\u9fff]/);
      expect(chinese, reason).not.toMatch(/reasons\.|\{\{/);
    }
  });

  it("name a parameter in the user's language (a parameter file's problem)", () => {
    const r = { reason: 'parameterFile.value', params: { parameter: { zh: '儿童补贴最大年龄', en: 'Oldest age for child allowances' }, problem: { reason: 'parameterFile.integer', params: { found: '"x"' } } } };
    expect(reasonText(terms('zh-CN'), r)).toBe('儿童补贴最大年龄应为整数，实际为 "x"');
    expect(reasonText(terms('en'), r)).toBe('Oldest age for child allowances: must be a whole number, found "x"');
  });

  it('nest a cause inside a cause (无法连接… because 对方拒绝连接)', () => {
    const r = { reason: 'platformUnreachable', params: { url: 'http://127.0.0.1:59998', why: { reason: 'unreachable.ECONNREFUSED' } } };
    expect(reasonText(terms('zh-CN'), r)).toBe('无法连接数据中台 http://127.0.0.1:59998：对方拒绝连接（地址或端口有误，或数据中台未运行）。请核对数据中台地址和网络连接后重试。');
    expect(reasonText(terms('en'), r)).toBe('Cannot connect to the data platform http://127.0.0.1:59998: the connection was refused (wrong address or port, or the platform is not running). Check the platform address and the network, then try again.');
  });
});
