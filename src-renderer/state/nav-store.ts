import { create } from 'zustand';

export type Screen = 'home' | 'inbox' | 'monitoring' | 'person' | 'learning' | 'exports' | 'teamAudit' | 'checks' | 'precheck' | 'query' | 'quality' | 'sync' | 'users' | 'audit' | 'backup' | 'settings' | 'dashboard' | 'spending';

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

/** Where every user starts: 首页, no person open. */
const START = { screen: 'home' as Screen, personRef: null, previous: 'home' as Screen };

export const useNavStore = create<NavState>((set, get) => ({
  ...START,
  go: (screen) => set({ screen }),
  openPerson: (personRef) => set({ personRef, screen: 'person', previous: get().screen === 'person' ? get().previous : get().screen }),
  back: () => set({ screen: get().previous }),
}));

/** A user left or another came: the next one starts on 首页 (state/user-state.ts). */
export function resetNav(): void {
  useNavStore.setState(START);
}
