/**
 * Why a finding fired, in the words of the people who must act on it: one or two sentences built from the evidence and
 * the data's dictionaries ("2023-05-18 户籍迁出至 320113005001（辖区外），困难残疾人生活补贴仍在享受，迁出当月之后已发放
 * 4,550.00 元"), and the evidence records with Chinese table and column names, named codes, money in 元 and ID numbers
 * masked. Screens, case-file exports and reports all take it from here; nothing shows a column name, a code or JSON.
 */
import type { TFunction } from 'i18next';
import { parameterByName } from '../../domain/rules/parameters.js';
import { parameterText } from '../checks/parameter-text.js';
import { codeLabel, columnLabel, isCodedColumn, programLabel, tableLabel } from '../../domain/exchange/vocabulary.js';
import { FEED_TABLES } from '../../domain/exchange/feed-schema.js';
import { ruleById } from '../../rules/index.js';
import { formatYuan } from '../../domain/money.js';
import { maskIdsInText, maskName } from '../../domain/id-number.js';
import { assetKey, assetText, explainMeansRule, householdIncomeFields, isConsideredAsset, isHouseholdIncome, isMemberIncome, meansReasoning, memberIncomeText, spanText } from './explain-means.js';

export interface EvidenceRowView {
  table: string;
  key: string;
  fields: { label: string; value: string }[];
}

export interface EvidenceExplanation {
  /** The sentences that say why it fired. */
  summary: string[];
  /** Money owed to the person (应享未享): the benefits that seem missing, in words; null for every other rule. */
  owed: string | null;
  rows: EvidenceRowView[];
}

export interface ExplainContext {
  t: TFunction;
  asOf: string;
  /** The finding's amount at risk, in cents (null where no money is involved). */
  amountCents: number | null;
  /** The parameter values the firing pass used. */
  parameters: Readonly<Record<string, unknown>>;
  /** A division's name, when the snapshot knows it. */
  divisionName(code: string): string | null;
  /** The language of `t` (default Chinese), for the data's words (vocabulary.ts) and what a rule's definition carries in both (the benefits owed). */
  language?: 'zh-CN' | 'en';
}

const langOf = (c: Pick<ExplainContext, 'language'>) => c.language ?? 'zh-CN';

interface RawRow {
  table?: string;
  key?: string;
  values?: Record<string, unknown>;
}
interface RawComparison {
  label?: string;
  value?: unknown;
  op?: string;
  threshold?: unknown;
  age?: number | null;
  level?: string | number | null;
  /** The figures a rule adds for its own sentences (R-LINSHI's award and limit, R-ALIVE's latest sign). */
  [figure: string]: unknown;
  /** R-REVIEW: the cycle in months, whether the household counts as 收入不固定, what the baseline is; days since a stop. */
  months?: number;
  working?: number;
  basis?: string;
  days?: number;
  /** R-CONSENT, per member: name, which reason, a minor at D, T0 and its grace deadline, the first signature, the lapse. */
  name?: string | null;
  initial?: number;
  expired?: number;
  minor?: number;
  start?: string;
  deadline?: string;
  firstSigned?: string | null;
  lapsed?: string | null;
}
interface RawEvidence {
  rows?: RawRow[];
  comparisons?: RawComparison[];
  since?: string;
  /** F-AFTER-EXIT: the 渐退 periods of the person's paid enrollments, which were considered. */
  gradual?: { enrollment?: string; program?: string | null; from?: string; to?: string }[];
}

const yuan = (cents: unknown) => (typeof cents === 'number' ? formatYuan(cents) : '—');

export function explainEvidence(ruleId: string, evidence: unknown, c: ExplainContext): EvidenceExplanation {
  const e = (evidence ?? {}) as RawEvidence;
  const rows = (e.rows ?? []).map((r) => rowView(r, c));
  return { summary: summarise(ruleId, e, c).filter((s) => s.length > 0), owed: owedText(ruleId, e, c), rows };
}

