/**
 * Pre-check (在线申请预审): would this household, applying for this programme, be refused by the rules? The members'
 * records are read by indexed lookups and judged by the reference evaluator of rules.md — the same semantics as the
 * SQL rule library, on one household, in about a millisecond — as if the application had been granted on D.
 */
import { maskIdNumber, validateIdNumber } from '../../domain/id-number.js';
import type { EnrollmentRow } from '../../domain/exchange/rows.js';
import { isProgramCode } from '../../domain/programs.js';
import { isActiveAt, type EvaluationContext } from '../../domain/rules/facts.js';
import { RULE_MODULES, ruleModule, type RulePrecheckCode } from '../../rules/index.js';
import { evaluatePerson } from '../../rules/reference.js';
import { resolveParameters } from '../../domain/rules/rule-library.js';
import { decimalTimes10k } from '../../domain/rules/parameters.js';
import { MeansTruth } from '../../rules/shared/means-truth.js';
import type { SnapshotDb } from '../../store/snapshot/snapshot-db.js';

export interface PrecheckInput {
  personIds: string[];
  program: string;
  /**
   * The caller's data scope: persons who live outside it are treated like persons the platform does not know — no
   * reasons, no figures about them — so a pre-check cannot be used to look into other divisions. Null: no limit (CLI).
   */
  scope?: readonly string[] | null;
  /** Where the household lives; default: the division of the first member's household in the snapshot. */
  divisionCode?: string;
  /**
   * The parameter values in force for the household's division (the region's own, from the team store: counted income's
   * exclusions and deduction, the asset limits, the margin's multiple); absent: the national defaults.
   */
  parameters?: Record<string, unknown>;
}

/** The rules' own reasons (RuleModule.precheck: DECEASED, MOVED_OUT, EXCLUSIVE_PROGRAM, ATTRIBUTES) and the pre-check's. */
export type PrecheckReasonCode = 'NOT_IN_SNAPSHOT' | 'ALREADY_ENROLLED' | 'INCOME_TOO_HIGH' | 'FAILS_ASSET_TEST' | RulePrecheckCode;

export interface PrecheckReason {
  code: PrecheckReasonCode;
  personId?: string;
  details?: Record<string, unknown>;
}

/**
 * 通过 (the rules find nothing against the household, every member known), 未通过 (a rule refuses it), 无法判定 (nothing
 * refuses it, but a member is unknown to the platform: a person must check), or not judged at all (an ID number as typed
 * cannot be one).
 */
export type PrecheckOutcome = 'pass' | 'fail' | 'undetermined' | 'invalid_input';

/** An ID number as typed that cannot be one: which (1-based, masked) and why. */
export interface PrecheckInputProblem {
  position: number;
  masked: string;
  problem: 'too_short' | 'too_long' | 'characters' | 'birth_date' | 'check_digit';
}

export interface PrecheckResult {
  outcome: PrecheckOutcome;
  /** outcome === 'pass' */
  pass: boolean;
  inputProblems: PrecheckInputProblem[];
  program: string;
  asOf: string;
  reasons: PrecheckReason[];
  /** Facts the decision rests on (income, standard), for the reviewer. */
  /** The household's figures: income over the window of `months` (12 unless a region set incomeMonths) and the line. */
  figures: { members: number; months: number; incomeCents12m: number; thresholdCents: number } | null;
  ms: number;
}

const HOUSEHOLD_PROGRAMS = new Set(['dibao', 'dibao_edge']);

