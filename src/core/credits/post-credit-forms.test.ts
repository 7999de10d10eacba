import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError, makeLedger, seedAccount, type TestLedger } from '../../../test/helpers/ledger';
import { verifyLedger } from '../ledger/checks';

/** Issue 11, observations 7 and 8: forms that check before they act (core side). */

let t: TestLedger;
beforeEach(async () => {
  t = await makeLedger(); // today is 2026-03-15
});
afterEach(async () => t.cleanup());

const item = () => t.run(t.admin, 'creditItems.create', { name: 'Sibling discount' });

describe('Post Credit', () => {
  it('refuses a public comment over 500 characters naming the field, before posting anything', async () => {
    const a = await seedAccount(t, '6101', [{ number: 'I-1', due: '2026-03-01', lines: ['50.00'] }]);
    const it = await item();
    const r = await t.attempt(t.csr, 'credits.post', { accountId: a.id, amount: '5.00', creditItemId: it.id, publicComment: 'x'.repeat(501) });
    expectError(r, 'VALIDATION', 'publicComment');
    expect(await t.run(t.csr, 'credits.listForAccount', { accountId: a.id })).toEqual([]);
  });

  it('posts the credit with a new invoice, in one transaction', async () => {
    const a = await seedAccount(t, '6102', [{ number: 'OLD', due: '2026-01-01', lines: ['30.00'] }]);
    const it = await item();
    const c = await t.run(t.admin, 'credits.post', {
      accountId: a.id,
      amount: '25.00',
      creditItemId: it.id,
      newInvoice: { invoiceNumber: 'APR-1', dueDate: '2026-04-01', lines: [{ category: 'Tuition', description: 'April tuition', amount: '100.00' }] },
    });
    expect(c).toMatchObject({ amountCents: 2500, invoiceNumber: 'APR-1', appliedCents: 2500 });
    const acct = await t.run(t.csr, 'payers.get', { accountId: a.id });
    expect(acct.account.balanceCents).toBe(3000 + 10000 - 2500);
    expect(Object.fromEntries(acct.invoices.map((i) => [i.invoiceNumber, i.openCents]))).toEqual({ OLD: 3000, 'APR-1': 7500 });
    // A bad invoice line refuses the whole thing: no invoice, no credit.
    const bad = await t.attempt(t.admin, 'credits.post', { accountId: a.id, amount: '5.00', creditItemId: it.id, newInvoice: { invoiceNumber: 'APR-1', lines: [{ category: 'Tuition', description: '', amount: '10.00' }] } });
    expectError(bad, 'CONFLICT', 'invoiceNumber');
    expect((await t.run(t.csr, 'credits.listForAccount', { accountId: a.id })).length).toBe(1);
    // Creating an invoice stays an Admin's.
    expectError(await t.attempt(t.csr, 'credits.post', { accountId: a.id, amount: '5.00', creditItemId: it.id, newInvoice: { invoiceNumber: 'X', lines: [{ category: 'T', description: '', amount: '1.00' }] } }), 'FORBIDDEN', 'newInvoice');
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });
});

describe('re-apply grid', () => {
  it('a bad cell (abc, 44.005) refuses the whole re-apply, naming the row; nothing is saved', async () => {
    const a = await seedAccount(t, '6103', [
      { number: 'A', due: '2026-01-01', lines: ['60.00'] },
      { number: 'B', due: '2026-02-01', lines: ['60.00'] },
    ]);
    const d = await t.run(t.supervisor, 'deposits.create', { divisionId: t.divisionId });
    const p = await t.run(t.supervisor, 'deposits.enterPayment', { depositId: d.id, accountId: a.id, amount: '100.00', method: 'cash', apply: 'none' });
    const c = await t.run(t.supervisor, 'payments.corrections', { paymentId: p.id });
    const [lb, la] = c.lines; // newest first
    for (const bad of ['abc', '44.005']) {
      const r = await t.attempt(t.supervisor, 'payments.reapply', { paymentId: p.id, mode: 'lines', lines: [{ chargeLineId: la.chargeLineId, amount: '50.00' }, { chargeLineId: lb.chargeLineId, amount: bad }] });
      expectError(r, 'VALIDATION', 'lines.1.amount');
    }
    expect((await t.run(t.supervisor, 'payments.corrections', { paymentId: p.id })).allocation).toEqual([]);
  });
});
