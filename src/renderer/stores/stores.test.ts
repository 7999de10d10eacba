// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clearLeaveGuard } from '../app/leave-guard';
import { useDivision } from './division';
import { HOME, useNav } from './navigation';
import { DRAFT_PREFIX, onUserChange, switchUser } from './per-user';

/** A guard as a page sets it (useLeaveGuard is a hook; the module state is what navigation reads). */
async function guardUnsavedWork(): Promise<() => void> {
  const { renderHook } = await import('@testing-library/react');
  const { useLeaveGuard } = await import('../app/leave-guard');
  const r = renderHook(() => useLeaveGuard(true, 'Leave Make Payment?'));
  return () => r.unmount();
}

beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
  clearLeaveGuard();
  useNav.getState().reset();
});
afterEach(() => vi.restoreAllMocks());

describe('navigation: one address per screen', () => {
  it('go() adds a history entry with the route in the address; the same route twice adds nothing', () => {
    const before = history.length;
    useNav.getState().go('account', { accountId: 'a1' });
    expect(location.hash).toBe('#/account?accountId=a1');
    expect(useNav.getState().route).toEqual({ page: 'account', params: { accountId: 'a1' } });
    useNav.getState().go('account', { accountId: 'a1' });
    expect(history.length).toBe(before + 1);
  });

  it('replace() changes the address without a new entry (search text, filters)', () => {
    useNav.getState().go('payer-support');
    const len = history.length;
    useNav.getState().replace('payer-support', { q: 'smith' });
    expect(history.length).toBe(len);
    expect(location.hash).toBe('#/payer-support?q=smith');
  });

  it('back() with no in-app history (a deep link or a reload) goes Home', () => {
    useNav.getState().replace('deposits');
    useNav.getState().back();
    expect(useNav.getState().route).toEqual(HOME);
  });

  it('unsaved work asks before another page opens; "Stay" keeps the page, "Leave" goes', async () => {
    useNav.getState().go('make-payment', { step: 'amount' });
    const unmount = await guardUnsavedWork();
    const confirm = vi.fn<(message?: string) => boolean>().mockReturnValueOnce(false);
    window.confirm = confirm;
    useNav.getState().go('deposits');
    expect(confirm).toHaveBeenCalledWith('Leave Make Payment?');
    expect(useNav.getState().route.page).toBe('make-payment');
    // A step within the same page is not leaving it.
    useNav.getState().go('make-payment', { step: 'review' });
    expect(confirm).toHaveBeenCalledTimes(1);
    confirm.mockReturnValueOnce(true);
    useNav.getState().go('deposits');
    expect(useNav.getState().route.page).toBe('deposits');
    unmount();
  });
});

describe('switching users forgets the previous user', () => {
  it('drafts, registered stores and the screen are cleared; each user keeps their own division', () => {
    const reset = vi.fn();
    onUserChange(reset);
    switchUser('u-admin');
    useDivision.getState().setDivision('div-north');
    sessionStorage.setItem(`${DRAFT_PREFIX}make-payment`, '{"amount":"12.50"}');
    sessionStorage.setItem('ledgerdesk.resume', 'keep');
    useNav.getState().go('make-payment', { accountId: 'a1' });

    switchUser('u-csr');
    expect(reset).toHaveBeenCalled();
    expect(sessionStorage.getItem(`${DRAFT_PREFIX}make-payment`)).toBeNull();
    expect(sessionStorage.getItem('ledgerdesk.resume')).toBe('keep');
    expect(useNav.getState().route).toEqual(HOME);
    expect(useDivision.getState().divisionId).toBeNull();

    switchUser('u-admin');
    expect(useDivision.getState().divisionId).toBe('div-north');
    switchUser(null);
    expect(useDivision.getState()).toMatchObject({ userId: null, divisionId: null });
  });

  it('signing in keeps a deep link opened before sign-in', () => {
    useNav.getState().replace('account', { accountId: 'a9' });
    switchUser('u-admin', { keepRoute: true });
    expect(useNav.getState().route).toEqual({ page: 'account', params: { accountId: 'a9' } });
  });
});
