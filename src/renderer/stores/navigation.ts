import { create } from 'zustand';

/** Where the user is: a page key from app/pages.tsx and its parameters. */
export interface Route {
  page: string;
  params?: Record<string, string>;
}

interface NavState {
  route: Route;
  history: Route[];
  go(page: string, params?: Record<string, string>): void;
  back(): void;
}

export const useNav = create<NavState>((set, get) => ({
  route: { page: 'payer-support' },
  history: [],
  go: (page, params) => set({ route: { page, params }, history: [...get().history.slice(-30), get().route] }),
  back: () => {
    const h = get().history;
    if (h.length === 0) return;
    set({ route: h[h.length - 1]!, history: h.slice(0, -1) });
  },
}));
