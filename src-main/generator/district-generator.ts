/**
 * A deterministic synthetic district for tests, demos and benchmarks (`npm run cli -- generate`).
 *
 * Households are generated one at a time and their rows pushed to a sink at once, so memory stays flat from 1,000 to
 * 3,000,000 persons. The baseline world is clean by construction (nobody is wrongly paid); anomalies for the rules of
 * rules.md are then planted at configurable rates. The ground truth is not what was *meant* to be planted but what
 * the reference evaluator (rules/reference.ts) finds in each household's rows — and every plant is
 * checked to have fired, so a generator bug fails loudly instead of skewing precision and recall.
 */
import { addDays, monthOf, monthsEnding, yearsBefore } from '../domain/calendar.js';
import type {
  AnyRow,
  BusinessRegistrationRow,
  DisabilityCertRow,
  EnrollmentRow,
  GridVisitRow,
  HouseholdMemberRow,
  HouseholdRow,
  PaymentRow,
} from '../domain/exchange/rows.js';
import { composeIdNumber } from '../domain/id-number.js';
import { standardCentsFor } from '../domain/policy.js';
import { SeededRandom } from '../domain/random.js';
import {
  evaluateHouseholdAndMembers,
  isActiveAt,
  type EvaluationContext,
  type HouseholdFacts,
  type PersonFacts,
  type ReferenceFinding,
  type RuleId,
} from '../rules/reference.js';
import { V2District } from './v2-district.js';
import { RULE_MODULES } from '../rules/index.js';
import type { PlantKit } from '../rules/plant-kit.js';
import { POPULATION, SIGNAL_MODULES } from '../rules/signals/index.js';
import {
  COMMUNITY_STEMS,
  COUNTIES,
  DEATH_SOURCES,
  ELSEWHERE,
  GIVEN_FEMALE,
  GIVEN_MALE,
  ID_ADDRESS_CODES,
  JURISDICTION,
  POLICIES,
  STREETS,
  SURNAMES,
  VISITORS,
} from './district-data.js';

export const DEFAULT_AS_OF = '2024-06-30';

/** Planting rates: the share of eligible subjects that receive each kind of anomaly. */
export interface PlantRates {
  /** enrolled persons who died while their enrollment stays active (R-DEATH, usually F-AFTER-DEATH too) */
  death: number;
  /** enrolled persons whose hukou moved out of the jurisdiction (R-HUKOU-OUT) */
  hukouOut: number;
  /** eligible persons given a second, exclusive programme (R-MUTEX) */
  mutex: number;
  /** enrolled persons whose own attributes contradict the programme (R-ATTR) */
  attr: number;
  /** 低保 households whose income or assets now exceed the limits (R-EXIT) */
  exit: number;
  /** 低保边缘 households that now qualify for 低保 (R-COVER) */
  cover: number;
  /** paid enrollments with a duplicate, a wrong amount or payments after the end (F-DUPLICATE, F-AMOUNT, F-AFTER-EXIT) */
  payment: number;
  /** households without assistance given a data-quality defect (Q-*) */
  quality: number;
}

export const DEFAULT_RATES: PlantRates = {
  death: 0.02,
  hukouOut: 0.03,
  mutex: 0.01,
  attr: 0.01,
  exit: 0.08,
  cover: 0.1,
  payment: 0.01,
  quality: 0.003,
};

/**
 * How much each person carries. `sparse` (the default, and the district every test was written against): incomes are
 * recorded for assisted households and a few others, payments for the last two years. `dense` is shaped like a real
 * province's feeds (issue 16): households of realistic size (three generations under one roof now and then), every
 * earner with a line per month per income source, every paid enrollment with a payment per month for five years.
 */
export type GeneratorProfile = 'sparse' | 'dense';

export interface GeneratorOptions {
  seed: number;
  /** 'sparse' (default: the same rows, byte for byte, as before profiles existed) or 'dense'. */
  profile?: GeneratorProfile;
  /** Approximate number of persons (households are added until it is reached). */
  persons: number;
  asOf?: string;
  rates?: Partial<PlantRates>;
  /** 2 (default): the v2 feeds and columns too; 1: exactly the district an old (v1) platform delivered. */
  schemaVersion?: 1 | 2;
}

export interface TruthRow {
  rule: string;
  subjectKind: 'person' | 'household' | 'record';
  subjectId: string;
}

export interface GeneratorSink {
  /** `addedInV2`: a row schema v2 adds (to any table), so a feed writer can dirty it without shifting v1's draws. */
  row(item: AnyRow, addedInV2?: boolean): void;
  truth(t: TruthRow): void;
}

export interface GenerationSummary {
  seed: number;
  profile: GeneratorProfile;
  asOf: string;
  jurisdiction: string[];
  persons: number;
  households: number;
  /** Of those, the households the rules' own plants added after the district's (HH ids above the district's). */
  plantedHouseholds: number;
  rows: Record<string, number>;
  truth: Record<string, number>;
}

type HouseholdKind = 'none' | 'dibao' | 'dibao_edge' | 'tekun' | 'elderly_alone';

interface DraftPerson extends PersonFacts {
  age: number;
  relation: string;
}

interface Draft {
  household: HouseholdRow;
  kind: HouseholdKind;
  people: DraftPerson[];
  /** Member rows beyond the people above (data-quality plants: a person of another household, a missing person). */
  extraMembers: HouseholdMemberRow[];
  visits: GridVisitRow[];
  expected: { rule: RuleId; subjectKind: 'person' | 'household'; subjectId: string }[];
  quality: TruthRow[];
}

const cents = (yuan: number) => Math.round(yuan * 100);
const pad = (n: number, width: number) => String(n).padStart(width, '0');

export function generateDistrict(options: GeneratorOptions, sink: GeneratorSink): GenerationSummary {
  return new DistrictGenerator(options, sink).run();
}

class DistrictGenerator {
  private readonly rnd: SeededRandom;
  private readonly asOf: string;
  private readonly rates: PlantRates;
  private readonly months24: string[];
  /** The months paid for: the 24 of `months24`, or (dense) the 60 months to D. */
  private readonly payMonths: string[];
  private readonly dense: boolean;
  private readonly months12: Set<string>;
  private readonly windowStart: string;
  private readonly ctx: EvaluationContext;
  private readonly communities: { code: string; street: string }[] = [];
  /** Next sequence number per (address code, birth date, gender): keeps ID numbers unique with bounded memory. */
  private readonly idSequences = new Map<number, number>();
  private readonly counters = { household: 0, enrollment: 0, payment: 0, plate: 0, property: 0, entity: 0, visit: 0, orphan: 0 };
  private readonly rowCounts: Record<string, number> = {};
  private readonly truthCounts: Record<string, number> = {};
  /** Spending per (street, programme, year), for the budget table written at the end. */
  private readonly spending = new Map<string, number>();
  /** A person of the previous household without assistance, for the "one person, two households" quality plant. */
  private lastPlainPerson: string | null = null;
  private persons = 0;
  /** Schema v2's feeds, from a random stream of their own (null: a v1 district). */
  private readonly v2: V2District | null;

