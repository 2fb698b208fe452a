/**
 * Q-DATES's defects on the v2 tables (rules.md v2 "Q-rules on the new tables"), each recorded in the generator's truth,
 * with the near-miss on the other side of each boundary: a school expected to end before it starts (ending the day it
 * starts is not), a 渐退 whose end month is before its start month (the same month is not), a release before the
 * imprisonment (on the day is not), and each new date one day after D (on D is not).
 *
 * The households have no enrollment active at D (a 渐退 hangs on an ended, never-paid 低保), a planted imprisonment or
 * school lies years back or in the future (never held, never valid at D), so no other rule reads them.
 */
import { addDays, addMonths, monthOf } from '../../domain/calendar.js';
import type { PlantKit } from '../plant-kit.js';
import { PlantedHousehold } from '../shared/planted-household.js';

export function plant(kit: PlantKit): void {
  const d = kit.asOf;
  const tomorrow = addDays(d, 1);
  for (let n = 0; n < kit.count; n++) {
    for (const bad of [true, false]) {
      const h = new PlantedHousehold(kit, [{ age: kit.rnd.int(35, 60) }, { age: kit.rnd.int(15, 17) }], 'QT');
      const [adult, child] = [h.people[0]!, h.people[1]!];
      const record = (subject: string) => bad && kit.recordDefect(subject);
      /** After D (the defect) or on D (the near-miss). */
      const future = bad ? tomorrow : d;

      // Contradictions between two dates of one row.
      const school = addDays(d, -kit.rnd.int(2000, 2500));
      kit.emit({ table: 'school_enrollment', row: { person_id: child, school_level: 'compulsory', full_time: '1', start_date: school, expected_end_date: bad ? addDays(school, -1) : school, status: 'graduated' } });
      record(`school_enrollment:${child}|compulsory|${school}`);
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
          coverage: 'household',
          end_reason: 'income',
        },
      });
      const exitFrom = monthOf(addDays(start, 300));
      kit.emit({ table: 'gradual_exit', row: { enrollment_id: enrollment, household_id: h.id, start_period: exitFrom, end_period: bad ? addMonths(exitFrom, -1) : exitFrom, pay_ratio: null, reason: 'employment', approved_by: null } });
      record(`gradual_exit:${enrollment}|${exitFrom}`);
      const held = addDays(d, -kit.rnd.int(2000, 3000));
      kit.emit({ table: 'imprisonment', row: { person_id: adult, start_date: held, end_date: bad ? addDays(held, -1) : held, kind: 'prison' } });
      record(`imprisonment:${adult}|${held}`);

      // Dates after D, one per table and column.
      const settlement = kit.nextRecordId('QTM');
      kit.emit({ table: 'medical_settlement', row: { settlement_id: settlement, person_id: adult, settle_date: future, total_cents: 20_000, fund_paid_cents: 15_000, self_paid_cents: 5_000, serious_illness: '0' } });
      record(`medical_settlement:${settlement}`);
      kit.emit({ table: 'unemployment_registration', row: { person_id: adult, registered_date: future, ended_date: null } });
      record(`unemployment_registration:${adult}|${future}`);
      kit.emit({ table: 'disaster_victim', row: { person_id: adult, event_date: future, kind: 'fire', loss_cents: 50_000 } });
      record(`disaster_victim:${adult}|${future}|fire`);
      kit.emit({ table: 'review', row: { household_id: h.id, review_date: future, reviewer: '核查员', result: 'unchanged' } });
      record(`review:${h.id}|${future}`);
      const consent = kit.nextRecordId('QTC');
      kit.emit({ table: 'consent', row: { consent_id: consent, household_id: h.id, person_id: adult, for_person_id: null, role: 'member', signed_date: future, method: 'paper', valid_to: null } });
      record(`consent:${consent}`);
      // Applied after D, and (another application) applied before but decided after D.
      const applied = kit.nextRecordId('QTA');
      kit.emit({ table: 'application', row: { application_id: applied, household_id: h.id, person_id: adult, program: 'linshi', applied_date: future, decided_date: null, outcome: 'pending', refusal_reason: null } });
      record(`application:${applied}`);
      const decided = kit.nextRecordId('QTA');
      kit.emit({ table: 'application', row: { application_id: decided, household_id: h.id, person_id: adult, program: 'linshi', applied_date: addDays(d, -20), decided_date: future, outcome: 'refused', refusal_reason: '收入超标' } });
      record(`application:${decided}`);
      kit.emit({ table: 'financial_asset', row: { person_id: adult, kind: 'deposit', institution: '江北农商行', balance_cents: 50_000, as_of_date: future } });
      record(`financial_asset:${adult}|deposit|江北农商行|${future}`);
      kit.emit({ table: 'school_enrollment', row: { person_id: child, school_level: 'high_school', full_time: '1', start_date: future, expected_end_date: addDays(future, 1095), status: 'enrolled' } });
      record(`school_enrollment:${child}|high_school|${future}`);
      kit.emit({ table: 'imprisonment', row: { person_id: child, start_date: future, end_date: null, kind: 'detention' } });
      record(`imprisonment:${child}|${future}`);
    }
  }
}
