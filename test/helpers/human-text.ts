/**
 * What a user reads must be in their words: no internal codes, no English in the Chinese UI (beyond a short allow-list),
 * no JSON, no whole ID numbers outside the reveal. Used on every screen (e2e) and every explained finding and export.
 */

/** Latin words a Chinese screen may carry: file formats and the name of the other language. */
const ALLOWED_LATIN = new Set(['PDF', 'ID', 'CSV', 'XLSX', 'xlsx', 'csv', 'pdf', 'Excel', 'English', 'Ctrl', 'Shift', 'Alt', 'Enter', 'UTC']);

/** `data`: words that are the users' own data (usernames they chose), not the app's words. */
export function humanTextProblems(text: string, data: readonly string[] = []): string[] {
  const problems: string[] = [];
  // Record numbers (BDC0000000154, EN0000000705) and codes with digits are identifiers, not words; so is a short
  // export id (its 8 hex digits can happen to be all letters).
  for (const word of text.match(/(?<![A-Za-z0-9_.:/-])[A-Za-z_]{3,}(?![A-Za-z0-9_])/g) ?? []) if (!ALLOWED_LATIN.has(word) && !data.includes(word) && !/^[a-f]{8}$/.test(word)) problems.push(`Latin word "${word}"`);
  if (/[{}]|":|\[\s*"/.test(text)) problems.push('JSON');
  if (/(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/.test(text)) problems.push('a whole ID number');
  if (/\bundefined\b|\bnull\b|\bNaN\b/.test(text)) problems.push('a missing value');
  return problems;
}