  constructor(
    private readonly o: GeneratorOptions,
    private readonly sink: GeneratorSink,
  ) {
    this.rnd = new SeededRandom(o.seed);
    this.asOf = o.asOf ?? DEFAULT_AS_OF;
    this.rates = { ...DEFAULT_RATES, ...o.rates };
    this.months24 = monthsEnding(monthOf(this.asOf), 24);
    this.dense = o.profile === 'dense';
    this.payMonths = this.dense ? monthsEnding(monthOf(this.asOf), 60) : this.months24;
    this.months12 = new Set(this.months24.slice(12));
    this.windowStart = `${this.months24[0]}-01`;
    const asOf = this.asOf;
    this.ctx = {
      asOf,
      jurisdiction: JURISDICTION,
      dibaoStandardCents: (division) => standardCentsFor(POLICIES, 'dibao', division, asOf) ?? 0,
    };
    this.v2 = o.schemaVersion === 1 ? null : new V2District(o.seed, this.asOf, this.months24);
  }

  run(): GenerationSummary {
    this.writeDivisions();
    for (const p of POLICIES) this.emit({ table: 'policy', row: p });
    let households = 0;
    while (this.persons < this.o.persons) {
      this.household();
      households++;
    }
    const planted = this.v2 ? this.plantRuleCases() : 0;
    households += planted;
    this.writeBudgets();
    return {
      seed: this.o.seed,
      profile: this.dense ? 'dense' : 'sparse',
      asOf: this.asOf,
      jurisdiction: [...JURISDICTION],
      persons: this.persons,
      households,
      plantedHouseholds: planted,
      rows: this.rowCounts,
      truth: this.truthCounts,
    };
  }

  // ---- output ---------------------------------------------------------------------------------------------------

  private emit(item: AnyRow, addedInV2 = false): void {
    this.rowCounts[item.table] = (this.rowCounts[item.table] ?? 0) + 1;
    this.sink.row(item, addedInV2);
  }

  private emitTruth(t: TruthRow): void {
    this.truthCounts[t.rule] = (this.truthCounts[t.rule] ?? 0) + 1;
    this.sink.truth(t);
  }

  // ---- the district -----------------------------------------------------------------------------------------------

  private writeDivisions(): void {
    // About one community per 2,500 residents, at least three per street.
    const perStreet = Math.min(60, Math.max(3, Math.ceil(this.o.persons / 2500 / STREETS.length)));
    for (const [code, name] of COUNTIES) this.emit({ table: 'division', row: { division_code: `${code}000000`, name, level: 3 } });
    for (const [street, name] of STREETS) {
      this.emit({ table: 'division', row: { division_code: `${street}000`, name, level: 4 } });
      for (let c = 1; c <= perStreet; c++) {
        const code = `${street}${pad(c, 3)}`;
        const suffix = street.startsWith('320116') && c > perStreet / 2 ? '村' : '社区';
        this.communities.push({ code, street });
        this.emit({ table: 'division', row: { division_code: code, name: `${this.rnd.pick(COMMUNITY_STEMS)}${suffix}`, level: 5 } });
      }
    }
  }

  /**
   * Each rule's own plants (rules/<rule>/plants.ts), after the district's households, each on a random stream of its
   * own: no plant shifts v1's draws or another rule's. Returns the households they added.
   */
  private plantRuleCases(): number {
    const before = this.counters.household;
    for (const m of RULE_MODULES) if (m.plant) m.plant(this.plantKit(m.definition.id));
    // Then the monitoring signals' (rules/signals/) and the monitored population's, the same way: after every rule's,
    // so that no rule's households or draws move.
    for (const m of SIGNAL_MODULES) if (m.plant) m.plant(this.plantKit(m.definition.id));
    POPULATION.plant(this.plantKit(POPULATION.id));
    return this.counters.household - before;
  }

  /** The kit a rule's (or a signal's) plant builds its households with, on a random stream of its own. */
  private plantKit(id: string): PlantKit {
    const rnd = new SeededRandom(this.o.seed ^ hashOf(id));
    const records = new Map<string, number>();
    return {
      rnd,
      asOf: this.asOf,
      count: Math.max(2, Math.round(this.o.persons / 2500)),
      community: () => rnd.pick(this.communities).code,
      dibaoStandardCents: (division) => this.standard('dibao', division),
      personId: (birthDate, gender) => this.plantedPersonId(birthDate, gender, rnd),
      nextId: (kind) =>
        kind === 'household' ? `HH${pad(++this.counters.household, 9)}` : kind === 'enrollment' ? `EN${pad(++this.counters.enrollment, 10)}` : `PM${pad(++this.counters.payment, 11)}`,
      nextRecordId: (prefix) => {
        const n = (records.get(prefix) ?? 0) + 1;
        records.set(prefix, n);
        return `${prefix}${pad(n, 8)}`;
      },
      emit: (row) => {
        if (row.table === 'person') this.persons++;
        this.emit(row, true);
      },
      recordDefect: (subjectId) => this.emitTruth({ rule: id, subjectKind: 'record', subjectId }),
    };
  }

  /** An ID number no other person of the district has (the sequences the district's own persons use, continued). */
  private plantedPersonId(birth: string, gender: '1' | '2', rnd: SeededRandom): string {
    const address = rnd.pick(ID_ADDRESS_CODES);
    const addressIndex = ID_ADDRESS_CODES.indexOf(address);
    const days = Math.round(Date.parse(birth) / 86_400_000);
    const key = (addressIndex * 100_000 + days + 50_000) * 2 + (gender === '1' ? 1 : 0);
    // Above the district's own random starts (0–150) for a sequence it never used; after its last one otherwise.
    const n = this.idSequences.get(key) ?? 400;
    this.idSequences.set(key, n + 1);
    return composeIdNumber(address, birth, (n % 500) * 2 + (gender === '1' ? 1 : 0));
  }

