/**
 * Repairs one dirty feed cell into the snapshot's form, or says precisely why it cannot (exchange-schema.md, "Feed
 * files"). Pure: no files, no database. Every repair is named so the quality report can count it; nothing is ever
 * "fixed" into a different person (an ID number is only ever re-cased, converted from 15 digits, or refused).
 */
import { checkCharacter, validateIdNumber } from '../id-number.js';
import { isDivisionPrefix } from '../division.js';
import type { Dictionary, FeedColumn } from './feed-schema.js';

export type Repair =
  | 'full_width'
  | 'trimmed'
  | 'lowercase_x'
  | 'legacy_15_digit'
  | 'date_format'
  | 'excel_serial'
  | 'amount_format'
  | 'dictionary_label';

export type Cleaned =
  | { ok: true; value: string | number | null; repairs: Repair[]; warning?: 'Q-DICT' }
  | { ok: false; check: 'Q-ID' | 'Q-DICT' | 'Q-DATES' | 'completeness' | 'format'; reason: string };

const FULL_WIDTH = /[\uFF01-\uFF5E\u3000]/;

/** Full-width ASCII (Ｕ+FF01…FF5E) and the ideographic space become their half-width forms. */
export function toHalfWidth(s: string): string {
  // Most cells have none: one test instead of two replacements (the build cleans every cell of every row).
  if (!FULL_WIDTH.test(s)) return s;
  return s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

/** 15-digit legacy ID numbers (1980s–1990s): insert the century "19" and add the check character. */
export function upgradeLegacyId(id15: string): string {
  const body = `${id15.slice(0, 6)}19${id15.slice(6)}`;
  return body + checkCharacter(body);
}

const pad2 = (n: number) => String(n).padStart(2, '0');

function realDate(y: number, m: number, d: number): string | null {
  if (!(y >= 1850 && y <= 2200 && m >= 1 && m <= 12 && d >= 1)) return null;
  if (d > new Date(Date.UTC(y, m, 0)).getUTCDate()) return null;
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/** Excel's day count (1900 date system, with its phantom 29 Feb 1900) to ISO. */
export function fromExcelSerial(serial: number): string | null {
  if (!Number.isInteger(serial) || serial < 1 || serial > 200_000) return null;
  return new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000).toISOString().slice(0, 10);
}

export function parseDate(text: string): { value: string; repaired: Repair | null } | null {
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (m) {
    const v = realDate(+m[1]!, +m[2]!, +m[3]!);
    return v ? { value: v, repaired: null } : null;
  }
  m = /^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})$/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text) ?? /^(\d{4})年(\d{1,2})月(\d{1,2})日$/.exec(text);
  if (m) {
    const v = realDate(+m[1]!, +m[2]!, +m[3]!);
    return v ? { value: v, repaired: 'date_format' } : null;
  }
  // A bare number is an Excel serial only when it looks like one (5 digits: 1927–2173); "2023" or "123456" is refused.
  if (/^\d{5}$/.test(text) && Number(text) >= 10_000) {
    const v = fromExcelSerial(Number(text));
    return v ? { value: v, repaired: 'excel_serial' } : null;
  }
  return null;
}

export function parseMonth(text: string): { value: string; repaired: Repair | null } | null {
  let m = /^(\d{4})-(\d{2})$/.exec(text);
  if (m && +m[2]! >= 1 && +m[2]! <= 12) return { value: text, repaired: null };
  m = /^(\d{4})[/.](\d{1,2})$/.exec(text) ?? /^(\d{4})(\d{2})$/.exec(text) ?? /^(\d{4})年(\d{1,2})月$/.exec(text);
  if (m && +m[2]! >= 1 && +m[2]! <= 12) return { value: `${m[1]}-${pad2(+m[2]!)}`, repaired: 'date_format' };
  const date = parseDate(text);
  return date ? { value: date.value.slice(0, 7), repaired: 'date_format' } : null;
}

/** Yuan with at most two decimals, thousands separators and a 元/¥ sign allowed, to integer cents. */
export function parseMoney(text: string): { value: number; repaired: Repair | null } | null {
  // The usual "1234.50" needs none of the repairs below: read it directly.
  const plain = MONEY.exec(text);
  if (plain) return { value: centsOf(plain), repaired: null };
  const unsigned = text.replace(/\s/g, '').replace(/^[¥￥]/, '').replace(/元$/, '').replace(/，/g, ',');
  // Commas only as thousands separators ("1,234.50"); "1234,50" (a decimal comma) is refused, not read as 123,450.
  if (unsigned.includes(',') && !/^-?\d{1,3}(,\d{3})+(\.\d{1,2})?$/.test(unsigned)) return null;
  const stripped = unsigned.replaceAll(',', '');
  const m = MONEY.exec(stripped);
  if (!m) return null;
  return { value: centsOf(m), repaired: stripped !== text ? 'amount_format' : null };
}

const MONEY = /^(-?)(\d+)(?:\.(\d{1,2}))?$/;

function centsOf(m: RegExpExecArray): number {
  const cents = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -cents : cents;
}

function lookup(dictionary: Dictionary, text: string): { value: string; repaired: Repair | null } | null {
  if (Object.hasOwn(dictionary, text)) return { value: text, repaired: null };
  for (const [code, labels] of Object.entries(dictionary)) if (labels.includes(text)) return { value: code, repaired: 'dictionary_label' };
  return null;
}

