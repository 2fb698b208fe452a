/**
 * R-LINSHI's own cases and near-misses, at every boundary rules.md names: an award exactly at the cap (no finding) and
 * one 分 over it; a repeat for the same cause 365 days after the first (fires) and 366 days after (does not), and one for
 * another cause; a split group inside the window (the second award exactly `linshiSplitDays` after the first) summing
 * over L, the same awards one day further apart, and a group summing exactly L. Households of their own with 临时救助
 * only: each award one stopped enrollment of a day with one payment of its amount, in the month of the award, each
 * person paid at most once a month — nothing another rule judges.
 */
import { addDays, monthOf } from '../../domain/calendar.js';
import type { PlantKit } from '../plant-kit.js';
import { plantHousehold, type PlantedHousehold } from '../shared/plant-household.js';

const CAP_MONTHS = 6;
const LIMIT_MONTHS = 3;
const SPLIT_DAYS = 30;

function award(kit: PlantKit, h: PlantedHousehold, person: string, date: string, cents: number, cause: string | null): void {
  const enrollmentId = kit.nextId('enrollment');
  kit.emit({
    table: 'enrollment',
    row: { enrollment_id: enrollmentId, person_id: person, household_id: h.householdId, program: 'linshi', status: 'stopped', start_date: date, end_date: date, monthly_amount_cents: cents, support_mode: null, cause },
  });
  kit.emit({
    table: 'payment',
    row: { payment_id: kit.nextId('payment'), enrollment_id: enrollmentId, person_id: person, program: 'linshi', period: monthOf(date), amount_cents: cents, paid_date: date },
  });
}

export function plant(kit: PlantKit): void {
  const adults = (n: number) => Array.from({ length: n }, () => kit.rnd.int(25, 58));
  /** A date in the year, at least `room` days before D. */
  const inYear = (room: number) => addDays(kit.asOf, -kit.rnd.int(room, 300));
  for (let i = 0; i < kit.count; i++) {
    // The cap: exactly at it (no finding), one 分 over (finding, 0.01 元 at risk).
    for (const over of [0, 1]) {
      const h = plantHousehold(kit, adults(kit.rnd.int(1, 3)));
      const cap = CAP_MONTHS * kit.dibaoStandardCents(h.division) * h.people.length;
      award(kit, h, h.people[0]!, inYear(5), cap + over, 'illness');
    }
    // Repeats for the same cause: 365 days apart (fires), 366 days apart (does not); another cause 100 days apart (does not).
    for (const [gap, causes] of [
      [365, ['disaster', 'disaster']],
      [366, ['disaster', 'disaster']],
      [100, ['illness', 'education']],
    ] as const) {
      const h = plantHousehold(kit, adults(2));
      const s = kit.dibaoStandardCents(h.division) * h.people.length;
      const second = inYear(5);
      award(kit, h, h.people[0]!, addDays(second, -gap), s * kit.rnd.int(1, 2), causes[0]);
      award(kit, h, h.people[1]!, second, s * kit.rnd.int(1, 2), causes[1]);
    }
    // Splits: two awards each within L summing over it, exactly 30 days apart (fires) and 31 days apart (does not);
    // two awards within the window summing exactly L (does not); three, the third 30 days after the first (fires).
    for (const [gap, share] of [
      [SPLIT_DAYS, 2],
      [SPLIT_DAYS + 1, 2],
      [10, 1.5],
    ] as const) {
      const h = plantHousehold(kit, adults(2));
      const s = kit.dibaoStandardCents(h.division) * h.people.length;
      const first = inYear(40);
      award(kit, h, h.people[0]!, first, Math.round(s * share), null);
      award(kit, h, h.people[1]!, addDays(first, gap), Math.round(s * share), kit.rnd.pick(['illness', 'unemployment']));
    }
    const h = plantHousehold(kit, adults(3));
    const s = kit.dibaoStandardCents(h.division) * h.people.length;
    const first = inYear(40);
    const causes = ['illness', 'disaster', 'education'];
    [0, kit.rnd.int(1, 29), SPLIT_DAYS].forEach((gap, k) => award(kit, h, h.people[k]!, addDays(first, gap), s * (LIMIT_MONTHS - 1) - k, causes[k]!));
  }
}
