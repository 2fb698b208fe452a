import programs from '../../resources/dictionaries/programs.json';

/** Programme names come from the same dictionary the services use (resources/dictionaries/programs.json). */
export function programName(code: string, language: string): string {
  const p = programs.find((x) => x.code === code);
  if (!p) return code;
  return language === 'en' ? p.en : p.zh;
}

export const PROGRAM_CODES = programs.map((p) => p.code);