/** 应享未享：困难残疾人生活补贴、重度残疾人护理补贴 — the benefits a rule of money owed names for the finding's reasons. */
function owedText(ruleId: string, e: RawEvidence, c: ExplainContext): string | null {
  const owed = ruleById(ruleId)?.owed;
  if (!owed) return null;
  const names = (e.comparisons ?? []).flatMap((x) => {
    const benefit = typeof x.label === 'string' ? owed[x.label] : undefined;
    return benefit ? [c.language === 'en' ? benefit.en : benefit.zh] : [];
  });
  return c.t('explain.owed', { benefits: names.join(c.t('explain.listSeparator')) });
}

/** A division as people read it: "顶山街道（320111002000）", or the code and "辖区外" when the snapshot has no name for it. */
export function divisionText(code: string | null | undefined, c: Pick<ExplainContext, 't' | 'divisionName'>): string {
  if (!code) return '—';
  const name = c.divisionName(code);
  return name ? c.t('explain.words.division', { name, code }) : c.t('explain.outsideDivision', { code });
}

function valueText(column: string, value: unknown, table: string | undefined, c: ExplainContext): string {
  const lang = langOf(c);
  if (value === null || value === undefined || value === '') return '—';
  if (column.endsWith('_cents')) return `${yuan(value)} ${c.t('explain.yuan')}`;
  if (column === 'program' && typeof value === 'string') return programLabel(value, lang);
  if (/division/.test(column) && typeof value === 'string') return divisionText(value, c);
  if (column === 'disability_level' || column === 'certificate_level') return codeLabel('disability_level', String(value), undefined, lang) ?? String(value);
  if (column === 'months' && typeof value === 'string') return spanText(value, c);
  if (isCodedColumn(column, table) && typeof value !== 'object') return codeLabel(column, String(value), table, lang) ?? c.t('explain.unknownCode', { code: String(value) });
  if (typeof value === 'object') return maskIdsInText(Object.values(value as Record<string, unknown>).map(String).join(c.t('explain.listSeparator')));
  return maskIdsInText(String(value));
}

/** A record's key as people read it: ID numbers masked, parts joined by ' · ', a data-quality check's column suffix dropped. */
function keyText(key: unknown, table: string | undefined, language: 'zh-CN' | 'en'): string {
  // A key joins the table's key columns with '|'; a coded one (学段, 受灾类别, 救助业务) is said by its label.
  const columns = FEED_TABLES.find((t) => t.table === table)?.key ?? [];
  return String(key ?? '')
    .replace(/\.[a-z_]+$/, '')
    .split('|')
    .map((part, i) => {
      const column = columns[i];
      return (column && isCodedColumn(column, table) ? codeLabel(column, part, table, language) : null) ?? maskIdsInText(part);
    })
    .join(' · ');
}

/** A record of a snapshot table (its snapshot columns) as label–value pairs in the data's own words. */
export function describeRecord(table: string, values: Readonly<Record<string, unknown>>, c: Pick<ExplainContext, 't' | 'divisionName' | 'language'>): { label: string; value: string }[] {
  const ctx = { ...c, asOf: '', amountCents: null, parameters: {} } as ExplainContext;
  return Object.entries(values)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([column, value]) => ({ label: columnLabel(column, table, langOf(c)), value: valueText(column, value, table, ctx) }));
}

function rowView(r: RawRow, c: ExplainContext): EvidenceRowView {
  const table = r.table ?? '';
  const lang = langOf(c);
  // The household judgement's own rows (a member's income by source, an asset counted or exempted) read as one sentence.
  if (isMemberIncome(r)) return { table: c.t('explain.means.memberIncome'), key: maskIdsInText(String(r.key ?? '')), fields: [{ label: c.t('explain.means.incomeBySource'), value: memberIncomeText(r, c) }] };
  if (isConsideredAsset(r)) return { table: tableLabel(table, lang), key: assetKey(r, c), fields: [{ label: c.t('explain.means.asset'), value: assetText(r, c) }] };
  if (isHouseholdIncome(r)) return { table: c.t('explain.means.householdIncome'), key: keyText(r.key, undefined, lang), fields: householdIncomeFields(r, c) };
  return {
    table: tableLabel(table, lang),
    key: keyText(r.key, r.table, lang),
    fields: Object.entries(r.values ?? {}).map(([column, value]) => ({ label: columnLabel(column, table, lang), value: valueText(column, value, table, c) })),
  };
}

