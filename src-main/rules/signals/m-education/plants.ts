/**
 * M-EDUCATION's cases beside their near-misses: two members beyond compulsory schooling (fires), one such student beside
 * a pupil in compulsory schooling (quiet), two where one's studies ended the day before D (quiet) or are suspended (quiet).
 */
import { addDays } from '../../../domain/calendar.js';
import type { SchoolEnrollmentRow } from '../../../domain/exchange/rows.js';
import type { PlantKit } from '../../plant-kit.js';
import type { PlantedHousehold } from '../../shared/planted-household.js';
import { household } from '../plant-helpers.js';

export function plant(kit: PlantKit): void {
  const d = kit.asOf;
  const school = (h: PlantedHousehold, i: number, level: SchoolEnrollmentRow['school_level'], o: { end?: string; status?: SchoolEnrollmentRow['status'] } = {}) =>
    kit.emit({ table: 'school_enrollment', row: { person_id: h.people[i]!, school_level: level, full_time: '1', start_date: addDays(d, -kit.rnd.int(100, 700)), expected_end_date: o.end ?? addDays(d, kit.rnd.int(100, 700)), status: o.status ?? 'enrolled' } });
  const family = () => household(kit, [{ age: kit.rnd.int(42, 52) }, { age: kit.rnd.int(42, 52) }, { age: 16 }, { age: 19 }], 'JCE');
  for (let n = 0; n < kit.count; n++) {
    let h = family();
    school(h, 2, 'high_school');
    school(h, 3, kit.rnd.pick(['college', 'undergraduate', 'vocational'] as const));
    h = family();
    school(h, 2, 'compulsory');
    school(h, 3, 'undergraduate');
    h = family();
    school(h, 2, 'high_school');
    school(h, 3, 'undergraduate', { end: addDays(d, -1) });
    h = family();
    school(h, 2, 'vocational');
    school(h, 3, 'undergraduate', { status: 'suspended' });
  }
}
