/** Account management for administrators (who see no personal data). */
import type { AccountSummary } from '../../contract/schemas.js';
import { CallError } from '../../contract/errors.js';
import type { AccountRecord, RegistryDb } from '../../store/registry/registry-db.js';
import type { AccountService } from '../accounts.js';
import type { SessionRegistry } from '../sessions.js';
import { activeSession, type Handlers } from './types.js';

export interface AdminDeps {
  accounts: AccountService;
  registry: RegistryDb;
  sessions: SessionRegistry;
}

export function accountSummary(a: AccountRecord): AccountSummary {
  return {
    id: a.id,
    username: a.username,
    displayName: a.displayName,
    role: a.role,
    scope: a.scope,
    status: a.status,
    mustChangePassword: a.mustChangePassword,
    failedLogins: a.failedLogins,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  };
}

export function adminHandlers(d: AdminDeps): Pick<Handlers, 'users.list' | 'users.create' | 'users.update'> {
  return {
    'users.list': () => d.registry.listAccounts().map(accountSummary),

    'users.create': async (input, ctx) => {
      const session = activeSession(ctx);
      if (input.role !== 'admin' && input.scope.length === 0) {
        throw new CallError('INVALID_INPUT', 'a data scope (at least one division prefix) is required for this role', {
          issues: [{ path: 'scope', code: 'scopeRequired', message: 'required' }],
        });
      }
      const account = await d.accounts.createAccount(session.workspace, {
        username: input.username,
        displayName: input.displayName,
        role: input.role,
        scope: input.role === 'admin' ? [] : input.scope,
        password: input.initialPassword,
      });
      return accountSummary(account);
    },

    'users.update': (input, ctx) => {
      const session = activeSession(ctx);
      if (input.id === session.user.id && (input.status === 'disabled' || input.role)) {
        throw new CallError('CONFLICT', 'administrators cannot disable or re-role their own account');
      }
      const { id, ...change } = input;
      const updated = d.accounts.updateAccount(session.workspace, id, change);
      // Its wrap of the team key goes with it: the password alone no longer opens the team store.
      if (updated.status === 'disabled') d.registry.deleteTeamKeyWrap(id);
      // Live sessions of that account see the change at once; a disabled account is logged out.
      const ended: string[] = [];
      d.sessions.forEachOf(id, (s) => {
        s.user.role = updated.role;
        s.user.scope = updated.scope;
        s.user.displayName = updated.displayName;
        if (updated.status === 'disabled') ended.push(s.clientId);
      });
      for (const clientId of ended) d.sessions.end(clientId);
      return accountSummary(updated);
    },
  };
}
