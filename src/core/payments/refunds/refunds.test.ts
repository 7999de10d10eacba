import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { depositByCommands, expectError, makeLedger, seedAccount, type TestLedger } from '../../../../test/helpers/ledger';
import { verifyLedger } from '../../ledger/checks';

let t: TestLedger;
beforeEach(async () => {
  t = await makeLedger();
});
afterEach(async () => t.cleanup());

/** A refund is of a deposited payment: the deposit is built and completed by commands. */
const markDeposited = (paymentId: string) => depositByCommands(t, [paymentId]);
/**
 * Forged on purpose: "deposited but in no closed deposit" cannot be reached through commands (only
 * deposits.complete sets Deposited, and it closes the deposit, which locks the payment so a refund
 * charges again instead). These two tests keep the un-apply path of refunds covered for such rows.
 */
const forgeDepositedOutsideDeposit = (paymentId: string) => t.core.db.updateTable('payments').set({ status: 'deposited' }).where('id', '=', paymentId).execute();
const balance = async (accountId: string) => (await t.run(t.csr, 'payers.get', { accountId })).account.balanceCents as number;
const openOf = async (accountId: string) =>
  Object.fromEntries((await t.run(t.csr, 'payers.get', { accountId })).invoices.map((i) => [i.invoiceNumber, i.openCents]));

