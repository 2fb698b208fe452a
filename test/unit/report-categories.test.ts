/**
 * rules.md v2 "Reports": every rule the monthly report counts says its anomaly type in its own definition.json; v1's six
 * types keep their rows and order, v2 adds 应享未享 (money owed, no amount), 长期无生存迹象 and 业务规范.
 */
import { describe, expect, it } from 'vitest';
import { REPORT_CATEGORIES, reportCategories, reportCategoryOf } from '../../src-main/domain/reports/report-terms.js';
import { BUILTIN_RULES } from '../../src-main/rules/index.js';

describe('report categories', () => {
  it('keeps v1’s rows in order, one rule each, and adds v2’s', () => {
    const rows = reportCategories(BUILTIN_RULES);
    expect(rows.slice(0, 6).map((r) => [r.category.zh, r.ruleIds])).toEqual([
      ['户籍迁出', ['R-HUKOU-OUT']],
      ['死亡', ['R-DEATH']],
      ['业务互斥', ['R-MUTEX']],
      ['属性判断', ['R-ATTR']],
      ['应保未保', ['R-COVER']],
      ['应退未退', expect.arrayContaining(['R-EXIT'])],
    ]);
    const of = (zh: string) => rows.find((r) => r.category.zh === zh)!;
    expect(of('应享未享').ruleIds).toEqual(['R-MISSED']);
    expect(of('应享未享').category.owed).toBe(true);
    expect(of('长期无生存迹象').ruleIds).toEqual(['R-ALIVE']);
    expect(of('业务规范').ruleIds).toEqual(['R-LINSHI', 'R-REVIEW', 'R-CONSENT']);
  });

  it('gives every R-rule a type it declares (a new rule needs only its folder), and none to spending or quality rules', () => {
    for (const rule of BUILTIN_RULES) {
      const category = reportCategoryOf(rule);
      if (rule.id.startsWith('R-')) expect(category, rule.id).not.toBeNull();
      else expect(category, rule.id).toBeNull();
      if (rule.reportCategory !== undefined) expect(REPORT_CATEGORIES.map((c) => c.id), rule.id).toContain(rule.reportCategory);
    }
    // The v2 rules declare theirs (R-EDGE, R-SINGLE and R-RIGID will declare `exit`).
    for (const id of ['R-MISSED', 'R-ALIVE', 'R-LINSHI', 'R-REVIEW', 'R-CONSENT', 'R-DEATH', 'R-HUKOU-OUT']) expect(BUILTIN_RULES.find((r) => r.id === id)!.reportCategory, id).toBeDefined();
  });

  it('a rule whose money is owed to persons is never a rule with money at risk', () => {
    for (const rule of BUILTIN_RULES.filter((r) => r.owed)) {
      expect(rule.money, rule.id).toBe(false);
      expect(reportCategoryOf(rule)?.owed, rule.id).toBe(true);
    }
  });
});

describe('report categories in English', () => {
  it('are said in English alone: no Chinese gloss in an English report', () => {
    for (const c of REPORT_CATEGORIES) {
      expect(c.en, c.zh).not.toMatch(/[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/);
      expect(c.group.en, c.group.zh).not.toMatch(/[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/);
    }
  });
});
