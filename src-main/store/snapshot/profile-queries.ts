/**
 * One person, one file (一人一档): everything a snapshot knows about a person, read inside a data scope. The caller
 * (the choke point) has already checked the person lives in the scope; here every household, enrollment and payment
 * is still limited to households inside it, so a profile never shows assistance received elsewhere.
 */
import { isActiveAt } from '../../domain/rules/facts.js';
import { scopeSql as within } from '../scope-sql.js';
import { activeAt } from '../sql-fragments.js';
import type { Db } from '../sqlcipher.js';

export interface PersonFile {
  person: { personId: string; name: string; gender: string | null; birthDate: string | null; ethnicity: string | null; phone: string | null };
  households: {
    householdId: string;
    divisionCode: string;
    address: string | null;
    urbanRural: string | null;
    relation: string | null;
    members: { personId: string; name: string; relation: string | null; birthDate: string | null; deathDate: string | null; activePrograms: string[] }[];
  }[];
  enrollments: { enrollmentId: string; householdId: string | null; program: string; status: string; startDate: string; endDate: string | null; monthlyAmountCents: number; active: boolean }[];
  payments: { period: string; program: string; amountCents: number; paidDate: string | null }[];
  events: { date: string; kind: string; table: string; values: Record<string, unknown> }[];
}

export class ProfileQueries {
  constructor(private readonly db: Db) {}

  /** Names for findings' subjects: a person's own, a household's head's. */
  subjects(personIds: readonly string[], householdIds: readonly string[]): { persons: Map<string, string>; heads: Map<string, { personId: string; name: string }> } {
    const persons = new Map<string, string>();
    const heads = new Map<string, { personId: string; name: string }>();
    const chunk = 5000;
    for (let i = 0; i < personIds.length; i += chunk) {
      const rows = this.db.prepare('SELECT person_id, name FROM person WHERE person_id IN (SELECT value FROM json_each(?))').all(JSON.stringify(personIds.slice(i, i + chunk))) as {
        person_id: string;
        name: string;
      }[];
      for (const r of rows) persons.set(r.person_id, r.name);
    }
    for (let i = 0; i < householdIds.length; i += chunk) {
      const rows = this.db
        .prepare(
          `SELECT h.household_id, h.head_person_id, p.name FROM household h LEFT JOIN person p ON p.person_id = h.head_person_id
            WHERE h.household_id IN (SELECT value FROM json_each(?))`,
        )
        .all(JSON.stringify(householdIds.slice(i, i + chunk))) as { household_id: string; head_person_id: string; name: string | null }[];
      for (const r of rows) heads.set(r.household_id, { personId: r.head_person_id, name: r.name ?? '' });
    }
    return { persons, heads };
  }

  /**
   * Persons living inside the prefixes found by a whole ID number or by name (exact, then names that begin with it):
   * what the top bar's 查人 offers. Never by a part of a number (counts would reveal a masked number digit by digit).
   */
  findPersons(query: { idNumber?: string; name?: string }, prefixes: readonly string[], limit: number): { personId: string; name: string; divisionCode: string }[] {
    const f = within('h.division_code', prefixes);
    const where = query.idNumber ? 'p.person_id = ?' : "(p.name = ? OR p.name LIKE ? || '%')";
    const args = query.idNumber ? [query.idNumber] : [query.name!, query.name!.replaceAll('%', '').replaceAll('_', '')];
    return this.db
      .prepare(
        `SELECT p.person_id AS personId, p.name, min(h.division_code) AS divisionCode FROM person p
           JOIN household_member m ON m.person_id = p.person_id JOIN household h ON h.household_id = m.household_id
          WHERE ${where} AND ${f.sql} GROUP BY p.person_id ORDER BY p.name = ? DESC, p.name, p.person_id LIMIT ?`,
      )
      .all(...args, ...f.params, query.name ?? '', limit) as { personId: string; name: string; divisionCode: string }[];
  }

