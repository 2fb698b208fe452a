/**
 * Who is logged in on which client (an Electron window or a browser-mode cookie), and the open workspaces.
 *
 * A workspace is opened once per user however many clients that user has, and closed when the last one locks or
 * logs out: while locked, the key is gone from memory and only the password brings it back.
 */
import { systemTimeZone } from '../domain/local-time.js';
import type { Role } from '../domain/roles.js';
import type { WorkspaceDb } from '../store/workspace/workspace-db.js';

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  scope: string[];
  /**
   * The time zone of the machine this user's client runs on, as the client reported it at login: what 跟随系统 follows.
   * In the desktop app it is the workstation's own; in browser mode (a service on a server left on UTC) the browser's.
   */
  clientTimeZone?: string | null;
}

export interface Session {
  clientId: string;
  user: SessionUser;
  state: 'active' | 'locked';
  /** Open while active; null while locked. */
  workspace: WorkspaceDb | null;
  mustChangePassword: boolean;
  lastActivity: number;
  /** The user's own preferences, kept here so they are known while the workspace is locked. */
  prefs: SessionPrefs;
}

export interface SessionPrefs {
  language: 'zh-CN' | 'en';
  idleLockMinutes: number;
  /** The zone times are shown in: an IANA name the user chose, or null to follow the OS. */
  timeZone: string | null;
}

/** The zone a session's times are shown in: the user's choice, else the client's system zone, else the service's. */
export function displayTimeZone(session: Pick<Session, 'prefs' | 'user'>): string {
  return session.prefs.timeZone ?? session.user.clientTimeZone ?? systemTimeZone();
}

/** The zone a user chose (stored in their workspace), or null to follow the OS. */
export function chosenTimeZone(workspace: WorkspaceDb): string | null {
  return workspace.getSetting('time_zone') || null;
}

/** The zone a user's exports and reports are stamped in: the one shown on their screen (displayTimeZone). */
export function timeZoneOf(workspace: WorkspaceDb, user: SessionUser): string {
  return chosenTimeZone(workspace) ?? user.clientTimeZone ?? systemTimeZone();
}

export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();
  private readonly open = new Map<string, { workspace: WorkspaceDb; refs: number }>();

  /** `beforeClose` sees each workspace just before it closes (the audit-chain anchor is recorded there). */
  constructor(private readonly beforeClose: (userId: string, workspace: WorkspaceDb) => void = () => undefined) {}

  all(): Session[] {
    return [...this.sessions.values()];
  }

  get(clientId: string): Session | undefined {
    return this.sessions.get(clientId);
  }

  /** An already open workspace of this user, so a second client shares it instead of opening the file twice. */
  openWorkspaceOf(userId: string): WorkspaceDb | undefined {
    return this.open.get(userId)?.workspace;
  }

  start(clientId: string, user: SessionUser, workspace: WorkspaceDb, mustChangePassword: boolean, now: number): Session {
    this.end(clientId);
    const shared = this.retain(user.id, workspace);
    const prefs: SessionPrefs = {
      language: shared.getSetting('language') === 'en' ? 'en' : 'zh-CN',
      idleLockMinutes: Number(shared.getSetting('idle_lock_minutes') ?? '10'),
      timeZone: chosenTimeZone(shared),
    };
    const session: Session = { clientId, user, state: 'active', workspace: shared, mustChangePassword, lastActivity: now, prefs };
    this.sessions.set(clientId, session);
    return session;
  }

  lock(session: Session): void {
    if (session.state === 'locked') return;
    session.state = 'locked';
    session.workspace = null;
    this.release(session.user.id);
  }

  /** Returns false (and closes the workspace) when the session ended meanwhile, e.g. the account was disabled. */
  unlock(session: Session, workspace: WorkspaceDb, now: number): boolean {
    if (this.sessions.get(session.clientId) !== session) {
      if (this.open.get(session.user.id)?.workspace !== workspace) workspace.close();
      return false;
    }
    if (session.state === 'active') return true;
    session.workspace = this.retain(session.user.id, workspace);
    session.state = 'active';
    session.lastActivity = now;
    return true;
  }

  end(clientId: string): void {
    const session = this.sessions.get(clientId);
    if (!session) return;
    if (session.state === 'active') this.release(session.user.id);
    this.sessions.delete(clientId);
  }

  /** Applies an administrator's change (role, scope, status) to the live sessions of that account. */
  forEachOf(userId: string, apply: (s: Session) => void): void {
    for (const s of this.sessions.values()) if (s.user.id === userId) apply(s);
  }

  endAll(): void {
    for (const id of [...this.sessions.keys()]) this.end(id);
    for (const [userId, { workspace }] of this.open) this.close(userId, workspace);
    this.open.clear();
  }

  private close(userId: string, workspace: WorkspaceDb): void {
    if (!workspace.isOpen) return;
    this.beforeClose(userId, workspace);
    workspace.close();
  }

  /** Returns the workspace the session should use: the one already open for this user, if any. */
  private retain(userId: string, workspace: WorkspaceDb): WorkspaceDb {
    const entry = this.open.get(userId);
    if (!entry) {
      this.open.set(userId, { workspace, refs: 1 });
      return workspace;
    }
    if (entry.workspace !== workspace) workspace.close();
    entry.refs++;
    return entry.workspace;
  }

  private release(userId: string): void {
    const entry = this.open.get(userId);
    if (!entry) return;
    if (--entry.refs <= 0) {
      this.close(userId, entry.workspace);
      this.open.delete(userId);
    }
  }
}
