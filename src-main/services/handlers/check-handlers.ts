/** Rule runs over the user's snapshot, inside their scope. */
import { CallError } from '../../contract/errors.js';
import { isoTime, type Clock } from '../../platform/clock.js';
import type { CheckService } from '../checks/check-service.js';
import { adoptWorkspaceParameters, exportParameters, importParameters, parameterOverview, removeParameter, setParameter } from '../checks/parameter-service.js';
import type { SnapshotProvider } from '../snapshots.js';
import type { TeamAccess } from '../team-access.js';
import { activeSession, type Handlers } from './types.js';

export function checkHandlers(d: {
  /** The workstation's clock. */
  clock: Clock;
  checks: CheckService;
  snapshots: SnapshotProvider;
  team: TeamAccess;
}): Pick<
  Handlers,
  'checks.status' | 'checks.run' | 'checks.cancel' | 'rules.parameters' | 'rules.setParameter' | 'rules.removeParameter' | 'rules.importParameters' | 'rules.exportParameters'
> {
  return {
    'checks.status': (_input, ctx) => {
      const { user, workspace } = activeSession(ctx);
      return d.checks.status(user, d.team.hasAccess(user.id) ? d.team.forUser(user.id) : null, d.snapshots.forUser(user.id, workspace));
    },
    'checks.run': (input, ctx) => {
      const { user, workspace } = activeSession(ctx);
      const snapshot = d.snapshots.forUser(user.id, workspace);
      if (!snapshot) throw new CallError('NO_SNAPSHOT', 'no snapshot is loaded');
      const team = d.team.forUser(user.id);
      d.checks.start(user.id, user.username, workspace, team, snapshot, user.scope, input.ruleIds);
      return d.checks.status(user, team, snapshot);
    },
    'rules.parameters': (_input, ctx) => {
      const { user, workspace } = activeSession(ctx);
      // The catalogue (defaults and their sources) is shown even before the team store is open to this user.
      if (!d.team.hasAccess(user.id)) return parameterOverview(null);
      const team = d.team.forUser(user.id);
      if (user.role === 'supervisor') adoptWorkspaceParameters(workspace, team, isoTime(d.clock));
      return parameterOverview(team);
    },
    'rules.setParameter': (input, ctx) => setParameter(d.team.forUser(activeSession(ctx).user.id), activeSession(ctx).user, input, isoTime(d.clock)),
    'rules.removeParameter': (input, ctx) => removeParameter(d.team.forUser(activeSession(ctx).user.id), input),
    'rules.importParameters': (input, ctx) => importParameters(d.team.forUser(activeSession(ctx).user.id), activeSession(ctx).user, input.text, isoTime(d.clock)),
    'rules.exportParameters': (input, ctx) => exportParameters(d.team.forUser(activeSession(ctx).user.id), input.divisionPrefix, input.effectiveFrom),
    'checks.cancel': (_input, ctx) => {
      const { user, workspace } = activeSession(ctx);
      d.checks.cancel(user.id);
      return d.checks.status(user, d.team.hasAccess(user.id) ? d.team.forUser(user.id) : null, d.snapshots.forUser(user.id, workspace));
    },
  };
}
