/**
 * Q-DICT's defects on the codes schema v2 added (rules.md v2 "Q-DICT covers every new code"): one value outside its
 * dictionary in every new *optional* coded column — of the new tables, and the new columns of v1 tables — each recorded
 * in the generator's truth. An import keeps such a value (a dictionary warning) and refuses a required one, so a
 * generated district must hold only the former: the platform builds the very same snapshot from its feeds
 * (platform-build.test.ts). Required columns are tested on hand-made rows (generator-truth.test.ts). The values are what
 * departments really write instead of a code (a word of their own, a 2 for 否): they are data, shown as they are in the
 * explanation. Near-misses: the same rows with codes inside the dictionaries, and empty optional codes.
 *
 * The rows sit in households with no enrollment active at D (an ended, never-paid 低保 carries the enrollment codes), a
 * motorcycle (which no asset test counts) carries the vehicle's, and a policy row for 特困 in a division prefix no
 * household has carries the policy's, so no other rule reads them.
 */
import { addDays, addMonths, monthOf } from '../../domain/calendar.js';
import type { PlantKit } from '../plant-kit.js';
import { PlantedHousehold } from '../shared/planted-household.js';

/** A code the dictionary does not have, typed as the column's codes (the point of the plant). */
const off = <T>(code: string): T => code as unknown as T;

export function plant(kit: PlantKit): void {
  const d = kit.asOf;
  const recent = () => addDays(d, -kit.rnd.int(10, 300));
  for (let n = 0; n < kit.count; n++) {
    const h = new PlantedHousehold(kit, [{ age: kit.rnd.int(35, 60) }, { age: kit.rnd.int(10, 17) }], 'QK');
    const [adult, child] = [h.people[0]!, h.people[1]!];
    const bad = n % 2 === 0; // every other household is the near-miss: the same rows with good codes
    const record = (subject: string) => bad && kit.recordDefect(subject);

    const start = addDays(d, -kit.rnd.int(1500, 1800));
    const enrollment = kit.nextId('enrollment');
    kit.emit({
      table: 'enrollment',
      row: {
        enrollment_id: enrollment,
        person_id: adult,
        household_id: h.id,
        program: 'dibao',
        status: 'stopped',
        start_date: start,
        end_date: addDays(start, 300),
        monthly_amount_cents: kit.dibaoStandardCents(h.division),
        support_mode: null,
        cause: 'illness',
        coverage: bad ? '部分' : 'household',
        category: bad ? '高龄' : null,
        end_reason: bad ? '转出' : 'income',
      },
    });
    for (const c of ['coverage', 'category', 'end_reason']) record(`enrollment:${enrollment}.${c}`);
    const exitFrom = monthOf(addDays(start, 300));
    kit.emit({ table: 'gradual_exit', row: { enrollment_id: enrollment, household_id: h.id, start_period: exitFrom, end_period: addMonths(exitFrom, 2), pay_ratio: 0.5, reason: bad ? off('婚嫁') : null, approved_by: null } });
    record(`gradual_exit:${enrollment}|${exitFrom}.reason`);

    const school = addDays(d, -kit.rnd.int(100, 600));
    kit.emit({ table: 'school_enrollment', row: { person_id: child, school_level: 'compulsory', full_time: bad ? '2' : null, start_date: school, expected_end_date: addDays(school, 1000), status: 'enrolled' } });
    record(`school_enrollment:${child}|compulsory|${school}.full_time`);

    const settlement = kit.nextRecordId('QKM');
    kit.emit({ table: 'medical_settlement', row: { settlement_id: settlement, person_id: adult, settle_date: recent(), total_cents: 30_000, fund_paid_cents: 20_000, self_paid_cents: null, serious_illness: bad ? '2' : '0' } });
    record(`medical_settlement:${settlement}.serious_illness`);

    const consent = kit.nextRecordId('QKC');
    kit.emit({ table: 'consent', row: { consent_id: consent, household_id: h.id, person_id: adult, for_person_id: child, role: 'guardian', signed_date: recent(), method: bad ? off('传真') : null, valid_to: null } });
    record(`consent:${consent}.method`);

    const plate = `苏Q${kit.nextRecordId('K').slice(-5)}`; // 苏Q: the district's plates are 苏A
    kit.emit({ table: 'vehicle', row: { plate, person_id: adult, vehicle_type: 'motorcycle', registered_date: addDays(d, -900), deregistered_date: null, value_cents: 300_000, exempt_reason: bad ? '务农' : null } });
    record(`vehicle:${plate}.exempt_reason`);

    // A 特困 standard for a division prefix no household has: read by no rule.
    const from = addDays(d, -(100 + n)); // one row per date: the table's key
    kit.emit({ table: 'policy', row: { division_prefix: '999999', program: 'tekun', effective_from: from, standard_monthly_cents: 100_000, urban_rural: bad ? '3' : '2' } });
    record(`policy:999999|tekun|${from}.urban_rural`);
  }
}