const programsOf = (rows: readonly RawRow[], c: ExplainContext) =>
  [...new Set(rows.filter((r) => r.table === 'enrollment').map((r) => programLabel(String(r.values?.program ?? ''), langOf(c))))].join(c.t('explain.listSeparator'));

function summarise(ruleId: string, e: RawEvidence, c: ExplainContext): string[] {
  const { t } = c;
  const lang = langOf(c);
  const rows = e.rows ?? [];
  const comparisons = e.comparisons ?? [];
  const amount = yuan(c.amountCents ?? 0);
  const payments = rows.filter((r) => r.table === 'payment');
  const periods = payments.map((r) => String(r.values?.period ?? '')).filter(Boolean).sort();
  switch (ruleId) {
    case 'R-DEATH': {
      const death = rows.find((r) => r.table === 'death_record')?.values ?? {};
      return [t('explain.R-DEATH', { deathDate: death.death_date, source: death.source ?? '—', programs: programsOf(rows, c), amount })];
    }
    case 'R-HUKOU-OUT': {
      const move = rows.find((r) => r.table === 'hukou_event')?.values ?? {};
      return [t('explain.R-HUKOU-OUT', { date: move.event_date, to: divisionText(move.to_division as string, c), programs: programsOf(rows, c), amount })];
    }
    case 'R-MUTEX': {
      // A finding recorded before rule library v2 named one pair through its two enrollments.
      if (!comparisons.some((x) => x.label === 'pair' || x.label === 'work_injury')) {
        const [a, b] = rows.filter((r) => r.table === 'enrollment').map((r) => programLabel(String(r.values?.program ?? ''), lang));
        return [t('explain.R-MUTEX.v1', { a, b, amount })];
      }
      // Several reasons may share a (programme, month): the total, counted once, is said when there is more than one.
      const reasons = comparisons.map((x) => mutexReason(x, c));
      return comparisons.length > 1 ? [...reasons, t('explain.R-MUTEX.total', { amount })] : reasons;
    }
    case 'R-ATTR':
      return comparisons.map((x) => attrReason(x, c));
    case 'R-EXIT':
    case 'R-COVER': {
      const income = rows.find(isHouseholdIncome)?.values ?? {};
      const assets = rows.filter((r) => isConsideredAsset(r) && r.values?.counted);
      const members = Number(income.members ?? 0);
      const standard = Number(income.standard_monthly_cents ?? 0);
      const months = Number(c.parameters.incomeMonths ?? 12);
      const figures = {
        members,
        months: spanText(String(income.months ?? ''), c),
        income: yuan(income.income_cents),
        threshold: yuan(standard * months * members),
        standard: yuan(standard),
        monthCount: months,
      };
      // How the income was counted (rules.md v2): what was left out, and the employment deduction at the region's ratio.
      const excluded = Array.isArray(c.parameters.excludedSources) ? parameterText(parameterByName('excludedSources')!, c.parameters.excludedSources, lang) : '';
      const counted =
        income.gross_cents === undefined
          ? ''
          : t('explain.income.counted', {
              gross: yuan(income.gross_cents),
              deducted: yuan(income.deducted_cents),
              ratio: String(c.parameters.employmentDeductionRatio ?? 0),
              excluded: excluded || '—',
            });
      const reasoning = meansReasoning(e as Parameters<typeof meansReasoning>[0], c);
      if (ruleId === 'R-COVER') return [t('explain.R-COVER', figures), counted, ...reasoning];
      const reasons = ((e as { reasons?: (string | null)[] }).reasons ?? []).filter(Boolean);
      const exceeds = Number(income.income_cents ?? 0) > standard * months * members;
      return [
        exceeds ? t(reasons.includes('income') || reasons.length === 0 ? 'explain.R-EXIT.income' : 'explain.R-EXIT.incomeInGradual', figures) : '',
        counted,
        assets.length ? t('explain.R-EXIT.assets', { assets: assets.map((a) => assetText(a, c, false)).join(t('explain.words.itemSeparator')) }) : '',
        reasons.includes('gradual_too_long') ? t('explain.R-EXIT.gradualTooLong', { span: (e as { gradual_span?: number }).gradual_span, max: c.parameters.gradualExitMaxMonths }) : '',
        e.since ? t('explain.R-EXIT.since', { since: e.since, amount }) : reasons.length === 1 && reasons[0] === 'gradual_too_long' ? t('explain.R-EXIT.noAmount') : '',
        ...reasoning,
      ];
    }
    case 'R-EDGE':
    case 'R-SINGLE':
    case 'R-RIGID':
      return explainMeansRule(ruleId, e as Parameters<typeof explainMeansRule>[1], { ...c, amount });
    case 'R-LINSHI':
      return comparisons.map((x) => linshiReason(x, c));
    case 'R-ALIVE': {
      const x = comparisons[0] ?? {};
      const from = String(x.threshold ?? '');
      const latest = x.value ? t('explain.R-ALIVE.latest', { date: x.value, sign: t(`explain.R-ALIVE.signs.${String(x.sign)}`, { defaultValue: t('explain.R-ALIVE.signs.other') }) }) : t('explain.R-ALIVE.never');
      return [
        t('explain.R-ALIVE.none', { from, asOf: c.asOf, months: x.months ?? c.parameters.aliveMonths, programs: programsOf(rows, c) }),
        latest,
        x.label === 'not_found' ? t('explain.R-ALIVE.notFound', { date: x.lastVisit }) : '',
        t('explain.R-ALIVE.action'),
      ];
    }
    case 'R-MISSED':
      return [...comparisons.map((x) => missedReason(x, c)), t('explain.R-MISSED.action')];
    case 'R-REVIEW':
      return comparisons.map((x) =>
        x.label === 'stop_not_executed'
          ? t('explain.R-REVIEW.stop', { date: x.value, days: x.days, programs: programsOf(rows, c) })
          : t(`explain.R-REVIEW.${x.basis === 'review' ? 'review' : 'never'}`, {
              date: x.value,
              asOf: c.asOf,
              months: x.months,
              cycle: t(`explain.R-REVIEW.${x.working ? 'working' : 'stable'}`, { months: x.months }),
              programs: programsOf(rows, c),
            }),
      );
    case 'R-CONSENT':
      return comparisons.map((x) => {
        const who = memberText(x, c);
        return [
          x.initial
            ? t(x.firstSigned ? 'explain.R-CONSENT.late' : 'explain.R-CONSENT.initial', { who, start: x.start, days: x.threshold, deadline: x.deadline, signed: x.firstSigned })
            : '',
          x.expired
            ? t(x.lapsed ? 'explain.R-CONSENT.lapsed' : x.minor ? 'explain.R-CONSENT.minor' : 'explain.R-CONSENT.expired', { who, asOf: c.asOf, lapsed: x.lapsed })
            : '',
        ].join('');
      });
    case 'F-AFTER-DEATH':
      return [t('explain.F-AFTER-DEATH', { deathMonth: comparisons[0]?.threshold, count: payments.length, first: periods[0], last: periods.at(-1), amount })];
    case 'F-AFTER-EXIT': {
      // 渐退 periods were looked at: say which, per enrollment, so that nobody wonders whether they were forgotten.
      const gradual = new Map<string, { program: string; spans: string[] }>();
      for (const g of e.gradual ?? []) {
        const seen = gradual.get(String(g.enrollment)) ?? { program: g.program ? programLabel(g.program, lang) : '—', spans: [] };
        seen.spans.push(t('explain.gradual.span', { from: g.from, to: g.to }));
        gradual.set(String(g.enrollment), seen);
      }
      return [
        t('explain.F-AFTER-EXIT', { count: payments.length, first: periods[0], last: periods.at(-1), amount }),
        ...[...gradual].map(([enrollment, g]) => t('explain.gradual.afterExit', { enrollment, program: g.program, periods: g.spans.join(t('explain.listSeparator')) })),
      ];
    }
    case 'F-DUPLICATE':
      return [t('explain.F-DUPLICATE', { max: comparisons[0]?.value, amount })];
    case 'F-AMOUNT': {
      const over = comparisons.filter((x) => Number(x.value) > Number(x.threshold));
      const first = comparisons[0];
      // Inside 渐退 the amount due is the monthly amount × the pay ratio: show that sum for one such payment.
      const gradual = comparisons.find((x) => x.ratio !== null && x.ratio !== undefined);
      return [
        t('explain.F-AMOUNT', {
          count: comparisons.length,
          period: first?.period ?? periods[0],
          paid: yuan(first?.value),
          expected: yuan(first?.threshold),
          over: yuan(over.reduce((n, x) => n + Number(x.value) - Number(x.threshold), 0)),
        }),
        gradual ? t('explain.gradual.amount', { period: gradual.period, monthly: yuan(gradual.monthly), ratio: String(gradual.ratio), expected: yuan(gradual.threshold) }) : '',
      ];
    }
    case 'Q-ID-CONSISTENCY': {
      const [birth, gender] = comparisons;
      return [
        t('explain.Q-ID-CONSISTENCY', {
          birth: birth?.value,
          gender: codeLabel('gender', String(gender?.value ?? ''), undefined, lang) ?? '—',
          idBirth: birth?.threshold,
          idGender: codeLabel('gender', String(gender?.threshold ?? ''), undefined, lang) ?? '—',
        }),
      ];
    }
    case 'Q-DUP-HOUSEHOLD':
      return [t('explain.Q-DUP-HOUSEHOLD', { count: comparisons[0]?.value })];
    case 'Q-ORPHAN':
    case 'Q-DICT':
    case 'Q-DATES':
      return comparisons.map((x) => qualityProblem(String(x.value ?? ''), rows[0], c));
    default:
      return [t('explain.custom')];
  }
}

