/**
 * The assistance programmes (救助业务) of exchange-schema.md, with the names users see.
 * The dictionary itself lives in resources/ so a region can read it without reading code.
 */
import programList from '../../resources/dictionaries/programs.json' with { type: 'json' };

export const PROGRAM_CODES = [
  'dibao',
  'tekun',
  'linshi',
  'dibao_edge',
  'child_difficulty',
  'child_severe',
  'disability_living',
  'disability_care',
  'elderly_alone',
  // Schema v2: a household status (刚性支出困难家庭), valid at most 12 months; nothing is paid under it.
  'rigid_expense',
] as const;

export type ProgramCode = (typeof PROGRAM_CODES)[number];

export interface ProgramInfo {
  code: ProgramCode;
  zh: string;
  short: string;
  en: string;
}

export const PROGRAMS: readonly ProgramInfo[] = programList as ProgramInfo[];

export function isProgramCode(value: string): value is ProgramCode {
  return (PROGRAM_CODES as readonly string[]).includes(value);
}

/** The name users see for a programme code (the code itself when the dictionary does not know it). */
export function programName(code: string, language: 'zh-CN' | 'en'): string {
  const p = PROGRAMS.find((x) => x.code === code);
  return p ? (language === 'en' ? p.en : p.zh) : code;
}
