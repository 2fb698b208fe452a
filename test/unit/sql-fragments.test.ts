/** The store's named SQL fragments (store/sql-fragments.ts) on hand-made rows, at their boundaries, beside their TypeScript twins. */
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { ageOn } from '../../src-main/domain/calendar.js';
import { isActiveAt, isHeldAt, isValidAt } from '../../src-main/domain/rules/facts.js';
import { activeAt, ageAt, certListedAt, certListedOnceAt, dibaoStandardAt, divisionOfPerson, heldAt, householdOf, scopeSql, validAt, withinPrefixesJson } from '../../src-main/store/sql-fragments.js';

const D = '2024-06-30';
const db = new Database(':memory:');
db.exec(`
  CREATE TABLE enrollment (id TEXT, status TEXT, start_date TEXT, end_date TEXT);
  CREATE TABLE vehicle (id TEXT, registered_date TEXT, deregistered_date TEXT);
  CREATE TABLE household (household_id TEXT, division_code TEXT);
  CREATE TABLE household_member (household_id TEXT, person_id TEXT);
  CREATE TABLE policy (program TEXT, division_prefix TEXT, effective_from TEXT, standard_monthly_cents INTEGER);
`);
const ids = (sql: string, ...params: unknown[]) => (db.prepare(sql).all(...params) as { id: string }[]).map((r) => r.id);

describe('activeAt / validAt: start <= D and (end empty or end >= D)', () => {
  const rows: [string, string, string, string | null][] = [
    ['end-is-D', 'active', '2020-01-01', D],
    ['end-D-minus-1', 'active', '2020-01-01', '2024-06-29'],
    ['null-end', 'active', '2020-01-01', null],
    ['empty-end', 'active', '2020-01-01', ''],
    ['starts-on-D', 'active', D, null],
    ['starts-after-D', 'active', '2024-07-01', null],
    ['stopped', 'stopped', '2020-01-01', null],
  ];
  db.prepare('DELETE FROM enrollment').run();
  for (const r of rows) db.prepare('INSERT INTO enrollment VALUES (?, ?, ?, ?)').run(...r);
  const expected = ['end-is-D', 'null-end', 'empty-end', 'starts-on-D'];

  it('active at D', () => {
    expect(ids(`SELECT id FROM enrollment e WHERE ${activeAt('e', '@d')} ORDER BY rowid`, { d: D })).toEqual(expected);
    expect(ids(`SELECT id FROM enrollment e WHERE ${activeAt('e', '?')} ORDER BY rowid`, D, D)).toEqual(expected); // '?' appears twice
  });

  it('valid at D ignores the status', () => {
    expect(ids(`SELECT id FROM enrollment e WHERE ${validAt('e.start_date', 'e.end_date', '@d')} ORDER BY rowid`, { d: D })).toEqual([...expected, 'stopped']);
  });

  it('agrees with its TypeScript twin row by row', () => {
    for (const [id, status, start, end] of rows) {
      expect(isActiveAt({ status, start_date: start, end_date: end }, D), id).toBe(expected.includes(id));
      expect(isValidAt(start, end, D), id).toBe(expected.includes(id) || id === 'stopped');
    }
  });
});

describe('heldAt: start <= D and (end empty or end > D)', () => {
  const rows: [string, string, string | null][] = [
    ['deregistered-on-D', '2020-01-01', D],
    ['deregistered-after-D', '2020-01-01', '2024-07-01'],
    ['deregistered-D-minus-1', '2020-01-01', '2024-06-29'],
    ['null-end', '2020-01-01', null],
    ['empty-end', '2020-01-01', ''],
    ['registered-on-D', D, null],
    ['registered-after-D', '2024-07-01', null],
  ];
  for (const r of rows) db.prepare('INSERT INTO vehicle VALUES (?, ?, ?)').run(...r);
  const expected = ['deregistered-after-D', 'null-end', 'empty-end', 'registered-on-D'];

  it('held at D (deregistered on D: no longer held)', () => {
    expect(ids(`SELECT id FROM vehicle v WHERE ${heldAt('v', '@d')} ORDER BY rowid`, { d: D })).toEqual(expected);
    for (const [id, registered, deregistered] of rows) expect(isHeldAt({ registered_date: registered, deregistered_date: deregistered }, D), id).toBe(expected.includes(id));
  });
});

