/** Who is logged in, as the service reports it; the screen shown follows from `phase`. */
import { create } from 'zustand';
import type { SessionInfo } from '../../src-main/contract/schemas';
import { call, onSessionInterrupted } from '../api/client';
import { resetDivisionCache } from '../components/DivisionPicker';
import { setDisplayTimeZone } from '../components/localTime';
import { initialLanguage, showLanguage } from '../i18n';
import { resetInbox } from './inbox-store';
import { resetNav } from './nav-store';

/** Every renderer store that holds one user's work. */
function resetUserState(): void {
  resetNav();
  resetInbox();
  resetDivisionCache();
}

export type Phase = 'loading' | 'setup' | 'login' | 'locked' | 'changePassword' | 'active' | 'unreachable';

interface SystemStatus {
  initialized: boolean;
  keyProtection: 'none' | 'safeStorage';
  transport: 'electron' | 'http';
  appVersion: string;
}

interface SessionState {
  phase: Phase;
  session: SessionInfo | null;
  system: SystemStatus | null;
  refresh(): Promise<void>;
  adopt(session: SessionInfo | null): void;
  lock(): Promise<void>;
  logout(): Promise<void>;
}

function phaseOf(session: SessionInfo | null, initialized: boolean): Phase {
  if (!session) return initialized ? 'login' : 'setup';
  if (session.state === 'locked') return 'locked';
  if (session.mustChangePassword) return 'changePassword';
  return 'active';
}

export const useSessionStore = create<SessionState>((set, get) => ({
  phase: 'loading',
  session: null,
  system: null,

  async refresh() {
    try {
      const system = await call('system.status', {});
      const session = await call('session.current', {});
      set({ system });
      get().adopt(session);
    } catch {
      set({ phase: 'unreachable' });
    }
  },

  adopt(session) {
    const initialized = session !== null || (get().system?.initialized ?? false);
    // Another person (or nobody) at the keyboard: the screen state of the one before is dropped, every user starts on 首页.
    if (session === null || session.userId !== get().session?.userId) resetUserState();
    if (session) {
      showLanguage(session.language);
      setDisplayTimeZone(session.timeZone);
    } else showLanguage(initialLanguage());
    set((s) => ({
      session,
      phase: phaseOf(session, initialized),
      system: s.system && session ? { ...s.system, initialized: true } : s.system,
    }));
  },

  async lock() {
    get().adopt(await call('auth.lock', {}));
  },

  async logout() {
    await call('auth.logout', {});
    get().adopt(null);
  },
}));

onSessionInterrupted(() => void useSessionStore.getState().refresh());
