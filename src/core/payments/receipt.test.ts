import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { depositByCommands, makeLedger, seedAccount, type TestLedger } from '../../../test/helpers/ledger';

/**
 * Every receipt goes through receipt.ts. These pin the exact text each path queued before the
 * fold: Make Payment, a category payment, a recurring activation and a refund.
 */
let t: TestLedger;
beforeEach(async () => {
  t = await makeLedger();
});
afterEach(async () => t.cleanup());

const mailFor = (relatedId: string) =>
  t.core.db.selectFrom('email_outbox').select(['kind', 'to_address', 'subject', 'body_text']).where('related_id', '=', relatedId).executeTakeFirstOrThrow();

describe('receipts: one builder, the same text as before', () => {
  it('Make Payment and a category payment: thanks, reference, account, date, amount, method', async () => {
    const acct = await seedAccount(t, '9401', [{ number: 'A', due: '2026-01-01', lines: ['80.00'] }], 'Ann Payer');
    const p = await t.run(t.csr, 'payments.record', { accountId: acct.id, amount: '50.00', method: 'check', checkNumber: '1234', receiptEmail: 'ann@example.com' });
    expect(await mailFor(p.id)).toEqual({
      kind: 'payment-receipt',
      to_address: 'ann@example.com',
      subject: `Payment receipt ${p.reference}`,
      body_text: `Thank you for your payment.\n\nReference: ${p.reference}\nAccount: 9401 (Ann Payer)\nDate: 2026-03-15\nAmount: $50.00\nMethod: Check 1234`,
    });
    const fund = await t.run(t.admin, 'categories.create', { name: 'Donation', countsTowardBalance: false });
    const c = await t.run(t.csr, 'categories.pay', { accountId: acct.id, categoryId: fund.id, amount: '5.00', method: 'cash', receiptEmail: 'ann@example.com' });
    expect((await mailFor(c.id)).body_text).toBe(`Thank you for your payment.\n\nReference: ${c.reference}\nAccount: 9401 (Ann Payer)\nDate: 2026-03-15\nAmount: $5.00\nMethod: Cash`);
  });

  it('a recurring activation: once, however often the run repeats', async () => {
    const acct = await seedAccount(t, '9402', [{ number: 'A', due: '2026-03-01', lines: ['100.00'] }], 'Bo Payer');
    const plan = await t.run(t.csr, 'recurring.create', { accountId: acct.id, amountMode: 'fixed', amount: '25.00', method: 'card', frequency: 'weekly', startDate: '2026-03-18', receiptEmail: 'bo@example.com' });
    t.clock.set('2026-03-18T14:00:00Z');
    await t.run(t.csr, 'recurring.run', {});
    await t.run(t.csr, 'recurring.run', {});
    const id = plan.payments[0]!.paymentId;
    const p = await t.run(t.csr, 'payments.get', { paymentId: id });
    const mails = await t.core.db.selectFrom('email_outbox').select(['kind', 'subject', 'body_text']).where('related_id', '=', id).execute();
    expect(mails).toEqual([
      { kind: 'payment-receipt', subject: `Payment receipt ${p.reference}`, body_text: `Your recurring payment was made.\n\nReference: ${p.reference}\nAccount: 9402 (Bo Payer)\nDate: 2026-03-18\nAmount: $25.00` },
    ]);
  });

  it('a refund: what was refunded, of which payment, and the total so far', async () => {
    const acct = await seedAccount(t, '9403', [{ number: 'A', due: '2026-01-01', lines: ['100.00'] }], 'Cy Payer');
    const p = await t.run(t.csr, 'payments.record', { accountId: acct.id, amount: '100.00', method: 'card' });
    await depositByCommands(t, [p.id]);
    const r = await t.run(t.csr, 'refunds.create', { paymentId: p.id, amount: '30.00', reason: 'Overcharged', receiptEmail: 'cy@example.com' });
    expect(await mailFor(r.id)).toEqual({
      kind: 'refund-receipt',
      to_address: 'cy@example.com',
      subject: `Refund receipt ${r.reference}`,
      body_text: `A refund has been issued.\n\nRefund: ${r.reference}\nOf payment: ${p.reference} dated 2026-03-15 ($100.00)\nAccount: 9403 (Cy Payer)\nDate: 2026-03-15\nAmount refunded: $30.00 by Card\nRefunded of this payment so far: $30.00`,
    });
  });
});
