/**
 * The shared definitions of rules.md as SQL, each written once: every query of the store and every rule of the rule
 * library (src-main/rules/) builds its conditions from these. Each takes the alias or column it applies to and the
 * date as an SQL expression (a named parameter such as `@d`; a `?` would need binding once per use), and returns a
 * parenthesised condition.
 *
 * Empty end dates: an import stores an empty cell as NULL, so an end date is empty when it is NULL. A snapshot written
 * by other means may hold '' instead; every fragment reads '' as empty too, so that no two queries can disagree about
 * one row (before, two counts read '' as open-ended and the rules read it as closed). The TypeScript twins of these
 * predicates (domain/rules/facts.ts) read null and '' the same way.
 *
 * Tested on hand-made rows in test/unit/sql-fragments.test.ts.
 */
export { scopeSql, withinPrefixesJson } from './scope-sql.js';

/** `column` holds no date: NULL or ''. */
export const isEmpty = (column: string): string => `(${column} IS NULL OR ${column} = '')`;

/**
 * rules.md §T, **valid at D**: `start <= D` and (`end` empty or `end >= D`) — enrollments, certificates, consents,
 * schools. `start` and `end` are column expressions.
 */
export const validAt = (start: string, end: string, d: string): string => `(${start} <= ${d} AND (${end} IS NULL OR ${end} = '' OR ${end} >= ${d}))`;

/**
 * rules.md §T, **held at D**: `start <= D` and (`end` empty or `end > D`) — vehicles and property (deregistered on D
 * means no longer held). Columns default to the `registered_date` / `deregistered_date` of the asset tables.
 */
export const heldAt = (alias: string, d: string, start = 'registered_date', end = 'deregistered_date'): string =>
  `(${alias}.${start} <= ${d} AND (${alias}.${end} IS NULL OR ${alias}.${end} = '' OR ${alias}.${end} > ${d}))`;

/** rules.md, an enrollment **active at D**: `status = active` and valid at D over `start_date` / `end_date`. */
export const activeAt = (alias: string, d: string): string =>
  `(${alias}.status = 'active' AND ${validAt(`${alias}.start_date`, `${alias}.end_date`, d)})`;

/**
 * rules.md §A, **age at D**: whole years from the birth date (`YYYY-MM-DD`) to D; the birthday is reached on its
 * month-day, so a 02-29 birthday is reached on 03-01 in common years ('03-01' is not before '02-29') and on 02-29 in
 * leap years. The same arithmetic as domain/calendar.ts ageOn.
 */
export const ageAt = (birth: string, d: string): string =>
  `(CAST(substr(${d}, 1, 4) AS INTEGER) - CAST(substr(${birth}, 1, 4) AS INTEGER) - (substr(${d}, 6, 5) < substr(${birth}, 6, 5)))`;

/** rules.md §M: a person's household is the smallest `household_id` among their `household_member` rows. */
export const householdOf = (person: string): string => `(SELECT min(m.household_id) FROM household_member m WHERE m.person_id = ${person})`;

/** Where a person lives: the division code of their household (householdOf). */
export const divisionOfPerson = (person: string): string => `(SELECT division_code FROM household WHERE household_id = ${householdOf(person)})`;

/**
 * rules.md: the 低保 standard (cents per person per month) for a division code at D — the `dibao` policy whose
 * `division_prefix` is the longest prefix of the code, with the latest `effective_from <= D`; NULL when none.
 */
export const dibaoStandardAt = (divisionCode: string, d: string): string =>
  `(SELECT x.standard_monthly_cents FROM policy x WHERE x.program = 'dibao' AND substr(${divisionCode}, 1, length(x.division_prefix)) = x.division_prefix
      AND x.effective_from <= ${d} ORDER BY length(x.division_prefix) DESC, x.effective_from DESC LIMIT 1)`;

/**
 * rules.md v2 §$, **S**: the household's 低保 standard at D (cents per person per month). Policy rows whose `urban_rural`
 * is empty or equals the household's, then the longest `division_prefix`, the latest `effective_from <= D`, and a row
 * for the household's urban/rural class over one for both; NULL when none. `urbanRural` is the household's column.
 */