  private writeBudgets(): void {
    for (const [key, paid] of this.spending) {
      const [prefix, program, year] = key.split('|') as [string, string, string];
      // Budgets are planned for the whole year; the current year has been paid only up to D.
      const elapsed = Number(year) === Number(this.asOf.slice(0, 4)) ? Number(this.asOf.slice(5, 7)) : 12;
      const planned = Math.round(((paid * 12) / elapsed) * (0.9 + this.rnd.next() * 0.35));
      this.emit({ table: 'budget', row: { division_prefix: prefix, program, year: Number(year), amount_cents: planned } });
    }
  }

  // ---- people -----------------------------------------------------------------------------------------------------

  private newPerson(age: number, gender: '1' | '2', surname: string, division: string, relation: string): DraftPerson {
    const birth = addDays(yearsBefore(this.asOf, age), -this.rnd.int(1, 364));
    const address = this.rnd.pick(ID_ADDRESS_CODES);
    // The list repeats codes to weight them; the counter must be per distinct code.
    const addressIndex = ID_ADDRESS_CODES.indexOf(address);
    const days = Math.round(Date.parse(birth) / 86_400_000);
    const key = (addressIndex * 100_000 + days + 50_000) * 2 + (gender === '1' ? 1 : 0);
    const n = this.idSequences.get(key) ?? this.rnd.int(0, 150);
    this.idSequences.set(key, n + 1);
    const personId = composeIdNumber(address, birth, (n % 500) * 2 + (gender === '1' ? 1 : 0));
    const given = gender === '1' ? GIVEN_MALE : GIVEN_FEMALE;
    const name = surname + this.rnd.pick(given) + (this.rnd.chance(0.65) ? this.rnd.pick(given) : '');
    const phone = age >= 16 && this.rnd.chance(0.8) ? `1${this.rnd.pick(['3', '5', '7', '8', '9'])}${pad(this.rnd.int(0, 999_999_999), 9)}` : null;
    return {
      person: { person_id: personId, name, gender, birth_date: birth, ethnicity: this.rnd.chance(0.97) ? '01' : this.rnd.pick(['03', '04', '05', '08']), hukou_division: division, phone },
      age,
      relation,
      enrollments: [],
      payments: [],
      death: null,
      hukouEvents: [],
      cert: null,
      incomes: [],
      vehicles: [],
      properties: [],
      businesses: [],
    };
  }

  private dateBetween(from: string, to: string): string {
    return this.rnd.dateBetween(from, to);
  }

  private standard(program: string, division: string): number {
    return standardCentsFor(POLICIES, program, division, this.asOf) ?? 0;
  }

  // ---- one household ----------------------------------------------------------------------------------------------

  private household(): void {
    const community = this.rnd.pick(this.communities);
    const division = community.code;
    const roll = this.rnd.next();
    const kind: HouseholdKind = roll < 0.03 ? 'dibao' : roll < 0.04 ? 'dibao_edge' : roll < 0.045 ? 'tekun' : roll < 0.055 ? 'elderly_alone' : 'none';
    const householdId = `HH${pad(++this.counters.household, 9)}`;
    const draft: Draft = {
      household: {
        household_id: householdId,
        head_person_id: '',
        division_code: division,
        address: `南京市江北新区${this.rnd.pick(COMMUNITY_STEMS)}路${this.rnd.int(1, 300)}号${this.rnd.int(1, 30)}幢${this.rnd.int(1, 18)}0${this.rnd.int(1, 4)}室`,
        urban_rural: division.startsWith('320116') && this.rnd.chance(0.5) ? '2' : '1',
      },
      kind,
      people: [],
      extraMembers: [],
      visits: [],
      expected: [],
      quality: [],
    };
    this.members(draft);
    draft.household.head_person_id = draft.people[0]!.person.person_id;

    this.certificates(draft);
    this.hukouHistory(draft);
    this.enrollments(draft);
    this.plantPersonAnomalies(draft);
    for (const p of draft.people) this.payments(draft, p);
    this.plantPaymentAnomalies(draft);
    this.incomes(draft);
    this.assets(draft);
    this.plantHouseholdAnomalies(draft);
    this.baselineDeaths(draft);
    this.gridVisits(draft);
    if (draft.kind === 'none' && draft.people.every((p) => p.enrollments.length === 0)) this.plantQuality(draft);
    this.flush(draft);
  }

  private members(d: Draft): void {
    const division = d.household.division_code;
    const surname = this.rnd.pick(SURNAMES);
    if (d.kind === 'tekun') {
      // Mostly elderly; some of working age with a severe disability (their certificate is added below).
      const age = this.rnd.chance(0.8) ? this.rnd.int(60, 92) : this.rnd.int(25, 59);
      d.people.push(this.newPerson(age, this.rnd.chance(0.55) ? '1' : '2', surname, division, '01'));
      return;
    }
    if (d.kind === 'elderly_alone') {
      d.people.push(this.newPerson(this.rnd.int(80, 98), this.rnd.chance(0.4) ? '1' : '2', surname, division, '01'));
      return;
    }
    const headAge = this.rnd.int(24, 85);
    const headGender = this.rnd.chance(0.6) ? '1' : '2';
    d.people.push(this.newPerson(headAge, headGender, surname, division, '01'));
    if (this.rnd.chance(headAge < 30 ? 0.5 : 0.75)) {
      d.people.push(this.newPerson(Math.max(20, headAge + this.rnd.int(-4, 4)), headGender === '1' ? '2' : '1', this.rnd.pick(SURNAMES), division, '02'));
    }
    const children = headAge < 60 ? this.rnd.int(0, headAge < 45 ? 2 : 1) : 0;
    for (let c = 0; c < children; c++) {
      const age = Math.max(0, Math.min(headAge - 20, this.rnd.int(0, 24)));
      d.people.push(this.newPerson(age, this.rnd.chance(0.5) ? '1' : '2', surname, division, '03'));
    }
    if (headAge < 50 && this.rnd.chance(0.15)) {
      d.people.push(this.newPerson(headAge + this.rnd.int(24, 32), this.rnd.chance(0.5) ? '1' : '2', surname, division, '04'));
    }
    if (this.dense) this.extendedFamily(d, headAge, headGender, surname);
  }

