/**
 * Schema v2 for the synthetic district: the new departments' feeds (金融资产, 渐退, 学籍, 医保结算, 失业登记, 服刑/羁押,
 * 受灾, 定期核查, 核对授权, 救助申请), the new income sources, the new columns of v1 tables and 刚性支出 households.
 *
 * Everything here draws from its own random stream, after the household's v1 rows are final: the v1 rows and the v1
 * ground truth of a seed stay exactly what they were before v2 existed. It is a plausible baseline, not a set of plants:
 * no rule's boundary is aimed at (those come with the v2 rules and their truth).
 */
import { addDays, addMonths, ageOn, monthOf, yearsBefore } from '../domain/calendar.js';
import type { AnyRow, EnrollmentRow, HouseholdRow, IncomeRecordRow, IncomeSource, VehicleRow } from '../domain/exchange/rows.js';
import { SeededRandom } from '../domain/random.js';
import { isActiveAt, isCertValidAt, type PersonFacts } from '../domain/rules/facts.js';
import { BANKS, REVIEWERS, STREETS, V2_INSTITUTIONS } from './district-data.js';

export interface V2Person extends PersonFacts {
  age: number;
}

export interface V2Household {
  household: HouseholdRow;
  kind: string;
  people: readonly V2Person[];
}

/** Rows schema v2 adds to v1 tables for one household; the generator keeps them only if v1's findings stay the same. */
export interface V1Additions {
  incomes: IncomeRecordRow[];
  enrollments: EnrollmentRow[];
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const yuan = (n: number) => n * 100;
/** What a vehicle is worth, in 万元 (low, high). */
const VEHICLE_VALUE_WAN: Readonly<Record<VehicleRow['vehicle_type'], readonly [number, number]>> = { car: [2, 15], truck: [3, 20], motorcycle: [0.2, 1], disabled_mobility: [0.3, 1.5] };
/** Programmes whose households sign consents, are reviewed and applied (rules.md v2, R-CONSENT, R-REVIEW). */
const HOUSEHOLD_STATUS = new Set(['dibao', 'tekun', 'dibao_edge', 'rigid_expense']);

export class V2District {
  private readonly rnd: SeededRandom;
  private readonly counters = { rigid: 0, settlement: 0, consent: 0, application: 0 };
  private readonly windowStart: string;

  constructor(
    seed: number,
    private readonly asOf: string,
    private readonly months24: readonly string[],
  ) {
    // A stream of its own: v2 draws never shift v1's.
    this.rnd = new SeededRandom((seed ^ 0x76320002) >>> 0);
    this.windowStart = `${months24[0]}-01`;
  }

  private weighted<T extends string>(choices: readonly (readonly [T, number])[]): T {
    let x = this.rnd.next() * choices.reduce((n, [, w]) => n + w, 0);
    for (const [value, w] of choices) if ((x -= w) < 0) return value;
    return choices.at(-1)![0];
  }

  // ---- v2 columns of v1 rows (read by no v1 rule) ----------------------------------------------------------------

  fillColumns(h: V2Household): void {
    for (const p of h.people) {
      for (const e of p.enrollments) {
        if (e.program === 'dibao') e.coverage = 'household';
        if (e.program.startsWith('child_')) e.category = this.weighted([['other', 90], ['orphan', 4], ['unsupported', 5], ['hiv', 1]]);
        if (e.status === 'stopped') {
          e.end_reason = p.death && p.death.death_date === e.end_date ? 'death' : this.weighted([['income', 35], ['voluntary', 20], ['moved', 15], ['assets', 10], ['other', 20]]);
        }
      }
      for (const v of p.vehicles) {
        const [low, high] = VEHICLE_VALUE_WAN[v.vehicle_type];
        v.value_cents = this.rnd.chance(0.1) ? null : yuan(this.rnd.int(low * 100, high * 100) * 100);
        if (v.vehicle_type === 'disabled_mobility' && this.rnd.chance(0.5)) v.exempt_reason = 'rehabilitation';
        else if (v.vehicle_type === 'truck' && h.kind === 'none' && this.rnd.chance(0.2)) v.exempt_reason = 'livelihood';
      }
      if (p.cert && this.rnd.chance(0.7)) p.cert.first_issued_date = this.rnd.dateBetween(yearsBefore(p.cert.valid_from, 10), p.cert.valid_from);
    }
  }

