/** The data's words in English: every table, column and code the vocabulary names has an English word, and Chinese stays the default. */
import { describe, expect, it } from 'vitest';
import { DICTIONARIES, FEED_TABLES, snapshotColumnOf } from '../../src-main/domain/exchange/feed-schema.js';
import { codeLabel, columnLabel, inLanguage, programLabel, tableLabel } from '../../src-main/domain/exchange/vocabulary.js';

const CJK = /[\u4e00-\u9fff]/;

describe('the vocabulary in English', () => {
  it('names every table and every column of every table without Chinese', () => {
    const missing: string[] = [];
    for (const t of [...FEED_TABLES.map((x) => x.table), 'business']) {
      if (CJK.test(tableLabel(t, 'en'))) missing.push(`${t}: ${tableLabel(t)}`);
      for (const c of FEED_TABLES.find((x) => x.table === t)?.columns ?? []) {
        const column = snapshotColumnOf(c);
        if (CJK.test(columnLabel(column, t, 'en'))) missing.push(`${t}.${column}: ${columnLabel(column, t)}`);
      }
    }
    // Values the rules compute for their evidence, named without a table.
    for (const column of ['months', 'income_cents', 'members', 'standard_monthly_cents', 'payments', 'kind', 'since', 'age', 'certificate_level', 'nonsense']) {
      if (CJK.test(columnLabel(column, undefined, 'en'))) missing.push(`${column}: ${columnLabel(column)}`);
    }
    expect(missing).toEqual([]);
  });

  it('says every code of every dictionary without Chinese', () => {
    const missing = Object.entries(DICTIONARIES).flatMap(([name, dictionary]) =>
      Object.entries(dictionary).flatMap(([code, words]) => {
        // Programmes are named by the programme dictionary (resources/dictionaries/programs.json), every other code here.
        const english = name === 'program' ? programLabel(code, 'en') : words[0] === undefined ? '' : inLanguage(words[0], 'en');
        return CJK.test(english) ? [`${name}.${code}: ${words[0]}`] : [];
      }),
    );
    expect(missing).toEqual([]);
  });

  it('keeps Chinese the default, and names programmes by the programme dictionary', () => {
    expect(tableLabel('death_record')).toBe('死亡登记');
    expect(columnLabel('death_date', 'death_record')).toBe('死亡日期');
    expect(codeLabel('usage', 'commercial', 'real_estate')).toBe('商业');
    expect(codeLabel('usage', 'commercial', 'real_estate', 'en')).toBe('Commercial');
    expect(programLabel('dibao')).toBe('最低生活保障');
    expect(programLabel('dibao', 'en')).toBe('Minimum living allowance (dibao)');
    expect(codeLabel('program', 'dibao', 'enrollment', 'en')).toBe('Minimum living allowance (dibao)');
    // A person's name and a division's name are told apart in English too (names are masked by role by their label).
    expect(columnLabel('name', 'person', 'en')).not.toBe(columnLabel('name', 'division', 'en'));
  });
});
