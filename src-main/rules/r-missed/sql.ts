/**
 * R-MISSED 应享未享（漏救）as SQL (rules.md v2 "New rules"): a living person of the jurisdiction who, by the data, is owed
 * a benefit they do not receive — 困难残疾人生活补贴 (`living`), 重度残疾人护理补贴 (`care`) or 单人保 (`single`).
 *
 * Set-oriented: every reason needs a certificate valid at D or (single) a serious illness in the window, so the
 * candidates are those persons (a small share of a district). Each fact is read once (session 10): the candidates' own
 * rows by key (household, certificate, imprisonment), their enrollments active at D in one range of enrollment_by_person
 * (was one seek per programme and question), "H has 低保 / 低边" set-wise from one pass over the 低保 and 低边
 * enrollments active at D (was two passes over each candidate's household members), the evidence built for the
 * findings only, and what only some reasons read (income, serious illness) looked up only where it can still change a
 * reason. No money: what is missing is owed to the person (amount NULL). All of that but the care certificates and the
 * illness window depends on D alone and is made when the snapshot is built (MISSED_BASES, session 15); a run applies
 * its values to it.
 */
import { activeAt, certListedOnceAt, householdOf, memberAt, validAt, withinPrefixesJson } from '../../store/sql-fragments.js';
import { enrollmentJson, ILLNESS_FROM, lastSeriousIllness, YEAR_FROM } from '../shared/sql.js';
import type { DerivedBase } from '../types.js';

/** A certificate as an evidence row. */
const certJson = (c: string) =>
  `json_object('table', 'disability_cert', 'key', ${c}.person_id, 'values', json_object('disability_type', ${c}.disability_type, 'disability_level', ${c}.disability_level, 'valid_from', ${c}.valid_from, 'valid_to', ${c}.valid_to))`;

/** R-SINGLE's condition on a certificate: level 1–2 of any type, or level 3 of type 5 (智力) or 6 (精神). */
const SINGLE_CERT = `(CAST(c.disability_level AS INTEGER) IN (1, 2) OR (CAST(c.disability_level AS INTEGER) = 3 AND c.disability_type IN ('5', '6')))`;

/**
 * Income in the year of the sources the reasons exclude, as bits (1: work_injury_care, 2: orphan_allowance; "income"
 * is a row with amount > 0): one range of income_record's key (person, period) instead of one per source.
 */
const INCOME_FLAGS = `(SELECT coalesce(max(i.source = 'work_injury_care'), 0) + 2 * coalesce(max(i.source = 'orphan_allowance'), 0) FROM income_record i
     WHERE i.person_id = o.person_id AND i.period BETWEEN ${YEAR_FROM} AND @month AND i.source IN ('work_injury_care', 'orphan_allowance') AND i.amount_cents > 0)`;

/** The first enrollment (start, id) active at D of a member of the candidate's household matching `condition`. */
const householdEnrollment = (condition: string) =>
  `(SELECT json(${enrollmentJson('e')}) FROM household_member m JOIN enrollment e ON e.person_id = m.person_id
     WHERE m.household_id = o.home AND ${memberAt('m', '@d')} AND ${condition} AND ${activeAt('e', '@d')} ORDER BY e.start_date, e.enrollment_id LIMIT 1)`;

/** One comparison per reason, naming the benefit that seems missing and what makes the person entitled. */
const COMPARISONS = `json_array(
    CASE WHEN r.living THEN json_object('label', 'living', 'benefit', 'disability_living', 'value', r.cert ->> '$.values.disability_level', 'op', 'holds',
      'threshold', NULL, 'certType', r.cert ->> '$.values.disability_type', 'certLevel', r.cert ->> '$.values.disability_level', 'validTo', r.cert ->> '$.values.valid_to',
      'dibao', coalesce(r.own_dibao, r.home_dibao) ->> '$.key', 'own', r.own_dibao IS NOT NULL) END,
    CASE WHEN r.care THEN json_object('label', 'care', 'benefit', 'disability_care', 'value', r.care_cert ->> '$.values.disability_level', 'op', 'in', 'threshold', json(@careCerts),
      'certType', r.care_cert ->> '$.values.disability_type', 'certLevel', r.care_cert ->> '$.values.disability_level', 'validTo', r.care_cert ->> '$.values.valid_to') END,
    CASE WHEN r.single THEN json_object('label', 'single', 'benefit', 'dibao', 'value', coalesce(r.single_cert ->> '$.values.disability_level', r.illness ->> '$.values.settle_date'),
      'op', 'meets', 'threshold', NULL, 'condition', CASE WHEN r.single_cert IS NOT NULL THEN 'cert' ELSE 'illness' END,
      'certType', r.single_cert ->> '$.values.disability_type', 'certLevel', r.single_cert ->> '$.values.disability_level', 'validTo', r.single_cert ->> '$.values.valid_to',
      'settleDate', r.illness ->> '$.values.settle_date', 'months', CAST(@seriousIllnessMonths AS INTEGER), 'edge', r.home_edge ->> '$.key') END)`;