  // ---- rows for v1 tables: the new income sources, 刚性支出 households --------------------------------------------

  v1Additions(h: V2Household): V1Additions {
    const incomes: IncomeRecordRow[] = [];
    // Incomes are verified for the households the platform looks at (v1's rule: assisted ones and a few others).
    const verified = h.people.some((p) => p.incomes.length > 0 || p.enrollments.length > 0);
    for (const p of verified ? h.people : []) {
      const months = this.months24.filter((m) => !p.death || m <= monthOf(p.death.death_date));
      const add = (source: IncomeSource, cents: number, periods: readonly string[]) => {
        for (const period of periods) incomes.push({ person_id: p.person.person_id, source, period, amount_cents: cents });
      };
      const one = () => [this.rnd.pick(months)];
      if (months.length === 0) continue;
      // 城乡居民养老金: the 基础养老金 is its own source; the 个人账户 part stays `pension` (v1's rows).
      if (p.age >= 61 && this.rnd.chance(0.7)) add('basic_pension', yuan(this.rnd.int(20, 30) * 10), months);
      if (p.age >= 81 && this.rnd.chance(0.9)) add('elderly_allowance', yuan(p.age >= 100 ? 300 : p.age >= 90 ? 200 : 100), months);
      if (p.age >= 61 && this.rnd.chance(0.05)) add('family_planning', yuan(100), months);
      if (p.age >= 50 && this.rnd.chance(0.005)) add('special_care', yuan(this.rnd.int(50, 200) * 10), months);
      if (p.age >= 65 && h.kind !== 'tekun' && this.rnd.chance(0.05)) add('maintenance', yuan(this.rnd.int(20, 80) * 10), months);
      if (p.age >= 25 && p.age <= 59 && this.rnd.chance(0.002)) add('work_injury_care', yuan(this.rnd.int(150, 300) * 10), months);
      if (p.age >= 12 && p.age <= 24 && this.rnd.chance(0.01)) add('award', yuan(this.rnd.int(5, 50) * 100), one());
      if (p.age >= 18 && this.rnd.chance(0.005)) add('other', yuan(this.rnd.int(1, 30) * 100), one());
      // The two subsidies as the disability federation reports them: what was paid, month by month.
      const subsidies = p.enrollments.filter((e) => e.program === 'disability_living' || e.program === 'disability_care').map((e) => e.enrollment_id);
      if (subsidies.length > 0 && this.rnd.chance(0.5)) {
        const byMonth = new Map<string, number>();
        for (const pay of p.payments) if (subsidies.includes(pay.enrollment_id) && months.includes(pay.period)) byMonth.set(pay.period, (byMonth.get(pay.period) ?? 0) + pay.amount_cents);
        for (const [period, cents] of byMonth) add('disability_subsidy', cents, [period]);
      }
      const orphan = p.enrollments.find((e) => e.category === 'orphan' || e.category === 'unsupported');
      if (orphan && this.rnd.chance(0.5)) add('orphan_allowance', yuan(1900), months.filter((m) => m >= monthOf(orphan.start_date)));
    }
    const enrollments: EnrollmentRow[] = [];
    const head = h.people[0]!;
    if (h.kind === 'none' && !head.death && h.people.every((p) => !p.enrollments.some((e) => isActiveAt(e, this.asOf))) && this.rnd.chance(0.004)) {
      enrollments.push({
        enrollment_id: `EG${pad(++this.counters.rigid, 10)}`,
        person_id: head.person.person_id,
        household_id: h.household.household_id,
        program: 'rigid_expense',
        status: 'active',
        start_date: this.rnd.dateBetween(addDays(this.asOf, -330), addDays(this.asOf, -20)),
        end_date: null,
        monthly_amount_cents: 0,
        support_mode: null,
        cause: this.rnd.chance(0.7) ? 'illness' : 'education',
      });
    }
    return { incomes, enrollments };
  }

  // ---- the v2 tables -----------------------------------------------------------------------------------------------

