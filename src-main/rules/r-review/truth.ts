/**
 * R-REVIEW's truth: rules.md v2 "R-REVIEW 定期核查逾期" read over a district's rows in plain TypeScript (independent of
 * sql.ts; rule-truth.test.ts holds the SQL to it).
 */
import { addMonths, addMonthsToDate, ageOn, daysBetween, monthOf } from '../../domain/calendar.js';
import { certMeets, type CertCondition } from '../../domain/rules/parameters.js';
import type { RuleModule } from '../types.js';
import { HouseholdRows } from '../shared/household-rows.js';

export const truth: NonNullable<RuleModule['truth']> = (rows, { asOf: d, parameters }) => {
  const h = new HouseholdRows(rows);
  const reviews = new Map<string, { date: string; result: string }>();
  for (const r of rows.review ?? []) {
    if (r.review_date > d) continue;
    const seen = reviews.get(r.household_id);
    if (!seen || r.review_date > seen.date) reviews.set(r.household_id, { date: r.review_date, result: r.result });
  }
  const certs = rows.disability_cert ?? [];
  const unableCerts = parameters.tekunUnableToWorkCerts as CertCondition[];
  const unable = new Set(
    certs.filter((c) => c.valid_from <= d && (!c.valid_to || c.valid_to >= d) && certMeets(unableCerts, String(c.disability_type), Number(c.disability_level))).map((c) => c.person_id),
  );
  const studying = new Set(
    (rows.school_enrollment ?? []).filter((s) => s.full_time === '1' && s.status === 'enrolled' && s.start_date <= d && !!s.expected_end_date && s.expected_end_date >= d).map((s) => s.person_id),
  );
  const yearFrom = addMonths(monthOf(d), -11);
  const earning = new Set(
    (rows.income_record ?? []).filter((i) => (i.source === 'wage' || i.source === 'business') && i.amount_cents > 0 && i.period >= yearFrom && i.period <= monthOf(d)).map((i) => i.person_id),
  );

  const found: string[] = [];
  for (const id of h.households()) {
    const status = h.activeEnrollments(id, d, ['dibao', 'tekun']);
    if (status.length === 0) continue;
    const members = h.members(id, d);
    const latest = reviews.get(id);
    const firstStart = status.map((e) => e.start_date).sort()[0]!;
    const baseline = latest && latest.date > firstStart ? latest.date : firstStart;
    const ableBodied = members.some((p) => {
      const person = h.persons.get(p);
      if (!person) return false;
      const age = ageOn(person.birth_date, d);
      return age >= 16 && age <= 59 && !unable.has(p) && !studying.has(p);
    });
    const working = status.some((e) => e.program === 'dibao') && ableBodied && members.some((p) => earning.has(p));
    const months = Number(working ? parameters.reviewMonthsWorking : parameters.reviewMonths);
    const overdue = baseline < addMonthsToDate(d, -months);
    const stopNotExecuted =
      latest !== undefined &&
      latest.result === 'stopped' &&
      daysBetween(latest.date, d) > 31 &&
      h.activeEnrollments(id, d).some((e) => e.start_date <= latest.date);
    if (overdue || stopNotExecuted) found.push(id);
  }
  return found.map((subjectId) => ({ subjectId }));
};
