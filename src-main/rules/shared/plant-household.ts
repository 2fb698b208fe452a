/**
 * A plain household for a rule's plants (rules/<rule>/plants.ts): persons of the given ages, one household in a
 * community of the jurisdiction, member rows — and nothing else, so that no other rule has anything to judge in it.
 */
import { addDays, yearsBefore } from '../../domain/calendar.js';
import type { PlantKit } from '../plant-kit.js';

export interface PlantedHousehold {
  householdId: string;
  division: string;
  people: string[];
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];
const GIVEN = ['建国', '秀英', '桂兰', '志强', '海燕', '文华', '玉珍', '明', '丽', '军'];

export function plantHousehold(kit: PlantKit, ages: readonly number[]): PlantedHousehold {
  const householdId = kit.nextId('household');
  const division = kit.community();
  const surname = kit.rnd.pick(SURNAMES);
  const people = ages.map((age, i) => {
    const gender = kit.rnd.chance(0.5) ? '1' : '2';
    const birth = addDays(yearsBefore(kit.asOf, age), -kit.rnd.int(1, 300));
    const personId = kit.personId(birth, gender);
    kit.emit({
      table: 'person',
      row: { person_id: personId, name: `${surname}${kit.rnd.pick(GIVEN)}`, gender, birth_date: birth, ethnicity: '01', hukou_division: division, phone: null },
    });
    kit.emit({ table: 'household_member', row: { household_id: householdId, person_id: personId, relation: i === 0 ? '01' : i === 1 ? '02' : '03' } });
    return personId;
  });
  kit.emit({ table: 'household', row: { household_id: householdId, head_person_id: people[0]!, division_code: division, address: `${division.slice(-3)}号`, urban_rural: '1' } });
  return { householdId, division, people };
}
