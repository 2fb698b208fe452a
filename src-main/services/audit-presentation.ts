/**
 * An audit entry as its reader sees it: the target and details in words (labels from the dictionaries, codes named,
 * ID numbers masked), never the canonical JSON the chain hashes. The entry itself stays as recorded; this is only how
 * 我的审计记录, the system log, 审计查询 and its export show it.
 */
import type { TFunction } from 'i18next';
import type { AuditEntry } from '../domain/audit-chain.js';
import { programLabel } from '../domain/exchange/vocabulary.js';
import { maskIdsInText } from '../domain/id-number.js';
import { formatLocalTime } from '../domain/local-time.js';
import { formatYuan } from '../domain/money.js';
import { snapshotName } from '../domain/snapshot-name.js';
import { SIGNAL_CATALOGUE } from '../rules/catalogue.js';
import { ruleById } from '../rules/index.js';

export interface AuditEntryPresentation {
  seq: number;
  ts: string;
  username: string | null;
  action: string;
  target: string | null;
  outcome: AuditEntry['outcome'];
  details: { label: string; value: string }[];
}

/** Values of these keys are codes with a dictionary of their own. */
const CODED: Record<string, string> = {
  to: 'triage.states',
  state: 'triage.states',
  caseStates: 'triage.states',
  reasonCode: 'triage.reasons',
  role: 'roles',
  code: 'errors',
  outcome: 'audit.outcomes',
  families: 'checks.families',
  changes: 'triage.change',
  language: 'language',
  source: 'audit.sources',
  column: 'triage.sortColumns',
  direction: 'triage.sortDirections',
  severity: 'query.severities',
  findingState: 'triage.findingStates',
  // 时区：北京时间（UTC+8）, not the IANA name Asia/Shanghai.
  timeZone: 'settings.zones',
  // Why a login failed (密码错误, not wrong_password); a free-text 事由 has no entry there and is shown as typed.
  reason: 'audit.reasons',
  // How a sync fetched its snapshot, and how it ended.
  via: 'audit.vias',
  result: 'audit.results',
  // 监测预警's filters and commands.
  level: 'monitoring.levels',
  departments: 'monitoring.departments',
  auditView: 'monitoring.auditViews',
  overdue: 'audit.overdue',
  method: 'triage.methods',
  // Whether a restore brought the team store back.
  team: 'audit.teamRestore',
};

/** Codes whose dictionary depends on the object holding them: a decision's outcome is not an entry's outcome. */
const CODED_WITHIN: Record<string, string[]> = {
  'decision.outcome': ['monitoring.outcomes'],
  'decision.reason': ['monitoring.reasons.not_eligible', 'monitoring.reasons.no_need'],
  'firstBreak.reason': ['reasons.auditBreaks'],
};

/** Values of these keys are times (ISO, UTC): shown in the reader's zone, as every other time. */
const TIME_KEYS = new Set(['at', 'backedUpAt']);

/** Values of these keys are division codes or prefixes: shown as 浦口区（320111）, as on every other screen. */
const DIVISION_KEYS = new Set(['scope', 'divisionPrefix', 'divisionCode', 'street']);

/** A division's name by its code (any level); null when the snapshot has none. */
export type DivisionNamer = (code: string) => string | null;

/**
 * `divisionName` names the division codes of the details (a data scope, a region); without it they stay bare codes.
 * `timeZone`: the reader's display zone for the times among the details (the service's own zone without it).
 */
export function presentAuditEntry(e: AuditEntry, t: TFunction, divisionName?: DivisionNamer, language: 'zh-CN' | 'en' = 'zh-CN', timeZone?: string): AuditEntryPresentation {
  return {
    seq: e.seq,
    ts: e.ts,
    username: e.username,
    action: e.action,
    target: e.target === null ? null : targetText(e.target, t, language),
    outcome: e.outcome,
    details: presentAuditDetails(e.detail, t, divisionName, language, timeZone),
  };
}

/** An entry's details (the canonical JSON the chain hashes) as labelled values in words; nothing for none. */
export function presentAuditDetails(json: string | null, t: TFunction, divisionName?: DivisionNamer, language: 'zh-CN' | 'en' = 'zh-CN', timeZone?: string): AuditEntryPresentation['details'] {
  let detail: Record<string, unknown> = {};
  try {
    detail = json ? (JSON.parse(json) as Record<string, unknown>) : {};
  } catch {
    detail = {};
  }
  return Object.entries(detail).flatMap(([key, value]) => pairs(key, value, { t, language, divisionName, timeZone }));
}

