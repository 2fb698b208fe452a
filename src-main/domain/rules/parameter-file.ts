/**
 * A region's parameter set as a file (rules.md, "Parameter file"): a province's implementing rules loaded at once, or
 * a region's values handed to a colleague.
 *
 *   {"region": "<division prefix>", "effectiveFrom": "YYYY-MM-DD", "title": "…",
 *    "parameters": {"<name>": {"value": …, "source": "…"}}}
 *
 * Money is written in 元 as a string with at most two decimals; certificate lists as [{"type": "5", "levels": [1, 2]}]
 * ("*" for any type); urban/rural values as {"1": "…", "2": "…"} keyed by urban_rural; excludedSources as source codes,
 * a dated exclusion as {"source": "basic_pension", "from": "…", "to": "…"}. Reading checks every entry and reports each
 * problem in Chinese (which parameter, what is wrong, what was found); a file with any problem changes nothing.
 */
import { isDivisionPrefix } from '../division.js';
import { because, type ReasonDetail } from '../reasons.js';
import { formatYuan, yuanToCents } from '../money.js';
import { isProgramCode } from '../programs.js';
import { parameterByName, PARAMETERS, type CertCondition, type ExcludedSource, type ParameterDefinition, type RegionalValue } from './parameters.js';

export interface ParameterFile {
  region: string;
  effectiveFrom: string;
  title?: string;
  values: RegionalValue[];
}

export interface ParameterFileProblem {
  /** Where in the file: "region", "parameters.edgeMultiple.value" … */
  path: string;
  message: string;
  /** The same in the screens' words, for either language (domain/reasons.ts: reasons.parameterFile.*). */
  why: ReasonDetail;
}

