import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeLedger, seedAccount, type TestLedger } from '../../../../test/helpers/ledger';
import { verifyLedger } from '../../ledger/checks';
import { accountFigures } from '../../ledger/tie-out';

/**
 * Issue 15 item 4 (last sentence): closed is closed for refunds too. A refund of a payment in a
 * closed deposit or a closed month never changes that deposit's total or lines, nor a posting in
 * that month: what un-applying would have re-opened is charged again today, linked to the refund.
 */

let t: TestLedger;
beforeEach(async () => {
  t = await makeLedger(); // today is 2026-03-15
});
afterEach(async () => t.cleanup());

const payer = (accountId: string) => t.run(t.csr, 'payers.get', { accountId });
const applications = (paymentId: string) => t.core.db.selectFrom('applications').selectAll().where('payment_id', '=', paymentId).orderBy('id').execute();
const aging = async (accountNumber: string) => {
  const r = await t.run(t.supervisor, 'reports.agingAccounts', { divisionId: t.divisionId, asOf: '2026-03-15' });
  return r.rows.find((x) => x.accountNumber === accountNumber);
};

/** Two invoices paid by one check in a deposit that is then completed (closed); February optionally closed too. */
async function closedDepositPayment(opts: { depositDate: string; closeFebruary?: boolean; amount?: string }) {
  const acct = await seedAccount(t, '7001', [
    { number: 'JAN', due: '2026-01-10', lines: ['60.00'] },
    { number: 'FEB', due: '2026-02-10', lines: ['40.00'] },
  ]);
  const d = await t.run(t.supervisor, 'deposits.create', { divisionId: t.divisionId, depositDate: opts.depositDate });
  const p = await t.run(t.supervisor, 'deposits.enterPayment', { depositId: d.id, accountId: acct.id, amount: opts.amount ?? '100.00', method: 'check', checkNumber: '501' });
  await t.run(t.supervisor, 'deposits.complete', { depositId: d.id });
  if (opts.closeFebruary) await t.run(t.supervisor, 'periods.close', { period: '2026-02' });
  return { acct, d, p };
}

