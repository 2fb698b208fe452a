/**
 * R-COVER's own cases beside their near-misses (rules.md v2): a 低保边缘 household exactly at the line (fires) and one 分
 * over (does not); a member's 单人保 does not block it, a 特困 member does; an exempt 生计 truck passes the asset test,
 * a car one 分 over the example region's limit does not; a member in prison is not a member (his wage is not counted),
 * one in detention is.
 */
import { addDays, monthOf, monthsEnding } from '../../domain/calendar.js';
import type { PlantKit } from '../plant-kit.js';
import { exampleValue } from '../shared/example-region.js';
import { PlantedHousehold, type PlantedMember } from '../shared/planted-household.js';

export function plant(kit: PlantKit): void {
  const d = kit.asOf;
  const year = monthsEnding(monthOf(d), 12);
  const vehicleLimit = exampleValue('vehicleExemptValue') as number;

  /** A 低保边缘 household of two with counted income of `perMonth` × S a month (the line is 2 × S). */
  const onEdge = (perMonth: number, bump = 0, members: PlantedMember[] = [{ age: kit.rnd.int(60, 75) }, { age: kit.rnd.int(30, 50) }]) => {
    const start = addDays(d, -kit.rnd.int(200, 900));
    const h = new PlantedHousehold(kit, members, 'CV').enroll(0, 'dibao_edge', start).consentAll(addDays(start, -5)).review(addDays(d, -kit.rnd.int(20, 60)));
    const s = kit.dibaoStandardCents(h.division);
    year.forEach((m, i) => h.income(0, 'pension', m, Math.floor(perMonth * s) + (i === 3 ? bump : 0)));
    return { h, s };
  };

  for (let n = 0; n < kit.count; n++) {
    for (const extra of [0, 1]) onEdge(2, extra);
    // A 单人保 member (seriously ill) does not block it; a 特困 member does.
    for (const program of ['dibao', 'tekun'] as const) {
      const { h } = onEdge(1);
      const start = addDays(d, -kit.rnd.int(200, 600));
      h.enroll(program === 'dibao' ? 1 : 0, program, start, program === 'dibao' ? { coverage: 'single' } : {});
    }
    // A 生计 truck is exempt; a car one 分 over the example limit counts (under the national default every car counts).
    for (const [type, reason, value] of [['truck', 'livelihood', vehicleLimit * 2], ['car', null, vehicleLimit + 1]] as const) {
      const { h } = onEdge(1);
      kit.emit({ table: 'vehicle', row: { plate: kit.nextRecordId('苏AC'), person_id: h.people[1]!, vehicle_type: type, registered_date: addDays(d, -kit.rnd.int(100, 700)), deregistered_date: null, value_cents: value, exempt_reason: reason } });
    }
    // The wage of a member in prison at D is not the household's; in detention it is.
    for (const kind of ['prison', 'detention'] as const) {
      const { h, s } = onEdge(1);
      year.forEach((m) => h.income(1, 'wage', m, 2 * s));
      kit.emit({ table: 'imprisonment', row: { person_id: h.people[1]!, start_date: addDays(d, -kit.rnd.int(10, 40)), end_date: null, kind } });
    }
  }
}
