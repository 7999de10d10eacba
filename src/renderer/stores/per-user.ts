import { clearLeaveGuard } from '../app/leave-guard';
import { useDivision } from './division';
import { useNav } from './navigation';

const resets: (() => void)[] = [];

/** A store that holds one user's work registers how to forget it when the user changes. */
export function onUserChange(reset: () => void): void {
  resets.push(reset);
}

/** Drafts kept across a reload of this tab (Make Payment); never across users. */
export const DRAFT_PREFIX = 'ledgerdesk.draft.';

/**
 * Sign-in and sign-out: no screen, draft or selection of the previous user survives. Sign-in keeps
 * the address it finds (Home after a sign-out, or a deep link opened before signing in).
 */
export function switchUser(userId: string | null, opts: { keepRoute?: boolean } = {}): void {
  clearLeaveGuard();
  for (const k of Object.keys(sessionStorage)) if (k.startsWith(DRAFT_PREFIX)) sessionStorage.removeItem(k);
  for (const r of resets) r();
  useDivision.getState().forUser(userId);
  const nav = useNav.getState();
  if (!opts.keepRoute) nav.reset();
  else nav.replace(nav.route.page, nav.route.params); // the address shows the screen from the start
}
