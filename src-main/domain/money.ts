/**
 * Money is held in integer cents (分) everywhere; yuan with two decimals only at the edges.
 * rules.md compares household income to standards "exactly (integer cents)".
 */

export type Cents = number & { readonly __brand: 'cents' };

export function yuanToCents(yuan: string | number): Cents {
  const text = typeof yuan === 'number' ? yuan.toFixed(2) : yuan.trim();
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) throw new Error(`not an amount in yuan: "${text}"`);
  const [, sign, whole, fraction = ''] = match;
  const cents = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  return (sign === '-' ? -cents : cents) as Cents;
}

export function formatYuan(cents: Cents | number): string {
  const negative = cents < 0;
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100).toLocaleString('en-US');
  return `${negative ? '-' : ''}${whole}.${String(abs % 100).padStart(2, '0')}`;
}
