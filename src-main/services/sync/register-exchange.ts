/** The export register's side of a sync: what the team store has not yet sent to the platform. */
import { isoTime, type Clock } from '../../platform/clock.js';
import type { TeamDb } from '../../store/team/team-db.js';
import type { RegisterExchange } from './sync-engine.js';

export function teamRegisterExchange(team: TeamDb, clock: Clock): RegisterExchange {
  return {
    unsent: () =>
      team.exports.unsent().map((e) => ({
        exportId: e.exportId,
        // The entry as registered (no file content, no personal values; the query may hold the filter's search text).
        entry: e,
      })),
    marks: (exportId, after, limit) => team.exports.marksOf(exportId, after, limit),
    markUploaded: (exportId) => team.exports.markUploaded(exportId, isoTime(clock)),
  };
}