export const householdStandardAt = (divisionCode: string, urbanRural: string, d: string): string =>
  `(SELECT x.standard_monthly_cents FROM policy x WHERE x.program = 'dibao' AND substr(${divisionCode}, 1, length(x.division_prefix)) = x.division_prefix
      AND x.effective_from <= ${d} AND (${isEmpty('x.urban_rural')} OR x.urban_rural = ${urbanRural})
      ORDER BY length(x.division_prefix) DESC, x.effective_from DESC, ${isEmpty('x.urban_rural')} LIMIT 1)`;

/**
 * rules.md v2 §M, **members at D**: how many of the household's `household_member` rows count as members (memberAt).
 */
export const membersAt = (household: string, d: string): string => `(SELECT count(*) FROM household_member m WHERE m.household_id = ${household} AND ${memberAt('m', d)})`;

/**
 * rules.md §T, **addMonths(x, n)** for a date: the same day of month n months on (n may be negative), clamped to the
 * target month's last day (2024-08-31 − 6 months → 2024-02-29). `n` is an SQL expression (a bound integer).
 */
export const addMonthsAt = (date: string, n: string): string =>
  `min(date(substr(${date}, 1, 7) || '-01', (${n}) || ' months', '+' || (CAST(substr(${date}, 9, 2) AS INTEGER) - 1) || ' days'), date(substr(${date}, 1, 7) || '-01', (${n}) || ' months', '+1 month', '-1 day'))`;

/**
 * rules.md §M: a `household_member` row (alias) counts as a member at D unless its person is held at D
 * (`start_date <= D`, release empty or after D) in an imprisonment of kind `prison` or `rehab`; `detention` does not remove.
 */
export const memberAt = (m: string, d: string): string =>
  `NOT EXISTS (SELECT 1 FROM imprisonment i WHERE i.person_id = ${m}.person_id AND i.kind IN ('prison', 'rehab') AND ${heldAt('i', d, 'start_date', 'end_date')})`;

/**
 * rules.md "Details decided", a **school enrollment valid at D** (alias of a `school_enrollment` row): `full_time = 1`,
 * `status = enrolled`, `start_date <= D` and a non-empty `expected_end_date >= D`.
 */
export const schoolValidAt = (s: string, d: string): string =>
  `(${s}.full_time = '1' AND ${s}.status = 'enrolled' AND ${s}.start_date <= ${d} AND ${s}.expected_end_date IS NOT NULL AND ${s}.expected_end_date <> '' AND ${s}.expected_end_date >= ${d})`;

/**
 * A disability certificate (alias) valid at D that meets a certificate list bound as JSON (`[{type, levels}]`, type '*'
 * any type), e.g. `tekunUnableToWorkCerts`.
 */
export const certListedAt = (c: string, list: string, d: string): string =>
  `(${validAt(`${c}.valid_from`, `${c}.valid_to`, d)} AND EXISTS (SELECT 1 FROM json_each(${list}) j WHERE json_extract(j.value, '$.type') IN ('*', ${c}.disability_type)
      AND EXISTS (SELECT 1 FROM json_each(j.value, '$.levels') l WHERE CAST(l.value AS INTEGER) = CAST(${c}.disability_level AS INTEGER))))`;

/**
 * certListedAt with the list parsed once per statement instead of once per certificate: the same test as two
 * uncorrelated IN lists, which SQLite builds into an index on first use — a level listed for any type ('*'), or the
 * (type, level) pair listed. Comparisons as in certListedAt: a type given as a JSON string equals the column's text (a
 * JSON number 5 never matched '5' there: the list's value has no affinity, and an IN list does not convert it), the
 * level as an integer (held equal to certListedAt in test/unit/sql-fragments.test.ts). For a statement that tests many certificates.
 */
export const certListedOnceAt = (c: string, list: string, d: string): string =>
  `(${validAt(`${c}.valid_from`, `${c}.valid_to`, d)} AND (
      CAST(${c}.disability_level AS INTEGER) IN (SELECT CAST(l.value AS INTEGER) FROM json_each(${list}) j, json_each(j.value, '$.levels') l WHERE json_extract(j.value, '$.type') = '*')
      OR (${c}.disability_type, CAST(${c}.disability_level AS INTEGER)) IN (SELECT json_extract(j.value, '$.type'), CAST(l.value AS INTEGER) FROM json_each(${list}) j, json_each(j.value, '$.levels') l
        WHERE json_type(j.value, '$.type') = 'text')))`;
