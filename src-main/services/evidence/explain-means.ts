/**
 * "Why it fired" for the rules that judge a household's means (R-EXIT, R-COVER and the rules on the same judgement,
 * rules/shared/household-judgement.ts): the gross income by member and source, what was left out and why, the
 * employment deduction, the standard and the members; each asset considered, counted or exempted and why; and whether a
 * 渐退 period was considered — so that an auditor can defend or dismiss the finding from the screen (rules.md v2).
 */
import type { TFunction } from 'i18next';
import { codeLabel, programLabel, tableLabel } from '../../domain/exchange/vocabulary.js';
import { formatYuan } from '../../domain/money.js';
import { maskIdsInText, maskName } from '../../domain/id-number.js';

interface Row {
  table?: string;
  key?: string;
  values?: Record<string, unknown>;
}
interface Source {
  source: string;
  cents: number;
  excluded: number | boolean;
}

const yuan = (cents: unknown) => (typeof cents === 'number' ? formatYuan(cents) : '—');
const sourceName = (code: string, c: MeansContext) => codeLabel('source', code, 'income_record', c.language) ?? code;
/** A span of months or dates ("2023-07..2024-06") as people read it: 2023-07 至 2024-06. */
export function spanText(span: string, c: Pick<MeansContext, 't'>): string {
  const [from, to, ...more] = span.split('..');
  return to === undefined || more.length ? span : c.t('explain.gradual.span', { from, to });
}

/** An amount in yuan, in the words of `t` (12,000.00 元 / 12,000.00 yuan). */
const yuanText = (cents: unknown, c: MeansContext) => `${yuan(cents)} ${c.t('explain.yuan')}`;

/** The household totals row (key = the household) and one row per member (values.sources). */
export const isMemberIncome = (r: Row): boolean => r.table === 'income_record' && Array.isArray(r.values?.sources);
export const isHouseholdIncome = (r: Row): boolean => r.table === 'income_record' && r.values?.months !== undefined;
/** An asset the judgement considered (it carries whether it was counted). */
export const isConsideredAsset = (r: Row): boolean => r.values !== undefined && 'counted' in r.values;

export interface MeansContext {
  t: TFunction;
  parameters: Readonly<Record<string, unknown>>;
  /** The language of `t`, for the data's words (Chinese when not said). */
  language?: 'zh-CN' | 'en';
}

/** A member as a sentence names them: the name masked after the family name, the ID number masked. */
function memberName(values: Record<string, unknown>, c: MeansContext): string {
  const id = maskIdsInText(String(values.person_id ?? ''));
  return typeof values.name === 'string' && values.name ? c.t('explain.words.named', { name: maskName(values.name), id }) : id;
}

/** One member's income in words: "王*（3201…）：工资 12,000.00 元、基础养老金 1,440.00 元（不计入），扣除就业成本 3,000.00 元". */
export function memberIncomeText(r: Row, c: MeansContext): string {
  const v = r.values ?? {};
  const sources = (v.sources as Source[]).map((s) => `${sourceName(s.source, c)} ${yuanText(s.cents, c)}${s.excluded ? c.t('explain.means.notCountedMark') : ''}`);
  const deducted = Number(v.deducted_cents ?? 0) > 0 ? c.t('explain.means.deducted', { amount: yuan(v.deducted_cents) }) : '';
  return `${memberName(v, c)}${c.t('common.colon')}${sources.join(c.t('explain.listSeparator'))}${deducted}`;
}

/** Why an asset was not counted, in words. */
function exemptText(v: Record<string, unknown>, c: MeansContext): string {
  switch (v.exempt) {
    case 'type':
      return c.t('explain.means.exempt.type', { kind: codeLabel('vehicle_type', String(v.kind), 'vehicle', c.language) ?? '' });
    case 'reason':
      return c.t('explain.means.exempt.reason', { reason: codeLabel('exempt_reason', String(v.exempt_reason), 'vehicle', c.language) ?? '' });
    case 'value':
      return c.t('explain.means.exempt.value', { limit: yuan(c.parameters.vehicleExemptValue) });
    case 'capital':
      return c.t('explain.means.exempt.capital', { limit: yuan(c.parameters.businessExemptCapital) });
    case 'within_limit':
      return v.kind === 'residential' ? c.t('explain.means.exempt.homes', { limit: c.parameters.residentialLimit }) : c.t('explain.means.exempt.money');
    case 'no_limit':
      return c.t('explain.means.exempt.noMoneyLimit');
    default:
      return '';
  }
}

