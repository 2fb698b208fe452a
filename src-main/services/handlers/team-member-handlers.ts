/**
 * team.*: a supervisor lets a member created after the team store into it. The administrator creates accounts (and
 * knows their initial passwords) but cannot do this, so an account alone never reads the team's data. A supervisor
 * sees only members whose scope lies within their own, and whether each has already changed the initial password.
 */
import { isWithinScope } from '../../domain/division.js';
import type { AccountRecord } from '../../store/registry/registry-db.js';
import type { SessionUser } from '../sessions.js';
import type { TeamAccess } from '../team-access.js';
import { accountSummary } from './admin-handlers.js';
import { activeSession, type Handlers } from './types.js';

export function teamMemberHandlers(d: { team: TeamAccess }): Pick<Handlers, 'team.pendingMembers' | 'team.activateMember' | 'team.keyHolders'> {
  const withinScope = (user: SessionUser) => (a: AccountRecord) => a.scope.length > 0 && a.scope.every((p) => isWithinScope(p, user.scope));
  const pending = (user: SessionUser) => d.team.pendingMembers(user.id).filter(withinScope(user));
  return {
    'team.pendingMembers': (_input, ctx) => pending(activeSession(ctx).user).map(accountSummary),
    'team.keyHolders': (_input, ctx) => {
      const { user } = activeSession(ctx);
      return d.team
        .members(user.id)
        .filter((m) => withinScope(user)(m.account))
        .map((m) => ({ account: accountSummary(m.account), kind: m.kind, byDisplayName: m.by?.displayName ?? null, at: m.at }));
    },
    'team.activateMember': (input, ctx) => {
      const { user } = activeSession(ctx);
      // Out of scope reads exactly like "no such member": the supervisor learns nothing about other streets' staff.
      const member = pending(user).find((a) => a.id === input.accountId);
      d.team.activateMember(user.id, member?.id ?? '');
      return pending(user).map(accountSummary);
    },
  };
}
