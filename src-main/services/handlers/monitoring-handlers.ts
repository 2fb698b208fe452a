/** Dynamic monitoring: runs, the warnings list, a warning's detail, the closed loop and the supervisors' audit views. */
import { CallError } from '../../contract/errors.js';
import type { Clock } from '../../platform/clock.js';
import { isoTime } from '../../platform/clock.js';
import { memberSigner } from '../member-signing.js';
import type { MonitoringService } from '../monitoring/monitoring-service.js';
import type { SnapshotProvider } from '../snapshots.js';
import type { TeamAccess } from '../team-access.js';
import { activeSession, type HandlerContext, type Handlers } from './types.js';

type MonitoringCalls = 'monitoring.status' | 'monitoring.run' | 'monitoring.page' | 'monitoring.facets' | 'monitoring.detail' | 'monitoring.act' | 'monitoring.assign' | 'monitoring.audit';

export function monitoringHandlers(d: { monitoring: MonitoringService; team: TeamAccess; snapshots: SnapshotProvider; clock: Clock }): Pick<Handlers, MonitoringCalls> {
  const context = (ctx: HandlerContext) => {
    const session = activeSession(ctx);
    const team = d.team.forUser(session.user.id);
    const snapshot = d.snapshots.forUser(session.user.id, session.workspace);
    return { ...session, team, snapshot };
  };
  return {
    'monitoring.status': (_input, ctx) => {
      const { user, team } = context(ctx);
      return d.monitoring.status(team, user) as never;
    },
    'monitoring.run': async (_input, ctx) => {
      const { user, team, snapshot, workspace } = context(ctx);
      if (!snapshot) throw new CallError('NO_SNAPSHOT', 'no snapshot is loaded');
      const summary = await d.monitoring.run(team, snapshot, user, memberSigner(workspace, user));
      // What the run found, in the runner's own trail (ids and counts only), beside the call's entry.
      workspace.appendAudit(
        {
          userId: user.id,
          username: user.username,
          action: 'monitoring.completed',
          target: summary.snapshotId,
          outcome: 'ok',
          detail: { runId: summary.runId, new: summary.newCount, persisting: summary.persistingCount, resolved: summary.resolvedCount },
        },
        isoTime(d.clock),
      );
      return summary as never;
    },
    'monitoring.page': (input, ctx) => {
      const { user, team, snapshot } = context(ctx);
      return d.monitoring.page(team, snapshot, user, input.filter, input.offset, input.limit) as never;
    },
    'monitoring.facets': (input, ctx) => {
      const { user, team, snapshot } = context(ctx);
      return d.monitoring.facets(team, snapshot, user, input.filter);
    },
    'monitoring.detail': (input, ctx) => {
      const { user, team, snapshot, prefs } = context(ctx);
      return d.monitoring.detail(team, snapshot, user, input.warningId, prefs.language) as never;
    },
    'monitoring.act': (input, ctx) => {
      const { user, team, snapshot, workspace, prefs } = context(ctx);
      return d.monitoring.act(team, snapshot, user, memberSigner(workspace, user), input.warningId, input.expectedHead, input.command as never, prefs.language) as never;
    },
    'monitoring.assign': (input, ctx) => {
      const { user, team, workspace, prefs } = context(ctx);
      return d.monitoring.assign(team, user, memberSigner(workspace, user), input.warningIds, input.assigneeId, input.apply, prefs.language);
    },
    'monitoring.audit': (_input, ctx) => {
      const { user, team, snapshot } = context(ctx);
      return d.monitoring.audit(team, snapshot, user);
    },
  };
}
