/**
 * R-ALIVE's own cases and near-misses at the window's edge (aliveMonths = 12 by default): a sign on the first day of the
 * window counts (no finding), one the day before does not (finding); an income record of the window's first month
 * counts, one of the month before does not; the latest visit `not_found` (finding, reason not_found) and the same with a
 * medical settlement inside the window (no finding); a `changed` visit and a review of the household inside the window
 * (no finding). Each case is one person living alone on 高龄独居老人补贴, enrolled years ago, with no payments and no
 * certificate, income or assets another rule would judge.
 */
import { addDays, addMonths, monthOf, yearsBefore } from '../../domain/calendar.js';
import type { PlantKit } from '../plant-kit.js';
import { plantHousehold, type PlantedHousehold } from '../shared/plant-household.js';

const MONTHS = 12;

export function plant(kit: PlantKit): void {
  const from = `${addMonths(monthOf(kit.asOf), -(MONTHS - 1))}-01`;
  const inside = () => kit.rnd.dateBetween(from, kit.asOf);
  const before = () => kit.rnd.dateBetween(yearsBefore(from, 2), addDays(from, -1));

  const elder = (): PlantedHousehold & { person: string } => {
    const h = plantHousehold(kit, [kit.rnd.int(80, 95)]);
    kit.emit({
      table: 'enrollment',
      row: {
        enrollment_id: kit.nextId('enrollment'),
        person_id: h.people[0]!,
        household_id: h.householdId,
        program: 'elderly_alone',
        status: 'active',
        start_date: kit.rnd.dateBetween(yearsBefore(kit.asOf, 8), yearsBefore(kit.asOf, 2)),
        end_date: null,
        monthly_amount_cents: 10000,
        support_mode: null,
        cause: null,
      },
    });
    return { ...h, person: h.people[0]! };
  };
  const visit = (person: string, date: string, outcome: 'normal' | 'changed' | 'not_found') =>
    kit.emit({ table: 'grid_visit', row: { visit_id: kit.nextRecordId('GV'), person_id: person, visit_date: date, visitor: '网格员', outcome, note: null } });
  const settlement = (person: string, date: string) =>
    kit.emit({
      table: 'medical_settlement',
      row: { settlement_id: kit.nextRecordId('MS'), person_id: person, settle_date: date, total_cents: 35000, fund_paid_cents: 24500, self_paid_cents: 10500, serious_illness: '0' },
    });
  const wage = (person: string, period: string) => kit.emit({ table: 'income_record', row: { person_id: person, source: 'wage', period, amount_cents: 80000 } });

  for (let i = 0; i < kit.count; i++) {
    // The window's first day counts; the day before does not.
    visit(elder().person, from, 'normal');
    visit(elder().person, addDays(from, -1), 'normal');
    settlement(elder().person, from);
    settlement(elder().person, addDays(from, -1));
    // An income record is dated by its period: the window's first month counts, the month before does not.
    wage(elder().person, monthOf(from));
    wage(elder().person, addMonths(monthOf(from), -1));
    // The latest visit did not find the person (an earlier visit did): not_found; with a settlement inside, no finding.
    const lost = elder().person;
    visit(lost, before(), 'normal');
    visit(lost, inside(), 'not_found');
    const treated = elder().person;
    visit(treated, inside(), 'not_found');
    settlement(treated, inside());
    // A visit that found the situation changed, and a review of the household, are signs too.
    visit(elder().person, inside(), 'changed');
    kit.emit({ table: 'review', row: { household_id: elder().householdId, review_date: from, reviewer: '街道民政', result: 'unchanged' } });
    // Never visited, nothing at all since enrolment: no_sign.
    elder();
  }
}