  personFile(personId: string, prefixes: readonly string[], asOf: string): PersonFile | null {
    const p = this.db.prepare('SELECT * FROM person WHERE person_id = ?').get(personId) as
      | { person_id: string; name: string; gender: string | null; birth_date: string | null; ethnicity: string | null; phone: string | null }
      | undefined;
    if (!p) return null;
    const h = within('h.division_code', prefixes);
    const households = (
      this.db
        .prepare(
          `SELECT h.household_id, h.division_code, h.address, h.urban_rural, m.relation FROM household_member m JOIN household h USING (household_id)
            WHERE m.person_id = ? AND ${h.sql} ORDER BY h.household_id`,
        )
        .all(personId, ...h.params) as { household_id: string; division_code: string; address: string | null; urban_rural: string | null; relation: string | null }[]
    ).map((row) => ({
      householdId: row.household_id,
      divisionCode: row.division_code,
      address: row.address,
      urbanRural: row.urban_rural,
      relation: row.relation,
      members: this.members(row.household_id, asOf),
    }));
    const enrollments = (
      this.db
        .prepare(
          `SELECT e.* FROM enrollment e JOIN household h ON h.household_id = e.household_id
            WHERE e.person_id = ? AND ${h.sql} ORDER BY e.start_date DESC`,
        )
        .all(personId, ...h.params) as {
        enrollment_id: string;
        household_id: string | null;
        program: string;
        status: string;
        start_date: string;
        end_date: string | null;
        monthly_amount_cents: number;
      }[]
    ).map((e) => ({
      enrollmentId: e.enrollment_id,
      householdId: e.household_id,
      program: e.program,
      status: e.status,
      startDate: e.start_date,
      endDate: e.end_date,
      monthlyAmountCents: e.monthly_amount_cents,
      active: isActiveAt(e, asOf),
    }));
    const payments = (
      this.db
        .prepare(
          `SELECT pay.period, pay.program, pay.amount_cents, pay.paid_date FROM payment pay
             JOIN enrollment e ON e.enrollment_id = pay.enrollment_id JOIN household h ON h.household_id = e.household_id
            WHERE pay.person_id = ? AND ${h.sql} ORDER BY pay.period DESC, pay.program LIMIT 120`,
        )
        .all(personId, ...h.params) as { period: string; program: string; amount_cents: number; paid_date: string | null }[]
    ).map((r) => ({ period: r.period, program: r.program, amountCents: r.amount_cents, paidDate: r.paid_date }));
    return {
      person: { personId: p.person_id, name: p.name, gender: p.gender, birthDate: p.birth_date, ethnicity: p.ethnicity, phone: p.phone },
      households,
      enrollments,
      payments,
      events: this.events(personId),
    };
  }

  private members(householdId: string, asOf: string) {
    const rows = this.db
      .prepare(
        `SELECT m.person_id, p.name, m.relation, p.birth_date, d.death_date,
                (SELECT group_concat(e.program) FROM enrollment e WHERE e.person_id = m.person_id AND e.household_id = m.household_id
                   AND ${activeAt('e', '@asOf')}) AS programs
           FROM household_member m LEFT JOIN person p ON p.person_id = m.person_id LEFT JOIN death_record d ON d.person_id = m.person_id
          WHERE m.household_id = @householdId ORDER BY m.relation = '01' DESC, p.birth_date`,
      )
      .all({ householdId, asOf }) as { person_id: string; name: string | null; relation: string | null; birth_date: string | null; death_date: string | null; programs: string | null }[];
    return rows.map((r) => ({
      personId: r.person_id,
      name: r.name ?? '',
      relation: r.relation,
      birthDate: r.birth_date,
      deathDate: r.death_date,
      activePrograms: r.programs ? [...new Set(r.programs.split(','))] : [],
    }));
  }

  /**
   * Events from other departments, newest first, as the records they are (table and snapshot columns, so that the service
   * names them with the data's own vocabulary). Incomes are summed per month and source.
   */
  private events(personId: string): PersonFile['events'] {
    const q = (sql: string) => this.db.prepare(sql).all(personId) as Record<string, unknown>[];
    const events: PersonFile['events'] = [];
    const add = (kind: string, table: string, date: unknown, values: Record<string, unknown>) => events.push({ date: String(date ?? ''), kind, table, values });
    for (const d of q('SELECT death_date, source FROM death_record WHERE person_id = ?')) add('death', 'death_record', d.death_date, d);
    for (const e of q('SELECT event_type, event_date, from_division, to_division FROM hukou_event WHERE person_id = ?')) add('hukou', 'hukou_event', e.event_date, e);
    for (const c of q('SELECT disability_type, disability_level, valid_from, valid_to FROM disability_cert WHERE person_id = ?')) add('disability_cert', 'disability_cert', c.valid_from, c);
    for (const v of q('SELECT plate, vehicle_type, registered_date, deregistered_date FROM vehicle WHERE person_id = ?')) add('vehicle', 'vehicle', v.registered_date, v);
    for (const r of q('SELECT usage, area_sqm, registered_date, deregistered_date FROM real_estate WHERE person_id = ?')) add('real_estate', 'real_estate', r.registered_date, r);
    for (const b of q('SELECT entity_name, role, status, established_date, registered_capital_cents FROM business_registration WHERE person_id = ?')) {
      add('business', 'business_registration', b.established_date, b);
    }
    for (const i of q('SELECT period, source, sum(amount_cents) AS amount_cents FROM income_record WHERE person_id = ? GROUP BY period, source')) add('income', 'income_record', `${i.period as string}-01`, i);
    for (const g of q('SELECT visit_date, visitor, outcome, note FROM grid_visit WHERE person_id = ?')) add('grid_visit', 'grid_visit', g.visit_date, g);
    return events.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
  }
}
