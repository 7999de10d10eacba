import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeLedger, manualClock, seedAccount, type TestLedger } from '../../../test/helpers/ledger';
import { Router } from './router';
import type { Session } from './session';

let t: TestLedger;
let router: Router;
let events: { event: string; payload: unknown }[];
let session: Session;
const clock = manualClock();

beforeEach(async () => {
  t = await makeLedger({ clock });
  router = new Router(t.core);
  events = [];
  session = router.openSession((event, payload) => events.push({ event, payload }));
});
afterEach(async () => t.cleanup());

const signIn = (username: string, password: string) => router.invoke(session, 'auth.signIn', { username, password });

describe('router', () => {
  it('refuses everything but sign-in until someone signs in', async () => {
    const r = await router.invoke(session, 'payers.search', { query: 'a' });
    expect(r).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(await router.invoke(session, 'auth.status', {})).toMatchObject({ ok: true, value: { needsSetup: false, session: null } });
  });

  it('refuses unknown channels and malformed arguments with a field name', async () => {
    await signIn('carla', 'csr-password-1');
    expect(await router.invoke(session, 'ledger.dropTables', {})).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const acct = await seedAccount(t, '500');
    const r = await router.invoke(session, 'payments.record', { accountId: acct.id, amount: '1.001', method: 'cash' });
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { field: 'amount' } } });
  });

  it('a CSR calling admin and supervisor commands directly is refused and audited', async () => {
    await signIn('carla', 'csr-password-1');
    const r1 = await router.invoke(session, 'users.create', { username: 'mallory', displayName: 'M', role: 'admin', password: 'long-password-1' });
    expect(r1).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const r2 = await router.invoke(session, 'settings.update', { strictClose: true });
    expect(r2).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const denied = await t.core.db.selectFrom('audit_log').select(['entity_id', 'user_id']).where('action', '=', 'denied').execute();
    expect(denied.map((d) => d.entity_id)).toEqual(['users.create', 'settings.update']);
    expect(denied.every((d) => d.user_id === t.csr.userId)).toBe(true);
  });

  it('slows sign-ins down after failed ones instead of locking the user out, and audits each', async () => {
    for (let i = 0; i < 4; i++) expect(await signIn('carla', 'wrong')).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    // The fourth failure asks for a short wait; the answer does not say how long.
    const wait = await signIn('carla', 'csr-password-1');
    expect(wait).toEqual({ ok: false, error: { code: 'LIMIT', message: 'Too many sign-in attempts. Wait a moment, then try again.' } });
    clock.advance(3_000);
    expect(await signIn('carla', 'csr-password-1')).toMatchObject({ ok: true });
    const actions = (await t.core.db.selectFrom('audit_log').select('action').where('entity', '=', 'session').execute()).map((a) => a.action);
    expect(actions.filter((a) => a === 'signin-failed')).toHaveLength(4);
    expect(actions).toContain('signin-delayed');
    expect(actions[actions.length - 1]).toBe('signin');
  });

  it('signs out after the idle time, tells the window, and audits the time-out', async () => {
    await signIn('carla', 'csr-password-1');
    clock.advance(14 * 60_000);
    expect(await router.invoke(session, 'payers.search', { query: 'x' })).toMatchObject({ ok: true });
    clock.advance(16 * 60_000);
    expect(await router.invoke(session, 'payers.search', { query: 'x' })).toMatchObject({ ok: false, error: { code: 'SESSION_EXPIRED' } });
    expect(events).toContainEqual({ event: 'session.ended', payload: { reason: 'idle' } });
    const last = await t.core.db.selectFrom('audit_log').select(['action', 'user_id']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    expect(last).toEqual({ action: 'idle-timeout', user_id: t.csr.userId });
  });

  it('ends the session of a user an admin deactivates', async () => {
    await signIn('carla', 'csr-password-1');
    await t.run(t.admin, 'users.update', { userId: t.csr.userId, active: false });
    expect(await router.invoke(session, 'payers.search', { query: 'x' })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(await signIn('carla', 'csr-password-1')).toMatchObject({ ok: false, error: { message: 'This user has been deactivated. Ask an administrator.' } });
  });
});
