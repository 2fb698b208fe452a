/**
 * R-CONSENT's own cases, each with its near-miss at the boundary (rules.md v2): a consent signed on the last grace day
 * (T0 + 30) covers, the day after does not (`initial`); a consent valid to D covers, one that lapsed the day before does
 * not (`expired`); a minor is covered by a guardian's consent (for everyone under 18, or for that child), not without one,
 * and not once 18 at D; a deceased member who never signed is ignored, a living one is not; a proxy signs for a member.
 */
import { addDays, yearsBefore } from '../../domain/calendar.js';
import type { PlantKit } from '../plant-kit.js';
import { PlantedHousehold, type PlantedMember } from '../shared/planted-household.js';

export function plant(kit: PlantKit): void {
  const d = kit.asOf;
  const grace = 30; // consentGraceDays' policy default: the plants aim at the boundary the truth reads from the parameters
  const elderly = (): PlantedMember => ({ age: kit.rnd.int(60, 80) });
  /** A household on 低保 (or 特困, alone) since T0, reviewed recently (quiet for R-REVIEW). */
  const household = (members: PlantedMember[], program: 'dibao' | 'tekun' = 'dibao') => {
    const t0 = addDays(d, -kit.rnd.int(200, 900));
    const h = new PlantedHousehold(kit, members, 'CN').enroll(0, program, t0).review(addDays(d, -kit.rnd.int(20, 60)));
    return { h, t0 };
  };

  for (let n = 0; n < kit.count; n++) {
    // initial: the spouse signs on the last grace day (covered), or the day after (fires).
    for (const late of [grace, grace + 1]) {
      const { h, t0 } = household([elderly(), elderly()]);
      h.consent(0, 'member', addDays(t0, -5)).consent(1, 'member', addDays(t0, late));
    }
    // expired: a consent valid to D still covers; one that lapsed the day before does not.
    for (const validTo of [d, addDays(d, -1)]) {
      const { h, t0 } = household([elderly()], 'tekun');
      h.consent(0, 'member', addDays(t0, -kit.rnd.int(0, 20)), { validTo });
    }
    // Minors: a guardian's consent for everyone under 18, or for the child by name, covers them; none does not.
    for (const guardian of ['all', 'child', 'none'] as const) {
      const { h, t0 } = household([{ age: kit.rnd.int(30, 45) }, { age: kit.rnd.int(3, 15) }]);
      h.consent(0, 'member', addDays(t0, -3));
      if (guardian === 'all') h.consent(0, 'guardian', addDays(t0, -3));
      if (guardian === 'child') h.consent(0, 'guardian', addDays(t0, -3), { forPerson: 1 });
    }
    // A child who was a minor at T0 and is 18 at D: the guardian's consent for minors no longer covers them (fires).
    {
      const t0 = addDays(d, -kit.rnd.int(400, 700));
      const birth = addDays(yearsBefore(d, 18), -kit.rnd.int(1, 200)); // 18 at D, 17 at T0
      const h = new PlantedHousehold(kit, [{ age: kit.rnd.int(40, 50) }, { birth }], 'CN').enroll(0, 'dibao', t0).review(addDays(d, -kit.rnd.int(20, 60)));
      h.consent(0, 'member', addDays(t0, -3)).consent(0, 'guardian', addDays(t0, -3));
    }
    // A member who died before D and never signed is ignored; a living one who never signed fires.
    for (const dead of [true, false]) {
      const { h, t0 } = household([elderly(), elderly()]);
      h.consent(0, 'member', addDays(t0, -3));
      if (dead) h.death(1, addDays(d, -2));
    }
    // A proxy signs for the head (covered).
    {
      const { h, t0 } = household([{ age: kit.rnd.int(80, 90) }, elderly()]);
      h.consent(1, 'proxy', addDays(t0, -3), { forPerson: 0 }).consent(1, 'member', addDays(t0, -3));
    }
  }
}
