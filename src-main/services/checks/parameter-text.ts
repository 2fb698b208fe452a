/**
 * A parameter value in words, as 规则核查 and "why it fired" show it: 1.5 倍, 50,000.00 元, 智力1–3级、精神1–3级,
 * 公积金缴存、基础养老金（2021-07-01 至 2025-12-31）… — names from the exchange dictionaries, never codes.
 */
import { codeLabel, programLabel } from '../../domain/exchange/vocabulary.js';
import { formatYuan } from '../../domain/money.js';
import type { CertCondition, ExcludedSource, ParameterDefinition } from '../../domain/rules/parameters.js';

const levels = (l: readonly number[]) => {
  const sorted = [...l].sort((a, b) => a - b);
  const run = sorted.every((x, i) => i === 0 || x === sorted[i - 1]! + 1);
  return run && sorted.length > 1 ? `${sorted[0]}–${sorted[sorted.length - 1]}级` : `${sorted.join('、')}级`;
};

export function parameterText(p: ParameterDefinition, value: unknown): string {
  if (value === null || value === undefined) return p.type === 'urbanRuralMoney' ? '未设置' : '不限';
  const unit = p.unit.zh;
  switch (p.type) {
    case 'integer':
    case 'decimal':
      return `${String(value)}${unit ? ` ${unit}` : ''}`;
    case 'money':
      return `${formatYuan(value as number)} 元`;
    case 'boolean':
      return value ? '是' : '否';
    case 'programPairs':
      return (value as [string, string][]).map(([a, b]) => `${programLabel(a)}×${programLabel(b)}`).join('；');
    case 'codeList':
      return (value as string[]).map((c) => codeLabel('category', c, 'enrollment') ?? c).join('、');
    case 'certList':
      return (value as CertCondition[]).map((c) => `${c.type === '*' ? '任意类别' : (codeLabel('disability_type', c.type) ?? c.type)}${levels(c.levels)}`).join('、');
    case 'sourceList':
      return (value as ExcludedSource[])
        .map((e) => (typeof e === 'string' ? (codeLabel('source', e, 'income_record') ?? e) : `${codeLabel('source', e.source, 'income_record') ?? e.source}（${e.from} 至 ${e.to ?? '长期'}）`))
        .join('、');
    case 'urbanRuralMoney':
      return Object.entries(value as Record<string, number>)
        .map(([k, cents]) => `${k === '1' ? '城镇' : '农村'} ${formatYuan(cents)} 元`)
        .join('；');
  }
}
