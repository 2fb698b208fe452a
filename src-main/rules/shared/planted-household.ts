/**
 * A household a rule plants (plants.ts) through the PlantKit, built to be *quiet* for every other rule: no income or
 * assets unless asked, no payments, no certificates, a recent 网格走访 for everyone (a sign of life), and — unless the
 * plant says otherwise — complete 核对授权 and a recent 定期核查. A rule's plant then adds exactly the rows its boundary needs.
 */
import { addDays, ageOn, yearsBefore } from '../../domain/calendar.js';
import type { ConsentRow, IncomeSource, ReviewRow } from '../../domain/exchange/rows.js';
import type { PlantKit } from '../plant-kit.js';

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];
const GIVEN = ['秀英', '建国', '桂兰', '志强', '玉梅', '国华', '淑珍', '海波', '丽娟', '德明'];

export interface PlantedMember {
  /** Age at D in whole years (the birthday falls 1–300 days before the last one), or an exact birth date. */
  age?: number;
  birth?: string;
  gender?: '1' | '2';
}

export class PlantedHousehold {
  readonly id: string;
  readonly people: string[] = [];
  readonly births: string[] = [];
  readonly division: string;

  constructor(
    private readonly kit: PlantKit,
    members: readonly PlantedMember[],
    /** A prefix of the rule's own for consent and visit ids (no two rules' plants may share one). */
    private readonly prefix: string,
  ) {
    this.id = kit.nextId('household');
    this.division = kit.community();
    const surname = kit.rnd.pick(SURNAMES);
    members.forEach((m, i) => {
      const gender = m.gender ?? (kit.rnd.chance(0.5) ? '1' : '2');
      const birth = m.birth ?? addDays(yearsBefore(kit.asOf, m.age ?? 40), -kit.rnd.int(1, 300));
      const id = kit.personId(birth, gender);
      this.people.push(id);
      this.births.push(birth);
      kit.emit({ table: 'person', row: { person_id: id, name: surname + kit.rnd.pick(GIVEN), gender, birth_date: birth, ethnicity: '01', hukou_division: this.division, phone: null } });
      kit.emit({ table: 'household_member', row: { household_id: this.id, person_id: id, relation: i === 0 ? '01' : m.age !== undefined && m.age < 18 ? '03' : '02' } });
      // A recent visit found everyone at home: a sign of life (R-ALIVE).
      kit.emit({ table: 'grid_visit', row: { visit_id: kit.nextRecordId(`${prefix}V`), person_id: id, visit_date: addDays(kit.asOf, -kit.rnd.int(5, 60)), visitor: '网格员', outcome: 'normal', note: null } });
    });
    kit.emit({ table: 'household', row: { household_id: this.id, head_person_id: this.people[0]!, division_code: this.division, address: `${surname}家`, urban_rural: '1' } });
  }

  /** The ids of the enrollments made so far, in order. */
  readonly enrollmentIds: string[] = [];

  /**
   * An enrollment of member i, active from `start` (低保 covers the whole household unless `coverage` says 单人保;
   * 特困 is 分散供养). Its id is the last of `enrollmentIds`.
   */
  enroll(i: number, program: string, start: string, o: { coverage?: 'household' | 'single'; monthlyCents?: number } = {}): this {
    const id = this.kit.nextId('enrollment');
    this.enrollmentIds.push(id);
    this.kit.emit({
      table: 'enrollment',
      row: {
        enrollment_id: id,
        person_id: this.people[i]!,
        household_id: this.id,
        program,
        status: 'active',
        start_date: start,
        end_date: null,
        monthly_amount_cents: o.monthlyCents ?? this.kit.dibaoStandardCents(this.division),
        support_mode: program === 'tekun' ? '2' : null,
        cause: program === 'tekun' ? 'no_labor' : program === 'dibao' || program === 'dibao_edge' ? 'illness' : null,
        ...(program === 'dibao' ? { coverage: o.coverage ?? 'household' } : {}),
      },
    });
    return this;
  }

  /** Monthly payments of the last enrollment (member `i`'s) for the given periods, at its monthly amount unless `cents`. */
  pay(i: number, program: string, periods: readonly string[], cents: number): this {
    const enrollment = this.enrollmentIds.at(-1)!;
    for (const period of periods) {
      this.kit.emit({
        table: 'payment',
        row: { payment_id: this.kit.nextId('payment'), enrollment_id: enrollment, person_id: this.people[i]!, program, period, amount_cents: cents, paid_date: `${period}-15` },
      });
    }
    return this;
  }

  review(date: string, result: ReviewRow['result'] = 'unchanged'): this {
    this.kit.emit({ table: 'review', row: { household_id: this.id, review_date: date, reviewer: '核查员', result } });
    return this;
  }

  /** A consent signed by member `signer` (for member `forPerson` when given). */
  consent(signer: number, role: ConsentRow['role'], signed: string, o: { forPerson?: number; validTo?: string | null } = {}): this {
    this.kit.emit({
      table: 'consent',
      row: {
        consent_id: this.kit.nextRecordId(`${this.prefix}C`),
        household_id: this.id,
        person_id: this.people[signer]!,
        for_person_id: o.forPerson === undefined ? null : this.people[o.forPerson]!,
        role,
        signed_date: signed,
        method: 'paper',
        valid_to: o.validTo ?? null,
      },
    });
    return this;
  }

  /** Complete consents signed on `signed`: every member aged 18 or more at D signs for themselves, the head for the children. */
  consentAll(signed: string): this {
    let minors = false;
    this.people.forEach((_, i) => {
      if (this.ageAt(i, this.kit.asOf) >= 18) this.consent(i, 'member', signed);
      else minors = true;
    });
    if (minors) this.consent(0, 'guardian', signed);
    return this;
  }

  income(i: number, source: IncomeSource, period: string, cents: number): this {
    this.kit.emit({ table: 'income_record', row: { person_id: this.people[i]!, source, period, amount_cents: cents } });
    return this;
  }

  /** A disability certificate of member i (type 1–7, level 1–4), valid from years ago to `validTo` (null: no end). */
  cert(i: number, type: string, level: number, validTo: string | null): this {
    this.kit.emit({
      table: 'disability_cert',
      row: { person_id: this.people[i]!, disability_type: type, disability_level: level, valid_from: addDays(this.kit.asOf, -this.kit.rnd.int(400, 2500)), valid_to: validTo },
    });
    return this;
  }

  death(i: number, date: string): this {
    this.kit.emit({ table: 'death_record', row: { person_id: this.people[i]!, death_date: date, source: '公安' } });
    return this;
  }

  ageAt(i: number, date: string): number {
    return ageOn(this.births[i]!, date);
  }
}
