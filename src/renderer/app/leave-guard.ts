import { useEffect } from 'react';

/**
 * Unsaved work asks before it is left: in-app navigation (sidebar, Back/Forward) asks through
 * `confirmLeave`, closing or reloading the window through the browser's own prompt.
 */
let guard: { message: string } | null = null;

export function confirmLeave(): boolean {
  if (!guard) return true;
  if (!window.confirm(guard.message)) return false;
  guard = null;
  return true;
}

/** Drops the guard without asking (sign-out, or the page finished its work). */
export function clearLeaveGuard(): void {
  guard = null;
}

const onBeforeUnload = (e: BeforeUnloadEvent) => {
  if (!guard) return;
  e.preventDefault();
  e.returnValue = '';
};

/** `unload: false` when the page keeps a draft that survives a reload: only leaving it asks. */
export function useLeaveGuard(active: boolean, message = 'Leave this page? What you entered has not been saved.', opts: { unload?: boolean } = {}): void {
  const unload = opts.unload ?? true;
  useEffect(() => {
    if (!active) return;
    const mine = { message };
    guard = mine;
    if (unload) window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      if (guard === mine) guard = null;
      window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }, [active, message, unload]);
}
