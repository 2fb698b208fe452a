/**
 * A parameter value in words, as 规则核查 and "why it fired" show it: 1.5 倍, 50,000.00 元, 智力1–3级、精神1–3级,
 * 公积金缴存、基础养老金（2021-07-01 至 2025-12-31）… — names from the exchange dictionaries, never codes; in Chinese
 * unless English is asked for (the words are resources/i18n's `parameterText`, the data's names vocabulary.ts's).
 */
import { codeLabel, programLabel } from '../../domain/exchange/vocabulary.js';
import { formatYuan } from '../../domain/money.js';
import type { CertCondition, ExcludedSource, ParameterDefinition } from '../../domain/rules/parameters.js';
import { terms, type TermsLanguage } from '../../platform/terms.js';

/** Levels in order: a run as 1–3, others listed (1、3 / 1, 3). */
const levelsText = (l: readonly number[], separator: string) => {
  const sorted = [...l].sort((a, b) => a - b);
  const run = sorted.every((x, i) => i === 0 || x === sorted[i - 1]! + 1);
  return run && sorted.length > 1 ? `${sorted[0]}–${sorted[sorted.length - 1]}` : sorted.join(separator);
};

export function parameterText(p: ParameterDefinition, value: unknown, language: TermsLanguage = 'zh-CN'): string {
  const t = terms(language);
  const w = (key: string, o?: Record<string, unknown>) => t(`parameterText.${key}`, o);
  if (value === null || value === undefined) return p.type === 'urbanRuralMoney' ? w('notSet') : w('noLimit');
  const unit = language === 'en' ? p.unit.en : p.unit.zh;
  switch (p.type) {
    case 'integer':
    case 'decimal':
      return `${String(value)}${unit ? ` ${unit}` : ''}`;
    case 'money':
      return w('money', { amount: formatYuan(value as number) });
    case 'boolean':
      return value ? w('yes') : w('no');
    case 'programPairs':
      return (value as [string, string][]).map(([a, b]) => w('pair', { a: programLabel(a, language), b: programLabel(b, language) })).join(w('itemSeparator'));
    case 'codeList':
      return (value as string[]).map((c) => codeLabel('category', c, 'enrollment', language) ?? c).join(w('listSeparator'));
    case 'certList':
      return (value as CertCondition[])
        .map((c) => {
          const levels = w('levels', { levels: levelsText(c.levels, w('listSeparator')) });
          return w('typeLevels', { type: c.type === '*' ? w('anyType') : (codeLabel('disability_type', c.type, undefined, language) ?? c.type), levels });
        })
        .join(w('listSeparator'));
    case 'sourceList':
      return (value as ExcludedSource[])
        .map((e) => {
          const name = (code: string) => codeLabel('source', code, 'income_record', language) ?? code;
          return typeof e === 'string' ? name(e) : w('dated', { name: name(e.source), from: e.from, to: e.to ?? w('openEnded') });
        })
        .join(w('listSeparator'));
    case 'urbanRuralMoney':
      return Object.entries(value as Record<string, number>)
        .map(([k, cents]) => w('area', { area: k === '1' ? w('urban') : w('rural'), amount: formatYuan(cents) }))
        .join(w('itemSeparator'));
  }
}

/** A parameter value in both languages, for a screen that says it in its user's language (switching without a reload). */
export function parameterTexts(p: ParameterDefinition, value: unknown): { zh: string; en: string } {
  return { zh: parameterText(p, value, 'zh-CN'), en: parameterText(p, value, 'en') };
}
