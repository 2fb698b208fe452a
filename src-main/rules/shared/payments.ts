import type { EnrollmentRow, PaymentRow } from '../../domain/exchange/rows.js';
import type { PersonFacts } from '../../domain/rules/facts.js';

/** Some payment of the person, seen beside the enrollment it names (undefined: none of the person's), satisfies `test`. */
export function somePayment(f: PersonFacts, test: (p: PaymentRow, e: EnrollmentRow | undefined) => boolean): boolean {
  const byId = new Map(f.enrollments.map((e) => [e.enrollment_id, e]));
  return f.payments.some((p) => test(p, byId.get(p.enrollment_id)));
}