  /**
   * Dense profile: the generations that share a household in real registers (census average about 2.6 persons; the
   * sparse district has about 2.2). A grown child with their spouse and children lives with older heads; younger heads
   * have a parent or both. Drawn after the sparse members, so that the head and the nuclear family stay as they are.
   */
  private extendedFamily(d: Draft, headAge: number, headGender: '1' | '2', surname: string): void {
    const division = d.household.division_code;
    if (headAge >= 48 && headAge <= 78 && this.rnd.chance(0.4)) {
      const childAge = Math.max(18, headAge - this.rnd.int(22, 30));
      const childGender = this.rnd.chance(0.5) ? '1' : '2';
      d.people.push(this.newPerson(childAge, childGender, surname, division, '03'));
      if (childAge >= 22 && this.rnd.chance(0.7)) {
        d.people.push(this.newPerson(Math.max(20, childAge + this.rnd.int(-3, 3)), childGender === '1' ? '2' : '1', this.rnd.pick(SURNAMES), division, '99'));
        for (let g = this.rnd.int(0, 2); g > 0; g--) d.people.push(this.newPerson(this.rnd.int(0, Math.max(0, Math.min(15, childAge - 21))), this.rnd.chance(0.5) ? '1' : '2', surname, division, '05'));
      }
    }
    if (headAge < 55 && this.rnd.chance(0.2)) {
      const parentAge = Math.min(95, headAge + this.rnd.int(24, 32));
      d.people.push(this.newPerson(parentAge, headGender === '1' ? '2' : '1', surname, division, '04'));
      if (this.rnd.chance(0.5)) d.people.push(this.newPerson(Math.min(97, parentAge + this.rnd.int(-2, 4)), headGender, surname, division, '04'));
    }
  }

  private certificates(d: Draft): void {
    for (const p of d.people) {
      const share = p.age < 18 ? 0.01 : p.age < 60 ? 0.025 : 0.07;
      const tekunWorkingAge = d.kind === 'tekun' && p.age < 60;
      if (!tekunWorkingAge && !this.rnd.chance(share)) continue;
      const level = tekunWorkingAge ? this.rnd.int(1, 2) : this.rnd.int(1, 4);
      const expired = !tekunWorkingAge && this.rnd.chance(0.1);
      const validFrom = this.dateBetween(yearsBefore(this.asOf, 8), yearsBefore(this.asOf, 1));
      p.cert = {
        person_id: p.person.person_id,
        disability_type: String(this.rnd.int(1, 7)),
        disability_level: level,
        valid_from: validFrom,
        valid_to: expired ? addDays(this.asOf, -this.rnd.int(30, 600)) : this.rnd.chance(0.5) ? null : addDays(this.asOf, this.rnd.int(200, 2000)),
      };
    }
  }

  /** Past moves into the district, and (for people without assistance) moves away; traps for R-HUKOU-OUT. */
  private hukouHistory(d: Draft): void {
    for (const p of d.people) {
      if (this.rnd.chance(0.05)) {
        p.hukouEvents.push({
          person_id: p.person.person_id,
          event_type: 'move_in',
          event_date: this.dateBetween(yearsBefore(this.asOf, 10), addDays(this.windowStart, -30)),
          from_division: this.rnd.pick(ELSEWHERE),
          to_division: d.household.division_code,
        });
      }
    }
  }

  private enroll(d: Draft, p: DraftPerson, program: string, start: string, end: string | null, amountCents?: number): EnrollmentRow {
    const e: EnrollmentRow = {
      enrollment_id: `EN${pad(++this.counters.enrollment, 10)}`,
      person_id: p.person.person_id,
      household_id: d.household.household_id,
      program,
      status: end === null ? 'active' : 'stopped',
      start_date: start,
      end_date: end,
      monthly_amount_cents: amountCents ?? this.standard(program, d.household.division_code),
      support_mode: program === 'tekun' ? this.rnd.pick(['1', '2']) : null,
      cause: this.rnd.pick(['illness', 'disability', 'no_labor', 'unemployment', 'education', 'other']),
    };
    p.enrollments.push(e);
    return e;
  }

  private pastStart(): string {
    return this.dateBetween(yearsBefore(this.asOf, 9), addDays(this.asOf, -45));
  }

  /** The baseline: everyone who is paid is entitled to it. */
  private enrollments(d: Draft): void {
    const start = this.pastStart();
    if (d.kind === 'dibao' || d.kind === 'dibao_edge') {
      for (const p of d.people) {
        // 低保 tops a household up to the standard; the amount is fixed when the household is assessed.
        this.enroll(d, p, d.kind, start, null, d.kind === 'dibao' ? cents(this.rnd.int(30, 90) * 10) : 0);
      }
    }
    if (d.kind === 'tekun') this.enroll(d, d.people[0]!, 'tekun', start, null);
    if (d.kind === 'elderly_alone') this.enroll(d, d.people[0]!, 'elderly_alone', start, null);
    for (const p of d.people) {
      const cert = p.cert && p.cert.valid_from <= this.asOf && (p.cert.valid_to === null || p.cert.valid_to >= this.asOf) ? p.cert : null;
      if (p.age < 17) {
        if (cert && d.kind !== 'dibao' && this.rnd.chance(0.6)) this.enroll(d, p, 'child_severe', this.childStart(p), null);
        else if (!cert && d.kind === 'dibao' && this.rnd.chance(0.3)) this.enroll(d, p, 'child_difficulty', this.childStart(p), null);
        continue;
      }
      if (!cert || p.age < 18) continue;
      const onTekun = p.enrollments.some((e) => e.program === 'tekun');
      if (!onTekun && (d.kind !== 'none' || this.rnd.chance(0.15)) && this.rnd.chance(0.7)) this.enroll(d, p, 'disability_living', this.pastStart(), null);
      if (cert.disability_level <= 2 && this.rnd.chance(0.6)) this.enroll(d, p, 'disability_care', this.pastStart(), null);
    }
    // History: earlier spells that ended before the window (no payments in it).
    if (d.kind === 'none' && this.rnd.chance(0.02)) {
      const p = d.people[0]!;
      const s = this.dateBetween(yearsBefore(this.asOf, 8), yearsBefore(this.asOf, 4));
      this.enroll(d, p, 'dibao', s, this.dateBetween(s, addDays(this.windowStart, -40)), cents(400));
    }
    // 临时救助: a one-off payment inside the window.
    if (d.kind === 'none' && this.rnd.chance(0.005)) {
      const s = this.dateBetween(this.windowStart, addDays(this.asOf, -10));
      this.enroll(d, d.people[0]!, 'linshi', s, s);
    }
  }

  private childStart(p: DraftPerson): string {
    const from = p.person.birth_date > yearsBefore(this.asOf, 9) ? addDays(p.person.birth_date, 30) : yearsBefore(this.asOf, 9);
    return this.dateBetween(from, addDays(this.asOf, -45));
  }