/**
 * A target is a person (ID number, masked), a finding (fingerprint, shortened), a snapshot (the demo district's in the
 * reader's words) or a division or account: never whole.
 */
function targetText(target: string, t: TFunction, language: 'zh-CN' | 'en'): string {
  if (/^[0-9a-f]{32,64}$/.test(target)) return t('audit.findingTarget', { id: target.slice(0, 8) });
  return maskIdsInText(snapshotName(target, language));
}

interface Reader {
  t: TFunction;
  language: 'zh-CN' | 'en';
  divisionName?: DivisionNamer;
  timeZone?: string;
}

function pairs(key: string, value: unknown, r: Reader, prefix = '', parent = ''): { label: string; value: string }[] {
  const { t, language, divisionName } = r;
  // An empty list (an administrator's 数据范围) says nothing: no "数据范围：" with nothing after it.
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return [];
  const label = `${prefix}${t(`audit.fields.${key}`, { defaultValue: t('audit.fields.other') })}`;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    // A cause the services give in words (`why`: a key under reasons. with its parameters) stands for the message
    // beside it (`reason`), which is written for logs in English.
    const why = o.why as { reason?: unknown; params?: Record<string, unknown> } | undefined;
    if (why && typeof why.reason === 'string') {
      const rest = Object.entries(o).filter(([k]) => k !== 'why' && k !== 'reason');
      return [...rest.flatMap(([k, v]) => pairs(k, v, r, `${label} · `, key)), { label: `${label} · ${t('audit.fields.why')}`, value: t(`reasons.${why.reason}`, { ...why.params, defaultValue: t('audit.fields.other') }) }];
    }
    return Object.entries(o).flatMap(([k, v]) => pairs(k, v, r, `${label} · `, key));
  }
  // A list of records (custom rules imported at once) is counted, never printed as objects.
  if (Array.isArray(value) && value.some((v) => v !== null && typeof v === 'object')) return [{ label, value: t('audit.items', { count: value.length }) }];
  const one = (v: unknown): string => {
    if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
    if (/Cents$/.test(key) && typeof v === 'number') return `${formatYuan(v)} ${t('explain.yuan')}`;
    if (key === 'retryAfterMs' && typeof v === 'number') return t('audit.seconds', { count: Math.ceil(v / 1000) });
    const text = String(v);
    const within = CODED_WITHIN[`${parent}.${key}`];
    if (within) return t(within.map((d) => `${d}.${text}`), { defaultValue: maskIdsInText(text) });
    if (TIME_KEYS.has(key) && !Number.isNaN(Date.parse(text))) return formatLocalTime(text, { seconds: true, timeZone: r.timeZone });
    if (key === 'signal') return SIGNAL_CATALOGUE.find((s) => s.id === text)?.name[language === 'en' ? 'en' : 'zh'] ?? text;
    if (CODED[key]) return t(`${CODED[key]}.${text}`, { defaultValue: maskIdsInText(text) });
    if (key === 'program' || key === 'programs' || key === 'householdProgram') return programLabel(text, language);
    if (key === 'ruleIds' || key === 'ruleId' || key === 'rules') return (language === 'en' ? ruleById(text)?.name.en : ruleById(text)?.name.zh) ?? text;
    if (key === 'kind') return t(`audit.kinds.${text}`, { defaultValue: text });
    if (DIVISION_KEYS.has(key) && divisionName && /^\d{6,12}$/.test(text)) {
      // A prefix (county 6 digits, street 9) is the division whose 12-digit code it begins.
      const name = divisionName(text) ?? divisionName(text.padEnd(12, '0'));
      if (name) return t('explain.words.division', { name, code: text });
    }
    return maskIdsInText(text);
  };
  const shown = Array.isArray(value) ? value.slice(0, 5).map(one).join(t('explain.listSeparator')) + (value.length > 5 ? t('audit.more', { count: value.length }) : '') : one(value);
  return [{ label, value: shown }];
}