  /** The household's rows of the v2 tables, given its final enrollments (v1's and the kept 刚性支出 ones). */
  tables(h: V2Household, rigid: readonly EnrollmentRow[]): AnyRow[] {
    const out: AnyRow[] = [];
    const enrollments = [...h.people.flatMap((p) => p.enrollments), ...rigid];
    const active = enrollments.filter((e) => isActiveAt(e, this.asOf));
    for (const p of h.people) {
      out.push(...this.assets(p, active.length > 0), ...this.schools(p), ...this.settlements(p), ...this.unemployment(h, p));
    }
    out.push(...this.gradualExit(h), ...this.custody(h), ...this.disaster(h), ...this.reviews(h, active), ...this.consents(h, active));
    out.push(...this.applications(h, enrollments, active));
    if (rigid.some((e) => e.cause === 'illness')) out.push(this.settlement(h.people[0]!, this.rnd.dateBetween(addDays(rigid[0]!.start_date, -120), rigid[0]!.start_date), yuan(this.rnd.int(800, 3000) * 100), '1'));
    return out;
  }

  private alive(p: V2Person, on: string): boolean {
    return !p.death || p.death.death_date > on;
  }

  private assets(p: V2Person, assisted: boolean): AnyRow[] {
    if (p.age < 18 || !this.alive(p, this.asOf)) return [];
    const rows: AnyRow[] = [];
    const row = (kind: 'deposit' | 'securities' | 'fund' | 'insurance' | 'online', institution: string, balance: number, date: string): AnyRow => ({
      table: 'financial_asset',
      row: { person_id: p.person.person_id, kind, institution, balance_cents: balance, as_of_date: date },
    });
    const recent = addDays(this.asOf, -this.rnd.int(5, 60));
    if (this.rnd.chance(assisted ? 0.6 : 0.3)) {
      const bank = this.rnd.pick(BANKS);
      rows.push(row('deposit', bank, yuan(this.rnd.int(0, assisted ? 150 : 2000) * 100), recent));
      // An earlier check of the same account (rules.md v2 reads the latest per account).
      if (this.rnd.chance(0.5)) rows.push(row('deposit', bank, yuan(this.rnd.int(0, assisted ? 100 : 1500) * 100), addDays(recent, -this.rnd.int(180, 540))));
    }
    if (this.rnd.chance(assisted ? 0.2 : 0.3)) rows.push(row('online', this.rnd.pick(V2_INSTITUTIONS.online), yuan(this.rnd.int(0, assisted ? 50 : 300) * 100), recent));
    if (!assisted) {
      for (const kind of ['securities', 'fund', 'insurance'] as const) {
        if (this.rnd.chance(0.05)) rows.push(row(kind, this.rnd.pick(V2_INSTITUTIONS[kind]), yuan(this.rnd.int(10, 5000) * 100), recent));
      }
    }
    return rows;
  }

  private schools(p: V2Person): AnyRow[] {
    if (p.age < 6 || p.age > 24 || !this.alive(p, this.asOf)) return [];
    const born = Number(p.person.birth_date.slice(0, 4));
    const stage = (level: 'compulsory' | 'high_school' | 'vocational' | 'college' | 'undergraduate' | 'postgraduate', from: number, years: number): AnyRow | null => {
      const start = `${born + from}-09-01`;
      const end = `${born + from + years}-06-30`;
      if (start > this.asOf) return null;
      const status = end < this.asOf ? 'graduated' : this.weighted([['enrolled', 97], ['suspended', 2], ['dropped', 1]] as const);
      return { table: 'school_enrollment', row: { person_id: p.person.person_id, school_level: level, full_time: '1', start_date: start, expected_end_date: end, status } };
    };
    const rows = [stage('compulsory', 6, 9)];
    if (p.age >= 15 && this.rnd.chance(0.9)) rows.push(stage(this.rnd.chance(0.7) ? 'high_school' : 'vocational', 15, 3));
    if (p.age >= 18 && this.rnd.chance(0.55)) rows.push(this.rnd.chance(0.6) ? stage('undergraduate', 18, 4) : stage('college', 18, 3));
    if (p.age >= 22 && this.rnd.chance(0.1)) rows.push(stage('postgraduate', 22, 3));
    return rows.filter((r): r is AnyRow => r !== null);
  }