  private payments(d: Draft, p: DraftPerson): void {
    for (const e of p.enrollments) {
      if (e.monthly_amount_cents === 0) continue;
      const first = monthOf(e.start_date);
      const last = monthOf(e.end_date ?? this.asOf);
      for (const m of this.payMonths) if (m >= first && m <= last) this.pay(d, p, e, m, e.monthly_amount_cents);
    }
  }

  private pay(d: Draft, p: DraftPerson, e: EnrollmentRow, period: string, amount: number): PaymentRow {
    const row: PaymentRow = {
      payment_id: `PM${pad(++this.counters.payment, 11)}`,
      enrollment_id: e.enrollment_id,
      person_id: p.person.person_id,
      program: e.program,
      period,
      amount_cents: amount,
      paid_date: `${period}-${pad(this.rnd.int(5, 15), 2)}`,
    };
    p.payments.push(row);
    const key = `${d.household.division_code.slice(0, 9)}|${e.program}|${period.slice(0, 4)}`;
    this.spending.set(key, (this.spending.get(key) ?? 0) + amount);
    return row;
  }

  // ---- incomes and assets ---------------------------------------------------------------------------------------

  /** Adds income for the months given; a month that already has income from that source gets the sum (one row per key). */
  private addIncome(p: DraftPerson, source: PersonFacts['incomes'][number]['source'], monthlyCents: number, months: readonly string[]): void {
    for (const period of months) {
      const existing = p.incomes.find((i) => i.source === source && i.period === period);
      if (existing) existing.amount_cents += monthlyCents;
      else p.incomes.push({ person_id: p.person.person_id, source, period, amount_cents: monthlyCents });
    }
  }

  /**
   * Incomes are recorded for assisted households (the platform verifies them) and a few others. 低保 households stay
   * at or below 60% of the standard per head; 低保边缘 households between 105% and 145% (above the 低保 line).
   */
  private incomes(d: Draft): void {
    const assisted = d.people.some((p) => p.enrollments.length > 0);
    // Dense: every household's earners (a real platform holds the tax and social-insurance lines of all residents).
    if (!assisted && !this.dense && !this.rnd.chance(0.03)) return;
    const standard = this.standard('dibao', d.household.division_code);
    const members = d.people.length + d.extraMembers.length;
    const earners = d.people.filter((p) => p.age >= 18);
    if (earners.length === 0) return;
    let perCapitaShare: number;
    if (d.kind === 'dibao') perCapitaShare = this.rnd.next() * 0.6;
    else if (d.kind === 'dibao_edge') perCapitaShare = this.plannedCover(d) ? 0.5 + this.rnd.next() * 0.45 : 1.05 + this.rnd.next() * 0.4;
    else if (d.kind === 'tekun' || d.kind === 'elderly_alone') perCapitaShare = this.rnd.next() * 0.5;
    else perCapitaShare = 2 + this.rnd.next() * 6;
    // Whole yuan per month per earner; the household total stays on the intended side of the line.
    const monthlyTotal = Math.floor((standard * members * perCapitaShare) / 100) * 100;
    const each = Math.floor(monthlyTotal / earners.length / 100) * 100;
    // Dense: households nobody verifies are delivered for the income window (the 12 months to D), assisted ones for two years.
    const months = this.dense && !assisted ? this.months24.slice(12) : this.months24;
    for (const p of earners) {
      const source = p.age >= 60 ? 'pension' : d.kind === 'dibao' && this.rnd.chance(0.3) ? 'unemployment' : 'wage';
      // Dense: now and then a second source takes a share of the same monthly total, so the household stays on its side of the line.
      const second = this.dense && each >= cents(100) && this.rnd.chance(0.35) ? Math.floor((each * this.rnd.int(10, 40)) / 100 / 100) * 100 : 0;
      this.addIncome(p, source, each - second, months);
      // Only v1's sources: schema v2's rows add the others on their own (one row per person, source and month).
      if (second > 0) this.addIncome(p, source === 'pension' ? 'wage' : 'business', second, months);
      // The provident fund is not income (rules.md): a trap for careless checks.
      if (source === 'wage' && this.rnd.chance(0.4)) this.addIncome(p, 'provident_fund', each * 2 + cents(500), months);
    }
  }

  private plate(): string {
    return `苏A${pad(++this.counters.plate, 5)}`;
  }

  private assets(d: Draft): void {
    const head = d.people[0]!;
    const adults = d.people.filter((p) => p.age >= 18);
    const register = (p: DraftPerson, type: PersonFacts['vehicles'][number]['vehicle_type'], deregistered: string | null = null) =>
      p.vehicles.push({ plate: this.plate(), person_id: p.person.person_id, vehicle_type: type, registered_date: this.dateBetween(yearsBefore(this.asOf, 12), addDays(this.asOf, -400)), deregistered_date: deregistered });
    const property = (p: DraftPerson, usage: 'residential' | 'commercial' | 'other', deregistered: string | null = null) =>
      p.properties.push({ property_id: `BDC${pad(++this.counters.property, 10)}`, person_id: p.person.person_id, usage, area_sqm: usage === 'residential' ? this.rnd.int(35, 140) : this.rnd.int(20, 300), registered_date: this.dateBetween(yearsBefore(this.asOf, 20), addDays(this.asOf, -200)), deregistered_date: deregistered });

    if (d.kind === 'none') {
      if (this.rnd.chance(0.9)) property(head, 'residential');
      if (this.rnd.chance(0.15)) property(head, 'residential');
      if (this.rnd.chance(0.03)) property(head, 'commercial');
      for (const p of adults) {
        if (this.rnd.chance(0.3)) register(p, this.rnd.chance(0.9) ? 'car' : 'truck');
        if (this.rnd.chance(0.04)) this.business(p, this.rnd.chance(0.7) ? 'legal_rep' : 'shareholder', 'active');
      }
      return;
    }
    if (this.rnd.chance(0.6)) property(head, 'residential');
    if (d.kind === 'dibao_edge' && !this.plannedCover(d) && this.rnd.chance(0.2)) register(head, 'car');
    // Traps: assets that do not count at D.
    const trapOwner = this.rnd.pick(adults.length ? adults : d.people);
    if (this.rnd.chance(0.05)) register(trapOwner, 'motorcycle');
    if (this.rnd.chance(0.03)) register(trapOwner, 'disabled_mobility');
    if (this.rnd.chance(0.03)) register(trapOwner, 'car', this.dateBetween(this.windowStart, addDays(this.asOf, -1)));
    if (this.rnd.chance(0.01)) register(trapOwner, 'car', this.asOf); // deregistered on D: no longer held
    if (this.rnd.chance(0.02)) property(trapOwner, 'residential', this.dateBetween(this.windowStart, this.asOf));
    if (this.rnd.chance(0.02)) this.business(trapOwner, 'legal_rep', 'closed');
  }

