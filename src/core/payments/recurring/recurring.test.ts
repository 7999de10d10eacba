import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError, makeLedger, seedAccount, type TestLedger } from '../../../../test/helpers/ledger';
import { verifyLedger } from '../../ledger/checks';
import { runRecurringSchedule, scheduledPaymentId } from './run';
import { dueDates, firstOnOrAfter } from './schedule';

describe('due dates', () => {
  it('weekly from the start date', () => {
    expect(dueDates({ frequency: 'weekly', startDate: '2026-03-16', dayOfMonth: null }, '2026-03-01', '2026-04-07')).toEqual(['2026-03-16', '2026-03-23', '2026-03-30', '2026-04-06']);
    expect(firstOnOrAfter({ frequency: 'weekly', startDate: '2026-03-16', dayOfMonth: null }, '2026-03-24')).toBe('2026-03-30');
  });
  it('monthly on the start day, short months on their last day', () => {
    expect(dueDates({ frequency: 'monthly', startDate: '2026-01-31', dayOfMonth: null }, '2026-01-01', '2026-05-31')).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31']);
    expect(dueDates({ frequency: 'monthly', startDate: '2027-12-15', dayOfMonth: null }, '2027-12-16', '2028-02-29')).toEqual(['2028-01-15', '2028-02-15']);
  });
  it('on a chosen day of the month, from the first such day on or after the start', () => {
    expect(dueDates({ frequency: 'day_of_month', startDate: '2026-03-20', dayOfMonth: 5 }, '2026-03-20', '2026-06-05')).toEqual(['2026-04-05', '2026-05-05', '2026-06-05']);
    expect(dueDates({ frequency: 'day_of_month', startDate: '2028-02-01', dayOfMonth: 30 }, '2028-02-01', '2028-04-30')).toEqual(['2028-02-29', '2028-03-30', '2028-04-30']);
  });
});

let t: TestLedger;
beforeEach(async () => {
  t = await makeLedger(); // today is 2026-03-15
});
afterEach(async () => t.cleanup());

const paymentsOf = (accountId: string) => t.core.db.selectFrom('payments').selectAll().where('account_id', '=', accountId).orderBy('payment_date').execute();
const balance = async (accountId: string) => (await t.run(t.csr, 'payers.get', { accountId })).account.balanceCents as number;

