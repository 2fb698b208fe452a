/** Must show: an audit entry's details name the divisions of a data scope or region, as every other screen does. */
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src-main/domain/audit-chain.js';
import { contract } from '../../src-main/contract/contract.js';
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

/** Every key of every call's input: what the dispatcher writes into an entry's details (secrets left out). */
function inputKeys(): Map<string, string> {
  const seen = new Map<string, string>();
  const walk = (schema: unknown, call: string, skip: readonly string[] = []): void => {
    const def = (schema as { _zod?: { def?: Record<string, unknown> } } | undefined)?._zod?.def;
    if (!def) return;
    switch (def.type) {
      case 'object':
        for (const [k, v] of Object.entries(def.shape as Record<string, unknown>)) {
          if (skip.includes(k)) continue;
          if (!seen.has(k)) seen.set(k, call);
          walk(v, call);
        }
        return;
      case 'optional':
      case 'nullable':
      case 'default':
      case 'readonly':
      case 'nonoptional':
      case 'catch':
      case 'prefault':
        return walk(def.innerType, call, skip);
      case 'array':
        return walk(def.element, call);
      case 'union':
        return (def.options as unknown[]).forEach((o) => walk(o, call, skip));
      case 'intersection':
        walk(def.left, call, skip);
        return walk(def.right, call, skip);
      case 'pipe':
        return walk(def.in, call, skip);
      case 'record':
        return walk(def.valueType, call);
    }
  };
  // personRef is never described (dispatcher.ts UNDESCRIBED_FIELDS); secrets never enter an entry.
  for (const [name, spec] of Object.entries(contract)) walk(spec.input, name, [...(spec.secretFields ?? []), 'personRef']);
  return seen;
}

/** Keys the services write into details themselves (check and monitoring runs, sync, backups, the system log). */
const SERVICE_KEYS = ['runId', 'new', 'persisting', 'resolved', 'rules', 'anchorSeq', 'headSeq', 'via', 'checked', 'firstBreak', 'seq', 'reason', 'rows', 'attributed', 'sha256', 'format', 'setId', 'piece', 'backedUpAt', 'piecesInSet', 'stoppedAt', 'team', 'replacedHeadSeq', 'replacedHeadHash', 'replacedFile', 'source', 'authenticated', 'systemLogSeq', 'at', 'result', 'sent', 'received', 'refusedEvents', 'resentEvents', 'resentExports', 'client', 'usernameHash', 'failures', 'retryAfterMs', 'code', 'idleMs', 'sessionsEnded', 'role', 'scope'];

describe('every detail an entry can carry', () => {
  it('has a label of its own in both languages, never the catch-all 其他参数', () => {
    const zh = terms('zh-CN');
    const en = terms('en');
    const missing = [...inputKeys().keys(), ...SERVICE_KEYS].filter((k) => [zh, en].some((t) => t(`audit.fields.${k}`, { defaultValue: '∅' }) === '∅'));
    expect(missing).toEqual([]);
  });

  const CJK = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;
  const run = { ...entry({ runId: 7, new: 468, persisting: 0, resolved: 2, rules: ['R-DEATH'] }), action: 'checks.completed', target: '演示数据-2026-11-30' };
  const decide = entry({ kind: 'decide', decision: { outcome: 'not_eligible', reason: 'income', departments: ['education'] } });
  const sync = entry({ result: 'up_to_date', via: 'delta', sent: 1, received: 2 });
  const fromSystemLog = entry({ source: 'system_log', authenticated: false, systemLogSeq: 3, at: '2026-11-30T17:05:00.000Z', reason: 'wrong_password' });
  const restored = entry({ setId: '9f2c41d0', piece: 4, team: 'kept', stoppedAt: { piece: 5, reason: 'piece 5 is missing from the set', why: { reason: 'pieceProblems.missing', params: { piece: 5 } } } });

  it('reads in words in English: no Chinese, no code, no catch-all label; the demo snapshot by its English name', () => {
    const en = terms('en');
    const shown = [run, decide, sync, fromSystemLog, restored].map((e) => presentAuditEntry(e, en, divisionName, 'en', 'Asia/Shanghai'));
    expect(shown[0]!.target).toBe('Demo data 2026-11-30');
    expect(shown[0]!.details).toEqual([
      { label: 'Run', value: '7' },
      { label: 'New', value: '468' },
      { label: 'Persisting', value: '0' },
      { label: 'Resolved', value: '2' },
      { label: 'Rules', value: 'Paid after death' },
    ]);
    expect(shown[1]!.details).toEqual([
      { label: 'Kind', value: 'decision' },
      { label: 'Decision · Outcome', value: 'Not eligible' },
      { label: 'Decision · Reason', value: 'Income above the line' },
      { label: 'Decision · Referred to', value: 'Education' },
    ]);
    // A time among the details is Beijing time, as everywhere else on screen.
    expect(shown[3]!.details).toContainEqual({ label: 'Time', value: '2026-12-01 01:05:00' });
    const text = shown.flatMap((p) => [p.target ?? '', ...p.details.map((d) => `${d.label}: ${d.value}`)]).join('\n');
    expect(text).not.toMatch(CJK);
    expect(text).not.toMatch(/Other parameter|not_eligible|up_to_date|wrong_password|pieceProblems|is missing from|[{}]/);
  });

  it('reads in words in Chinese: no English word, no code, no catch-all label', () => {
    const zh = terms('zh-CN');
    const shown = [run, decide, sync, fromSystemLog, restored].map((e) => presentAuditEntry(e, zh, divisionName, 'zh-CN', 'Asia/Shanghai'));
    expect(shown[0]!.target).toBe('演示数据-2026-11-30');
    expect(shown[0]!.details.map((d) => d.label)).toEqual(['核查批次', '新增', '持续', '已消除', '规则']);
    expect(shown[1]!.details).toContainEqual({ label: '认定 · 结果', value: '不符合' });
    expect(shown[3]!.details).toContainEqual({ label: '时间', value: '2026-12-01 01:05:00' });
    const text = shown.flatMap((p) => p.details.map((d) => `${d.label}：${d.value}`)).join('\n');
    expect(text).not.toMatch(/其他参数|[A-Za-z]{3,}|[{}]/);
  });
});