  private settlement(p: V2Person, date: string, total: number, serious: string | null): AnyRow {
    const fund = Math.round((total * this.rnd.int(50, 90)) / 100);
    return {
      table: 'medical_settlement',
      row: { settlement_id: `YB${pad(++this.counters.settlement, 12)}`, person_id: p.person.person_id, settle_date: date, total_cents: total, fund_paid_cents: fund, self_paid_cents: total - fund, serious_illness: serious },
    };
  }

  private settlements(p: V2Person): AnyRow[] {
    const share = isCertValidAt(p.cert, this.asOf) ? 0.5 : p.age >= 60 ? 0.4 : 0.1;
    if (!this.rnd.chance(share)) return [];
    const last = p.death && p.death.death_date < this.asOf ? p.death.death_date : this.asOf;
    if (last < this.windowStart) return [];
    return Array.from({ length: this.rnd.int(1, 3) }, () => {
      const serious = this.rnd.chance(0.02);
      return this.settlement(p, this.rnd.dateBetween(this.windowStart, last), yuan(this.rnd.int(serious ? 500 : 2, serious ? 3000 : 200) * 100), serious ? '1' : this.rnd.chance(0.5) ? '0' : null);
    });
  }

  private unemployment(h: V2Household, p: V2Person): AnyRow[] {
    const row = (registered: string, ended: string | null): AnyRow => ({ table: 'unemployment_registration', row: { person_id: p.person.person_id, registered_date: registered, ended_date: ended } });
    if (p.incomes.some((i) => i.source === 'unemployment')) return [row(addDays(this.windowStart, -this.rnd.int(10, 300)), null)];
    if (h.kind !== 'none' || p.age < 18 || p.age > 59 || !this.rnd.chance(0.02)) return [];
    const registered = this.rnd.dateBetween(this.windowStart, addDays(this.asOf, -30));
    return [row(registered, this.rnd.chance(0.5) ? this.rnd.dateBetween(addDays(registered, 20), this.asOf) : null)];
  }

  private gradualExit(h: V2Household): AnyRow[] {
    if (h.kind !== 'dibao' || !this.rnd.chance(0.1)) return [];
    const dibao = h.people.flatMap((p) => p.enrollments).find((e) => e.program === 'dibao' && isActiveAt(e, this.asOf));
    const start = this.months24[this.rnd.int(6, 20)]!;
    if (!dibao || start < monthOf(dibao.start_date)) return [];
    const street = STREETS.find(([code]) => h.household.division_code.startsWith(code))?.[1] ?? '';
    return [
      {
        table: 'gradual_exit',
        row: {
          enrollment_id: dibao.enrollment_id,
          household_id: h.household.household_id,
          start_period: start,
          end_period: addMonths(start, this.rnd.int(2, 11)),
          pay_ratio: null,
          reason: this.weighted([['employment', 70], ['pension', 20], ['other', 10]] as const),
          approved_by: `${street}办事处`,
        },
      },
    ];
  }

  private custody(h: V2Household): AnyRow[] {
    if (h.kind !== 'none') return [];
    return h.people
      .filter((p) => p.age >= 18 && p.age <= 59 && p.enrollments.length === 0 && this.rnd.chance(0.002))
      .map((p) => {
        const start = this.rnd.dateBetween(yearsBefore(this.asOf, 5), addDays(this.asOf, -60));
        const end = this.rnd.chance(0.7) ? this.rnd.dateBetween(addDays(start, 30), addDays(this.asOf, -1)) : null;
        return { table: 'imprisonment', row: { person_id: p.person.person_id, start_date: start, end_date: end, kind: this.weighted([['prison', 60], ['detention', 30], ['rehab', 10]] as const) } };
      });
  }

  private disaster(h: V2Household): AnyRow[] {
    if (!this.rnd.chance(0.003)) return [];
    const kind = this.weighted([['flood', 40], ['fire', 25], ['accident', 25], ['earthquake', 2], ['other', 8]] as const);
    return [{ table: 'disaster_victim', row: { person_id: h.people[0]!.person.person_id, event_date: this.rnd.dateBetween(this.windowStart, this.asOf), kind, loss_cents: yuan(this.rnd.int(10, 1000) * 100) } }];
  }

