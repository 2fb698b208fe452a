/** Parameters are policy (rules.md §P): resolution by region and date, the v1 preset, and the region file. */
import { describe, expect, it } from 'vitest';
import { yuanToCents } from '../../src-main/domain/money.js';
import { centsToYuan, ParameterFileError, readParameterFile, writeParameterFile } from '../../src-main/domain/rules/parameter-file.js';
import { certMeets, excludedAt, parameterByName, PARAMETERS, resolveParameter, type RegionalValue } from '../../src-main/domain/rules/parameters.js';

const edge = parameterByName('edgeMultiple')!;
const row = (divisionPrefix: string, effectiveFrom: string, value: unknown): RegionalValue => ({ name: 'edgeMultiple', divisionPrefix, effectiveFrom, value, source: `文件 ${divisionPrefix} ${effectiveFrom}` });

describe('parameter resolution (§P)', () => {
  const rows = [row('32', '2023-01-01', 1.6), row('3201', '2024-01-01', 1.8), row('3201', '2024-07-01', 2), row('320111', '2025-01-01', 1.7)];
  it('takes the longest matching prefix, then the latest effective date on or before D', () => {
    expect(resolveParameter(edge, rows, '320111001001', '2024-06-30')).toMatchObject({ value: 1.8, region: '3201', effectiveFrom: '2024-01-01', source: '文件 3201 2024-01-01' });
    expect(resolveParameter(edge, rows, '320111001001', '2024-07-01')).toMatchObject({ value: 2, effectiveFrom: '2024-07-01' });
    expect(resolveParameter(edge, rows, '320111001001', '2025-01-01')).toMatchObject({ value: 1.7, region: '320111' });
    expect(resolveParameter(edge, rows, '320211001001', '2025-01-01')).toMatchObject({ value: 1.6, region: '32' });
    expect(resolveParameter(edge, rows, '320111001001', '2022-12-31')).toMatchObject({ value: 1.5, region: null, source: edge.source });
    expect(resolveParameter(edge, rows, '110101001001', '2025-01-01').value).toBe(1.5);
  });
  it('falls back to the v1 preset where asked, and to the policy default otherwise', () => {
    const certs = parameterByName('tekunUnableToWorkCerts')!;
    expect(resolveParameter(certs, [], '320111001001', '2024-06-30', 'v1').value).toEqual([{ type: '*', levels: [1, 2] }]);
    expect(resolveParameter(certs, [], '320111001001', '2024-06-30').value).toContainEqual({ type: '5', levels: [1, 2, 3] });
    // A parameter without a v1 value keeps its default under the preset.
    expect(resolveParameter(edge, [], '320111001001', '2024-06-30', 'v1').value).toBe(1.5);
  });
  it('every parameter names its source, and its default fits its own type', () => {
    for (const p of PARAMETERS) {
      expect(p.source.length, p.name).toBeGreaterThan(4);
      const text = JSON.stringify({ region: '32', effectiveFrom: '2024-01-01', parameters: { [p.name]: { value: p.type === 'money' && p.default !== null ? centsToYuan(p.default as number) : p.default, source: p.source } } });
      if (p.default === null && !p.nullable) throw new Error(`${p.name}: null default on a non-nullable parameter`);
      expect(readParameterFile(text).values[0]!.value, p.name).toEqual(p.default);
    }
  });
});

describe('what the values mean', () => {
  it('a dated exclusion applies between its months, inclusive', () => {
    const list = ['provident_fund', { source: 'basic_pension', from: '2021-07-01', to: '2025-12-31' }];
    expect(excludedAt(list, '2021-06')).toEqual(['provident_fund']);
    expect(excludedAt(list, '2021-07')).toEqual(['provident_fund', 'basic_pension']);
    expect(excludedAt(list, '2025-12')).toEqual(['provident_fund', 'basic_pension']);
    expect(excludedAt(list, '2026-01')).toEqual(['provident_fund']);
    expect(excludedAt([{ source: 'x', from: '2020-01-01', to: null }], '2099-01')).toEqual(['x']);
  });
  it('certificate conditions match by type and level, "*" for any type', () => {
    const list = [{ type: '5', levels: [1, 2, 3] }, { type: '*', levels: [1] }];
    expect(certMeets(list, '5', 3)).toBe(true);
    expect(certMeets(list, '4', 3)).toBe(false);
    expect(certMeets(list, '4', 1)).toBe(true);
  });
  it('money in 元 converts to cents and back exactly', () => {
    expect(yuanToCents('1234.5')).toBe(123450);
    expect(yuanToCents('0.07')).toBe(7);
    expect(yuanToCents('12')).toBe(1200);
    expect(centsToYuan(123407)).toBe('1234.07');
  });
});

describe('the region parameter file', () => {
  const good = {
    region: '3201',
    effectiveFrom: '2024-07-01',
    title: '示例：某市实施细则',
    parameters: {
      employmentDeductionRatio: { value: 0.3, source: '赣州市最低生活保障实施细则 第十二条' },
      vehicleExemptValue: { value: '50000.00', source: '某市规定' },
      tekunUnableToWorkCerts: { value: [{ type: '5', levels: [1, 2, 3] }, { type: '7', levels: [1, 2] }], source: '某省特困人员认定实施办法 第六条' },
      excludedSources: { value: ['provident_fund', { source: 'basic_pension', from: '2021-07-01', to: '2027-12-31' }], source: '某省延长基础养老金不计入期限的通知' },
      disposableIncomeAnnual: { value: { '1': '76000.00', '2': '32000.50' }, source: '2023年某市国民经济和社会发展统计公报' },
    },
  };
  it('reads a region set, and writes it back to the same values', () => {
    const file = readParameterFile(JSON.stringify(good));
    expect(file.values.find((v) => v.name === 'vehicleExemptValue')!.value).toBe(5_000_000);
    expect(file.values.find((v) => v.name === 'disposableIncomeAnnual')!.value).toEqual({ '1': 7_600_000, '2': 3_200_050 });
    expect(file.values.every((v) => v.divisionPrefix === '3201' && v.effectiveFrom === '2024-07-01')).toBe(true);
    expect(readParameterFile(writeParameterFile(file))).toEqual(file);
  });
  it('reports every problem, in Chinese, with where it is — and reads nothing', () => {
    const bad = {
      region: '3201X',
      effectiveFrom: '2024-02-30',
      parameters: {
        edgeMultiple: { value: 1.23456, source: '某文件' },
        linshiCapMonths: { value: 6 },
        vehicleExemptValue: { value: 50000, source: '某市规定' },
        noSuchThing: { value: 1, source: 'x' },
        residentialLimit: { value: null, source: '某文件' },
      },
    };
    try {
      readParameterFile(JSON.stringify(bad));
      throw new Error('accepted a bad file');
    } catch (error) {
      expect(error).toBeInstanceOf(ParameterFileError);
      const problems = (error as ParameterFileError).problems;
      expect(problems.map((p) => p.path).sort()).toEqual(
        ['effectiveFrom', 'parameters.edgeMultiple.value', 'parameters.linshiCapMonths.source', 'parameters.noSuchThing', 'parameters.residentialLimit.value', 'parameters.vehicleExemptValue.value', 'region'].sort(),
      );
      expect(problems.find((p) => p.path === 'parameters.edgeMultiple.value')!.message).toContain('最多 4 位小数');
      expect(problems.find((p) => p.path === 'parameters.linshiCapMonths.source')!.message).toContain('须注明依据');
      for (const p of problems) expect(p.message).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(() => readParameterFile('{not json')).toThrow(/不是有效的 JSON/);
  });
});
