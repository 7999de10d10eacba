import { create } from 'zustand';
import { confirmLeave } from '../app/leave-guard';
import { formatRoute, parseRoute, sameRoute, type Route } from '../app/hash-route';

export type { Route };

/** Every signed-in user starts here; Home shows what matters to their role. */
export const HOME: Route = { page: 'home' };

interface NavState {
  route: Route;
  /** Opens a screen as a new history entry (Back returns here). */
  go(page: string, params?: Record<string, string>): void;
  /** Changes the current screen's address without a new history entry (search text, filters). */
  replace(page: string, params?: Record<string, string>): void;
  /** The previous screen in the app; Home when there is none (a deep link or a reload). */
  back(): void;
  /** Sign-in and sign-out: forget the previous user's screens and land on Home. */
  reset(): void;
}

/** How deep into this tab's in-app history the current entry is (0 = first screen). */
const depth = (): number => {
  const s = history.state as { ld?: number } | null;
  return typeof s?.ld === 'number' ? s.ld : 0;
};

const initial = (): Route => parseRoute(location.hash) ?? HOME;

export const useNav = create<NavState>((set, get) => ({
  route: initial(),
  go: (page, params) => {
    const next: Route = params && Object.keys(params).length > 0 ? { page, params } : { page };
    if (sameRoute(next, get().route)) return;
    // Steps within one page (a wizard) are not leaving it.
    if (next.page !== get().route.page && !confirmLeave()) return;
    history.pushState({ ld: depth() + 1 }, '', formatRoute(next));
    set({ route: next });
  },
  replace: (page, params) => {
    const next: Route = params && Object.keys(params).length > 0 ? { page, params } : { page };
    history.replaceState({ ld: depth() }, '', formatRoute(next));
    set({ route: next });
  },
  back: () => {
    if (depth() > 0) history.back();
    else get().replace(HOME.page);
  },
  reset: () => {
    history.replaceState({ ld: 0 }, '', formatRoute(HOME));
    set({ route: HOME });
  },
}));

// Browser Back/Forward (and the address bar): follow the address, unless unsaved work says stay.
window.addEventListener('popstate', () => {
  const to = parseRoute(location.hash) ?? HOME;
  const { route } = useNav.getState();
  if (sameRoute(to, route)) return;
  if (to.page !== route.page && !confirmLeave()) {
    history.pushState({ ld: depth() + 1 }, '', formatRoute(route));
    return;
  }
  useNav.setState({ route: to });
});