/** Reason codes a finding recorded before rule library v2 carries (the same reasons, renamed by rules.md v2). */
const ATTR_V1_CODES: Readonly<Record<string, string>> = { no_certificate: 'no_cert', tekun_working_age: 'tekun_able' };

/** One reason of R-ATTR in words, with the figures it was judged on (age, certificates, the school looked at, the imprisonment). */
function attrReason(x: RawComparison, c: ExplainContext): string {
  const { t } = c;
  const lang = langOf(c);
  const reason = ATTR_V1_CODES[String(x.value)] ?? String(x.value);
  const program = programLabel(String(x.label ?? ''), lang);
  const school = (x.school ?? null) as { level?: string; end?: string | null; status?: string; fullTime?: string | null; valid?: number } | null;
  const level = (code: unknown) => (code === null || code === undefined ? '—' : (codeLabel('disability_level', String(code), undefined, lang) ?? String(code)));
  const schoolFigures = school && {
    level: codeLabel('school_level', String(school.level), 'school_enrollment', lang) ?? t('explain.R-ATTR.school.unknownLevel'),
    end: school.end || '—',
    status: codeLabel('status', String(school.status), 'school_enrollment', lang) ?? '—',
    fullTime: t(school.fullTime === '1' ? 'explain.R-ATTR.school.fullTime' : 'explain.R-ATTR.school.partTime'),
    asOf: c.asOf,
  };
  switch (reason) {
    case 'child_age': {
      const categories = parameterText(parameterByName('childStudyExemptCategories')!, c.parameters.childStudyExemptCategories ?? [], lang);
      const category = x.category ? (codeLabel('category', String(x.category), 'enrollment', lang) ?? t('explain.R-ATTR.school.noCategory')) : t('explain.R-ATTR.school.noCategory');
      const study = !schoolFigures
        ? t('explain.R-ATTR.school.none', { categories })
        : school!.valid
          ? t('explain.R-ATTR.school.category', { ...schoolFigures, category, categories })
          : t('explain.R-ATTR.school.notValid', schoolFigures);
      return t('explain.R-ATTR.child_age', { program, age: x.age, limit: c.parameters.childMaxAge }) + study;
    }
    case 'no_cert':
      return t('explain.R-ATTR.no_cert', { program, asOf: c.asOf });
    case 'care_level':
      return t('explain.R-ATTR.care_level', { level: level(x.level), careMaxLevel: c.parameters.careMaxLevel });
    case 'tekun_able': {
      const certs = Array.isArray(x.certs) ? (x.certs as { type: string; level: number }[]) : [];
      const allowed = c.parameters.tekunUnableToWorkCerts ? parameterText(parameterByName('tekunUnableToWorkCerts')!, c.parameters.tekunUnableToWorkCerts, lang) : '—';
      const held = certs.map((k) => t('explain.words.typeLevel', { type: codeLabel('disability_type', String(k.type), undefined, lang) ?? '', level: level(k.level) })).join(t('explain.listSeparator'));
      const why = [certs.length ? t('explain.R-ATTR.tekun.certs', { certs: held, allowed }) : t('explain.R-ATTR.tekun.noCert', { allowed })];
      // Schooling only makes a person unable to work when they were admitted to 特困 as a minor (rules.md v2).
      const minorAtStart = typeof x.ageAtStart === 'number' && x.ageAtStart < 18;
      if (minorAtStart) {
        const key = !schoolFigures ? 'minorNoSchool' : school!.valid ? 'minorHigherSchool' : 'minorSchool';
        why.push(t(`explain.R-ATTR.tekun.${key}`, { ...schoolFigures, start: x.start, asOf: c.asOf }));
      }
      else if (school?.valid) why.push(t('explain.R-ATTR.tekun.adultSchool', { ...schoolFigures, start: x.start }));
      return t('explain.R-ATTR.tekun_able', { age: x.age, from: c.parameters.tekunWorkingAgeFrom, to: c.parameters.tekunWorkingAgeTo, why: why.join(t('explain.R-ATTR.and')) });
    }
    case 'imprisoned':
      return t('explain.R-ATTR.imprisoned', { start: x.prisonStart, asOf: c.asOf, month: String(x.prisonStart ?? '').slice(0, 7), amount: yuan(c.amountCents ?? 0) });
    default:
      return t('explain.R-ATTR.other', { program });
  }
}

