import { RULE_CATALOGUE } from '../../src-main/rules/catalogue';

/** Rule names and families come from the rule library itself (each rule's definition.json, src-main/rules/catalogue.ts). */
export function ruleInfo(id: string, language: string): { name: string; family: string } {
  const rule = RULE_CATALOGUE.find((r) => r.id === id);
  return { name: rule ? (language === 'en' ? rule.name.en : rule.name.zh) : id, family: rule?.family ?? 'own' };
}

export const RULE_IDS = RULE_CATALOGUE.map((r) => r.id);
