import { isWithinScope } from '../../domain/division.js';
import type { HukouEventRow } from '../../domain/exchange/rows.js';
import { isActiveAt, type PersonFacts } from '../../domain/rules/facts.js';
import type { RuleModule } from '../types.js';

/** The person's latest hukou event dated on or before D. */
export const latestHukouEvent = (f: PersonFacts, d: string): HukouEventRow | undefined =>
  f.hukouEvents.filter((h) => h.event_date <= d).sort((a, b) => a.event_date.localeCompare(b.event_date)).at(-1);

/** rules.md R-HUKOU-OUT: an enrollment active at D, and the latest hukou event by D moved out of J. */
export const reference: RuleModule['reference'] = {
  subject: 'person',
  fires: (f, ctx) => {
    if (!f.enrollments.some((e) => isActiveAt(e, ctx.asOf))) return false;
    const latest = latestHukouEvent(f, ctx.asOf);
    return latest !== undefined && latest.event_type === 'move_out' && !isWithinScope(latest.to_division ?? '', ctx.jurisdiction);
  },
};
