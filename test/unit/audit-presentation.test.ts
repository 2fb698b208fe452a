/** Must show: an audit entry's details name the divisions of a data scope or region, as every other screen does. */
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src-main/domain/audit-chain.js';
import { terms } from '../../src-main/platform/terms.js';
import { presentAuditEntry } from '../../src-main/services/audit-presentation.js';

const entry = (detail: object): AuditEntry => ({
  seq: 1,
  ts: '2026-11-30T02:00:00.000Z',
  userId: 'u1',
  username: 'admin',
  action: 'users.create',
  target: 'li.audit',
  outcome: 'ok',
  detail: JSON.stringify(detail),
  prevHash: '',
  hash: '',
  mac: '',
});
const NAMES: Record<string, string> = { '320111000000': '浦口区', '320111004000': '泰山街道', '320111004001': '石桥社区' };
const divisionName = (code: string) => NAMES[code] ?? null;

describe('presentAuditEntry', () => {
  it('names a scope of county, street and community prefixes: 浦口区（320111）', () => {
    const p = presentAuditEntry(entry({ scope: ['320111', '320111004', '320111004001'], role: 'auditor' }), terms('zh-CN'), divisionName);
    expect(p.details).toContainEqual({ label: '数据范围', value: '浦口区（320111）、泰山街道（320111004）、石桥社区（320111004001）' });
    expect(p.details).toContainEqual({ label: '角色', value: '审计核查人员' });
  });

  it('names a region inside a nested detail, and leaves a code without a name as it is', () => {
    const p = presentAuditEntry(entry({ filter: { divisionPrefix: '320111004' }, scope: ['320999'] }), terms('zh-CN'), divisionName);
    expect(p.details).toContainEqual({ label: '筛选 · 区划', value: '泰山街道（320111004）' });
    expect(p.details).toContainEqual({ label: '数据范围', value: '320999' });
  });

  it('leaves out an empty list rather than showing 数据范围： with nothing after it', () => {
    expect(presentAuditEntry(entry({ role: 'admin', scope: [] }), terms('zh-CN'), divisionName).details).toEqual([{ label: '角色', value: '系统管理员' }]);
  });

  it('says the same in English for an English reader: the separators, a finding, a programme and a rule', () => {
    const p = presentAuditEntry(
      { ...entry({ scope: ['320111', '320111004'], program: 'dibao', ruleId: 'R-DEATH' }), target: 'a'.repeat(40) },
      terms('en'),
      divisionName,
      'en',
    );
    expect(p.target).toBe('finding aaaaaaaa');
    expect(p.details.map((d) => d.value)).toEqual(expect.arrayContaining(['浦口区 (320111), 泰山街道 (320111004)', 'Minimum living allowance (dibao)', 'Paid after death']));
    // Chinese only where the data is (the divisions' names).
    expect(p.details.map((d) => `${d.label} ${d.value}`).join(' ').replace(/浦口区|泰山街道/g, '')).not.toMatch(/[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/);
  });

  it('shows bare codes when no snapshot names them', () => {
    expect(presentAuditEntry(entry({ scope: ['320111'] }), terms('zh-CN')).details).toContainEqual({ label: '数据范围', value: '320111' });
  });
});
