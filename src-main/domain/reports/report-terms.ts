/**
 * The words of reports: the anomaly types the seed papers count month by month (户籍迁出, 死亡, 业务互斥, 属性判断,
 * 应保, 应退) mapped to the rule library, and the spending-review rules. Reports show these names, not rule ids.
 */
export interface AnomalyType {
  ruleId: string;
  zh: string;
  en: string;
}

/** In the order the monthly report lists them. */
export const ANOMALY_TYPES: readonly AnomalyType[] = [
  { ruleId: 'R-HUKOU-OUT', zh: '户籍迁出', en: 'Household registration moved out' },
  { ruleId: 'R-DEATH', zh: '死亡', en: 'Death' },
  { ruleId: 'R-MUTEX', zh: '业务互斥', en: 'Mutually exclusive programmes' },
  { ruleId: 'R-ATTR', zh: '属性判断', en: 'Attribute check' },
  { ruleId: 'R-COVER', zh: '应保未保', en: 'Eligible but not covered (应保)' },
  { ruleId: 'R-EXIT', zh: '应退未退', en: 'Should have exited (应退)' },
];

export const SPENDING_RULE_NAMES: Record<string, { zh: string; en: string }> = {
  'F-AFTER-DEATH': { zh: '死亡后发放', en: 'Paid after death' },
  'F-AFTER-EXIT': { zh: '退出后或无资格期发放', en: 'Paid after exit or outside enrolment' },
  'F-DUPLICATE': { zh: '重复发放', en: 'Paid twice' },
  'F-AMOUNT': { zh: '金额偏差', en: 'Amount differs from the enrolment' },
};
