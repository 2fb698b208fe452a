import { create } from 'zustand';

export type Screen = 'home' | 'inbox' | 'person' | 'learning' | 'exports' | 'teamAudit' | 'checks' | 'precheck' | 'query' | 'quality' | 'sync' | 'users' | 'audit' | 'backup' | 'settings' | 'dashboard' | 'spending';

interface NavState {
  screen: Screen;
  /** The person shown on the 一人一档 screen (an opaque reference from the services). */
  personRef: string | null;
  /** Where "back" from a person file goes. */
  previous: Screen;
  go(screen: Screen): void;
  openPerson(personRef: string): void;
  back(): void;
}

export const useNavStore = create<NavState>((set, get) => ({
  screen: 'home',
  personRef: null,
  previous: 'home',
  go: (screen) => set({ screen }),
  openPerson: (personRef) => set({ personRef, screen: 'person', previous: get().screen === 'person' ? get().previous : get().screen }),
  back: () => set({ screen: get().previous }),
}));
