import { ageOn } from '../../domain/calendar.js';
import { isActiveAt, isCertValidAt } from '../../domain/rules/facts.js';
import type { RuleModule } from '../types.js';

/** rules.md R-ATTR (at the default parameters): an active programme the person's age or certificate contradicts. */
export const reference: RuleModule['reference'] = {
  subject: 'person',
  fires: (f, ctx) => {
    const d = ctx.asOf;
    const programs = new Set(f.enrollments.filter((e) => isActiveAt(e, d)).map((e) => e.program));
    const age = ageOn(f.person.birth_date, d);
    const cert = isCertValidAt(f.cert, d) ? f.cert : null;
    return (
      ((programs.has('child_difficulty') || programs.has('child_severe')) && age >= 18) ||
      ((programs.has('disability_living') || programs.has('disability_care')) && cert === null) ||
      (programs.has('disability_care') && cert !== null && cert.disability_level >= 3) ||
      (programs.has('tekun') && age >= 18 && age <= 59 && !(cert !== null && cert.disability_level <= 2))
    );
  },
};