/** One reason of R-MUTEX in words: the pair and the months paid under both, or the work-injury income months. */
function mutexReason(x: RawComparison, c: ExplainContext): string {
  if (x.label === 'work_injury') {
    const program = programLabel(String(x.program ?? ''), langOf(c));
    return c.t('explain.R-MUTEX.workInjury', { from: x.from, asOf: c.asOf, count: x.count, incomeMonths: x.incomeMonths, income: yuan(x.income), program, cents: yuan(x.cents) });
  }
  const figures = { a: programLabel(String(x.a ?? ''), langOf(c)), b: programLabel(String(x.b ?? ''), langOf(c)), months: x.months, first: x.first, last: x.last, cents: yuan(x.cents) };
  return c.t(x.months ? 'explain.R-MUTEX.pair' : 'explain.R-MUTEX.pairNoOverlap', figures);
}

/** One reason of R-LINSHI in words: the award (date, cause, amount) and the limit it broke, computed as S × months × members. */
function linshiReason(x: RawComparison, c: ExplainContext): string {
  const cause = x.cause ? (codeLabel('cause', String(x.cause), 'enrollment', langOf(c)) ?? c.t('explain.R-LINSHI.noCause')) : c.t('explain.R-LINSHI.noCause');
  const figures = { standard: yuan(x.standard), months: x.months, members: x.members, threshold: yuan(x.threshold), amount: yuan(x.value) };
  switch (x.label) {
    case 'cap':
      return c.t('explain.R-LINSHI.cap', { ...figures, date: x.date, cause, excess: yuan(Number(x.value) - Number(x.threshold)) });
    case 'repeat':
      return c.t('explain.R-LINSHI.repeat', { ...figures, date: x.date, cause, previousDate: x.previousDate, days: x.days });
    case 'split':
      return c.t('explain.R-LINSHI.split', { ...figures, count: x.count, first: x.first, last: x.last, days: x.days, excess: yuan(Number(x.value) - Number(x.threshold)) });
    default:
      return c.t('explain.custom');
  }
}