export function precheck(snapshot: SnapshotDb, input: PrecheckInput): PrecheckResult {
  const started = performance.now();
  const asOf = snapshot.meta().asOf;
  const reasons: PrecheckReason[] = [];
  if (!isProgramCode(input.program)) throw new Error(`unknown programme ${input.program}`);
  // As typed or pasted: full-width digits and a lower-case x are the same number.
  const ids = applicantIds(input.personIds);
  const inputProblems = ids.flatMap((id, i): PrecheckInputProblem[] => {
    const problem = validateIdNumber(id);
    if (!problem) return [];
    return [{ position: i + 1, masked: maskIdNumber(id), problem: problem === 'length' ? (id.length < 18 ? 'too_short' : 'too_long') : problem }];
  });
  // Input that cannot be an ID number is reported as input, and nothing is judged on it.
  if (inputProblems.length > 0 || ids.length === 0) {
    return { outcome: 'invalid_input', pass: false, inputProblems, program: input.program, asOf, reasons: [], figures: null, ms: performance.now() - started };
  }
  const valid = ids;
  const visible = input.scope
    ? valid.filter((id) => snapshot.divisionsOfPerson(id).some((code) => input.scope!.some((p) => code.startsWith(p))))
    : valid;
  const facts = snapshot.personFacts(visible);
  for (const id of valid) if (!facts.has(id)) reasons.push({ code: 'NOT_IN_SNAPSHOT', personId: id });
  const known = valid.filter((id) => facts.has(id));
  const division = input.divisionCode ?? (known[0] ? snapshot.divisionsOfPerson(known[0])[0] : undefined) ?? '';
  const ctx: EvaluationContext = { asOf, jurisdiction: snapshot.meta().jurisdiction, dibaoStandardCents: (d) => snapshot.dibaoStandardCents(d) };

  // The application as if granted on D: the applicant (or every member, for household programmes).
  const applicants = HOUSEHOLD_PROGRAMS.has(input.program) ? known : known.slice(0, 1);
  // The person rules with a truth of their own (rules.md v2: R-ATTR's study exemption, certificate list and imprisonment;
  // R-MUTEX's pairs and work injury) judge the applicants' rows with the applications added; the others their reference.
  const ownTruth = RULE_MODULES.filter((m) => m.truth && m.precheck && m.definition.subjectKind === 'person');
  const rows = snapshot.personRows(known);
  const withApplications = {
    ...rows,
    enrollment: [...(rows.enrollment ?? []), ...applicants.map((id): EnrollmentRow => proposedEnrollment(id, input.program, asOf))],
  };
  const refusedBy = new Map(
    ownTruth.map((m) => [
      m.definition.id,
      new Set(m.truth!(withApplications, { asOf, jurisdiction: snapshot.meta().jurisdiction, parameters: resolveParameters(m.definition, input.parameters ?? {}) }).map((t) => t.subjectId)),
    ]),
  );
  for (const id of applicants) {
    const f = facts.get(id)!;
    if (f.enrollments.some((e) => e.program === input.program && isActiveAt(e, asOf))) reasons.push({ code: 'ALREADY_ENROLLED', personId: id });
    const withApplication = { ...f, enrollments: [...f.enrollments, proposedEnrollment(id, input.program, asOf)] };
    // Each rule that fires and refuses applications says why (RuleModule.precheck), from the facts as they are.
    const firing = [
      ...evaluatePerson(withApplication, ctx).filter((rule) => !refusedBy.has(rule)),
      ...[...refusedBy].filter(([, subjects]) => subjects.has(id)).map(([rule]) => rule),
    ];
    for (const rule of RULE_MODULES.map((m) => m.definition.id).filter((r) => firing.includes(r))) {
      const m = ruleModule(rule);
      const reason = m?.precheck?.(f, asOf);
      if (reason) reasons.push({ code: reason.code, personId: id, details: { ...reason.details, basis: basisOf(m!.definition) } });
    }
  }

  let figures: PrecheckResult['figures'] = null;
  if (HOUSEHOLD_PROGRAMS.has(input.program) && known.length > 0) {
    // The household's means by rules.md v2 (the rules' own semantics, rules/shared/means-truth.ts): counted income over
    // §M's members (every applicant counts, including those the platform holds no records of), the v2 asset test, S
    // for the household's urban/rural class — with the region's parameter values.
    const home = rows.household?.find((h) => rows.household_member?.some((m) => m.household_id === h.household_id && m.person_id === known[0]));
    const household = {
      ...rows,
      household: [{ household_id: '(application)', head_person_id: known[0]!, division_code: division, address: '', urban_rural: home?.urban_rural ?? '1' }],
      household_member: valid.map((person_id) => ({ household_id: '(application)', person_id, relation: '' })),
    };
    const exit = ruleModule('R-EXIT')!.definition;
    const parameters = { ...resolveParameters(exit), ...resolveParameters(ruleModule('R-EDGE')!.definition), ...(input.parameters ?? {}) };
    const truth = new MeansTruth(household, asOf, parameters);
    const means = truth.means('(application)');
    const members = means.members.length;
    // The line moves with the window (S × months × members), as in the rules: 12 months unless a region set incomeMonths.
    const threshold = (means.standard ?? 0) * truth.months * members;
    figures = { members, months: truth.months, incomeCents12m: means.income, thresholdCents: threshold };
    const basis = exit.basis[0];
    if (input.program === 'dibao') {
      // R-EXIT's test, applied before entry: over the line or failing the assets means refused.
      if (means.standard !== null && means.income > threshold) reasons.push({ code: 'INCOME_TOO_HIGH', details: { incomeCents12m: means.income, thresholdCents: threshold, basis } });
    } else {
      // 低保边缘 (R-EDGE): at or over the margin's multiple of the line means refused.
      const multiple = decimalTimes10k(Number(parameters.edgeMultiple));
      if (means.standard !== null && means.income * 10_000 >= multiple * threshold) {
        reasons.push({ code: 'INCOME_TOO_HIGH', details: { incomeCents12m: means.income, thresholdCents: Math.round((multiple * threshold) / 10_000), multiple: parameters.edgeMultiple, basis: ruleModule('R-EDGE')!.definition.basis[0] } });
      }
    }
    if (means.failsAssets) reasons.push({ code: 'FAILS_ASSET_TEST', details: { since: means.assetSince, basis } });
  }
  const outcome: PrecheckOutcome = reasons.some((r) => r.code !== 'NOT_IN_SNAPSHOT') ? 'fail' : reasons.length > 0 ? 'undetermined' : 'pass';
  return { outcome, pass: outcome === 'pass', inputProblems: [], program: input.program, asOf, reasons, figures, ms: performance.now() - started };
}

/** The application as an enrollment granted on D (what the rules would see if it were approved). */
function proposedEnrollment(personId: string, program: string, asOf: string): EnrollmentRow {
  return { enrollment_id: `(application:${personId})`, person_id: personId, household_id: '(application)', program, status: 'active', start_date: asOf, end_date: null, monthly_amount_cents: 0, support_mode: null, cause: null };
}

/** A rule's policy basis as one line per language (a rule covering several programmes names every document). */
function basisOf(rule: { basis: readonly { zh: string; en: string }[] }): { zh: string; en: string } {
  return { zh: rule.basis.map((b) => b.zh).join('；'), en: rule.basis.map((b) => b.en).join('; ') };
}

/** The ID numbers as typed, as the pre-check reads them (full-width digits, spaces, a lower-case x), each once. */
export function applicantIds(personIds: readonly string[]): string[] {
  return [...new Set(personIds.map((id) => id.normalize('NFKC').trim().toUpperCase()).filter(Boolean))];
}
