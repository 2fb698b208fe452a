/** Money is carried in integer 分 (cents) and shown in 元 with two decimals, in the user's language. */
export function yuan(cents: number | null | undefined, language: string): string {
  if (cents === null || cents === undefined) return '—';
  return new Intl.NumberFormat(language, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(cents / 100);
}
