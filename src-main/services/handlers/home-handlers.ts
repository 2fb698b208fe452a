/** The home dashboard's figures and a person's basic file, always inside the caller's data scope. */
import { CallError } from '../../contract/errors.js';
import { formatYuan } from '../../domain/money.js';
import { isProgramCode } from '../../domain/programs.js';
import type { SnapshotProvider } from '../snapshots.js';
import { activeSession, type Handlers } from './types.js';

export function homeHandlers(d: { snapshots: SnapshotProvider }): Pick<Handlers, 'home.summary' | 'person.profile'> {
  return {
    'home.summary': (input, ctx) => {
      const { user, workspace } = activeSession(ctx);
      // The choke point has checked that divisionPrefix lies inside the scope.
      const prefixes = input.divisionPrefix ? [input.divisionPrefix] : user.scope;
      const snapshot = d.snapshots.forUser(user.id, workspace);
      if (!snapshot) {
        return {
          snapshot: null,
          divisionPrefix: input.divisionPrefix ?? null,
          effectiveScope: prefixes,
          divisions: [],
          counts: { persons: 0, households: 0, activeEnrollments: 0, byProgram: [] },
        };
      }
      const meta = snapshot.meta();
      return {
        snapshot: meta,
        divisionPrefix: input.divisionPrefix ?? null,
        effectiveScope: prefixes,
        divisions: snapshot.divisionsWithin(user.scope),
        counts: {
          persons: snapshot.countPersons(prefixes),
          households: snapshot.countHouseholds(prefixes),
          activeEnrollments: snapshot.countActiveEnrollments(prefixes, meta.asOf),
          byProgram: snapshot.activeByProgram(prefixes, meta.asOf).flatMap((p) => {
            const program = p.program;
            return isProgramCode(program) ? [{ program, persons: p.persons }] : [];
          }),
        },
      };
    },

    'person.profile': (input, ctx) => {
      const { user, workspace } = activeSession(ctx);
      const snapshot = d.snapshots.forUser(user.id, workspace);
      if (!snapshot) throw new CallError('NO_SNAPSHOT', 'no snapshot is loaded');
      const person = snapshot.person(input.personId);
      if (!person) throw new CallError('OUT_OF_SCOPE', 'no such person in your data scope');
      // Someone listed in several households: show only what lies inside the caller's scope.
      const household = snapshot.householdOf(input.personId, user.scope);
      return {
        personId: person.person_id,
        name: person.name,
        gender: person.gender,
        birthDate: person.birth_date,
        household: household
          ? { householdId: household.household_id, divisionCode: household.division_code, address: household.address, relation: household.relation }
          : null,
        enrollments: snapshot.enrollmentsOf(input.personId, user.scope).map((e) => ({
          enrollmentId: e.enrollment_id,
          program: e.program,
          status: e.status,
          startDate: e.start_date,
          endDate: e.end_date || null,
          monthlyAmount: formatYuan(e.monthly_amount_cents),
        })),
      };
    },
  };
}
