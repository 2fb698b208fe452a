/**
 * Spreadsheet safety for exports (OWASP "CSV injection"): a cell whose text begins with = + - @, a tab, a carriage
 * return or a line feed could be taken for a formula by Excel or LibreOffice. Such text is neutralised by a leading
 * apostrophe, in CSV and xlsx alike (an xlsx cell is also always written as a string, never as a formula).
 * Numbers (amounts) are written as numbers and need nothing.
 */
const DANGEROUS_START = /^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/;

export function neutralizeCell(text: string): string {
  return DANGEROUS_START.test(text) ? `'${text}` : text;
}