/**
 * What R-MISSED reads that depends on the snapshot and its D alone (issue 16, as the household judgement's
 * JUDGEMENT_BASES): every candidate of the jurisdiction — a person with a certificate valid at D, or with a serious
 * illness settled on or before D (the window, a parameter, is applied at the run through `last_serious`) — alive at D,
 * with the reads by key below. The build stores it in the snapshot; a snapshot without it gets it as a temporary table
 * of the same name. A run with other values (careCerts, seriousIllnessMonths) reads this table, not the feeds.
 */
export const MISSED_BASES: readonly DerivedBase[] = [
  {
    table: 'derived_missed',
    columns: `person_id, home, division_code, is_member, disability_type, disability_level, valid_from, valid_to, has_cert, single_ok,
      has_dibao, has_living, has_care, own_dibao, home_dibao, home_edge, income, last_serious, PRIMARY KEY (person_id)`,
    sql: `
    WITH
    candidate AS MATERIALIZED (
      SELECT c.person_id FROM disability_cert c WHERE ${validAt('c.valid_from', 'c.valid_to', '@d')}
      UNION
      -- read in table order (NOT INDEXED): through medical_by_person, for the UNION's order, every settlement was a
      -- second lookup of its row for serious_illness
      SELECT s.person_id FROM medical_settlement s NOT INDEXED WHERE s.serious_illness = '1' AND s.settle_date <= @d),
    p AS MATERIALIZED (
      SELECT x.person_id, ${householdOf('x.person_id')} AS home FROM candidate x
       WHERE NOT EXISTS (SELECT 1 FROM death_record r WHERE r.person_id = x.person_id AND r.death_date <= @d)),
    -- The candidates of the jurisdiction with what is read of them by key. disability_cert is keyed by person (one
    -- certificate a person), so "the most severe certificate valid at D meeting a condition" is that one row or none:
    -- it is read once for the three reasons, and kept as columns (the evidence is built for the findings only). The
    -- person's row (home, person) exists by definition of home, so "a member of H" is memberAt's imprisonment test alone.
    person AS MATERIALIZED (
      SELECT p.person_id, p.home, h.division_code, ${memberAt('p', '@d')} AS is_member,
        c.disability_type, c.disability_level, c.valid_from, c.valid_to,
        coalesce(${validAt('c.valid_from', 'c.valid_to', '@d')}, 0) AS has_cert,
        coalesce(${validAt('c.valid_from', 'c.valid_to', '@d')} AND ${SINGLE_CERT}, 0) AS single_ok
        FROM p CROSS JOIN household h ON h.household_id = p.home LEFT JOIN disability_cert c ON c.person_id = p.person_id
       WHERE ${withinPrefixesJson('h.division_code', '@jurisdiction')}),
    -- "H has X active at D" for the candidates' households, set-wise from the 低保 and 低边 enrollments active at D (one
    -- pass over enrollment, a small table: one seek per member of each candidate's household, twice, cost more): the
    -- households with a member (memberAt) holding 低保 with coverage household, empty or unknown (整户保;
    -- exchange-schema.md: household is the default) or 低边.
    active AS MATERIALIZED (
      SELECT e.person_id, e.program, e.coverage FROM enrollment e WHERE e.program IN ('dibao', 'dibao_edge') AND ${activeAt('e', '@d')}),
    home_has AS MATERIALIZED (
      SELECT DISTINCT m.household_id AS home, a.program FROM active a CROSS JOIN household_member m ON m.person_id = a.person_id
       WHERE ((a.program = 'dibao' AND coalesce(a.coverage, '') <> 'single') OR a.program = 'dibao_edge')
         AND +m.household_id IN (SELECT home FROM person) AND ${memberAt('m', '@d')}),
    -- the person's own enrollments active at D, one range of enrollment_by_person read for the three questions
    own_bits AS MATERIALIZED (
      SELECT x.*, (SELECT max(e.program = 'dibao') + 2 * max(e.program IN ('disability_living', 'tekun', 'child_difficulty'))
                          + 4 * max(e.program IN ('disability_care', 'tekun'))
                     FROM enrollment e WHERE e.person_id = x.person_id AND ${activeAt('e', '@d')}) AS bits FROM person x),
    own AS (
      SELECT x.*, coalesce(x.bits & 1, 0) AS has_dibao, coalesce(x.bits & 2, 0) > 0 AS has_living, coalesce(x.bits & 4, 0) > 0 AS has_care FROM own_bits x),
    -- The enrollments the evidence names, read only where the sets above say there is one: the person's own first 低保,
    -- and the household's first 低保 or 低边 (by start, then id) where the reasons can read it (a member without a 低保 of
    -- their own).
    judged AS MATERIALIZED (
      SELECT o.*,
        CASE WHEN o.has_dibao THEN (SELECT json(${enrollmentJson('e')}) FROM enrollment e WHERE e.person_id = o.person_id AND e.program = 'dibao' AND ${activeAt('e', '@d')}
          ORDER BY e.start_date, e.enrollment_id LIMIT 1) END AS own_dibao,
        CASE WHEN o.is_member AND NOT o.has_dibao AND o.home IN (SELECT home FROM home_has WHERE program = 'dibao')
          THEN ${householdEnrollment("e.program = 'dibao' AND coalesce(e.coverage, '') <> 'single'")} END AS home_dibao,
        CASE WHEN o.is_member AND NOT o.has_dibao AND o.home IN (SELECT home FROM home_has WHERE program = 'dibao_edge')
          THEN ${householdEnrollment("e.program = 'dibao_edge'")} END AS home_edge
        FROM own o)
    -- The income that excludes the subsidies, read where a reason can still need it whatever the certificates a run
    -- lists for care (those are valid at D: has_cert); the latest serious illness settled on or before D, which the
    -- run compares with its window.
    SELECT o.person_id, o.home, o.division_code, o.is_member, o.disability_type, o.disability_level, o.valid_from, o.valid_to, o.has_cert, o.single_ok,
      o.has_dibao, o.has_living, o.has_care, o.own_dibao, o.home_dibao, o.home_edge,
      CASE WHEN o.has_cert AND ((NOT o.has_living AND (o.own_dibao IS NOT NULL OR (o.is_member AND o.home_dibao IS NOT NULL))) OR NOT o.has_care)
        THEN ${INCOME_FLAGS} ELSE 0 END AS income,
      ${lastSeriousIllness('o.person_id')} AS last_serious
      FROM judged o`,
  },
];

