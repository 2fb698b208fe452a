/**
 * Q-ORPHAN's defects on the v2 tables (rules.md v2 "Q-rules on the new tables"), each recorded in the generator's truth,
 * with near-misses that must stay quiet: a 渐退 row naming no enrollment, a household that does not exist (渐退, 核查,
 * 授权, 申请), or a household other than its enrollment's; a school record, an imprisonment, or a consent signed as a
 * member, by a person the platform does not know. Near-misses: a 渐退 row with its enrollment's household or with none;
 * a guardian's consent and a medical settlement naming an unknown person (other departments' residents).
 *
 * Every household here has no enrollment active at D (an ended 低保 at most, never paid), so no other rule judges it.
 */
import { addDays, addMonths, monthOf, yearsBefore } from '../../domain/calendar.js';
import type { EnrollmentRow } from '../../domain/exchange/rows.js';
import type { PlantKit } from '../plant-kit.js';
import { PlantedHousehold } from '../shared/planted-household.js';

export function plant(kit: PlantKit): void {
  const d = kit.asOf;
  const household = () => new PlantedHousehold(kit, [{ age: kit.rnd.int(30, 70) }, { age: kit.rnd.int(30, 70) }], 'QO');
  /** A valid ID number nobody in the district has: a person the platform does not know. */
  const stranger = () => kit.personId(addDays(yearsBefore(d, kit.rnd.int(20, 70)), -kit.rnd.int(1, 300)), kit.rnd.chance(0.5) ? '1' : '2');
  /** A household id in no household table. */
  const nowhere = () => kit.nextRecordId('HHX');
  const recent = () => addDays(d, -kit.rnd.int(10, 300));
  /** An ended 低保 of member 0, three to five years ago (never paid). */
  const endedDibao = (h: PlantedHousehold): EnrollmentRow => {
    const start = addDays(d, -kit.rnd.int(1500, 1800));
    const row: EnrollmentRow = {
      enrollment_id: kit.nextId('enrollment'),
      person_id: h.people[0]!,
      household_id: h.id,
      program: 'dibao',
      status: 'stopped',
      start_date: start,
      end_date: addDays(start, 400),
      monthly_amount_cents: kit.dibaoStandardCents(h.division),
      support_mode: null,
      cause: 'illness',
      coverage: 'household',
      end_reason: 'income',
    };
    kit.emit({ table: 'enrollment', row });
    return row;
  };
  const gradualExit = (enrollmentId: string, householdId: string | null, startPeriod: string) =>
    kit.emit({ table: 'gradual_exit', row: { enrollment_id: enrollmentId, household_id: householdId, start_period: startPeriod, end_period: addMonths(startPeriod, 2), pay_ratio: null, reason: 'employment', approved_by: '街道民政' } });

  for (let n = 0; n < kit.count; n++) {
    // 渐退 naming an enrollment that does not exist.
    {
      const h = household();
      const ghost = kit.nextRecordId('ENX');
      const period = monthOf(addDays(d, -kit.rnd.int(400, 700)));
      gradualExit(ghost, h.id, period);
      kit.recordDefect(`gradual_exit:${ghost}|${period}`);
    }
    // 渐退 of a real enrollment, filed under a household that does not exist / another household / its own / none.
    {
      const h = household();
      const other = household();
      const e = endedDibao(h);
      const first = monthOf(e.end_date!);
      const missing = nowhere();
      gradualExit(e.enrollment_id, missing, first);
      kit.recordDefect(`gradual_exit:${e.enrollment_id}|${first}`);
      gradualExit(e.enrollment_id, other.id, addMonths(first, 3));
      kit.recordDefect(`gradual_exit:${e.enrollment_id}|${addMonths(first, 3)}`);
      gradualExit(e.enrollment_id, h.id, addMonths(first, 6));
      gradualExit(e.enrollment_id, null, addMonths(first, 9));
    }
    // A review, a consent and an application filed under a household that does not exist.
    {
      const h = household();
      const missing = nowhere();
      const date = recent();
      kit.emit({ table: 'review', row: { household_id: missing, review_date: date, reviewer: '核查员', result: 'unchanged' } });
      kit.recordDefect(`review:${missing}|${date}`);
      const consent = kit.nextRecordId('QOC');
      kit.emit({ table: 'consent', row: { consent_id: consent, household_id: missing, person_id: h.people[0]!, for_person_id: null, role: 'member', signed_date: recent(), method: 'paper', valid_to: null } });
      kit.recordDefect(`consent:${consent}`);
      const application = kit.nextRecordId('QOA');
      kit.emit({
        table: 'application',
        row: { application_id: application, household_id: missing, person_id: h.people[0]!, program: 'linshi', applied_date: recent(), decided_date: null, outcome: 'pending', refusal_reason: null },
      });
      kit.recordDefect(`application:${application}`);
    }
    // Persons the platform does not know: a member's consent, a school record, an imprisonment are findings; a guardian's
    // consent and a medical settlement are not.
    {
      const h = household();
      const member = stranger();
      const consent = kit.nextRecordId('QOC');
      kit.emit({ table: 'consent', row: { consent_id: consent, household_id: h.id, person_id: member, for_person_id: null, role: 'member', signed_date: recent(), method: 'esign', valid_to: null } });
      kit.recordDefect(`consent:${consent}`);
      kit.emit({
        table: 'consent',
        row: { consent_id: kit.nextRecordId('QOC'), household_id: h.id, person_id: stranger(), for_person_id: h.people[1]!, role: 'guardian', signed_date: recent(), method: 'paper', valid_to: null },
      });
      const pupil = stranger();
      const start = addDays(d, -kit.rnd.int(100, 900));
      kit.emit({ table: 'school_enrollment', row: { person_id: pupil, school_level: 'high_school', full_time: '1', start_date: start, expected_end_date: addDays(start, 1095), status: 'enrolled' } });
      kit.recordDefect(`school_enrollment:${pupil}|high_school|${start}`);
      const inmate = stranger();
      const held = addDays(d, -kit.rnd.int(100, 900));
      kit.emit({ table: 'imprisonment', row: { person_id: inmate, start_date: held, end_date: null, kind: 'prison' } });
      kit.recordDefect(`imprisonment:${inmate}|${held}`);
      kit.emit({
        table: 'medical_settlement',
        row: { settlement_id: kit.nextRecordId('QOM'), person_id: stranger(), settle_date: recent(), total_cents: 52_000, fund_paid_cents: 40_000, self_paid_cents: 12_000, serious_illness: '0' },
      });
    }
  }
}
