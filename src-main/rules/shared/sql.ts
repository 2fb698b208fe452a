/** SQL pieces several rules share (the conditions themselves are the store's fragments, store/sql-fragments.ts). */
import { activeAt } from '../../store/sql-fragments.js';

/** The first month of "the 12 months to D" ("the year", rules.md §T): month(D) − 11. */
export const YEAR_FROM = `substr(date(@month || '-01', '-11 months'), 1, 7)`;

/** The first day of the seriousIllnessMonths months to D (§T "the N months to D"); NULL below one month. */
export const ILLNESS_FROM = `date(@d, 'start of month', printf('-%d months', CAST(@seriousIllnessMonths AS INTEGER) - 1))`;

/**
 * The latest 重特大疾病 settlement of `person` on or before D: a serious illness "in the seriousIllnessMonths months to D"
 * is this date on or after ILLNESS_FROM, so it can be read at build, for D alone, and the window applied at a run.
 */
export const lastSeriousIllness = (person: string): string =>
  `(SELECT max(s.settle_date) FROM medical_settlement s WHERE s.person_id = ${person} AND s.serious_illness = '1' AND s.settle_date <= @d)`;

/** Enrollments active at D (rules.md). */
export const ACTIVE_ENROLLMENTS = `SELECT * FROM enrollment e WHERE ${activeAt('e', '@d')}`;

/** An enrollment as an evidence row. */
export const enrollmentJson = (e: string): string =>
  `json_object('table', 'enrollment', 'key', ${e}.enrollment_id, 'values', json_object('program', ${e}.program, 'status', ${e}.status, 'start_date', ${e}.start_date, 'end_date', ${e}.end_date, 'monthly_amount_cents', ${e}.monthly_amount_cents))`;

/**
 * A record-level check (Q-ORPHAN, Q-DICT, Q-DATES): `sql` yields subject_id ("table:key"), household_id and detail;
 * this turns them into rule rows.
 */
export const recordCheck = (sql: string): string => `
  WITH q AS (${sql})
  SELECT q.subject_id, q.household_id, h.division_code, NULL AS amount_cents, q.detail AS facts,
    json_object('rows', json_array(json_object('table', substr(q.subject_id, 1, instr(q.subject_id, ':') - 1), 'key', substr(q.subject_id, instr(q.subject_id, ':') + 1), 'values', json_object())),
      'comparisons', json_array(json_object('label', 'check', 'value', q.detail, 'op', 'fails', 'threshold', NULL))) AS evidence
  FROM q LEFT JOIN household h ON h.household_id = q.household_id`;
