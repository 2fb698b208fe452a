/** Rule runs over the user's snapshot, inside their scope. */
import { CallError } from '../../contract/errors.js';
import { ruleById } from '../../rules/index.js';
import { isoTime, type Clock } from '../../platform/clock.js';
import type { CheckService } from '../checks/check-service.js';
import type { SnapshotProvider } from '../snapshots.js';
import type { TeamAccess } from '../team-access.js';
import { activeSession, type Handlers } from './types.js';

export function checkHandlers(d: {
  /** The workstation's clock. */
  clock: Clock;
  checks: CheckService;
  snapshots: SnapshotProvider;
  team: TeamAccess;
}): Pick<Handlers, 'checks.status' | 'checks.run' | 'checks.cancel' | 'rules.parameters' | 'rules.setParameter'> {
  return {
    'checks.status': (_input, ctx) => {
      const { user } = activeSession(ctx);
      return d.checks.status(user.id, d.team.hasAccess(user.id) ? d.team.forUser(user.id) : null, user.scope);
    },
    'checks.run': (input, ctx) => {
      const { user, workspace } = activeSession(ctx);
      const snapshot = d.snapshots.forUser(user.id, workspace);
      if (!snapshot) throw new CallError('NO_SNAPSHOT', 'no snapshot is loaded');
      const team = d.team.forUser(user.id);
      d.checks.start(user.id, user.username, workspace, team, snapshot, user.scope, input.ruleIds);
      return d.checks.status(user.id, team, user.scope);
    },
    'rules.parameters': (_input, ctx) => activeSession(ctx).workspace.regionalParameters(),
    'rules.setParameter': (input, ctx) => {
      const { user, workspace } = activeSession(ctx);
      const rule = ruleById(input.ruleId);
      const parameter = rule?.parameters.find((p) => p.name === input.name);
      if (!rule || !parameter) throw new CallError('INVALID_INPUT', `rule ${input.ruleId} has no parameter ${input.name}`);
      if ((parameter.type === 'integer') !== (typeof input.value === 'number')) throw new CallError('INVALID_INPUT', `${input.name} takes a ${parameter.type}`);
      workspace.setRegionalParameter(input, user.username, isoTime(d.clock));
      return workspace.regionalParameters();
    },
    'checks.cancel': (_input, ctx) => {
      const { user } = activeSession(ctx);
      d.checks.cancel(user.id);
      return d.checks.status(user.id, d.team.hasAccess(user.id) ? d.team.forUser(user.id) : null, user.scope);
    },
  };
}