/** Cell values as readers hand them over: CSV gives strings, spreadsheets numbers, dates and strings. */
export type RawCell = string | number | boolean | Date | null | undefined;

function asText(raw: RawCell): string {
  if (raw === null || raw === undefined) return '';
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? '' : raw.toISOString().slice(0, 10);
  return String(raw);
}

/** A number outside the column's bounds (a negative medical bill, a pay ratio of 1.5) is refused, never clamped. */
function outOfBounds(column: FeedColumn, value: number, shown: string): Cleaned | null {
  if (column.min !== undefined && value < column.min) return { ok: false, check: 'format', reason: `${shown} is below the least allowed value` };
  if (column.max !== undefined && value > column.max) return { ok: false, check: 'format', reason: `${shown} is above the greatest allowed value` };
  return null;
}

/**
 * An accepted value with the repairs made to the cell and the one made to its value, if any. Declared once, not as a
 * closure per call: the build cleans every cell of every row.
 */
function accepted(value: string | number, repairs: Repair[], repaired: Repair | null = null): Cleaned {
  return { ok: true, value, repairs: repaired ? [...repairs, repaired] : repairs };
}

export function cleanCell(column: FeedColumn, raw: RawCell): Cleaned {
  const repairs: Repair[] = [];
  const original = asText(raw);
  let text = toHalfWidth(original);
  if (text !== original) repairs.push('full_width');
  const trimmed = text.trim();
  if (trimmed !== text) repairs.push('trimmed');
  text = trimmed;

  if (text === '') {
    return column.required ? { ok: false, check: 'completeness', reason: `${column.key} is required` } : { ok: true, value: null, repairs };
  }

  switch (column.kind) {
    case 'text':
      return accepted(text, repairs);
    case 'id': {
      // A spreadsheet number keeps 15 significant digits: an 18-digit ID stored as a number has lost its last digits
      // and may even pass the check as someone else. Only a 15-digit legacy number survives that intact.
      if (typeof raw === 'number' && !/^\d{15}$/.test(text)) {
        return { ok: false, check: 'Q-ID', reason: `ID number stored as a spreadsheet number (${text}): digits lost, refused` };
      }
      let id = text;
      if (/x$/.test(id)) {
        id = id.toUpperCase();
        repairs.push('lowercase_x');
      }
      if (/^\d{15}$/.test(id)) {
        id = upgradeLegacyId(id);
        repairs.push('legacy_15_digit');
      }
      const problem = validateIdNumber(id);
      return problem ? { ok: false, check: 'Q-ID', reason: `invalid resident ID number (${problem}): "${original}"` } : accepted(id, repairs);
    }
    case 'date': {
      if (typeof raw === 'number') {
        const v = fromExcelSerial(raw);
        return v ? accepted(v, repairs, 'excel_serial') : { ok: false, check: 'format', reason: `not a date: ${raw}` };
      }
      const parsed = parseDate(text);
      return parsed ? accepted(parsed.value, repairs, parsed.repaired) : { ok: false, check: 'format', reason: `not a date: "${original}"` };
    }
    case 'month': {
      const parsed = parseMonth(text);
      return parsed ? accepted(parsed.value, repairs, parsed.repaired) : { ok: false, check: 'format', reason: `not a month: "${original}"` };
    }
    case 'money': {
      if (typeof raw === 'number' && Math.abs(raw * 100 - Math.round(raw * 100)) > 1e-6) {
        return { ok: false, check: 'format', reason: `amount ${raw} has more than two decimals` };
      }
      const parsed = typeof raw === 'number' ? parseMoney(raw.toFixed(2)) : parseMoney(text);
      if (!parsed) return { ok: false, check: 'format', reason: `not an amount in yuan: "${original}"` };
      return outOfBounds(column, parsed.value, `amount "${original}"`) ?? accepted(parsed.value, repairs, parsed.repaired);
    }
    case 'int':
      if (!/^-?\d+$/.test(text)) return { ok: false, check: 'format', reason: `not a whole number: "${original}"` };
      return outOfBounds(column, Number(text), `"${original}"`) ?? accepted(Number(text), repairs);
    case 'decimal':
      if (!/^-?\d+(\.\d+)?$/.test(text)) return { ok: false, check: 'format', reason: `not a number: "${original}"` };
      return outOfBounds(column, Number(text), `"${original}"`) ?? accepted(Number(text), repairs);
    case 'division':
      return /^\d{12}$/.test(text) ? accepted(text, repairs) : { ok: false, check: 'format', reason: `not a 12-digit division code: "${original}"` };
    case 'prefix':
      return isDivisionPrefix(text) ? accepted(text, repairs) : { ok: false, check: 'format', reason: `not a division prefix: "${original}"` };
    case 'code': {
      const found = lookup(column.dictionary ?? {}, text);
      if (found) return accepted(found.value, repairs, found.repaired);
      // A required code decides what a row means (programme, status): without it the row is refused. An optional
      // one is kept as delivered and reported, so a whole household is not lost over its 城乡类别.
      if (column.required) return { ok: false, check: 'Q-DICT', reason: `${column.key} "${original}" is not in its dictionary` };
      return { ok: true, value: text, repairs, warning: 'Q-DICT' };
    }
  }
}