  private business(p: DraftPerson, role: 'legal_rep' | 'shareholder', status: 'active' | 'closed', established?: string): BusinessRegistrationRow {
    const id = `91320191${pad(++this.counters.entity, 9)}${this.rnd.pick(['A', 'B', 'C', 'D', 'X'])}`;
    const b: BusinessRegistrationRow = {
      entity_id: id,
      entity_name: `南京${this.rnd.pick(COMMUNITY_STEMS)}${this.rnd.pick(['商贸', '餐饮', '建材', '物流', '科技', '家政'])}${this.rnd.pick(['有限公司', '经营部', '工作室'])}`,
      person_id: p.person.person_id,
      role,
      registered_capital_cents: cents(this.rnd.int(1, 200) * 10_000),
      status,
      established_date: established ?? this.dateBetween(yearsBefore(this.asOf, 10), addDays(this.asOf, -30)),
    };
    p.businesses.push(b);
    return b;
  }

  private gridVisits(d: Draft): void {
    if (!d.people.some((p) => p.enrollments.some((e) => isActiveAt(e, this.asOf)))) return;
    for (let i = 2; i < 24; i += 3) {
      const month = this.months24[i]!;
      d.visits.push({
        visit_id: `GV${pad(++this.counters.visit, 10)}`,
        person_id: d.people[0]!.person.person_id,
        visit_date: `${month}-${pad(this.rnd.int(1, 28), 2)}`,
        visitor: this.rnd.pick(VISITORS),
        outcome: 'normal',
        note: null,
      });
    }
  }

  /** Deaths that were handled correctly: the enrollment stopped on the day, payments ended that month. */
  private baselineDeaths(d: Draft): void {
    // A death changes a 低保边缘 household's income per head, and stopping enrollments could undo a planted anomaly.
    if (d.kind === 'dibao_edge' || d.expected.length > 0) return;
    for (const p of d.people) {
      if (p.death || p.age < 60 || !this.rnd.chance(0.015)) continue;
      const running0 = p.enrollments.filter((e) => isActiveAt(e, this.asOf));
      const earliest = [this.windowStart, ...running0.map((e) => addDays(e.start_date, 1))].sort().at(-1)!;
      if (earliest > addDays(this.asOf, -1)) continue;
      const date = this.dateBetween(earliest, addDays(this.asOf, -1));
      const month = monthOf(date);
      const running = p.enrollments.filter((e) => isActiveAt(e, this.asOf));
      for (const e of running) {
        e.status = 'stopped';
        e.end_date = date;
      }
      p.payments = p.payments.filter((pay) => !running.some((e) => e.enrollment_id === pay.enrollment_id) || pay.period <= month);
      p.death = { person_id: p.person.person_id, death_date: date, source: this.rnd.pick(DEATH_SOURCES) };
    }
  }

  // ---- planted anomalies ------------------------------------------------------------------------------------------

  private plannedCoverFlag = new WeakMap<Draft, boolean>();
  private plannedCover(d: Draft): boolean {
    if (!this.plannedCoverFlag.has(d)) this.plannedCoverFlag.set(d, d.kind === 'dibao_edge' && this.rnd.chance(this.rates.cover));
    return this.plannedCoverFlag.get(d)!;
  }

  private expect(d: Draft, rule: RuleId, subjectKind: 'person' | 'household', subjectId: string): void {
    d.expected.push({ rule, subjectKind, subjectId });
  }

  private plantPersonAnomalies(d: Draft): void {
    const D = this.asOf;
    for (const p of d.people) {
      const active = p.enrollments.filter((e) => isActiveAt(e, D));
      if (active.length > 0 && !p.death && this.rnd.chance(this.rates.death)) {
        // Died, and nobody stopped the enrollment. Now and then on D itself (then no payment follows the death month).
        // Never before birth or before the enrollment began (that would be a different defect, Q-DATES).
        const earliest = [this.windowStart, addDays(p.person.birth_date, 1), ...active.map((e) => addDays(e.start_date, 1))].sort().at(-1)!;
        const date = this.rnd.chance(0.05) || earliest > addDays(D, -40) ? D : this.dateBetween(earliest, addDays(D, -40));
        p.death = { person_id: p.person.person_id, death_date: date, source: this.rnd.pick(DEATH_SOURCES) };
        this.expect(d, 'R-DEATH', 'person', p.person.person_id);
        continue;
      }
      if (active.length > 0 && this.rnd.chance(this.rates.hukouOut)) {
        p.hukouEvents.push({ person_id: p.person.person_id, event_type: 'move_out', event_date: this.dateBetween(this.windowStart, addDays(D, -1)), from_division: d.household.division_code, to_division: this.rnd.pick(ELSEWHERE) });
        this.expect(d, 'R-HUKOU-OUT', 'person', p.person.person_id);
        continue;
      }
      if (active.length > 0 && this.rnd.chance(0.01)) {
        // Traps: a move inside the jurisdiction, and a move out followed by a move back.
        const first = this.dateBetween(this.windowStart, addDays(D, -60));
        const inside = `${this.rnd.pick(this.communities).code}`;
        p.hukouEvents.push({ person_id: p.person.person_id, event_type: 'move_out', event_date: first, from_division: d.household.division_code, to_division: this.rnd.chance(0.5) ? inside : this.rnd.pick(ELSEWHERE) });
        if (!isInside(p.hukouEvents.at(-1)!.to_division)) {
          p.hukouEvents.push({ person_id: p.person.person_id, event_type: 'move_in', event_date: addDays(first, this.rnd.int(5, 50)), from_division: p.hukouEvents.at(-1)!.to_division, to_division: d.household.division_code });
        }
        continue;
      }
      if (this.rnd.chance(this.rates.mutex) && this.plantMutex(d, p)) continue;
      if (this.rnd.chance(this.rates.attr)) this.plantAttribute(d, p);
    }
  }