  /** Reviews every four to six months back from a recent one, to the enrollment (at most three years back). */
  private reviews(h: V2Household, active: readonly EnrollmentRow[]): AnyRow[] {
    const starts = active.filter((e) => e.program === 'dibao' || e.program === 'tekun').map((e) => e.start_date).sort();
    if (starts.length === 0) return [];
    const rows: AnyRow[] = [];
    const floor = [starts[0]!, yearsBefore(this.asOf, 3)].sort().at(-1)!;
    for (let date = addDays(this.asOf, -this.rnd.int(10, 80)); date >= floor; date = addDays(date, -this.rnd.int(120, 175))) {
      rows.push({ table: 'review', row: { household_id: h.household.household_id, review_date: date, reviewer: this.rnd.pick(REVIEWERS), result: this.rnd.chance(0.05) ? 'adjusted' : 'unchanged' } });
    }
    return rows;
  }

  /** Each adult signs before the household's first enrollment (or on turning 18); the head signs for the children. */
  private consents(h: V2Household, active: readonly EnrollmentRow[]): AnyRow[] {
    const t0 = active.filter((e) => HOUSEHOLD_STATUS.has(e.program)).map((e) => e.start_date).sort()[0];
    if (!t0) return [];
    const head = h.people[0]!;
    const rows: AnyRow[] = [];
    const sign = (p: V2Person, role: 'member' | 'guardian', date: string): AnyRow => ({
      table: 'consent',
      row: { consent_id: `CS${pad(++this.counters.consent, 10)}`, household_id: h.household.household_id, person_id: p.person.person_id, for_person_id: null, role, signed_date: date, method: this.rnd.chance(0.3) ? 'esign' : 'paper', valid_to: null },
    });
    for (const p of h.people) {
      if (!this.alive(p, t0)) continue;
      if (ageOn(p.person.birth_date, t0) >= 18) rows.push(sign(p, 'member', this.rnd.dateBetween(addDays(t0, -30), t0)));
      else if (p.age >= 18) rows.push(sign(p, 'member', [addDays(yearsBefore(p.person.birth_date, -18), this.rnd.int(0, 60)), this.asOf].sort()[0]!));
    }
    if (h.people.some((p) => p.age < 18)) rows.push(sign(head, 'guardian', this.rnd.dateBetween(addDays(t0, -30), t0)));
    return rows;
  }

  private applications(h: V2Household, enrollments: readonly EnrollmentRow[], active: readonly EnrollmentRow[]): AnyRow[] {
    const head = h.people[0]!.person.person_id;
    const row = (person: string, program: string, applied: string, decided: string | null, outcome: 'approved' | 'refused' | 'pending', reason: string | null = null): AnyRow => ({
      table: 'application',
      row: { application_id: `SQ${pad(++this.counters.application, 10)}`, household_id: h.household.household_id, person_id: person, program, applied_date: applied, decided_date: decided, outcome, refusal_reason: reason },
    });
    const rows: AnyRow[] = [];
    const approved = (person: string, program: string, start: string) => rows.push(row(person, program, addDays(start, -this.rnd.int(15, 45)), addDays(start, -this.rnd.int(0, 10)), 'approved'));
    for (const program of new Set(active.filter((e) => HOUSEHOLD_STATUS.has(e.program)).map((e) => e.program))) {
      const first = active.filter((e) => e.program === program).sort((a, b) => a.start_date.localeCompare(b.start_date))[0]!;
      approved(program === 'tekun' ? first.person_id : head, program, first.start_date);
    }
    for (const e of enrollments) if (e.program === 'linshi' && e.end_date !== null && e.end_date >= e.start_date) approved(e.person_id, 'linshi', e.start_date);
    if (h.kind === 'none' && active.length === 0 && this.rnd.chance(0.006)) {
      if (this.rnd.chance(0.7)) {
        const applied = this.rnd.dateBetween(addDays(this.asOf, -300), addDays(this.asOf, -45));
        rows.push(row(head, 'dibao', applied, addDays(applied, this.rnd.int(20, 40)), 'refused', this.rnd.pick(['家庭收入超过当地低保标准', '家庭财产状况不符合规定', '未如实申报家庭经济状况'])));
      } else rows.push(row(head, 'dibao', this.rnd.dateBetween(addDays(this.asOf, -30), this.asOf), null, 'pending'));
    }
    return rows;
  }
}