describe('refunds.create', () => {
  it('refunds a deposited payment in two parts, undoing its newest applications first', async () => {
    const acct = await seedAccount(t, '8001', [
      { number: 'JAN', due: '2026-01-01', lines: ['60.00'] },
      { number: 'FEB', due: '2026-02-01', lines: ['40.00'] },
    ]);
    const p = await t.run(t.csr, 'payments.record', { accountId: acct.id, amount: '100.00', method: 'card', receiptEmail: 'payer@example.com' });
    await forgeDepositedOutsideDeposit(p.id);
    expect(await balance(acct.id)).toBe(0);

    const r1 = await t.run(t.csr, 'refunds.create', { paymentId: p.id, amount: '30.00', reason: 'Overcharged for February', receiptEmail: 'payer@example.com' });
    expect(r1).toMatchObject({ amountCents: 3000, unappliedCents: 3000, refundedToDateCents: 3000, paymentReference: p.reference, method: 'card' });
    expect(r1.reference).toMatch(/^RFD-[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    expect(await openOf(acct.id)).toEqual({ JAN: 0, FEB: 3000 });
    expect(await balance(acct.id)).toBe(3000);

    const state = await t.run(t.csr, 'refunds.forPayment', { paymentId: p.id });
    expect(state).toMatchObject({ refundedCents: 3000, refundableCents: 7000, cancellable: false, blockedReason: null });

    const tooMuch = await t.attempt(t.csr, 'refunds.create', { paymentId: p.id, amount: '70.01', reason: 'rest' });
    expectError(tooMuch, 'CONFLICT', 'amount');
    if (!tooMuch.ok) expect(tooMuch.error.message).toBe('Only $70.00 of payment ' + p.reference + ' can still be refunded ($100.00 paid, $30.00 refunded already).');

    const r2 = await t.run(t.csr, 'refunds.create', { paymentId: p.id, amount: '70.00', reason: 'Withdrawn' });
    expect(r2).toMatchObject({ amountCents: 7000, unappliedCents: 7000, refundedToDateCents: 10000 });
    expect(await openOf(acct.id)).toEqual({ JAN: 6000, FEB: 4000 });
    expect(await balance(acct.id)).toBe(10000);
    const done = await t.run(t.csr, 'refunds.forPayment', { paymentId: p.id });
    expect(done.refunds.map((r) => r.amountCents)).toEqual([3000, 7000]);
    expect(done.refundableCents).toBe(0);
    expect(done.blockedReason).toMatch(/refunded in full/);
    expectError(await t.attempt(t.csr, 'refunds.create', { paymentId: p.id, amount: '0.01', reason: 'more' }), 'CONFLICT', 'paymentId');

    // Un-applies are new negative rows naming what they reverse; nothing was edited.
    const apps = await t.core.db.selectFrom('applications').selectAll().where('payment_id', '=', p.id).execute();
    expect(apps.filter((a) => a.amount_cents < 0).every((a) => a.reverses_id !== null)).toBe(true);
    const mail = await t.core.db.selectFrom('email_outbox').selectAll().where('kind', '=', 'refund-receipt').execute();
    expect(mail).toHaveLength(1);
    expect(mail[0]!.body_text).toContain(r1.reference);
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });

  it('uses the payment’s unapplied money first and un-applies only the rest', async () => {
    const acct = await seedAccount(t, '8002', [{ number: 'A', due: '2026-01-01', lines: ['100.00'] }]);
    const p = await t.run(t.csr, 'payments.record', { accountId: acct.id, amount: '150.00', method: 'check', checkNumber: '77' });
    await forgeDepositedOutsideDeposit(p.id);
    const r1 = await t.run(t.csr, 'refunds.create', { paymentId: p.id, amount: '50.00', reason: 'Overpaid' });
    expect(r1.unappliedCents).toBe(0);
    expect(await openOf(acct.id)).toEqual({ A: 0 });
    const r2 = await t.run(t.csr, 'refunds.create', { paymentId: p.id, amount: '20.00', reason: 'Partial withdrawal' });
    expect(r2.unappliedCents).toBe(2000);
    expect(await openOf(acct.id)).toEqual({ A: 2000 });
    expect(await balance(acct.id)).toBe(2000);
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });

  it('refuses a pending payment (cancel it instead), zero amounts, an inactive account, a closed month', async () => {
    const acct = await seedAccount(t, '8003', [{ number: 'A', due: '2026-01-01', lines: ['10.00'] }]);
    const p = await t.run(t.csr, 'payments.record', { accountId: acct.id, amount: '10.00', method: 'cash' });
    const pending = await t.attempt(t.csr, 'refunds.create', { paymentId: p.id, amount: '5.00', reason: 'x' });
    expectError(pending, 'CONFLICT', 'paymentId');
    if (!pending.ok) expect(pending.error.message).toMatch(/cancel it instead/);
    await markDeposited(p.id);
    expectError(await t.attempt(t.csr, 'refunds.create', { paymentId: p.id, amount: '0.00', reason: 'x' }), 'VALIDATION', 'amount');
    expectError(await t.attempt(t.csr, 'refunds.create', { paymentId: p.id, amount: '-1.00', reason: 'x' }), 'VALIDATION', 'amount');
    expectError(await t.attempt(t.csr, 'refunds.create', { paymentId: p.id, amount: '1.00', reason: '' }), 'VALIDATION', 'reason');
    await t.run(t.supervisor, 'periods.close', { period: '2026-02' });
    expectError(await t.attempt(t.csr, 'refunds.create', { paymentId: p.id, amount: '1.00', reason: 'x', refundDate: '2026-02-03' }), 'PERIOD_CLOSED', 'refundDate');
    await t.run(t.supervisor, 'accounts.setStatus', { accountId: acct.id, status: 'inactive', reason: 'left' });
    expectError(await t.attempt(t.csr, 'refunds.create', { paymentId: p.id, amount: '1.00', reason: 'x' }), 'CONFLICT', 'accountId');
    expect(await t.core.db.selectFrom('refunds').selectAll().execute()).toHaveLength(0);
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });
});

describe('payments.cancel', () => {
  it('cancels a pending payment: applications undone, balance back, the record kept', async () => {
    const acct = await seedAccount(t, '8101', [{ number: 'A', due: '2026-01-01', lines: ['80.00'] }]);
    const p = await t.run(t.csr, 'payments.record', { accountId: acct.id, amount: '50.00', method: 'cash' });
    expect(await balance(acct.id)).toBe(3000);
    const r = await t.run(t.csr, 'payments.cancel', { paymentId: p.id, reason: 'Entered twice' });
    expect(r).toMatchObject({ status: 'cancelled', cancelReason: 'Entered twice', cancellable: false });
    expect(await balance(acct.id)).toBe(8000);
    expect(await openOf(acct.id)).toEqual({ A: 8000 });
    const again = await t.attempt(t.csr, 'payments.cancel', { paymentId: p.id, reason: 'again' });
    expectError(again, 'CONFLICT', 'paymentId');
    const audit = await t.core.db.selectFrom('audit_log').selectAll().where('entity_id', '=', p.id).where('action', '=', 'cancel').execute();
    expect(audit).toHaveLength(1);
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });

  it('refuses a deposited payment (refund it) and, with Strict Close, one from an earlier month', async () => {
    const acct = await seedAccount(t, '8102');
    const p = await t.run(t.csr, 'payments.record', { accountId: acct.id, amount: '5.00', method: 'cash' });
    await markDeposited(p.id);
    const r = await t.attempt(t.csr, 'payments.cancel', { paymentId: p.id, reason: 'x' });
    expectError(r, 'CONFLICT', 'paymentId');
    if (!r.ok) expect(r.error.message).toMatch(/refund it instead/);
    await t.run(t.admin, 'settings.update', { strictClose: true });
    const old = await t.run(t.csr, 'payments.record', { accountId: acct.id, amount: '5.00', method: 'cash', paymentDate: '2026-02-27' });
    const strict = await t.attempt(t.csr, 'payments.cancel', { paymentId: old.id, reason: 'x' });
    expectError(strict, 'CONFLICT', 'paymentId');
    if (!strict.ok) expect(strict.error.message).toMatch(/Strict Close/);
  });

  it('lines opened by a cancellation are paid by credits waiting on the account', async () => {
    const acct = await seedAccount(t, '8103', [{ number: 'A', due: '2026-01-01', lines: ['50.00'] }]);
    const p = await t.run(t.csr, 'payments.record', { accountId: acct.id, amount: '50.00', method: 'cash' });
    const item = await t.run(t.csr, 'creditItems.create', { name: 'Goodwill' });
    const c = await t.run(t.csr, 'credits.post', { accountId: acct.id, amount: '20.00', creditItemId: item.id });
    expect(c.unappliedCents).toBe(2000);
    await t.run(t.csr, 'payments.cancel', { paymentId: p.id, reason: 'Card declined' });
    expect((await t.run(t.csr, 'credits.get', { creditId: c.id })).unappliedCents).toBe(0);
    expect(await openOf(acct.id)).toEqual({ A: 3000 });
    expect(await balance(acct.id)).toBe(3000);
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });
});
