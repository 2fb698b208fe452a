import library from '../../resources/rules/builtin-rules.json';

/** Rule names and families come from the rule library itself (resources/rules/builtin-rules.json). */
export function ruleInfo(id: string, language: string): { name: string; family: string } {
  const rule = library.rules.find((r) => r.id === id);
  return { name: rule ? (language === 'en' ? rule.name.en : rule.name.zh) : id, family: rule?.family ?? 'own' };
}

export const RULE_IDS = library.rules.map((r) => r.id);