describe('recurring payments', () => {
  it('creates a Scheduled payment ahead, makes it Pending on its date, and never twice for one date', async () => {
    const acct = await seedAccount(t, '9001', [{ number: 'A', due: '2026-03-01', lines: ['100.00'] }]);
    const plan = await t.run(t.csr, 'recurring.create', {
      accountId: acct.id,
      amountMode: 'fixed',
      amount: '25.00',
      method: 'card',
      frequency: 'weekly',
      startDate: '2026-03-18',
    });
    expect(plan).toMatchObject({ status: 'active', nextDate: '2026-03-25', amountCents: 2500 });
    expect(plan.payments).toHaveLength(1);
    expect(plan.payments[0]).toMatchObject({ dueDate: '2026-03-18', status: 'scheduled', amountCents: 2500 });
    expect(plan.payments[0].paymentId).toBe(scheduledPaymentId(plan.id, '2026-03-18'));
    // Scheduled: not money yet, so the balance has not moved.
    expect(await balance(acct.id)).toBe(10000);

    // The same run twice over the same days creates nothing more.
    const first = await t.run(t.csr, 'recurring.run', { throughDate: '2026-04-01' });
    expect(first).toMatchObject({ created: 2, activated: 0 });
    const again = await t.run(t.csr, 'recurring.run', { throughDate: '2026-04-01' });
    expect(again).toMatchObject({ created: 0, activated: 0, cancelled: 0 });
    expect((await paymentsOf(acct.id)).map((p) => [p.payment_date, p.status])).toEqual([
      ['2026-03-18', 'scheduled'],
      ['2026-03-25', 'scheduled'],
      ['2026-04-01', 'scheduled'],
    ]);

    // The date comes: Pending, posted, applied oldest due first.
    t.clock.set('2026-03-18T14:00:00Z');
    const due = await t.run(t.csr, 'recurring.run', {});
    expect(due).toMatchObject({ activated: 1, throughDate: '2026-03-25' });
    const p = await t.run(t.csr, 'payments.get', { paymentId: plan.payments[0].paymentId });
    expect(p).toMatchObject({ status: 'pending', amountCents: 2500, appliedCents: 2500, kind: 'recurring' });
    expect(await balance(acct.id)).toBe(7500);
    // Running again that day, or through the same days from the standalone entry point, changes nothing.
    expect(await t.run(t.csr, 'recurring.run', {})).toMatchObject({ created: 0, activated: 0 });
    const standalone = await runRecurringSchedule(t.core.db, t.clock, '2026-04-01');
    expect(standalone).toMatchObject({ ok: true, value: { created: 0, activated: 0 } });
    expect(await paymentsOf(acct.id)).toHaveLength(3);
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });

  it('the current-balance mode charges the balance on the date, and nothing when nothing is owed', async () => {
    const acct = await seedAccount(t, '9002', [{ number: 'A', due: '2026-03-01', lines: ['42.00'] }]);
    const plan = await t.run(t.csr, 'recurring.create', { accountId: acct.id, amountMode: 'balance', method: 'ach', frequency: 'day_of_month', dayOfMonth: 17, startDate: '2026-03-16' });
    expect(plan.payments[0]).toMatchObject({ dueDate: '2026-03-17', amountCents: 4200 });
    await t.run(t.csr, 'payments.record', { accountId: acct.id, amount: '12.00', method: 'cash' });
    t.clock.set('2026-03-17T14:00:00Z');
    await t.run(t.csr, 'recurring.run', {});
    const p = await t.run(t.csr, 'payments.get', { paymentId: plan.payments[0].paymentId });
    expect(p).toMatchObject({ status: 'pending', amountCents: 3000 });
    expect(await balance(acct.id)).toBe(0);
    t.clock.set('2026-04-17T14:00:00Z');
    const r = await t.run(t.csr, 'recurring.run', {});
    expect(r).toMatchObject({ activated: 0, cancelled: 1 });
    const [april] = (await t.run(t.csr, 'recurring.get', { recurringId: plan.id })).payments;
    expect(april).toMatchObject({ dueDate: '2026-04-17', status: 'cancelled', note: 'Nothing was owed on 2026-04-17.' });
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });

  it('stops when the account becomes inactive, saying why', async () => {
    const acct = await seedAccount(t, '9003');
    const plan = await t.run(t.csr, 'recurring.create', { accountId: acct.id, amountMode: 'fixed', amount: '10.00', method: 'card', frequency: 'monthly', startDate: '2026-03-20' });
    await t.run(t.supervisor, 'accounts.setStatus', { accountId: acct.id, status: 'inactive', reason: 'moved' });
    const before = await t.run(t.csr, 'recurring.get', { recurringId: plan.id });
    expect(before.statusReason).toMatch(/inactive: this recurring payment stops at the next run/);
    const r = await t.run(t.csr, 'recurring.run', {});
    expect(r).toMatchObject({ stopped: 1, cancelled: 1 });
    const after = await t.run(t.csr, 'recurring.get', { recurringId: plan.id });
    expect(after).toMatchObject({ status: 'stopped', statusReason: 'Account 9003 is inactive, so its recurring payments stopped.', nextDate: null });
    expect(after.payments[0].status).toBe('cancelled');
    // A new one is refused on an inactive account.
    expectError(await t.attempt(t.csr, 'recurring.create', { accountId: acct.id, amountMode: 'fixed', amount: '10.00', method: 'card', frequency: 'monthly', startDate: '2026-03-20' }), 'CONFLICT', 'accountId');
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });

  it('pause skips the dates it covers; resume goes on from today; cancel cancels what is waiting', async () => {
    const acct = await seedAccount(t, '9004', [{ number: 'A', due: '2026-03-01', lines: ['500.00'] }]);
    const plan = await t.run(t.csr, 'recurring.create', { accountId: acct.id, amountMode: 'fixed', amount: '10.00', method: 'card', frequency: 'weekly', startDate: '2026-03-16' });
    await t.run(t.csr, 'recurring.pause', { recurringId: plan.id, reason: 'Payer asked to skip a few weeks' });
    t.clock.set('2026-03-31T14:00:00Z');
    const r = await t.run(t.csr, 'recurring.run', {});
    expect(r).toMatchObject({ created: 0, cancelled: 1 });
    const paused = await t.run(t.csr, 'recurring.get', { recurringId: plan.id });
    expect(paused).toMatchObject({ status: 'paused', statusReason: 'Payer asked to skip a few weeks' });
    expect(paused.payments[0]).toMatchObject({ dueDate: '2026-03-16', status: 'cancelled' });
    const resumed = await t.run(t.csr, 'recurring.resume', { recurringId: plan.id });
    // The missed 23rd and 30th are not charged late; the next is the 6th.
    expect(resumed.payments.map((p) => [p.dueDate, p.status])).toEqual([
      ['2026-04-06', 'scheduled'],
      ['2026-03-16', 'cancelled'],
    ]);
    expectError(await t.attempt(t.csr, 'recurring.resume', { recurringId: plan.id }), 'CONFLICT', 'recurringId');
    const cancelled = await t.run(t.csr, 'recurring.cancel', { recurringId: plan.id, reason: 'Paying by check now' });
    expect(cancelled).toMatchObject({ status: 'cancelled', nextDate: null });
    expect(cancelled.payments[0]).toMatchObject({ dueDate: '2026-04-06', status: 'cancelled' });
    t.clock.set('2026-05-01T14:00:00Z');
    expect(await t.run(t.csr, 'recurring.run', {})).toMatchObject({ created: 0, activated: 0 });
    expect(await balance(acct.id)).toBe(50000);
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });

  it('ends after its end date', async () => {
    const acct = await seedAccount(t, '9005', [{ number: 'A', due: '2026-03-01', lines: ['500.00'] }]);
    const plan = await t.run(t.csr, 'recurring.create', { accountId: acct.id, amountMode: 'fixed', amount: '10.00', method: 'ach', frequency: 'weekly', startDate: '2026-03-15', endDate: '2026-03-29' });
    expect(plan.payments.map((p) => [p.dueDate, p.status])).toEqual([
      ['2026-03-22', 'scheduled'],
      ['2026-03-15', 'pending'],
    ]);
    t.clock.set('2026-04-02T14:00:00Z');
    const r = await t.run(t.csr, 'recurring.run', {});
    expect(r).toMatchObject({ created: 1, activated: 2, ended: 1 });
    const ended = await t.run(t.csr, 'recurring.get', { recurringId: plan.id });
    expect(ended.status).toBe('ended');
    expect(ended.payments.map((p) => p.status)).toEqual(['pending', 'pending', 'pending']);
    expect(await balance(acct.id)).toBe(47000);
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });

  it('refuses bad set-ups with the field named', async () => {
    const acct = await seedAccount(t, '9006');
    const base = { accountId: acct.id, amountMode: 'fixed', amount: '10.00', method: 'card', frequency: 'monthly', startDate: '2026-03-20' };
    expectError(await t.attempt(t.csr, 'recurring.create', { ...base, amount: undefined }), 'VALIDATION', 'amount');
    expectError(await t.attempt(t.csr, 'recurring.create', { ...base, amount: '0' }), 'VALIDATION', 'amount');
    expectError(await t.attempt(t.csr, 'recurring.create', { ...base, method: 'cash' }), 'VALIDATION', 'method');
    expectError(await t.attempt(t.csr, 'recurring.create', { ...base, frequency: 'day_of_month' }), 'VALIDATION', 'dayOfMonth');
    expectError(await t.attempt(t.csr, 'recurring.create', { ...base, endDate: '2026-03-01' }), 'VALIDATION', 'endDate');
    expectError(await t.attempt(t.csr, 'recurring.create', { ...base, startDate: '2026-03-01' }), 'VALIDATION', 'startDate');
    expectError(await t.attempt(t.csr, 'recurring.create', { ...base, endDate: '2026-03-19' }), 'VALIDATION', 'endDate');
    expectError(await t.attempt(t.csr, 'recurring.run', { throughDate: '2027-01-01' }), 'VALIDATION', 'throughDate');
    expect(await t.core.db.selectFrom('recurring_payments').selectAll().execute()).toHaveLength(0);
  });
});
