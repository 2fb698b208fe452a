/**
 * Resident ID numbers (公民身份号码, GB 11643-1999).
 *
 * 6-digit address code + 8-digit birth date + 3-digit sequence (odd = male) + ISO 7064 MOD 11-2 check character.
 * The address code says where the number was first issued, never where the person lives now:
 * nothing in the workstation derives jurisdiction or permissions from it.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

export type IdProblem = 'length' | 'characters' | 'birth_date' | 'check_digit';

export function checkCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/** Returns the first problem found, or null for a valid 18-character ID number. */
export function validateIdNumber(id: string): IdProblem | null {
  if (id.length !== 18) return 'length';
  if (!/^\d{17}[\dX]$/.test(id)) return 'characters';
  if (birthDateOf(id) === null) return 'birth_date';
  if (checkCharacter(id.slice(0, 17)) !== id[17]) return 'check_digit';
  return null;
}

export function isValidIdNumber(id: string): boolean {
  return validateIdNumber(id) === null;
}

/** The ISO birth date encoded in an 18-character ID number, or null if it is not a real calendar date. */
export function birthDateOf(id: string): string | null {
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  if (!Number.isInteger(y) || y < 1850 || m < 1 || m > 12 || d < 1) return null;
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > daysInMonth) return null;
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

/** `1` male, `2` female, as in person.gender. */
export function genderOf(id: string): '1' | '2' {
  return Number(id[16]) % 2 === 1 ? '1' : '2';
}

/** Builds a valid ID number from its parts (used by the generator and tests). */
export function composeIdNumber(addressCode: string, birthDate: string, sequence: number): string {
  const body = `${addressCode}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  return body + checkCharacter(body);
}

/**
 * Masks an ID number for display to roles that may not see it whole:
 * keeps the address code's first 3 and the last 4 characters ("320***********1234").
 */
export function maskIdNumber(id: string): string {
  if (id.length < 8) return '*'.repeat(id.length);
  return id.slice(0, 3) + '*'.repeat(id.length - 7) + id.slice(-4);
}

/** Masks every resident ID number (18 characters, or the old 15 digits) standing on its own in a text. */
export function maskIdsInText(text: string): string {
  return text.replace(/(?<![0-9A-Za-z])(?:[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9A-Za-z])/g, (id) => maskIdNumber(id));
}

/** Masks a Chinese name: keeps the family name ("张**"). */
export function maskName(name: string): string {
  const chars = Array.from(name);
  if (chars.length <= 1) return '*';
  return chars[0] + '*'.repeat(chars.length - 1);
}
