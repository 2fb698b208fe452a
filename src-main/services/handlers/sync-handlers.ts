/** Enrolment with the data platform, background sync, and its status. */
import type { Clock } from '../../platform/clock.js';
import type { SnapshotProvider } from '../snapshots.js';
import { auditTrailOf, type SyncService } from '../sync/sync-service.js';
import { teamCaseExchange } from '../sync/case-exchange.js';
import { teamRegisterExchange } from '../sync/register-exchange.js';
import type { TeamAccess } from '../team-access.js';
import { activeSession, type Handlers } from './types.js';

export function syncHandlers(d: { sync: SyncService; snapshots: SnapshotProvider; team: TeamAccess; clock: Clock }): Pick<Handlers, 'sync.status' | 'sync.enrolBegin' | 'sync.enrolConfirm' | 'sync.setTls' | 'sync.run'> {
  const status = (userId: string, workspace: Parameters<SyncService['status']>[1]) => ({
    ...d.sync.status(userId, workspace),
    snapshot: d.snapshots.forUser(userId, workspace)?.meta() ?? null,
  });
  return {
    'sync.status': (_input, ctx) => {
      const { user, workspace } = activeSession(ctx);
      return status(user.id, workspace);
    },
    'sync.enrolBegin': (input, ctx) => d.sync.enrolBegin(activeSession(ctx).user.id, input.url, input.token, { ca: input.ca, certificateFingerprint: input.certificateFingerprint }),
    'sync.enrolConfirm': async (input, ctx) => {
      const { user, workspace } = activeSession(ctx);
      await d.sync.enrolConfirm(user.id, user.username, workspace, input.fingerprint);
      return status(user.id, workspace);
    },
    'sync.setTls': async (input, ctx) => {
      const { user, workspace } = activeSession(ctx);
      await d.sync.setTls(workspace, { ca: input.ca, certificateFingerprint: input.certificateFingerprint });
      return status(user.id, workspace);
    },
    'sync.run': (_input, ctx) => {
      const { user, workspace } = activeSession(ctx);
      // Case events and the export register travel with the sync when this member has the team store open.
      const team = (url: string) =>
        d.team.hasAccess(user.id) ? { cases: teamCaseExchange(d.team.forUser(user.id), url, d.clock), exports: teamRegisterExchange(d.team.forUser(user.id), d.clock) } : null;
      d.sync.start(user.id, workspace, auditTrailOf(workspace), team, { username: user.username });
      return status(user.id, workspace);
    },
  };
}
