/**
 * The embedded demo district: a small, deterministic Nanjing-like district (浦口区, 320111) that the app shows when
 * no platform is configured. Rows follow exchange-schema.md. It streams rows to a sink instead of building arrays,
 * the shape the full generator (`npm run cli -- generate`) grows from.
 */
import { composeIdNumber } from '../domain/id-number.js';
import type { ProgramCode } from '../domain/programs.js';
import { SeededRandom } from '../domain/random.js';

export const DEMO_JURISDICTION = ['320111'];
export const DEMO_AS_OF = '2024-06-30';

const STREETS: readonly [string, string][] = [
  ['320111001', '江浦街道'],
  ['320111002', '顶山街道'],
  ['320111003', '沿江街道'],
  ['320111004', '泰山街道'],
  ['320111005', '盘城街道'],
  ['320111006', '桥林街道'],
  ['320111007', '汤泉街道'],
  ['320111008', '星甸街道'],
  ['320111009', '永宁街道'],
];
const COMMUNITY_SUFFIXES = ['社区', '村'];
const COMMUNITY_STEMS = ['龙华', '东门', '求雨山', '珠江', '浦园', '江星', '新华', '团结', '花旗', '石桥', '侯冲', '高旺'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '高', '罗'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀', '霞', '平', '刚', '桂', '英', '华', '玉', '兰', '建', '国', '志', '红'];
/** Address codes of where ID numbers were first issued: mostly local, some from elsewhere (people move). */
const ID_ADDRESS_CODES = ['320111', '320111', '320111', '320106', '320113', '341181', '321023'];

export type DemoRow =
  | { table: 'division'; row: { division_code: string; name: string; level: number } }
  | { table: 'person'; row: { person_id: string; name: string; gender: string; birth_date: string; ethnicity: string; hukou_division: string; phone: string | null } }
  | { table: 'household'; row: { household_id: string; head_person_id: string; division_code: string; address: string; urban_rural: string } }
  | { table: 'household_member'; row: { household_id: string; person_id: string; relation: string } }
  | {
      table: 'enrollment';
      row: {
        enrollment_id: string;
        person_id: string;
        household_id: string;
        program: ProgramCode;
        status: string;
        start_date: string;
        end_date: string | null;
        monthly_amount: string;
        support_mode: string | null;
        cause: string | null;
      };
    };

function isoDate(y: number, m: number, d: number): string {
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function* generateDemoDistrict(seed = 20240630, households = 1200): Generator<DemoRow> {
  const rnd = new SeededRandom(seed);
  const communities: string[] = [];
  yield { table: 'division', row: { division_code: '320111000000', name: '浦口区', level: 3 } };
  for (const [street, streetName] of STREETS) {
    yield { table: 'division', row: { division_code: `${street}000`, name: streetName, level: 4 } };
    const count = rnd.int(3, 5);
    for (let c = 1; c <= count; c++) {
      const code = `${street}${String(c).padStart(3, '0')}`;
      const name = rnd.pick(COMMUNITY_STEMS) + rnd.pick(COMMUNITY_SUFFIXES);
      communities.push(code);
      yield { table: 'division', row: { division_code: code, name, level: 5 } };
    }
  }

  const usedIds = new Set<string>();
  const newPerson = (birthYear: number, gender: '1' | '2', surname: string): DemoRow & { table: 'person' } => {
    for (;;) {
      const birth = isoDate(birthYear, rnd.int(1, 12), rnd.int(1, 28));
      const seq = rnd.int(0, 499) * 2 + (gender === '1' ? 1 : 0);
      const id = composeIdNumber(rnd.pick(ID_ADDRESS_CODES), birth, seq);
      if (usedIds.has(id)) continue;
      usedIds.add(id);
      const name = surname + rnd.pick(GIVEN) + (rnd.chance(0.6) ? rnd.pick(GIVEN) : '');
      const phone = rnd.chance(0.7) ? `1${rnd.pick(['3', '5', '8'])}${String(rnd.int(0, 999999999)).padStart(9, '0')}` : null;
      return {
        table: 'person',
        row: { person_id: id, name, gender, birth_date: birth, ethnicity: '01', hukou_division: '', phone },
      };
    }
  };

  let enrollmentSeq = 0;
  for (let h = 1; h <= households; h++) {
    const division = rnd.pick(communities);
    const householdId = `HH${division.slice(6)}${String(h).padStart(5, '0')}`;
    const surname = rnd.pick(SURNAMES);
    const headYear = rnd.int(1940, 1998);
    const members: { person: DemoRow & { table: 'person' }; relation: string }[] = [];
    members.push({ person: newPerson(headYear, rnd.chance(0.55) ? '1' : '2', surname), relation: '01' });
    if (rnd.chance(0.7)) members.push({ person: newPerson(headYear + rnd.int(-3, 3), members[0]!.person.row.gender === '1' ? '2' : '1', rnd.pick(SURNAMES)), relation: '02' });
    const children = rnd.int(0, headYear > 1985 ? 2 : 1);
    for (let c = 0; c < children; c++) {
      members.push({ person: newPerson(Math.min(2023, headYear + rnd.int(22, 34)), rnd.chance(0.5) ? '1' : '2', surname), relation: '03' });
    }
    for (const m of members) {
      m.person.row.hukou_division = division;
      yield m.person;
    }
    const head = members[0]!.person.row;
    yield {
      table: 'household',
      row: {
        household_id: householdId,
        head_person_id: head.person_id,
        division_code: division,
        address: `南京市浦口区${rnd.int(1, 300)}号${rnd.int(1, 30)}幢${rnd.int(101, 1802)}室`,
        urban_rural: division.endsWith('001') || rnd.chance(0.6) ? '1' : '2',
      },
    };
    for (const m of members) yield { table: 'household_member', row: { household_id: householdId, person_id: m.person.row.person_id, relation: m.relation } };

    // About one household in six receives assistance; the programme follows the members' ages.
    if (!rnd.chance(0.17)) continue;
    const program: ProgramCode = headYear < 1950 ? 'elderly_alone' : rnd.pick(['dibao', 'dibao', 'dibao', 'tekun', 'dibao_edge', 'disability_living', 'disability_care']);
    const enrolled = program === 'dibao' || program === 'dibao_edge' ? members : [members[0]!];
    for (const m of enrolled) {
      const stopped = rnd.chance(0.12);
      const start = isoDate(rnd.int(2015, 2023), rnd.int(1, 12), 1);
      yield {
        table: 'enrollment',
        row: {
          enrollment_id: `EN${String(++enrollmentSeq).padStart(7, '0')}`,
          person_id: m.person.row.person_id,
          household_id: householdId,
          program,
          status: stopped ? 'stopped' : 'active',
          start_date: start,
          end_date: stopped ? isoDate(2024, rnd.int(1, 5), 28) : null,
          monthly_amount: program === 'dibao' ? '1100.00' : program === 'tekun' ? '1430.00' : '200.00',
          support_mode: program === 'tekun' ? rnd.pick(['1', '2']) : null,
          cause: rnd.pick(['illness', 'disability', 'no_labor', 'unemployment', 'other']),
        },
      };
    }
  }
}