/** How an asset's record is named: a financial account by its holder, kind and institution (no codes). */
export function assetKey(r: Row, c: Pick<MeansContext, 'language'>): string {
  const v = r.values ?? {};
  if (r.table !== 'financial_asset') return maskIdsInText(String(r.key ?? ''));
  return [maskIdsInText(String(v.person_id ?? '')), codeLabel('kind', String(v.kind), 'financial_asset', c.language) ?? '', String(v.institution ?? '')].filter(Boolean).join(' · ');
}

/** One asset in words: what, whose, since when, worth what — and (with `verdict`) counted or not, and why. */
export function assetText(r: Row, c: MeansContext, verdict = true): string {
  const v = r.values ?? {};
  const table = r.table ?? '';
  const lang = c.language;
  const kind = table === 'vehicle' ? codeLabel('vehicle_type', String(v.kind), 'vehicle', lang) : table === 'real_estate' ? codeLabel('usage', String(v.kind), 'real_estate', lang) : table === 'business_registration' ? codeLabel('role', String(v.kind), 'business_registration', lang) : codeLabel('kind', String(v.kind), 'financial_asset', lang);
  const worth = typeof v.value_cents === 'number' ? c.t(`explain.means.worth.${table}`, { amount: yuan(v.value_cents), defaultValue: yuanText(v.value_cents, c) }) : '';
  const what = [tableLabel(table, lang), kind ?? '', typeof v.institution === 'string' ? v.institution : ''].filter(Boolean).join(' ');
  const detail = [maskIdsInText(String(v.person_id ?? '')), ...[c.t('explain.means.since', { date: v.since ?? '—' }), worth].filter(Boolean)].join(c.t('explain.words.clauseSeparator'));
  const judged = !verdict ? '' : v.counted ? c.t('explain.means.counted') : c.t('explain.means.notCounted', { why: exemptText(v, c) });
  return `${c.t('explain.words.aside', { what, detail })}${judged}`;
}

interface MeansEvidence {
  rows?: Row[];
  gradual?: number | boolean;
  gradual_span?: number | null;
  reasons?: (string | null)[];
  gradual_max?: number;
}

/** The household's totals (the income_record row keyed by the household) as label–value pairs. */
export function householdIncomeFields(r: Row, c: MeansContext): { label: string; value: string }[] {
  const v = r.values ?? {};
  const f = (key: string, value: string) => ({ label: c.t(`explain.means.fields.${key}`), value });
  return [
    f('months', spanText(String(v.months ?? ''), c)),
    f('gross', yuanText(v.gross_cents, c)),
    f('deducted', yuanText(v.deducted_cents, c)),
    f('income', yuanText(v.income_cents, c)),
    f('members', String(v.members ?? '—')),
    f('standard', yuanText(v.standard_monthly_cents, c)),
  ];
}

/**
 * The sentences that show the policy reasoning besides the rule's own: income by member and source, the assets
 * considered but not counted (and the financial total against its limit), and whether a 渐退 period was considered.
 */
export function meansReasoning(e: MeansEvidence, c: MeansContext): string[] {
  const rows = e.rows ?? [];
  const members = rows.filter(isMemberIncome).map((r) => memberIncomeText(r, c));
  const assets = rows.filter(isConsideredAsset);
  const exempted = assets.filter((r) => !r.values?.counted).map((r) => assetText(r, c));
  const money = assets.find((r) => r.table === 'financial_asset')?.values;
  const gradual = rows.filter((r) => r.table === 'gradual_exit').map((r) => c.t('explain.gradual.span', { from: r.values?.start_period, to: r.values?.end_period }));
  const items = c.t('explain.words.itemSeparator');
  return [
    members.length ? c.t('explain.means.members', { list: members.join(items) }) : c.t('explain.means.noIncome'),
    exempted.length ? c.t('explain.means.assetsExempted', { list: exempted.join(items) }) : '',
    money
      ? money.limit_cents === null || money.limit_cents === undefined
        ? c.t('explain.means.moneyNoLimit', { total: yuan(money.total_cents) })
        : c.t('explain.means.moneyTotal', { total: yuan(money.total_cents), limit: yuan(money.limit_cents), months: c.parameters.financialAssetMonths, verdict: money.counted ? c.t('explain.means.over') : c.t('explain.means.within') })
      : '',
    assets.length === 0 ? c.t('explain.means.noAssets') : '',
    e.gradual
      ? c.t('explain.means.gradual', { periods: gradual.join(c.t('explain.listSeparator')), span: e.gradual_span, max: e.gradual_max ?? c.parameters.gradualExitMaxMonths })
      : c.t('explain.means.noGradual'),
  ];
}