export class ParameterFileError extends Error {
  constructor(readonly problems: ParameterFileProblem[]) {
    super(problems.map((p) => `${p.path}：${p.message}`).join('；'));
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CODE = /^[a-z][a-z0-9_]*$/;
const YUAN = /^\d{1,12}(\.\d{1,2})?$/;
const isRealDate = (s: string) => DATE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
const shown = (v: unknown) => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}…` : s;
};

/** Cents as the file writes them: 元 with two decimals, no separators ("50000.00"). */
export function centsToYuan(cents: number): string {
  return formatYuan(cents).replaceAll(',', '');
}

/** One value from the file, checked against its definition; a message when it does not fit. */
type Problem = { problem: string; why: ReasonDetail };
const bad = (problem: string, why: ReasonDetail): Problem => ({ problem, why });

function readValue(p: ParameterDefinition, raw: unknown): { value: unknown } | Problem {
  if (raw === null) return p.nullable ? { value: null } : bad('不能为空', because('parameterFile.notNullable'));
  const bounds = (n: number) => (p.min !== undefined && n < p.min) || (p.max !== undefined && n > p.max);
  const range = `${p.min ?? '—'} 至 ${p.max ?? '—'}`;
  switch (p.type) {
    case 'integer':
      if (typeof raw !== 'number' || !Number.isInteger(raw)) return bad(`应为整数，实际为 ${shown(raw)}`, because('parameterFile.integer', { found: shown(raw) }));
      return bounds(raw) ? bad(`应在 ${range} 之间，实际为 ${raw}`, because('parameterFile.range', { min: p.min ?? '—', max: p.max ?? '—', found: raw })) : { value: raw };
    case 'decimal':
      if (typeof raw !== 'number' || !Number.isFinite(raw) || Math.round(raw * 10_000) / 10_000 !== raw) return bad(`应为最多 4 位小数的数，实际为 ${shown(raw)}`, because('parameterFile.decimal', { found: shown(raw) }));
      return bounds(raw) ? bad(`应在 ${range} 之间，实际为 ${raw}`, because('parameterFile.range', { min: p.min ?? '—', max: p.max ?? '—', found: raw })) : { value: raw };
    case 'money':
      return typeof raw === 'string' && YUAN.test(raw) ? { value: yuanToCents(raw) } : bad(`应为以元为单位、最多两位小数的字符串（如 "1200.00"），实际为 ${shown(raw)}`, because('parameterFile.money', { found: shown(raw) }));
    case 'boolean':
      return typeof raw === 'boolean' ? { value: raw } : bad(`应为 true 或 false，实际为 ${shown(raw)}`, because('parameterFile.boolean', { found: shown(raw) }));
    case 'programPairs': {
      if (!Array.isArray(raw)) return bad(`应为业务对的列表（如 [["dibao", "tekun"]]），实际为 ${shown(raw)}`, because('parameterFile.programPairs', { found: shown(raw) }));
      for (const pair of raw) {
        if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((x) => typeof x === 'string' && isProgramCode(x))) return bad(`${shown(pair)} 不是两个已知救助业务代码组成的业务对`, because('parameterFile.programPair', { found: shown(pair) }));
      }
      return { value: raw };
    }
    case 'codeList':
      return Array.isArray(raw) && raw.every((x) => typeof x === 'string' && CODE.test(x)) ? { value: raw } : bad(`应为代码列表（如 ["orphan"]），实际为 ${shown(raw)}`, because('parameterFile.codeList', { found: shown(raw) }));
    case 'certList': {
      if (!Array.isArray(raw)) return bad(`应为残疾类别与等级的列表（如 [{"type": "5", "levels": [1, 2]}]），实际为 ${shown(raw)}`, because('parameterFile.certList', { found: shown(raw) }));
      const out: CertCondition[] = [];
      for (const c of raw as unknown[]) {
        const x = c as { type?: unknown; levels?: unknown };
        const ok = typeof x?.type === 'string' && /^(\*|[1-7])$/.test(x.type) && Array.isArray(x.levels) && x.levels.length > 0 && x.levels.every((l) => Number.isInteger(l) && l >= 1 && l <= 4);
        if (!ok) return bad(`${shown(c)} 应写明残疾类别（1–7，或 "*" 表示任意类别）和等级（1–4）`, because('parameterFile.cert', { found: shown(c) }));
        out.push({ type: x.type as string, levels: x.levels as number[] });
      }
      return { value: out };
    }
    case 'sourceList': {
      if (!Array.isArray(raw)) return bad(`应为收入来源代码的列表，实际为 ${shown(raw)}`, because('parameterFile.sourceList', { found: shown(raw) }));
      const out: ExcludedSource[] = [];
      for (const e of raw as unknown[]) {
        if (typeof e === 'string' && CODE.test(e)) {
          out.push(e);
          continue;
        }
        const x = e as { source?: unknown; from?: unknown; to?: unknown };
        const dated = typeof x?.source === 'string' && CODE.test(x.source) && typeof x.from === 'string' && isRealDate(x.from) && (x.to === null || x.to === undefined || (typeof x.to === 'string' && isRealDate(x.to) && x.to >= x.from));
        if (!dated) return bad(`${shown(e)} 应为收入来源代码，或 {"source", "from", "to"}（日期为 YYYY-MM-DD，截止不早于起始）`, because('parameterFile.source', { found: shown(e) }));
        out.push({ source: x.source as string, from: x.from as string, to: (x.to as string | undefined) ?? null });
      }
      return { value: out };
    }
    case 'urbanRuralMoney': {
      const x = raw as Record<string, unknown>;
      const keys = typeof raw === 'object' && !Array.isArray(raw) ? Object.keys(x) : [];
      if (keys.length === 0 || !keys.every((k) => (k === '1' || k === '2') && typeof x[k] === 'string' && YUAN.test(x[k] as string))) {
        return bad(`应为 {"1": 城镇金额, "2": 农村金额}，金额以元为单位的字符串，实际为 ${shown(raw)}`, because('parameterFile.urbanRural', { found: shown(raw) }));
      }
      return { value: Object.fromEntries(keys.map((k) => [k, yuanToCents(x[k] as string)])) };
    }
  }
}

/** One value as a file or a form writes it (money in 元), for one parameter; throws ParameterFileError when it does not fit. */
export function readParameterValue(name: string, raw: unknown): unknown {
  const p = parameterByName(name);
  if (!p) throw new ParameterFileError([{ path: name, message: '没有这个参数', why: because('parameterFile.unknown') }]);
  const read = readValue(p, raw);
  if ('problem' in read) throw new ParameterFileError([{ path: name, message: `${p.label.zh}${read.problem}`, why: because('parameterFile.value', { parameter: p.label, problem: read.why }) }]);
  return read.value;
}

/** Reads a parameter file's text; throws ParameterFileError listing every problem. */
export function readParameterFile(text: string): ParameterFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ParameterFileError([{ path: '文件', message: `不是有效的 JSON（${(error as Error).message}）`, why: because('parameterFile.notJson', { detail: (error as Error).message }) }]);
  }
  const problems: ParameterFileProblem[] = [];
  const f = json as { region?: unknown; effectiveFrom?: unknown; title?: unknown; parameters?: unknown };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ParameterFileError([{ path: '文件', message: '应为一个 JSON 对象', why: because('parameterFile.notObject') }]);
  for (const key of Object.keys(f)) if (!['region', 'effectiveFrom', 'title', 'parameters'].includes(key)) problems.push({ path: key, message: '不是参数文件的字段（应为 region、effectiveFrom、title、parameters）', why: because('parameterFile.notAField') });
  if (typeof f.region !== 'string' || !isDivisionPrefix(f.region)) problems.push({ path: 'region', message: `应为 2、4、6、9 或 12 位的区划代码前缀，实际为 ${shown(f.region)}`, why: because('parameterFile.region', { found: shown(f.region) }) });
  if (typeof f.effectiveFrom !== 'string' || !isRealDate(f.effectiveFrom)) problems.push({ path: 'effectiveFrom', message: `应为生效日期 YYYY-MM-DD，实际为 ${shown(f.effectiveFrom)}`, why: because('parameterFile.effectiveFrom', { found: shown(f.effectiveFrom) }) });
  if (f.title !== undefined && typeof f.title !== 'string') problems.push({ path: 'title', message: '应为文字', why: because('parameterFile.title') });
  const values: RegionalValue[] = [];
  const entries = f.parameters;
  if (typeof entries !== 'object' || entries === null || Array.isArray(entries) || Object.keys(entries).length === 0) {
    problems.push({ path: 'parameters', message: '应为至少含一个参数的对象', why: because('parameterFile.parameters') });
  } else {
    for (const [name, entry] of Object.entries(entries as Record<string, unknown>)) {
      const path = `parameters.${name}`;
      const p = parameterByName(name);
      if (!p) {
        problems.push({ path, message: `没有这个参数（可用参数：${PARAMETERS.map((x) => x.name).join('、')}）`, why: because('parameterFile.unknownIn', { names: PARAMETERS.map((x) => x.name).join(', ') }) });
        continue;
      }
      const e = entry as { value?: unknown; source?: unknown };
      if (typeof entry !== 'object' || entry === null || !('value' in e)) {
        problems.push({ path, message: '应为 {"value": …, "source": "…"}', why: because('parameterFile.entry') });
        continue;
      }
      if (typeof e.source !== 'string' || e.source.trim().length < 2) problems.push({ path: `${path}.source`, message: `${p.label.zh}须注明依据（文件名称、文号、条款）`, why: because('parameterFile.sourceMissing', { parameter: p.label }) });
      const read = readValue(p, e.value);
      if ('problem' in read) problems.push({ path: `${path}.value`, message: `${p.label.zh}${read.problem}`, why: because('parameterFile.value', { parameter: p.label, problem: read.why }) });
      else if (typeof e.source === 'string') values.push({ name, divisionPrefix: f.region as string, effectiveFrom: f.effectiveFrom as string, value: read.value, source: e.source.trim() });
    }
  }
  if (problems.length > 0) throw new ParameterFileError(problems);
  return { region: f.region as string, effectiveFrom: f.effectiveFrom as string, ...(typeof f.title === 'string' ? { title: f.title } : {}), values };
}

/** A value as the file writes it (money back to 元). */
export function writeValue(p: ParameterDefinition, value: unknown): unknown {
  if (value === null) return null;
  if (p.type === 'money') return centsToYuan(value as number);
  if (p.type === 'urbanRuralMoney') return Object.fromEntries(Object.entries(value as Record<string, number>).map(([k, c]) => [k, centsToYuan(c)]));
  return value;
}

/** The file for a region's values in force from one date (what readParameterFile reads back to the same values). */
export function writeParameterFile(file: ParameterFile): string {
  const parameters: Record<string, { value: unknown; source: string }> = {};
  for (const v of file.values) {
    const p = parameterByName(v.name);
    if (p) parameters[v.name] = { value: writeValue(p, v.value), source: v.source };
  }
  return `${JSON.stringify({ region: file.region, effectiveFrom: file.effectiveFrom, ...(file.title ? { title: file.title } : {}), parameters }, null, 2)}\n`;
}
