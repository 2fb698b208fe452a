/**
 * Pieces the signals' statements share (monitoring.md), built from the store's fragments. Signals are evaluated for
 * every household, so each statement starts from the rows that can make it fire (a settlement, a certificate, a
 * registration…) and reaches households through `household_member_by_person`; only M-INCOME-DROP reads every earner.
 */
import { activeAt, householdStandardAt, memberAt } from '../../store/sql-fragments.js';

/** §M: member rows (alias `m`) that count at D. */
export const MEMBER = (m: string) => memberAt(m, '@d');

/** "H has programme X active at D" (§M): some member of H has an enrollment of one of `programs` active at D. */
export const HAS_PROGRAM = (household: string, programs: readonly string[]) => `EXISTS (
    SELECT 1 FROM household_member hm CROSS JOIN enrollment he ON he.person_id = hm.person_id
     WHERE hm.household_id = ${household} AND ${memberAt('hm', '@d')} AND he.program IN (${programs.map((p) => `'${p}'`).join(', ')}) AND ${activeAt('he', '@d')})`;

/** The household's S (§$) and §M members, for a relation `x` with `household_id` joined to `household h`. */
export const STANDARD = `${householdStandardAt('h.division_code', 'h.urban_rural', '@d')}`;
export const MEMBERS = (household: string) => `(SELECT count(*) FROM household_member mm WHERE mm.household_id = ${household} AND ${memberAt('mm', '@d')})`;

/** A person's name for the evidence (the sentence names the person; the ID is masked by the screen). */
export const NAME = (person: string) => `(SELECT pn.name FROM person pn WHERE pn.person_id = ${person})`;

/** A condition as a JSON true/false in the evidence (SQLite's own booleans are 1 and 0). */
export const BOOL = (condition: string) => `json(CASE WHEN ${condition} THEN 'true' ELSE 'false' END)`;