interface RuleEvidence extends MeansEvidence {
  comparisons?: Record<string, unknown>[];
  condition?: { certificate?: { type?: string; level?: number | string; valid_from?: string; valid_to?: string | null } | null; serious_illness?: string | null; months?: number };
  rigid?: { first_start?: string; valid_until?: string; months?: number; overlap?: string | null };
}

/** R-EDGE, R-SINGLE and R-RIGID in words: each reason with its figures, then the household's means (meansReasoning). */
export function explainMeansRule(ruleId: string, e: RuleEvidence, c: MeansContext & { amount: string }): string[] {
  const { t } = c;
  const reasons = new Set((e.reasons ?? []).filter((r): r is string => !!r));
  const x = e.comparisons?.[0] ?? {};
  const household = (e.rows ?? []).find(isHouseholdIncome)?.values ?? {};
  const figures = {
    members: x.members ?? household.members,
    months: spanText(String(household.months ?? ''), c),
    income: yuan(x.value ?? household.income_cents),
    threshold: yuan(typeof x.threshold === 'number' ? Math.round(x.threshold) : x.threshold),
    standard: yuan(x.standard ?? household.standard_monthly_cents),
    multiple: x.multiple,
    line: yuan(Number(household.standard_monthly_cents ?? 0) * 12 * Number(household.members ?? 0)),
  };
  const assets = (e.rows ?? []).filter((r) => isConsideredAsset(r) && r.values?.counted).map((r) => assetText(r, c, false));
  const assetSentence = reasons.has('assets') ? t('explain.means.assetsFail', { assets: assets.join(t('explain.words.itemSeparator')) }) : '';
  const out: string[] = [];
  if (ruleId === 'R-EDGE') {
    if (reasons.has('income')) out.push(t('explain.R-EDGE.income', figures));
    out.push(assetSentence, t('explain.R-EDGE.action'));
  } else if (ruleId === 'R-SINGLE') {
    const cert = e.condition?.certificate;
    if (reasons.has('condition')) {
      const held = cert
        ? t('explain.R-SINGLE.certHeld', { type: codeLabel('disability_type', String(cert.type), 'disability_cert', c.language) ?? '—', level: codeLabel('disability_level', String(cert.level), undefined, c.language) ?? String(cert.level), from: cert.valid_from, to: cert.valid_to || t('explain.R-SINGLE.noEnd') })
        : t('explain.R-SINGLE.noCert');
      const illness = e.condition?.serious_illness ? t('explain.R-SINGLE.lastIllness', { date: e.condition.serious_illness }) : t('explain.R-SINGLE.noIllness');
      out.push(t('explain.R-SINGLE.condition', { held, illness, months: e.condition?.months ?? c.parameters.seriousIllnessMonths }));
    }
    if (reasons.has('income')) out.push(t('explain.R-SINGLE.income', figures));
    if (reasons.has('whole_household')) out.push(t('explain.R-SINGLE.wholeHousehold', figures));
    out.push(assetSentence);
    out.push([...reasons].some((r) => r !== 'whole_household') ? t('explain.R-SINGLE.paid', { amount: c.amount }) : t('explain.R-SINGLE.noAmount'));
  } else {
    const r = e.rigid ?? {};
    if (reasons.has('expired')) out.push(t('explain.R-RIGID.expired', { start: r.first_start, months: r.months, until: r.valid_until }));
    if (reasons.has('income')) out.push(t('explain.R-RIGID.income', { ...figures, perPerson: yuan(x.perPerson) }));
    else if (c.parameters.disposableIncomeAnnual === null || c.parameters.disposableIncomeAnnual === undefined) out.push(t('explain.R-RIGID.incomeNotRun'));
    out.push(assetSentence);
    if (reasons.has('overlap')) {
      const programs = String(r.overlap ?? '').split(',').filter(Boolean).map((p) => programLabel(p, c.language));
      out.push(t('explain.R-RIGID.overlap', { programs: programs.join(t('explain.listSeparator')) }));
    }
  }
  return [...out, ...meansReasoning(e, c)];
}
