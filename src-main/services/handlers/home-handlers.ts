/** The home dashboard's figures, always inside the caller's data scope (a person's file is triage-handlers.ts). */
import { isProgramCode } from '../../domain/programs.js';
import type { SnapshotProvider } from '../snapshots.js';
import { activeSession, type Handlers } from './types.js';

export function homeHandlers(d: { snapshots: SnapshotProvider }): Pick<Handlers, 'home.summary'> {
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
          jurisdictionNames: [],
          counts: { persons: 0, households: 0, activeEnrollments: 0, byProgram: [] },
        };
      }
      const meta = snapshot.meta();
      return {
        snapshot: meta,
        divisionPrefix: input.divisionPrefix ?? null,
        effectiveScope: prefixes,
        divisions: snapshot.divisionsWithin(user.scope),
        jurisdictionNames: snapshot
          .divisionTree(meta.jurisdiction)
          .filter((x) => meta.jurisdiction.includes(x.prefix))
          .map((x) => ({ prefix: x.prefix, name: x.name })),
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

  };
}
