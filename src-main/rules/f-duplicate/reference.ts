import type { RuleModule } from '../types.js';

/** rules.md F-DUPLICATE: two payments for the same programme and period. */
export const reference: RuleModule['reference'] = {
  subject: 'person',
  fires: (f) => {
    const seen = new Set<string>();
    return f.payments.some((p) => {
      const k = `${p.program}|${p.period}`;
      if (seen.has(k)) return true;
      seen.add(k);
      return false;
    });
  },
};
