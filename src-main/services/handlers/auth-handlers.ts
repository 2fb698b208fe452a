/** Setup, login, lock, unlock, logout, password change and personal settings. */
import type { CallOutput } from '../../contract/contract.js';
import { CallError } from '../../contract/errors.js';
import type { AccountRecord } from '../../store/registry/registry-db.js';
import type { AccountService } from '../accounts.js';
import type { Clock } from '../../platform/clock.js';
import { displayTimeZone, type Session, type SessionRegistry, type SessionUser } from '../sessions.js';
import { isKnownTimeZone, systemTimeZone } from '../../domain/local-time.js';
import { activeSession, type HandlerContext, type Handlers } from './types.js';

export interface AuthDeps {
  accounts: AccountService;
  sessions: SessionRegistry;
  clock: Clock;
  keyProtection: 'none' | 'safeStorage';
  transport: 'electron' | 'http';
  appVersion: string;
  /** A user's workspace just opened (login, unlock): the team store opens for members. */
  onWorkspaceOpened?: (account: AccountRecord, workspace: NonNullable<Session['workspace']>) => void;
}

export function sessionInfo(s: Session): CallOutput<'session.current'> & object {
  return {
    userId: s.user.id,
    username: s.user.username,
    displayName: s.user.displayName,
    role: s.user.role,
    scope: s.user.scope,
    state: s.state,
    mustChangePassword: s.mustChangePassword,
    idleLockMinutes: s.prefs.idleLockMinutes,
    language: s.prefs.language,
    timeZone: displayTimeZone(s),
    timeZoneSetting: s.prefs.timeZone ?? 'system',
    // 跟随系统 is the user's own machine: the client's zone where it said one, else the service's.
    systemTimeZone: s.user.clientTimeZone ?? systemTimeZone(),
  };
}

const toUser = (a: AccountRecord, clientTimeZone?: string): SessionUser => ({
  id: a.id,
  username: a.username,
  displayName: a.displayName,
  role: a.role,
  scope: a.scope,
  clientTimeZone: clientTimeZone && isKnownTimeZone(clientTimeZone) ? clientTimeZone : null,
});

function sessionOf(ctx: HandlerContext): Session {
  if (!ctx.session) throw new Error('handler reached without a session');
  return ctx.session;
}

type AuthHandlers = Pick<
  Handlers,
  | 'system.status'
  | 'auth.setupAdmin'
  | 'auth.login'
  | 'auth.logout'
  | 'auth.lock'
  | 'auth.unlock'
  | 'auth.changePassword'
  | 'session.current'
  | 'session.heartbeat'
  | 'settings.update'
>;

export function authHandlers(d: AuthDeps): AuthHandlers {
  return {
    'system.status': () => ({
      initialized: d.accounts.isInitialized(),
      keyProtection: d.keyProtection,
      transport: d.transport,
      appVersion: d.appVersion,
    }),

    'auth.setupAdmin': async (input, ctx) => {
      const { account, workspace } = await d.accounts.setupAdmin({ username: input.username, displayName: input.displayName, password: input.password });
      return sessionInfo(d.sessions.start(ctx.clientId, toUser(account, input.timeZone), workspace, false, d.clock.now()));
    },

    'auth.login': async (input, ctx) => {
      const { account, dataKey } = await d.accounts.authenticate(input.username, input.password, ctx.clientId);
      const workspace = d.accounts.openWorkspace(account, dataKey);
      ctx.endSession('replaced by a new login');
      const session = d.sessions.start(ctx.clientId, toUser(account, input.timeZone), workspace, account.mustChangePassword, d.clock.now());
      d.accounts.ingestSystemLog(account, session.workspace!);
      d.onWorkspaceOpened?.(account, session.workspace!);
      return sessionInfo(session);
    },

    'auth.logout': (_input, ctx) => {
      ctx.deferred.push(() => d.sessions.end(ctx.clientId));
      return { ok: true as const };
    },

    'auth.lock': (_input, ctx) => {
      const session = sessionOf(ctx);
      ctx.deferred.push(() => d.sessions.lock(session));
      return { ...sessionInfo(session), state: 'locked' as const };
    },

    'auth.unlock': async (input, ctx) => {
      const session = sessionOf(ctx);
      if (session.state === 'active') return sessionInfo(session);
      const { account, dataKey } = await d.accounts.authenticate(session.user.username, input.password, ctx.clientId);
      if (account.id !== session.user.id) throw new CallError('BAD_CREDENTIALS', 'wrong password');
      if (!d.sessions.unlock(session, d.accounts.openWorkspace(account, dataKey), d.clock.now())) {
        throw new CallError('NO_SESSION', 'the session ended while unlocking');
      }
      d.accounts.ingestSystemLog(account, session.workspace!);
      d.onWorkspaceOpened?.(account, session.workspace!);
      return sessionInfo(session);
    },

    'auth.changePassword': async (input, ctx) => {
      const session = activeSession(ctx);
      if (input.newPassword === input.currentPassword) {
        throw new CallError('INVALID_INPUT', 'the new password must differ from the current one');
      }
      const { account, dataKey } = await d.accounts.authenticate(session.user.username, input.currentPassword, ctx.clientId);
      await d.accounts.changePassword(account, dataKey, input.newPassword);
      session.mustChangePassword = false;
      return sessionInfo(session);
    },

    'session.current': (_input, ctx) => (ctx.session ? sessionInfo(ctx.session) : null),

    'session.heartbeat': () => ({ ok: true as const }),

    'settings.update': (input, ctx) => {
      const session = activeSession(ctx);
      if (input.language) {
        session.workspace.setSetting('language', input.language);
        session.prefs.language = input.language;
      }
      if (input.idleLockMinutes) {
        session.workspace.setSetting('idle_lock_minutes', String(input.idleLockMinutes));
        session.prefs.idleLockMinutes = input.idleLockMinutes;
      }
      if (input.timeZone) {
        session.workspace.setSetting('time_zone', input.timeZone === 'system' ? '' : input.timeZone);
        session.prefs.timeZone = input.timeZone === 'system' ? null : input.timeZone;
      }
      return sessionInfo(session);
    },
  };
}