/**
 * One reason of R-MISSED in words: the benefit that seems missing (困难残疾人生活补贴, 重度残疾人护理补贴, 单人保) and what
 * makes the person entitled — the certificate (type, level, validity), the 低保 or 低边 household, the serious illness.
 */
function missedReason(x: RawComparison, c: ExplainContext): string {
  const lang = langOf(c);
  const type = codeLabel('disability_type', String(x.certType ?? ''), undefined, lang) ?? '';
  const level = codeLabel('disability_level', String(x.certLevel ?? ''), undefined, lang) ?? '';
  const cert = c.t('explain.R-MISSED.cert', { type, level, validity: x.validTo ? c.t('explain.R-MISSED.validTo', { date: x.validTo }) : c.t('explain.R-MISSED.noEnd') });
  switch (x.label) {
    case 'living':
      return c.t('explain.R-MISSED.living', { cert, basis: c.t(x.own ? 'explain.R-MISSED.ownDibao' : 'explain.R-MISSED.householdDibao'), benefit: programLabel('disability_living', lang) });
    case 'care': {
      const levels = Array.isArray(c.parameters.careCerts) ? parameterText(parameterByName('careCerts')!, c.parameters.careCerts, lang) : '';
      return c.t('explain.R-MISSED.care', { cert, levels, benefit: programLabel('disability_care', lang) });
    }
    case 'single':
      return x.condition === 'cert'
        ? c.t('explain.R-MISSED.singleCert', { cert })
        : c.t('explain.R-MISSED.singleIllness', { date: x.settleDate, months: x.months ?? c.parameters.seriousIllnessMonths });
    default:
      return c.t('explain.custom');
  }
}

