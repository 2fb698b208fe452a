import { monthOf } from '../../domain/calendar.js';
import { somePayment } from '../shared/payments.js';
import type { RuleModule } from '../types.js';

/** rules.md F-AFTER-EXIT: a payment without its enrollment, or for a month outside the enrollment's months. */
export const reference: RuleModule['reference'] = {
  subject: 'person',
  fires: (f) => somePayment(f, (p, e) => !e || p.period < monthOf(e.start_date) || (e.end_date !== null && p.period > monthOf(e.end_date))),
};
