/**
 * The words of reports: the anomaly types the seed papers count month by month (户籍迁出, 死亡, 业务互斥, 属性判断,
 * 应保, 应退) and those rule library v2 adds (rules.md "Reports"), and the spending-review rules. Reports show these
 * names, not rule ids.
 *
 * A rule says which type it counts under in its own definition.json (`reportCategory`), so that a new rule needs only its
 * folder: R-EDGE, R-SINGLE and R-RIGID declare `exit` (应退), R-MISSED `missed`, R-ALIVE `alive`, R-LINSHI, R-REVIEW and
 * R-CONSENT `regulation`.
 */
import type { RuleDefinition } from '../rules/rule-library.js';

export interface ReportCategory {
  id: string;
  zh: string;
  en: string;
  /** The seed papers' family the type belongs to (业务提醒, 主动发现…), said in the report's note. */
  group: { zh: string; en: string };
  /** Money owed to persons (应享未享), never money at risk: the report shows no amount for it. */
  owed?: true;
}

const REMINDER = { zh: '业务提醒', en: 'Reminders' };
const DISCOVERY = { zh: '主动发现', en: 'Active discovery' };

/** In the order the monthly report lists them: v1's six first, as they always were, then v2's. */
export const REPORT_CATEGORIES: readonly ReportCategory[] = [
  { id: 'hukou_out', zh: '户籍迁出', en: 'Household registration moved out', group: REMINDER },
  { id: 'death', zh: '死亡', en: 'Death', group: REMINDER },
  { id: 'mutex', zh: '业务互斥', en: 'Mutually exclusive programmes', group: { zh: '业务互斥', en: 'Mutual exclusion' } },
  { id: 'attribute', zh: '属性判断', en: 'Attribute check', group: { zh: '属性判断', en: 'Attribute judgement' } },
  { id: 'cover', zh: '应保未保', en: 'Eligible but not covered', group: DISCOVERY },
  { id: 'exit', zh: '应退未退', en: 'Should have exited', group: { zh: '家庭经济状况核对', en: 'Economic verification' } },
  { id: 'missed', zh: '应享未享', en: 'Entitled but not receiving', group: DISCOVERY, owed: true },
  { id: 'alive', zh: '长期无生存迹象', en: 'No sign of life', group: REMINDER },
  { id: 'regulation', zh: '业务规范', en: 'Case handling', group: { zh: '业务规范', en: 'Case handling' } },
];

/** The category a rule counts under in the monthly report, or null (spending and quality rules are reported elsewhere). */
export function reportCategoryOf(rule: Pick<RuleDefinition, 'id' | 'reportCategory'>): ReportCategory | null {
  const id = rule.reportCategory;
  return REPORT_CATEGORIES.find((c) => c.id === id) ?? null;
}

/** Each category with the rules that count under it, in the report's order. */
export function reportCategories(rules: readonly Pick<RuleDefinition, 'id' | 'reportCategory'>[]): { category: ReportCategory; ruleIds: string[] }[] {
  return REPORT_CATEGORIES.map((category) => ({ category, ruleIds: rules.filter((r) => reportCategoryOf(r)?.id === category.id).map((r) => r.id) }));
}

export const SPENDING_RULE_NAMES: Record<string, { zh: string; en: string }> = {
  'F-AFTER-DEATH': { zh: '死亡后发放', en: 'Paid after death' },
  'F-AFTER-EXIT': { zh: '退出后或无资格期发放', en: 'Paid after exit or outside enrolment' },
  'F-DUPLICATE': { zh: '重复发放', en: 'Paid twice' },
  'F-AMOUNT': { zh: '金额偏差', en: 'Amount differs from the enrolment' },
  // Not an F-rule: 临时救助's excess over the cap, repeats and splits, from R-LINSHI's findings (rules.md v2 "Reports").
  'R-LINSHI': { zh: '临时救助异常', en: 'Irregular temporary assistance' },
};
