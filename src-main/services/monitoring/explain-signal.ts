/**
 * A warning's "why" in the user's words: each hit of a signal as sentences built from its evidence (the statement's
 * JSON, rules/signals/<m-id>/sql.ts) and the dictionaries — names masked for the role, never an ID number, no codes.
 * The sentences' templates live in resources/i18n (monitoring.explain.*), one dictionary for screens and paper.
 */
import type { TFunction } from 'i18next';
import { codeLabel } from '../../domain/exchange/vocabulary.js';
import { formatYuan } from '../../domain/money.js';
import { spanText } from '../evidence/explain-means.js';

interface Person {
  name?: string | null;
}

export interface ExplainContext {
  t: TFunction;
  /** A person's name as this user may read it (masked for finance staff). */
  name: (name: string | null | undefined) => string;
  /** The language of `t`, for the data's words (Chinese when not said). */
  language?: 'zh-CN' | 'en';
}

/** The sentences of one hit, in order. */
export function explainHit(signal: string, evidence: Record<string, unknown>, c: ExplainContext): string[] {
  const t = c.t;
  const yuan = (cents: unknown) => `${formatYuan(Number(cents ?? 0))} ${t('explain.yuan')}`;
  const range = (r: unknown) => spanText(String(r ?? ''), c);
  const label = (column: string, code: unknown, table: string) => (code === null || code === undefined ? '' : (codeLabel(column, String(code), table, c.language) ?? String(code)));
  const e = evidence;
  const k = (key: string, values: Record<string, unknown> = {}) => t(`monitoring.explain.${key}`, values);
  switch (signal) {
    case 'M-MEDICAL': {
      const persons = (e.persons as (Person & { burden_cents: number; settlements: number; over: boolean })[] | undefined) ?? [];
      return [
        ...persons
          .filter((p) => p.over)
          .map((p) => k('medicalPerson', { name: c.name(p.name), months: range(e.months), burden: yuan(p.burden_cents), settlements: p.settlements, threshold: yuan(e.threshold_cents) })),
        k('medicalHousehold', { burden: yuan(e.burden_cents), members: e.members, income: yuan(e.income_cents) }),
        k(e.assisted ? 'medicalAssisted' : 'medicalOthers'),
      ];
    }
    case 'M-DISABILITY':
      return [
        k('disability', {
          name: c.name(e.name as string),
          type: label('disability_type', e.disability_type, 'disability_cert'),
          level: e.disability_level,
          date: e.first_issued,
          window: range(e.window),
        }),
        k('disabilityHolders', { holders: e.holders }),
        k(e.able_member ? 'disabilityAble' : 'disabilityNoAble'),
      ];
    case 'M-UNEMPLOYED':
      return [
        e.reason === 'registered'
          ? k('unemployedRegistered', { name: c.name(e.name as string), date: e.date })
          : k('unemployedWageStop', { name: c.name(e.name as string), months: e.wage_months, before: range(e.before), window: range(e.window), min: e.wage_months_min }),
        k(e.only_earner ? 'unemployedOnlyEarner' : 'unemployedOtherEarners'),
      ];
    case 'M-EDUCATION': {
      const persons = (e.persons as (Person & { school_level: string })[] | undefined) ?? [];
      return [
        k('education', { students: e.students, threshold: e.threshold }),
        ...persons.map((p) => k('educationPerson', { name: c.name(p.name), level: label('school_level', p.school_level, 'school_enrollment') })),
      ];
    }
    case 'M-DISASTER':
      return [
        k('disaster', { date: e.event_date, kind: label('kind', e.kind, 'disaster_victim'), loss: yuan(e.loss_cents) }),
        k('disasterLine', { largest: yuan(e.largest_loss_cents), line: yuan(e.red_line_cents), months: e.loss_months, standard: yuan(e.standard_monthly_cents), members: e.members }),
      ];
    case 'M-BREADWINNER': {
      const kinds = ((e.kinds as string[] | undefined) ?? [])
        .map((x) => (x === 'death' ? k('breadwinnerDeath') : k('breadwinnerPrison', { kind: label('kind', x.split(':')[1], 'imprisonment') })))
        .join(t('explain.listSeparator'));
      return [k('breadwinner', { name: c.name(e.name as string), earned: yuan(e.earned_cents), months: range(e.months), date: e.date, kinds })];
    }
    case 'M-INCOME-DROP':
      return [
        k('incomeDropRecent', { window: range(e.window), recent: yuan(e.recent_cents), line: yuan(e.line_cents), standard: yuan(e.standard_monthly_cents), members: e.members }),
        k('incomeDropPrior', { months: range(e.prior_months), prior: yuan(e.prior_cents), margin: yuan(e.margin_cents), multiple: e.multiple }),
      ];
    default:
      return [];
  }
}