  private plantMutex(d: Draft, p: DraftPerson): boolean {
    const has = (program: string) => p.enrollments.some((e) => e.program === program && isActiveAt(e, this.asOf));
    const start = this.dateBetween(this.windowStart, addDays(this.asOf, -60));
    const validCert = (level: number): DisabilityCertRow => ({ person_id: p.person.person_id, disability_type: '4', disability_level: level, valid_from: yearsBefore(this.asOf, 2), valid_to: null });
    if (has('dibao') && p.age >= 60 && !has('tekun')) {
      this.enroll(d, p, 'tekun', start, null);
    } else if (has('tekun') && !has('disability_living')) {
      if (!(p.cert && p.cert.valid_from <= this.asOf && (p.cert.valid_to === null || p.cert.valid_to >= this.asOf))) p.cert = validCert(p.age < 60 ? 2 : 3);
      this.enroll(d, p, 'disability_living', start, null);
    } else if (has('child_difficulty') && !has('disability_living') && p.age < 17) {
      p.cert = validCert(3);
      this.enroll(d, p, 'disability_living', start, null);
    } else if (has('dibao') && p.age < 17 && !has('child_severe')) {
      this.enroll(d, p, 'child_severe', start, null);
    } else {
      return false;
    }
    this.expect(d, 'R-MUTEX', 'person', p.person.person_id);
    return true;
  }

  private plantAttribute(d: Draft, p: DraftPerson): void {
    const D = this.asOf;
    const active = (program: string) => p.enrollments.find((e) => e.program === program && isActiveAt(e, D));
    if (active('disability_care') && p.cert) {
      if (this.rnd.chance(0.5)) p.cert.disability_level = this.rnd.int(3, 4); // care subsidy on a level 3–4 certificate
      else this.expire(p.cert);
    } else if (active('disability_living') && p.cert && !p.enrollments.some((e) => e.program === 'tekun' || e.program === 'child_difficulty')) {
      this.expire(p.cert);
    } else if (d.kind === 'none' && p.age >= 18 && p.age <= 22 && p.enrollments.length === 0) {
      // Aged out of the children's subsidy and still paid.
      this.enroll(d, p, 'child_difficulty', addDays(yearsBefore(D, p.age - 12), 20), null);
    } else {
      return;
    }
    this.expect(d, 'R-ATTR', 'person', p.person.person_id);
  }

  /** The certificate ran out a while ago (and was issued before it ran out). */
  private expire(cert: DisabilityCertRow): void {
    cert.valid_to = addDays(this.asOf, -this.rnd.int(30, 200));
    if (cert.valid_from >= cert.valid_to) cert.valid_from = addDays(cert.valid_to, -this.rnd.int(365, 1500));
  }

  private plantPaymentAnomalies(d: Draft): void {
    for (const p of d.people) {
      // One planted anomaly per person: stopping an enrollment here could otherwise undo one planted above.
      if (d.expected.some((e) => e.subjectId === p.person.person_id)) continue;
      const paid = p.enrollments.filter((e) => p.payments.some((x) => x.enrollment_id === e.enrollment_id));
      if (paid.length === 0 || !this.rnd.chance(this.rates.payment)) continue;
      const e = this.rnd.pick(paid);
      const payments = p.payments.filter((x) => x.enrollment_id === e.enrollment_id);
      const canStop = isActiveAt(e, this.asOf) && payments.length >= 4 && monthOf(e.start_date) < this.months24[20]!;
      const kind = this.rnd.int(0, canStop ? 2 : 1);
      if (kind === 0) {
        const twin = this.rnd.pick(payments);
        this.pay(d, p, e, twin.period, twin.amount_cents);
        this.expect(d, 'F-DUPLICATE', 'person', p.person.person_id);
      } else if (kind === 1) {
        const wrong = this.rnd.pick(payments);
        // Ten times the amount (a slipped digit), or a little off either way: an odd step is paid short (owed to the
        // beneficiary), an even one over. The direction comes from the step already drawn, so the stream is unchanged.
        if (this.rnd.chance(0.5)) wrong.amount_cents *= 10;
        else {
          const steps = this.rnd.int(1, 50);
          const short = steps % 2 === 1 && wrong.amount_cents > cents(steps * 10);
          wrong.amount_cents += (short ? -1 : 1) * cents(steps * 10);
        }
        this.expect(d, 'F-AMOUNT', 'person', p.person.person_id);
      } else {
        // Stopped two or three months ago, but the payments ran on.
        const endMonth = this.months24[this.rnd.int(20, 21)]!;
        e.status = 'stopped';
        e.end_date = `${endMonth}-${pad(this.rnd.int(1, 28), 2)}`;
        this.expect(d, 'F-AFTER-EXIT', 'person', p.person.person_id);
      }
    }
  }

  private plantHouseholdAnomalies(d: Draft): void {
    const D = this.asOf;
    const id = d.household.household_id;
    if (d.kind === 'dibao' && d.people.some((p) => p.enrollments.some((e) => e.program === 'dibao' && isActiveAt(e, D))) && this.rnd.chance(this.rates.exit)) {
      const adults = d.people.filter((p) => p.age >= 18);
      const who = this.rnd.pick(adults.length ? adults : d.people);
      const variant = this.rnd.int(0, 5);
      if (variant <= 1) {
        // A new job: enough wages in the last months to lift the year over the line (now and then by exactly 1 分).
        const threshold = this.standard('dibao', d.household.division_code) * 12 * (d.people.length + d.extraMembers.length);
        const current = this.windowIncome(d);
        const k = this.rnd.int(3, 12);
        const months = this.months24.slice(24 - k);
        if (variant === 0) {
          this.addIncome(who, 'wage', Math.ceil((threshold - current) / k / 100) * 100 + cents(this.rnd.int(1, 800)), months);
        } else {
          this.addIncome(who, 'business', threshold - current + 1, [months[0]!]);
        }
      } else if (variant === 2) {
        who.vehicles.push({ plate: this.plate(), person_id: who.person.person_id, vehicle_type: this.rnd.chance(0.85) ? 'car' : 'truck', registered_date: this.dateBetween(this.windowStart, D), deregistered_date: null });
      } else if (variant === 3) {
        this.business(who, this.rnd.chance(0.6) ? 'legal_rep' : 'shareholder', 'active', this.dateBetween(this.windowStart, D));
      } else if (variant === 4) {
        const held = d.people.flatMap((p) => p.properties).filter((r) => r.usage === 'residential' && r.registered_date <= D && (r.deregistered_date === null || r.deregistered_date > D));
        for (let i = held.length; i < 2; i++) who.properties.push({ property_id: `BDC${pad(++this.counters.property, 10)}`, person_id: who.person.person_id, usage: 'residential', area_sqm: this.rnd.int(40, 120), registered_date: this.dateBetween(this.windowStart, D), deregistered_date: null });
      } else {
        who.properties.push({ property_id: `BDC${pad(++this.counters.property, 10)}`, person_id: who.person.person_id, usage: 'commercial', area_sqm: this.rnd.int(20, 200), registered_date: this.dateBetween(this.windowStart, D), deregistered_date: null });
      }
      this.expect(d, 'R-EXIT', 'household', id);
    }
    if (this.plannedCover(d)) this.expect(d, 'R-COVER', 'household', id);
  }

