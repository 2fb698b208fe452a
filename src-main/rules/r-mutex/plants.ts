/**
 * R-MUTEX's own cases, each beside its near-miss (rules.md v2 "R-MUTEX"):
 * - every pair of the policy default, the second programme still active at D (its end on D) and, beside it, ended the day
 *   before D; both paid every month of the overlap at different amounts, and once at the same amount (a tie);
 * - a person in two pairs at once (低保 + 特困 + 生活补贴), once with 特困 the smaller in both (counted once) and once not;
 * - the work-injury reason: 工伤生活护理费 in the first month of the 12 months to D (fires), only in the month before it,
 *   or only as a zero or negative correction (none fires); and with 特困 × 护理补贴 besides (its months counted once).
 * Programmes are paid their monthly amount every month of the enrollment; 特困 persons are 60 or older, subsidies come
 * with a certificate that fits them, 低保 households are reviewed and have consents — no other rule has a case here.
 */
import { addDays, addMonths, monthOf } from '../../domain/calendar.js';
import type { PlantKit } from '../plant-kit.js';
import { PlantedHousehold, type PlantedMember } from '../shared/planted-household.js';
import { certificate, enrollIn, payMonths, type PlantedEnrollment } from '../shared/plant-rows.js';

type Program = 'dibao' | 'tekun' | 'disability_living' | 'disability_care' | 'child_difficulty' | 'child_severe';

export function plant(kit: PlantKit): void {
  const d = kit.asOf;
  const month = monthOf(d);
  const household = (members: PlantedMember[]) => new PlantedHousehold(kit, members, 'MX');
  const cents = (yuan: number) => yuan * 100;

  /**
   * One person (member 0) enrolled in `programs`, each from its own start and paid monthly to its end (or D); the
   * household has consents before the first start and a recent review. Returns the household.
   */
  const person = (
    member: PlantedMember,
    programs: readonly { program: Program; yuan: number; end?: string; start?: string }[],
    o: { cert?: number; others?: PlantedMember[] } = {},
  ) => {
    const starts = programs.map((p) => p.start ?? addDays(d, -kit.rnd.int(120, 500)));
    const h = household([member, ...(o.others ?? [])]).consentAll(addDays([...starts].sort()[0]!, -kit.rnd.int(1, 20))).review(addDays(d, -kit.rnd.int(10, 60)));
    if (o.cert) certificate(kit, h, 0, '4', o.cert, addDays(d, -kit.rnd.int(600, 1500)));
    const enrollments: PlantedEnrollment[] = programs.map((p, i) => {
      const e = enrollIn(kit, h, 0, p.program, starts[i]!, { monthlyCents: cents(p.yuan), end: p.end ?? null, category: p.program.startsWith('child_') ? 'other' : undefined });
      payMonths(kit, e, monthOf(starts[i]!), monthOf(p.end ?? d));
      return e;
    });
    return { h, enrollments };
  };
  const old = () => ({ age: kit.rnd.int(62, 85) });
  const child = () => ({ age: kit.rnd.int(6, 15) });
  const adult = () => ({ age: kit.rnd.int(30, 55) });

  for (let n = 0; n < kit.count; n++) {
    // ---- each pair of the policy default: the second programme ends on D (active) or the day before (not) ----
    for (const end of [d, addDays(d, -1)]) {
      person(old(), [{ program: 'dibao', yuan: 600 }, { program: 'tekun', yuan: kit.rnd.int(700, 900), end }]);
      person(old(), [{ program: 'tekun', yuan: 800 }, { program: 'disability_living', yuan: kit.rnd.int(80, 120), end }], { cert: 3 });
      person(child(), [{ program: 'child_difficulty', yuan: 1200 }, { program: 'disability_living', yuan: kit.rnd.int(80, 120), end }], { cert: 3, others: [adult()] });
      person(child(), [{ program: 'dibao', yuan: 600 }, { program: 'child_severe', yuan: kit.rnd.int(300, 500), end }], { others: [old()] });
      person(old(), [{ program: 'tekun', yuan: 800 }, { program: 'disability_care', yuan: kit.rnd.int(80, 120), end }], { cert: kit.rnd.int(1, 2) });
    }
    // A tie: the same amount under both, every month.
    person(old(), [{ program: 'dibao', yuan: 700 }, { program: 'tekun', yuan: 700 }]);

    // ---- two pairs at once: 特困 the smaller in both (each of its months counted once), or only in one ----
    person(old(), [{ program: 'dibao', yuan: 600 }, { program: 'tekun', yuan: 100 }, { program: 'disability_living', yuan: 300 }], { cert: 3 });
    person(old(), [{ program: 'dibao', yuan: 600 }, { program: 'tekun', yuan: 400 }, { program: 'disability_living', yuan: 100 }], { cert: 3 });

    // ---- the work-injury reason ----
    const first = addMonths(month, -11);
    for (const [period, yuan] of [
      [first, kit.rnd.int(1500, 3000)],
      [addMonths(first, -1), kit.rnd.int(1500, 3000)],
      [first, 0],
      [first, -kit.rnd.int(100, 500)],
    ] as const) {
      const program = kit.rnd.pick(['disability_care', 'disability_living'] as const);
      // Enrolled since before the year, so that the month with the income was paid under the subsidy.
      const start = addDays(`${first}-01`, -kit.rnd.int(10, 200));
      const { h } = person(adult(), [{ program, yuan: kit.rnd.int(80, 120), start }], { cert: program === 'disability_care' ? kit.rnd.int(1, 2) : 3 });
      h.income(0, 'work_injury_care', period, cents(yuan));
    }
    // 特困 × 护理补贴 and 工伤生活护理费 every month of the year: the care subsidy's months are counted once.
    {
      const { h } = person(old(), [{ program: 'tekun', yuan: 800 }, { program: 'disability_care', yuan: 100 }], { cert: 1 });
      for (let m = first; m <= month; m = addMonths(m, 1)) h.income(0, 'work_injury_care', m, cents(2000));
    }
  }
}