describe('refunds of payments that sit in a closed deposit or a closed month', () => {
  it('a refund in a closed deposit leaves the deposit and its lines as they were and charges the re-opened amount today, linked', async () => {
    const { acct, d, p } = await closedDepositPayment({ depositDate: '2026-03-02' });
    const depositBefore = await t.run(t.supervisor, 'deposits.get', { depositId: d.id });
    const appsBefore = await applications(p.id);
    expect((await payer(acct.id)).account.balanceCents).toBe(0);

    const refund = await t.run(t.supervisor, 'refunds.create', { paymentId: p.id, amount: '30.00', reason: 'Overpaid February' });

    // The deposit's total and lines, and the payment's applications, are untouched.
    expect(await t.run(t.supervisor, 'deposits.get', { depositId: d.id })).toEqual(depositBefore);
    expect(await applications(p.id)).toEqual(appsBefore);
    expect(refund).toMatchObject({ amountCents: 3000, refundDate: '2026-03-15', unappliedCents: 0, chargedAgainCents: 3000 });

    // What un-applying would have re-opened (the newest: FEB's $30) is a charge dated today, named after the refund.
    const after = await payer(acct.id);
    expect(after.account.balanceCents).toBe(3000);
    const invoices = Object.fromEntries(after.invoices.map((i) => [i.invoiceNumber, i]));
    expect(invoices.JAN.openCents).toBe(0);
    expect(invoices.FEB.openCents).toBe(0);
    expect(invoices[refund.reference]).toMatchObject({ invoiceDate: '2026-03-15', openCents: 3000 });
    const entries = await t.core.db.selectFrom('account_entries').selectAll().where('account_id', '=', acct.id).where('description', 'like', `%${refund.reference}%`).execute();
    expect(entries.map((e) => e.entry_date)).toEqual(['2026-03-15']);
    expect(entries.reduce((s, e) => s + Number(e.amount_cents), 0)).toBe(3000);
    expect(entries[0]!.description).toContain(refund.reference);
    expect(entries[0]!.description).toContain(p.reference);

    // One balance: open charges − unapplied money, and the aging agrees.
    const fig = (await accountFigures(t.core.db, [acct.id])).get(acct.id)!;
    expect(fig).toEqual({ balanceCents: 3000, openCents: 3000, unappliedCents: 0 });
    // Charged again with FEB's due date, so it ages as the re-opened line would have.
    expect(await aging('7001')).toMatchObject({ total: 3000, unapplied: 0, d31_60: 3000, current: 0 });
    expect(await verifyLedger(t.core.db)).toEqual([]);

    // The payment's own figures stay whole: nothing unapplied, nothing negative.
    expect((await t.run(t.csr, 'payments.get', { paymentId: p.id })).unappliedCents).toBe(0);

    // A second refund charges again the next lines newest first, never FEB's $30 twice.
    const second = await t.run(t.supervisor, 'refunds.create', { paymentId: p.id, amount: '50.00', reason: 'The rest of February and part of January' });
    expect(second.chargedAgainCents).toBe(5000);
    const lines = await t.core.db
      .selectFrom('charge_lines')
      .innerJoin('invoices', 'invoices.id', 'charge_lines.invoice_id')
      .select(['charge_lines.amount_cents', 'charge_lines.due_date'])
      .where('invoices.invoice_number', '=', second.reference)
      .orderBy('charge_lines.line_no')
      .execute();
    expect(lines).toEqual([
      { amount_cents: 1000, due_date: '2026-02-10' },
      { amount_cents: 4000, due_date: '2026-01-10' },
    ]);
    expect(await t.run(t.supervisor, 'deposits.get', { depositId: d.id })).toEqual(depositBefore);
    expect((await accountFigures(t.core.db, [acct.id])).get(acct.id)).toEqual({ balanceCents: 8000, openCents: 8000, unappliedCents: 0 });
    expect(await verifyLedger(t.core.db)).toEqual([]);

    // The audit entry links the refund to what it charged again.
    const audit = await t.run(t.admin, 'audit.list', { entity: 'refund', entityId: refund.id });
    expect(JSON.stringify(audit[0].after)).toContain('"charged_again_cents":3000');
  });

  it('the same for a payment dated in a closed month, and the rest of a refund still comes from its free money first', async () => {
    // $120 paid on $100 of invoices: $20 of it was never applied.
    const { acct, d, p } = await closedDepositPayment({ depositDate: '2026-02-20', closeFebruary: true, amount: '120.00' });
    expect((await payer(acct.id)).account.balanceCents).toBe(-2000);
    const depositBefore = await t.run(t.supervisor, 'deposits.get', { depositId: d.id });
    const appsBefore = await applications(p.id);
    const refund = await t.run(t.supervisor, 'refunds.create', { paymentId: p.id, amount: '100.00', reason: 'Paid twice' });
    expect(await t.run(t.supervisor, 'deposits.get', { depositId: d.id })).toEqual(depositBefore);
    expect(await applications(p.id)).toEqual(appsBefore);
    const after = await payer(acct.id);
    expect(after.account.balanceCents).toBe(8000);
    // Both lines are charged again, each keeping the due date it had (so aging ages them as before).
    const charged = await t.core.db
      .selectFrom('charge_lines')
      .innerJoin('invoices', 'invoices.id', 'charge_lines.invoice_id')
      .select(['charge_lines.amount_cents', 'charge_lines.open_cents', 'charge_lines.due_date', 'invoices.invoice_date'])
      .where('invoices.invoice_number', '=', refund.reference)
      .orderBy('charge_lines.line_no')
      .execute();
    // $20 came from the unapplied money; the other $80 is what un-applying newest first would have re-opened.
    expect(charged).toEqual([
      { amount_cents: 4000, open_cents: 4000, due_date: '2026-02-10', invoice_date: '2026-03-15' },
      { amount_cents: 4000, open_cents: 4000, due_date: '2026-01-10', invoice_date: '2026-03-15' },
    ]);
    expect((await accountFigures(t.core.db, [acct.id])).get(acct.id)).toEqual({ balanceCents: 8000, openCents: 8000, unappliedCents: 0 });
    expect(await aging('7001')).toMatchObject({ total: 8000, unapplied: 0, d31_60: 4000, d61_90: 4000 });
    expect(await verifyLedger(t.core.db)).toEqual([]);
    // Nothing is dated in closed February.
    const posted = await t.core.db.selectFrom('account_entries').select(['entry_date', 'kind', 'source_type', 'amount_cents']).where('account_id', '=', acct.id).where('description', 'like', `%${refund.reference}%`).orderBy('amount_cents').execute();
    // The $20 of free money is the refund's own entry; the two charged-again lines carry the rest.
    expect(posted).toEqual([
      { entry_date: '2026-03-15', kind: 'refund', source_type: 'refund', amount_cents: 2000 },
      { entry_date: '2026-03-15', kind: 'refund', source_type: 'charge_line', amount_cents: 4000 },
      { entry_date: '2026-03-15', kind: 'refund', source_type: 'charge_line', amount_cents: 4000 },
    ]);
  });

  it('a deposited payment outside any closed deposit, in an open month, is still un-applied as before', async () => {
    const acct = await seedAccount(t, '7002', [{ number: 'MAR', due: '2026-03-10', lines: ['50.00'] }]);
    const p = await t.run(t.csr, 'payments.record', { accountId: acct.id, amount: '50.00', method: 'cash' });
    // Forged on purpose: no command reaches "deposited, in no closed deposit" (deposits.complete
    // closes the deposit); this guards the un-apply path for such rows.
    await t.core.db.updateTable('payments').set({ status: 'deposited' }).where('id', '=', p.id).execute();
    const refund = await t.run(t.supervisor, 'refunds.create', { paymentId: p.id, amount: '20.00', reason: 'Partial' });
    expect(refund).toMatchObject({ unappliedCents: 2000, chargedAgainCents: 0 });
    const invoices = Object.fromEntries((await payer(acct.id)).invoices.map((i) => [i.invoiceNumber, i.openCents]));
    expect(invoices).toEqual({ MAR: 2000 });
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });
});
