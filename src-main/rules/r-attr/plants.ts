/**
 * R-ATTR's own cases, each beside its near-miss (rules.md v2 "R-ATTR"):
 * - children's programmes: 18 on D fires, 18 tomorrow does not; an orphan at university whose expected end is D keeps
 *   the allowance, one whose end was D − 1 does not; a full-time student of category `other`, and an orphan whose
 *   studies are not full-time, do not;
 * - the two subsidies: a certificate valid to D, and one that ran out the day before; the care subsidy at level 2 and 3 (a
 *   snapshot holds one certificate per person, so §R's "level 1 and level 3 together" cannot be planted);
 * - 特困 at working age: every type of the default "unable to work" list at the level that qualifies and the next one
 *   that does not, and types the list leaves out; 60 on D and 60 tomorrow; admitted at 17 and still in high school (until
 *   D, and until D − 1), admitted at exactly 18 in vocational school, admitted at 17 but at university;
 * - imprisoned: 特困 paid while in prison (fires, with the payments after the month it began), in detention, in prison
 *   but released on D (neither fires), released tomorrow (fires).
 * Households with 特困 get consents before the start and a recent review; nobody with a level 1–2 certificate lacks
 * 特困 or the care subsidy (so that nothing is "missed"); payments match their enrollment month by month.
 */
import { addDays, monthOf, yearsBefore } from '../../domain/calendar.js';
import type { PlantKit } from '../plant-kit.js';
import { PlantedHousehold, type PlantedMember } from '../shared/planted-household.js';
import { certificate, enrollIn, imprisonment, payMonths, school } from '../shared/plant-rows.js';

/** The default `tekunUnableToWorkCerts`: each type with the last level that qualifies and the first that does not. */
const UNABLE_BOUNDARIES = [
  ['5', 3, 4],
  ['6', 3, 4],
  ['4', 2, 3],
  ['1', 1, 2],
] as const;

export function plant(kit: PlantKit): void {
  const d = kit.asOf;
  const longAgo = () => addDays(d, -kit.rnd.int(400, 1500));
  const household = (members: PlantedMember[]) => new PlantedHousehold(kit, members, 'AT');
  const birthdayOn = (date: string, years: number) => yearsBefore(date, years);

  /** A person on 特困 alone: consents before the start, reviewed recently. */
  const tekun = (member: PlantedMember, start = longAgo()) => {
    const h = household([member]).consentAll(addDays(start, -kit.rnd.int(1, 20))).review(addDays(d, -kit.rnd.int(10, 60)));
    return { h, e: enrollIn(kit, h, 0, 'tekun', start) };
  };
  /** A young person on a children's programme, living with a grandparent who receives nothing. */
  const child = (member: PlantedMember, category: string, program = 'child_difficulty') => {
    const h = household([member, { age: kit.rnd.int(62, 80) }]);
    enrollIn(kit, h, 0, program, yearsBefore(d, 9), { category });
    return h;
  };

  for (let n = 0; n < kit.count; n++) {
    // ---- children's programmes ----
    child({ birth: birthdayOn(d, 18) }, 'other', 'child_severe');
    child({ birth: addDays(birthdayOn(d, 18), 1) }, 'other', 'child_severe');
    for (const end of [d, addDays(d, -1)]) {
      const h = child({ age: 19 }, kit.rnd.pick(['orphan', 'unsupported', 'hiv']));
      school(kit, h, 0, 'undergraduate', addDays(d, -kit.rnd.int(300, 700)), end);
    }
    {
      const h = child({ age: 20 }, 'other');
      school(kit, h, 0, 'college', addDays(d, -kit.rnd.int(300, 700)), addDays(d, kit.rnd.int(30, 400)));
    }
    {
      const h = child({ age: 19 }, 'orphan');
      school(kit, h, 0, 'undergraduate', addDays(d, -kit.rnd.int(300, 700)), addDays(d, kit.rnd.int(30, 400)), { fullTime: '0' });
    }

    // ---- the two subsidies (level 3: the care subsidy's "missed" test never concerns them) ----
    for (const validTo of [d, addDays(d, -1)]) {
      const h = household([{ age: kit.rnd.int(30, 55) }]);
      certificate(kit, h, 0, '4', 3, addDays(d, -kit.rnd.int(800, 1500)), validTo);
      enrollIn(kit, h, 0, 'disability_living', longAgo());
    }
    for (const level of [2, 3]) {
      const h = household([{ age: kit.rnd.int(30, 55) }]);
      certificate(kit, h, 0, kit.rnd.pick(['4', '5', '6']), level, addDays(d, -kit.rnd.int(100, 900)));
      enrollIn(kit, h, 0, 'disability_care', longAgo());
    }

    // ---- 特困 at working age ----
    for (const [type, qualifies, doesNot] of UNABLE_BOUNDARIES) {
      for (const level of [qualifies, doesNot]) {
        const { h } = tekun({ age: kit.rnd.int(25, 55) });
        certificate(kit, h, 0, type, level, addDays(d, -kit.rnd.int(100, 900)));
      }
    }
    for (const type of ['7', '2']) {
      const { h } = tekun({ age: kit.rnd.int(25, 55) });
      certificate(kit, h, 0, type, 1, addDays(d, -kit.rnd.int(100, 900)));
    }
    tekun({ birth: birthdayOn(d, 60) });
    tekun({ birth: addDays(birthdayOn(d, 60), 1) });
    // Admitted as a minor and still at school: the start decides, with the school valid at D.
    for (const [atStart, level, end] of [
      [17, 'high_school', d],
      [17, 'high_school', addDays(d, -1)],
      [18, 'vocational', addDays(d, kit.rnd.int(30, 300))],
      [17, 'undergraduate', addDays(d, kit.rnd.int(30, 300))],
    ] as const) {
      const start = addDays(d, -kit.rnd.int(400, 700));
      // 18 exactly on the start date, or 18 the day after it.
      const birth = atStart === 18 ? birthdayOn(start, 18) : addDays(birthdayOn(start, 18), 1);
      const { h } = tekun({ birth }, start);
      school(kit, h, 0, level, addDays(start, -kit.rnd.int(30, 300)), end);
    }

    // ---- imprisoned: paid every month since the start ----
    for (const [kind, release] of [
      ['prison', null],
      ['detention', null],
      ['prison', d],
      ['prison', addDays(d, 1)],
    ] as const) {
      const start = addDays(d, -kit.rnd.int(400, 680));
      const { h, e } = tekun({ age: kit.rnd.int(62, 80) }, start);
      payMonths(kit, e, monthOf(start), monthOf(d));
      const from = addDays(d, -kit.rnd.int(40, 300));
      imprisonment(kit, h, 0, kind, from, release);
    }
  }
}