/** A member named in a sentence: the name masked after the family name, and the ID number masked. */
function memberText(x: RawComparison, c: ExplainContext): string {
  const id = maskIdsInText(String(x.value ?? ''));
  return x.name ? c.t('explain.words.named', { name: maskName(x.name), id }) : id;
}

/** The data-quality rules name their problem in a fixed phrase (part of the finding's identity): said in words here. */
function qualityProblem(detail: string, row: RawRow | undefined, c: ExplainContext): string {
  const lang = langOf(c);
  const record = `${tableLabel(row?.table ?? '', lang)} ${keyText(row?.key, row?.table, lang)}`;
  const dict = /^(\w+)\.(\w+) = (.*)$/.exec(detail);
  if (dict) return c.t('explain.quality.notInDictionary', { record, column: columnLabel(dict[2]!, dict[1], lang), value: maskIdsInText(dict[3]!) });
  // A v2 date after D names its column (a 救助申请 has two): said with the column's name.
  const future = /^(\w+) after the snapshot date$/.exec(detail);
  if (future) return c.t('explain.quality.dateAfterD', { record, column: columnLabel(future[1]!, row?.table, lang) });
  return c.t(`explain.quality.${detail.replaceAll(' ', '_')}`, { record, defaultValue: c.t('explain.quality.other', { record }) });
}

/** What a case event said, in words (the same words as the case history on screen). */
export function describeCaseEvent(body: Record<string, unknown>, t: (key: string, options?: Record<string, unknown>) => string): string {
  const parts: string[] = [];
  if (typeof body.to === 'string') parts.push(t(`triage.states.${body.to}`));
  if (typeof body.state === 'string') parts.push(t(`triage.states.${body.state}`));
  if (typeof body.reasonCode === 'string') parts.push(t(`triage.reasons.${body.reasonCode}`));
  if (typeof body.assigneeName === 'string') parts.push(body.assigneeName);
  if (typeof body.dueDate === 'string') parts.push(body.dueDate);
  const v = body.verification as { method?: string; date?: string; verifiedBy?: string; result?: string } | undefined;
  if (v) parts.push(`${t(`triage.methods.${v.method}`)} · ${v.date} · ${v.verifiedBy} · ${t(`triage.results.${v.result}`)}`);
  const o = body.outcome as { benefit?: string; toRecoverCents?: number; recoveredCents?: number } | undefined;
  if (o) parts.push(`${t(`triage.benefits.${o.benefit}`)} · ${t('explain.words.caseOutcome', { toRecover: formatYuan(o.toRecoverCents ?? 0), recovered: formatYuan(o.recoveredCents ?? 0) })}`);
  for (const k of ['text', 'note']) if (typeof body[k] === 'string' && body[k]) parts.push(maskIdsInText(body[k]));
  return parts.length ? t('explain.words.eventDetail', { parts: parts.join(' · ') }) : '';
}
