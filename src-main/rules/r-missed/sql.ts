/**
 * R-MISSED 应享未享（漏救）as SQL (rules.md v2 "New rules"): a living person of the jurisdiction who, by the data, is owed
 * a benefit they do not receive — 困难残疾人生活补贴 (`living`), 重度残疾人护理补贴 (`care`) or 单人保 (`single`).
 *
 * Set-oriented: every reason needs a certificate valid at D or (single) a serious illness in the window, so the
 * candidates are those persons (a small share of a district); each condition is then an indexed lookup by person, or by
 * the person's household for "H has X active at D". No money: what is missing is owed to the person (amount NULL).
 */
import { activeAt, certListedAt, householdOf, memberAt, validAt, withinPrefixesJson } from '../../store/sql-fragments.js';
import { enrollmentJson } from '../shared/sql.js';

/** The first day of the seriousIllnessMonths months to D (§T "the N months to D"). */
const ILLNESS_FROM = `date(@d, 'start of month', printf('-%d months', CAST(@seriousIllnessMonths AS INTEGER) - 1))`;
/** The 12 months to D ("the year", §T) as periods: month(D) − 11 … month(D). */
const YEAR_FROM = `substr(date(@month || '-01', '-11 months'), 1, 7)`;

/** A certificate as an evidence row. */
const certJson = (c: string) =>
  `json_object('table', 'disability_cert', 'key', ${c}.person_id, 'values', json_object('disability_type', ${c}.disability_type, 'disability_level', ${c}.disability_level, 'valid_from', ${c}.valid_from, 'valid_to', ${c}.valid_to))`;

/** The person's most severe certificate valid at D meeting `condition` (lowest level, then type, then the latest issued). */
const bestCert = (condition: string) =>
  `(SELECT json(${certJson('c')}) FROM disability_cert c WHERE c.person_id = p.person_id AND ${validAt('c.valid_from', 'c.valid_to', '@d')} AND ${condition}
     ORDER BY CAST(c.disability_level AS INTEGER), c.disability_type, c.valid_from DESC LIMIT 1)`;

/** R-SINGLE's condition on a certificate: level 1–2 of any type, or level 3 of type 5 (智力) or 6 (精神). */
const SINGLE_CERT = `(CAST(c.disability_level AS INTEGER) IN (1, 2) OR (CAST(c.disability_level AS INTEGER) = 3 AND c.disability_type IN ('5', '6')))`;

/** Income of `source` > 0 in the year (rules.md: "income" is a row with amount > 0). */
const incomeInYear = (source: string) =>
  `EXISTS (SELECT 1 FROM income_record i WHERE i.person_id = p.person_id AND i.source = '${source}' AND i.amount_cents > 0 AND i.period BETWEEN ${YEAR_FROM} AND @month)`;

/** An enrollment of the person active at D in one of `programs`. */
const ownActive = (programs: string) => `EXISTS (SELECT 1 FROM enrollment e WHERE e.person_id = p.person_id AND e.program IN (${programs}) AND ${activeAt('e', '@d')})`;

/** The first enrollment (start, id) active at D of a member of the person's household matching `condition`. */
const householdEnrollment = (condition: string) =>
  `(SELECT json(${enrollmentJson('e')}) FROM household_member m JOIN enrollment e ON e.person_id = m.person_id
     WHERE m.household_id = p.home AND ${memberAt('m', '@d')} AND ${condition} AND ${activeAt('e', '@d')} ORDER BY e.start_date, e.enrollment_id LIMIT 1)`;

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

export const sql = `
    WITH
    candidate AS MATERIALIZED (
      SELECT c.person_id FROM disability_cert c WHERE ${validAt('c.valid_from', 'c.valid_to', '@d')}
      UNION
      SELECT s.person_id FROM medical_settlement s WHERE s.serious_illness = '1' AND s.settle_date >= ${ILLNESS_FROM} AND s.settle_date <= @d),
    p AS MATERIALIZED (
      SELECT x.person_id, ${householdOf('x.person_id')} AS home FROM candidate x
       WHERE NOT EXISTS (SELECT 1 FROM death_record r WHERE r.person_id = x.person_id AND r.death_date <= @d)),
    judged AS MATERIALIZED (
      SELECT p.person_id, p.home, h.division_code,
        EXISTS (SELECT 1 FROM household_member m WHERE m.household_id = p.home AND m.person_id = p.person_id AND ${memberAt('m', '@d')}) AS is_member,
        ${bestCert('1')} AS cert,
        ${bestCert(certListedAt('c', '@careCerts', '@d'))} AS care_cert,
        ${bestCert(SINGLE_CERT)} AS single_cert,
        (SELECT json_object('table', 'medical_settlement', 'key', s.settlement_id, 'values', json_object('settle_date', s.settle_date, 'serious_illness', s.serious_illness, 'total_cents', s.total_cents))
           FROM medical_settlement s WHERE s.person_id = p.person_id AND s.serious_illness = '1' AND s.settle_date >= ${ILLNESS_FROM} AND s.settle_date <= @d
          ORDER BY s.settle_date DESC, s.settlement_id DESC LIMIT 1) AS illness,
        (SELECT json(${enrollmentJson('e')}) FROM enrollment e WHERE e.person_id = p.person_id AND e.program = 'dibao' AND ${activeAt('e', '@d')}
          ORDER BY e.start_date, e.enrollment_id LIMIT 1) AS own_dibao,
        -- 整户保: coverage household, empty or unknown (exchange-schema.md: household is the default).
        ${householdEnrollment("e.program = 'dibao' AND coalesce(e.coverage, '') <> 'single'")} AS home_dibao,
        ${householdEnrollment("e.program = 'dibao_edge'")} AS home_edge,
        ${ownActive("'disability_living', 'tekun', 'child_difficulty'")} AS has_living,
        ${ownActive("'disability_care', 'tekun'")} AS has_care,
        ${incomeInYear('work_injury_care')} AS injury_care,
        ${incomeInYear('orphan_allowance')} AS orphan
        FROM p JOIN household h ON h.household_id = p.home
       WHERE ${withinPrefixesJson('h.division_code', '@jurisdiction')}),
    r AS (
      SELECT j.*,
        (j.own_dibao IS NOT NULL OR (j.is_member AND j.home_dibao IS NOT NULL)) AND j.cert IS NOT NULL AND NOT j.has_living AND NOT j.injury_care AND NOT j.orphan AS living,
        j.care_cert IS NOT NULL AND NOT j.has_care AND NOT j.injury_care AS care,
        j.is_member AND j.home_edge IS NOT NULL AND j.own_dibao IS NULL AND (j.single_cert IS NOT NULL OR j.illness IS NOT NULL) AS single
        FROM judged j)
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
    FROM r WHERE r.living OR r.care OR r.single`;
