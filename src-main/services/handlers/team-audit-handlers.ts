/**
 * Supervisors' view of the team's audit trail (the copy every member's entries are mirrored to): by member, action and
 * time, and "who viewed or exported this person". A supervisor sees the members whose scope lies within their own.
 * ID numbers in targets and details are shown masked.
 */
import { CallError } from '../../contract/errors.js';
import { isWithinScope } from '../../domain/division.js';
import type { RegistryDb } from '../../store/registry/registry-db.js';
import type { MirroredEntry } from '../../store/team/audit-mirror.js';
import type { SessionUser } from '../sessions.js';
import type { TeamAccess } from '../team-access.js';
import { maskIdsInText } from '../triage/triage-service.js';
import { activeSession, type Handlers } from './types.js';

const view = (e: MirroredEntry) => ({ ...e, target: e.target === null ? null : maskIdsInText(e.target), detail: e.detail === null ? null : maskIdsInText(e.detail) });

export function teamAuditHandlers(d: { registry: RegistryDb; team: TeamAccess }): Pick<Handlers, 'audit.team' | 'audit.person'> {
  const visibleMembers = (user: SessionUser) =>
    d.registry.listAccounts().filter((a) => a.id === user.id || (a.role !== 'admin' && a.scope.length > 0 && a.scope.every((p) => isWithinScope(p, user.scope))));
  return {
    'audit.team': (input, ctx) => {
      const { user } = activeSession(ctx);
      const members = visibleMembers(user);
      if (input.userId && !members.some((m) => m.id === input.userId)) throw new CallError('OUT_OF_SCOPE', 'no such member in your scope');
      const entries = d.team.forUser(user.id).audit.search({
        userIds: input.userId ? [input.userId] : members.map((m) => m.id),
        actionPrefix: input.actionPrefix,
        from: input.from,
        to: input.to ? `${input.to}T23:59:59.999Z` : undefined,
        before: input.before,
        limit: input.limit,
      });
      return { entries: entries.map(view), members: members.map((m) => ({ id: m.id, username: m.username, displayName: m.displayName })) };
    },
    'audit.person': (input, ctx) => {
      const { user } = activeSession(ctx);
      const personId = (input as { personId?: unknown }).personId;
      if (typeof personId !== 'string') throw new Error('handler reached without a decoded person reference');
      const entries = d.team.forUser(user.id).audit.search({ userIds: visibleMembers(user).map((m) => m.id), target: personId, limit: input.limit });
      return { entries: entries.map(view) };
    },
  };
}
