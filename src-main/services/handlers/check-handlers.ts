/** Rule runs over the user's snapshot, inside their scope. */
import { CallError } from '../../contract/errors.js';
import type { CheckService } from '../checks/check-service.js';
import type { SnapshotProvider } from '../snapshots.js';
import { activeSession, type Handlers } from './types.js';

export function checkHandlers(d: { checks: CheckService; snapshots: SnapshotProvider }): Pick<Handlers, 'checks.status' | 'checks.run' | 'checks.cancel'> {
  return {
    'checks.status': (_input, ctx) => {
      const { user, workspace } = activeSession(ctx);
      return d.checks.status(user.id, workspace);
    },
    'checks.run': (input, ctx) => {
      const { user, workspace } = activeSession(ctx);
      const snapshot = d.snapshots.forUser(user.id, workspace);
      if (!snapshot) throw new CallError('NO_SNAPSHOT', 'no snapshot is loaded');
      d.checks.start(user.id, user.username, workspace, snapshot, user.scope, input.ruleIds);
      return d.checks.status(user.id, workspace);
    },
    'checks.cancel': (_input, ctx) => {
      const { user, workspace } = activeSession(ctx);
      d.checks.cancel(user.id);
      return d.checks.status(user.id, workspace);
    },
  };
}
