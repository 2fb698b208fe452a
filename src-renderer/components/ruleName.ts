import { RULE_CATALOGUE } from '../../src-main/rules/catalogue';

/** Rule names and families come from the rule library itself (each rule's definition.json, src-main/rules/catalogue.ts). */
export function ruleInfo(id: string, language: string): { name: string; family: string } {
  const rule = RULE_CATALOGUE.find((r) => r.id === id);
  return { name: rule ? (language === 'en' ? rule.name.en : rule.name.zh) : id, family: rule?.family ?? 'own' };
}

export const RULE_IDS = RULE_CATALOGUE.map((r) => r.id);

/** Whether a rule's findings are money owed to the person (应享未享), never money at risk. */
export function isOwedRule(id: string): boolean {
  const rule = RULE_CATALOGUE.find((r) => r.id === id);
  return rule !== undefined && 'owed' in rule;
}

/** The benefits that seem missing, named for a finding's reasons (its rule definition's `owed`), or null. */
export function owedBenefits(id: string, reasons: readonly string[] | null, language: string): string | null {
  const rule = RULE_CATALOGUE.find((r) => r.id === id);
  if (!rule || !('owed' in rule) || !reasons) return null;
  const owed = rule.owed as Record<string, { zh: string; en: string } | undefined>;
  const names = reasons.flatMap((r) => (owed[r] ? [language === 'en' ? owed[r].en : owed[r].zh] : []));
  return names.length ? names.join(language === 'en' ? ', ' : '、') : null;
}
