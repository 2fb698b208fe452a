import { monthOf } from '../../domain/calendar.js';
import type { RuleModule } from '../types.js';

/** rules.md F-AFTER-DEATH: a payment for a period after the month of death. */
export const reference: RuleModule['reference'] = {
  subject: 'person',
  fires: (f) => f.death !== null && f.payments.some((p) => p.period > monthOf(f.death!.death_date)),
};