describe('ageAt: whole years, the birthday reached on its month-day (rules.md §A)', () => {
  const age = (birth: string, d: string) => (db.prepare(`SELECT ${ageAt('@birth', '@d')} AS a`).get({ birth, d }) as { a: number }).a;
  const cases: [string, string, number][] = [
    ['2006-06-30', '2024-06-30', 18], // birthday on D
    ['2006-07-01', '2024-06-30', 17], // birthday the day after D
    ['2006-06-29', '2024-06-30', 18],
    ['2004-02-29', '2023-02-28', 18], // a 02-29 birthday in a common year: not yet on 02-28 …
    ['2004-02-29', '2023-03-01', 19], // … reached on 03-01
    ['2004-02-29', '2024-02-29', 20], // on 02-29 in a leap year
    ['2004-02-29', '2024-02-28', 19],
  ];
  it.each(cases)('born %s, on %s: %i', (birth, d, years) => {
    expect(age(birth, d)).toBe(years);
    expect(ageOn(birth, d)).toBe(years);
  });
});

describe("a person's household and division, and the 低保 standard", () => {
  db.exec(`
    INSERT INTO household VALUES ('H2', '320111001001'), ('H1', '320111002001');
    INSERT INTO household_member VALUES ('H2', 'P1'), ('H1', 'P1'), ('H2', 'P2');
    INSERT INTO policy VALUES ('dibao', '32', '2023-01-01', 80000), ('dibao', '320111', '2023-01-01', 90000), ('dibao', '320111', '2024-07-01', 99900),
      ('dibao', '320111002', '2024-01-01', 95000), ('tekun', '320111', '2024-01-01', 1);
  `);
  it('the smallest household_id (rules.md §M)', () => {
    expect(db.prepare(`SELECT ${householdOf('@p')} AS h, ${divisionOfPerson('@p')} AS d`).get({ p: 'P1' })).toEqual({ h: 'H1', d: '320111002001' });
    expect(db.prepare(`SELECT ${householdOf('@p')} AS h`).get({ p: 'nobody' })).toEqual({ h: null });
  });
  it('the longest prefix, then the latest effective_from <= D', () => {
    const standard = (code: string, d = D) => (db.prepare(`SELECT ${dibaoStandardAt('@code', '@d')} AS v`).get({ code, d }) as { v: number | null }).v;
    expect(standard('320111001001')).toBe(90000);
    expect(standard('320111002001')).toBe(95000);
    expect(standard('320111002001', '2023-12-31')).toBe(90000);
    expect(standard('320116001001')).toBe(80000);
    expect(standard('110000000000')).toBeNull();
  });
});

describe('in scope', () => {
  it('scopeSql: ranges per prefix; null is everything, [] nothing', () => {
    const s = scopeSql('h.division_code', ['320111001', '320116']);
    expect(ids(`SELECT household_id AS id FROM household h WHERE ${s.sql} ORDER BY household_id`, ...s.params)).toEqual(['H2']);
    expect(scopeSql('x', null).sql).toBe('1');
    expect(scopeSql('x', []).sql).toBe('0');
  });
  it('withinPrefixesJson: a prefix list bound at run time (NULL is outside)', () => {
    const within = (code: string | null) => (db.prepare(`SELECT ${withinPrefixesJson('@code', '@j')} AS w`).get({ code, j: JSON.stringify(['320111', '320116']) }) as { w: number }).w;
    expect([within('320111002001'), within('320115000000'), within(null)]).toEqual([1, 0, 0]);
  });
});

describe('certListedOnceAt: the same certificates as certListedAt', () => {
  const cdb = new Database(':memory:');
  cdb.exec('CREATE TABLE disability_cert (person_id TEXT PRIMARY KEY, disability_type TEXT, disability_level INTEGER, valid_from TEXT, valid_to TEXT) WITHOUT ROWID');
  const types = ['1', '5', '6', '', null, 'x'];
  const levels: (number | string | null)[] = [1, 2, 3, 4, '2', '02', 'a', null];
  let n = 0;
  for (const t of types) for (const l of levels) for (const [from, to] of [['2020-01-01', null], ['2020-01-01', '2024-06-29'], ['2024-07-01', ''], ['2020-01-01', '']] as const)
    cdb.prepare('INSERT INTO disability_cert VALUES (?, ?, ?, ?, ?)').run(`p${n++}`, t, l, from, to);
  const lists = [
    [{ type: '*', levels: [1, 2] }],
    [{ type: '5', levels: [3] }, { type: '6', levels: ['3', 4] }],
    [{ type: 5, levels: [1] }, { type: '*', levels: [] }],
    [{ type: 'x', levels: [2] }, { type: '*', levels: [4] }],
    [],
  ];
  for (const list of lists)
    it(JSON.stringify(list), () => {
      const listed = (f: typeof certListedAt) =>
        (cdb.prepare(`SELECT person_id AS id FROM disability_cert c WHERE ${f('c', '@list', '@d')} ORDER BY person_id`).all({ list: JSON.stringify(list), d: D }) as { id: string }[]).map((r) => r.id);
      expect(listed(certListedOnceAt)).toEqual(listed(certListedAt));
    });
});
