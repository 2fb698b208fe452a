import { somePayment } from '../shared/payments.js';
import type { RuleModule } from '../types.js';

/** rules.md F-AMOUNT: a payment that differs from its enrollment's monthly amount. */
export const reference: RuleModule['reference'] = {
  subject: 'person',
  fires: (f) => somePayment(f, (p, e) => e !== undefined && p.amount_cents !== e.monthly_amount_cents),
};