  private windowIncome(d: Draft): number {
    let total = 0;
    for (const p of d.people) for (const i of p.incomes) if (i.source !== 'provident_fund' && this.months12.has(i.period)) total += i.amount_cents;
    return total;
  }

  /** Data-quality defects, only in households without assistance so that they never change a rule's outcome. */
  private plantQuality(d: Draft): void {
    const record = (rule: string, subjectKind: TruthRow['subjectKind'], subjectId: string) => d.quality.push({ rule, subjectKind, subjectId });
    if (!this.rnd.chance(this.rates.quality)) {
      this.lastPlainPerson = d.people.at(-1)!.person.person_id;
      return;
    }
    const p = this.rnd.pick(d.people);
    switch (this.rnd.int(0, 4)) {
      case 0: // birth date that disagrees with the ID number
        p.person.birth_date = addDays(p.person.birth_date, this.rnd.chance(0.5) ? 1 : -3);
        record('Q-ID-CONSISTENCY', 'person', p.person.person_id);
        break;
      case 1: // one person, two households
        if (!this.lastPlainPerson) return;
        d.extraMembers.push({ household_id: d.household.household_id, person_id: this.lastPlainPerson, relation: '99' });
        record('Q-DUP-HOUSEHOLD', 'person', this.lastPlainPerson);
        this.lastPlainPerson = null;
        break;
      case 2: {
        // A member row whose person does not exist.
        // Never reused: a ghost shared by two households would also be "one person, two households".
        const ghost = composeIdNumber('320111', addDays('1977-01-01', ++this.counters.orphan), 901);
        d.extraMembers.push({ household_id: d.household.household_id, person_id: ghost, relation: '99' });
        record('Q-ORPHAN', 'record', `household_member:${d.household.household_id}|${ghost}`);
        break;
      }
      case 3:
        d.household.urban_rural = '3';
        record('Q-DICT', 'record', `household:${d.household.household_id}.urban_rural`);
        break;
      default: {
        // An enrollment that ends before it starts (long ago, never paid).
        const start = this.dateBetween(yearsBefore(this.asOf, 8), yearsBefore(this.asOf, 5));
        const e = this.enroll(d, p, 'linshi', start, addDays(start, -this.rnd.int(1, 90)));
        record('Q-DATES', 'record', `enrollment:${e.enrollment_id}`);
      }
    }
  }

  // ---- emission ---------------------------------------------------------------------------------------------------

  private flush(d: Draft): void {
    const members: HouseholdMemberRow[] = [
      ...d.people.map((p) => ({ household_id: d.household.household_id, person_id: p.person.person_id, relation: p.relation })),
      ...d.extraMembers,
    ];
    const facts: HouseholdFacts = { household: d.household, members, people: new Map(d.people.map((p) => [p.person.person_id, p])) };
    const found = evaluateHouseholdAndMembers(facts, this.ctx);
    for (const e of d.expected) {
      if (!found.some((f) => f.rule === e.rule && f.subjectId === e.subjectId)) {
        throw new Error(`generator bug: planted ${e.rule} on ${e.subjectId} (seed ${this.o.seed}) does not fire`);
      }
    }

    // v2's columns on these rows (values, coverage…) are read by no v1 rule; they must be set before the rows go out.
    this.v2?.fillColumns(d);
    for (const p of d.people) this.emit({ table: 'person', row: p.person });
    this.emit({ table: 'household', row: d.household });
    for (const m of members) this.emit({ table: 'household_member', row: m });
    for (const p of d.people) {
      for (const e of p.enrollments) this.emit({ table: 'enrollment', row: e });
      for (const x of p.payments) this.emit({ table: 'payment', row: x });
      if (p.death) this.emit({ table: 'death_record', row: p.death });
      for (const h of p.hukouEvents) this.emit({ table: 'hukou_event', row: h });
      if (p.cert) this.emit({ table: 'disability_cert', row: p.cert });
      for (const i of p.incomes) this.emit({ table: 'income_record', row: i });
      for (const v of p.vehicles) this.emit({ table: 'vehicle', row: v });
      for (const r of p.properties) this.emit({ table: 'real_estate', row: r });
      for (const b of p.businesses) this.emit({ table: 'business_registration', row: b });
    }
    for (const v of d.visits) this.emit({ table: 'grid_visit', row: v });
    if (this.v2) this.flushV2(d, facts, found);
    for (const f of found) this.emitTruth(f);
    for (const q of d.quality) this.emitTruth(q);
    this.persons += d.people.length;
  }

  /**
   * Schema v2's rows for the household. Its new income sources and 刚性支出 enrollments land in v1 tables, which v1's
   * rules read: they are kept only when the v1 findings stay exactly the same and the household has no household
   * finding (R-EXIT's amount and R-COVER's evidence read its incomes), so v1's rules return the very same rows.
   */
  private flushV2(d: Draft, facts: HouseholdFacts, found: readonly ReferenceFinding[]): void {
    let additions = this.v2!.v1Additions(d);
    const people = new Map(
      [...facts.people].map(([id, p]) => [
        id,
        { ...p, incomes: [...p.incomes, ...additions.incomes.filter((i) => i.person_id === id)], enrollments: [...p.enrollments, ...additions.enrollments.filter((e) => e.person_id === id)] },
      ]),
    );
    const householdFinding = found.some((f) => f.subjectKind === 'household');
    if (householdFinding || findingKeys(evaluateHouseholdAndMembers({ ...facts, people }, this.ctx)) !== findingKeys(found)) additions = { incomes: [], enrollments: [] };
    for (const e of additions.enrollments) this.emit({ table: 'enrollment', row: e }, true);
    for (const i of additions.incomes) this.emit({ table: 'income_record', row: i }, true);
    for (const row of this.v2!.tables(d, additions.enrollments)) this.emit(row, true);
  }
}

/** A household's v1 findings, comparable as a set. */
const findingKeys = (found: readonly ReferenceFinding[]) => found.map((f) => `${f.rule}|${f.subjectId}`).sort().join('\n');

function isInside(division: string | null): boolean {
  return division !== null && JURISDICTION.some((j) => division.startsWith(j));
}

/** A small stable hash of a rule id, to give each rule's plants a random stream of its own. */
function hashOf(text: string): number {
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}
