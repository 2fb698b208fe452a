import { create } from 'zustand';

export type Screen = 'home' | 'checks' | 'precheck' | 'query' | 'quality' | 'sync' | 'users' | 'audit' | 'settings';

export const useNavStore = create<{ screen: Screen; go(screen: Screen): void }>((set) => ({
  screen: 'home',
  go: (screen) => set({ screen }),
}));