/**
 * The rule: MISSED_BASES' candidates within the run's window (a certificate valid at D, or a serious illness in the
 * seriousIllnessMonths months to D), the care certificates of the run, and the serious illness behind a 单人保 reason.
 */
export const sql = `
    WITH
    person AS MATERIALIZED (
      SELECT b.*, coalesce(${certListedOnceAt('b', '@careCerts', '@d')}, 0) AS care_ok FROM derived_missed b
       WHERE b.has_cert OR b.last_serious >= ${ILLNESS_FROM}),
    -- The serious illness, looked up only where it can still change a reason (a person otherwise owed 单人保).
    looked AS MATERIALIZED (
      SELECT o.*,
        CASE WHEN o.is_member AND o.home_edge IS NOT NULL AND o.own_dibao IS NULL THEN
          (SELECT json_object('table', 'medical_settlement', 'key', s.settlement_id, 'values', json_object('settle_date', s.settle_date, 'serious_illness', s.serious_illness, 'total_cents', s.total_cents))
             FROM medical_settlement s WHERE s.person_id = o.person_id AND s.serious_illness = '1' AND s.settle_date >= ${ILLNESS_FROM} AND s.settle_date <= @d
            ORDER BY s.settle_date DESC, s.settlement_id DESC LIMIT 1) END AS illness
        FROM person o),
    -- the persons it fires on, once: the evidence below reads each reason several times
    r AS MATERIALIZED (
      SELECT * FROM (SELECT j.*,
        (j.own_dibao IS NOT NULL OR (j.is_member AND j.home_dibao IS NOT NULL)) AND j.has_cert AND NOT j.has_living AND j.income & 3 = 0 AS living,
        j.care_ok AND NOT j.has_care AND j.income & 1 = 0 AS care,
        j.is_member AND j.home_edge IS NOT NULL AND j.own_dibao IS NULL AND (j.single_ok OR j.illness IS NOT NULL) AS single,
        CASE WHEN j.has_cert THEN ${certJson('j')} END AS cert,
        CASE WHEN j.care_ok THEN ${certJson('j')} END AS care_cert,
        CASE WHEN j.single_ok THEN ${certJson('j')} END AS single_cert
        FROM looked j) WHERE living OR care OR single)
    SELECT r.person_id AS subject_id, r.home AS household_id, r.division_code, NULL AS amount_cents,
      concat_ws(',', CASE WHEN r.care THEN 'care' END, CASE WHEN r.living THEN 'living' END, CASE WHEN r.single THEN 'single' END) AS facts,
      json_object(
        -- The certificate, the 低保 or 低边 enrollment and the serious illness behind the reasons, each once.
        'rows', (SELECT json_group_array(json(x.value)) FROM json_each(json_array(
                  json(CASE WHEN r.living OR r.care THEN r.cert END),
                  json(CASE WHEN r.care AND r.care_cert IS NOT r.cert THEN r.care_cert END),
                  json(CASE WHEN r.single AND (NOT (r.living OR r.care) OR r.single_cert IS NOT r.cert) THEN r.single_cert END),
                  json(CASE WHEN r.living THEN coalesce(r.own_dibao, r.home_dibao) END),
                  json(CASE WHEN r.single THEN r.home_edge END),
                  json(CASE WHEN r.single AND r.single_cert IS NULL THEN r.illness END))) x WHERE x.value IS NOT NULL),
        'comparisons', (SELECT json_group_array(json(x.value)) FROM json_each(${COMPARISONS}) x WHERE x.value IS NOT NULL)) AS evidence
    FROM r`;
