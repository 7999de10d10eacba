import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError, makeLedger, seedAccount, type TestLedger } from '../../../test/helpers/ledger';
import { verifyAuditChain } from '../audit/audit-log';
import { verifyLedger } from '../ledger/checks';
import { gatherAccountFacts } from '../notifications/statement-data';

/** Issue 14 item 2: invoices by hand, and editing an open invoice's charge lines. */

let t: TestLedger;
beforeEach(async () => {
  t = await makeLedger(); // today is 2026-03-15
});
afterEach(async () => t.cleanup());

/** The figures the office reads for one account: they must agree after every edit. */
async function figures(accountId: string) {
  const detail = await t.run(t.csr, 'payers.get', { accountId });
  const aging = await t.run(t.supervisor, 'reports.agingAccounts', { divisionId: t.divisionId });
  const agingRow = aging.rows.find((r: { accountId: string }) => r.accountId === accountId);
  return { balance: detail.account.balanceCents as number, open: detail.openChargesCents as number, unapplied: detail.unappliedCents as number, aging: (agingRow?.total ?? 0) as number, detail };
}
async function expectTiedOut(accountId: string) {
  const f = await figures(accountId);
  expect(f.balance).toBe(f.open - f.unapplied);
  expect(f.aging).toBe(f.balance);
  // What the account page shows open, invoice by invoice and line by line, is the open charges: a
  // superseded version shows nothing open (its charges were reversed), and a statement agrees.
  type Inv = { status: string; openCents: number; lines: { openCents: number }[] };
  const invoices = f.detail.invoices as Inv[];
  expect(invoices.reduce((s, i) => s + i.openCents, 0)).toBe(f.open);
  expect(invoices.flatMap((i) => i.lines).reduce((s, l) => s + l.openCents, 0)).toBe(f.open);
  expect(invoices.filter((i) => i.status === 'superseded').every((i) => i.openCents === 0)).toBe(true);
  const facts = (await gatherAccountFacts(t.core.db, [accountId], '2026-03-15')).get(accountId)!;
  expect(facts.closingCents).toBe(f.balance);
  expect(facts.openCents).toBe(f.open);
  expect(await verifyLedger(t.core.db)).toEqual([]);
  return f;
}
const linesOf = (inv: { lines: { id: string; category: string; description: string; amountCents: number }[] }) =>
  inv.lines.map((l) => ({ lineId: l.id, category: l.category, description: l.description, amount: (l.amountCents / 100).toFixed(2) }));

describe('invoices.create (by hand)', () => {
  it('a supervisor creates an invoice with lines; a CSR may not', async () => {
    const a = await seedAccount(t, 'H1');
    const input = { accountId: a.id, invoiceNumber: 'INV-100', invoiceDate: '2026-03-10', dueDate: '2026-04-10', lines: [{ category: 'Tuition', description: 'Spring term', amount: '1,200.00' }, { category: 'Fees', description: 'Lab', amount: '35.50' }] };
    expectError(await t.attempt(t.csr, 'invoices.create', input), 'FORBIDDEN');
    const inv = await t.run(t.supervisor, 'invoices.create', input);
    expect(inv).toMatchObject({ invoiceNumber: 'INV-100', totalCents: 123_550, openCents: 123_550, status: 'open' });
    expectError(await t.attempt(t.supervisor, 'invoices.create', { ...input, lines: [{ category: 'Fees', description: '', amount: '0.00' }] }), 'VALIDATION', 'lines.0.amount');
    expect((await expectTiedOut(a.id)).balance).toBe(123_550);
  });
});

describe('invoices.edit', () => {
  it('changing, adding and voiding lines with a payment applied: applications follow the ledger rules and every figure agrees', async () => {
    const a = await seedAccount(t, 'E1', [{ number: 'INV-1', due: '2026-03-01', lines: ['100.00', '50.00'] }]);
    await t.run(t.csr, 'payments.record', { accountId: a.id, amount: '120.00', method: 'cash' });
    let f = await expectTiedOut(a.id);
    const inv = f.detail.invoices[0];
    expect(inv.lines.map((l: { openCents: number }) => l.openCents)).toEqual([0, 3_000]);

    const lines = linesOf(inv);
    const edited = await t.run(t.supervisor, 'invoices.edit', {
      invoiceId: inv.id,
      reason: 'Fee corrected',
      lines: [{ ...lines[0]!, amount: '80.00', description: 'Line 1 (corrected)' }, lines[1]!, { category: 'Fees', description: 'Late fee', amount: '25.00' }],
    });
    // The payment's 120.00 is applied again oldest due first over the new lines.
    expect(edited.lines.map((l: { amountCents: number; openCents: number }) => [l.amountCents, l.openCents])).toEqual([[8_000, 0], [5_000, 1_000], [2_500, 2_500]]);
    f = await expectTiedOut(a.id);
    expect(f.balance).toBe(3_500);
    expect(f.detail.invoices.filter((i: { status: string }) => i.status === 'open')).toHaveLength(1);
    expect(f.detail.invoices.find((i: { id: string }) => i.id === inv.id)!.status).toBe('superseded');

    // Void the late fee: what it had been paid stays with the payer, as unapplied money.
    const v = linesOf(edited);
    const after = await t.run(t.supervisor, 'invoices.edit', { invoiceId: edited.id, reason: 'Waived', lines: [v[0], v[1], { ...v[2], void: true }] });
    expect(after.totalCents).toBe(13_000);
    f = await expectTiedOut(a.id);
    expect([f.balance, f.open, f.unapplied]).toEqual([1_000, 1_000, 0]);
    // Lowering a paid line below what was paid leaves money unapplied (a credit on the account).
    const w = linesOf(after);
    await t.run(t.supervisor, 'invoices.edit', { invoiceId: after.id, reason: 'Discount', lines: [{ ...w[0], amount: '40.00' }, { ...w[1], amount: '20.00' }] });
    f = await expectTiedOut(a.id);
    expect([f.balance, f.open, f.unapplied]).toEqual([-6_000, 0, 6_000]);

    const audit = await t.run(t.supervisor, 'reports.audit', { entity: 'invoice', action: 'edit' });
    expect(audit.rows).toHaveLength(3);
    expect(audit.rows[2].description).toContain('Fee corrected');
    expect(audit.rows[2].changes).toContainEqual({ field: 'Lines', before: '["Line 1: $100.00","Line 2: $50.00"]', after: '["Line 1 (corrected): $80.00","Line 2: $50.00","Late fee: $25.00"]' });
    expect((await verifyAuditChain(t.core.db)).ok).toBe(true);
  });

  it('an invoice of a closed month, paid from a closed deposit: nothing in February changes, the correction posts today, linked', async () => {
    const a = await seedAccount(t, 'C1', [{ number: 'FEB-1', due: '2026-02-01', lines: ['100.00', '60.00'] }]);
    const d = await t.run(t.supervisor, 'deposits.create', { divisionId: t.divisionId, depositDate: '2026-02-20' });
    const p = await t.run(t.supervisor, 'deposits.enterPayment', { depositId: d.id, accountId: a.id, amount: '100.00', method: 'check', checkNumber: '12' });
    await t.run(t.supervisor, 'deposits.complete', { depositId: d.id });
    await t.run(t.supervisor, 'periods.close', { period: '2026-02' });
    const febEntries = await t.core.db.selectFrom('account_entries').selectAll().where('account_id', '=', a.id).where('entry_date', '<', '2026-03-01').orderBy('id').execute();
    const febApps = await t.core.db.selectFrom('applications').selectAll().where('payment_id', '=', p.id).execute();

    const inv = (await figures(a.id)).detail.invoices[0];
    const l = linesOf(inv);
    const edited = await t.run(t.supervisor, 'invoices.edit', { invoiceId: inv.id, reason: 'Rate change', lines: [{ ...l[0], amount: '90.00' }, l[1]] });
    expect(edited.invoiceDate).toBe('2026-02-01');

    // February is as it was: its entries, the closed deposit's applications.
    expect(await t.core.db.selectFrom('account_entries').selectAll().where('account_id', '=', a.id).where('entry_date', '<', '2026-03-01').orderBy('id').execute()).toEqual(febEntries);
    expect(await t.core.db.selectFrom('applications').selectAll().where('payment_id', '=', p.id).execute()).toEqual(febApps);
    // Everything new posts today: the reversal, the new charges, and the linked credit for what the closed payment paid.
    const today = await t.core.db.selectFrom('account_entries').select(['kind', 'amount_cents', 'entry_date']).where('account_id', '=', a.id).where('entry_date', '>=', '2026-03-01').execute();
    expect(today.every((e) => e.entry_date === '2026-03-15')).toBe(true);
    const credit = await t.core.db.selectFrom('credits').selectAll().where('account_id', '=', a.id).executeTakeFirstOrThrow();
    expect(credit).toMatchObject({ amount_cents: 10_000, credit_date: '2026-03-15', invoice_id: edited.id });
    expect(credit.private_comment).toContain(p.reference);
    const f = await expectTiedOut(a.id);
    expect(f.balance).toBe(5_000); // 90 + 60 − 100 paid
    expect(edited.lines.map((x: { openCents: number }) => x.openCents)).toEqual([0, 5_000]);
  });

  it('refuses a CSR, a replaced version, a missing line and an edit that changes nothing, and changes nothing', async () => {
    const a = await seedAccount(t, 'R1', [{ number: 'INV-9', due: '2026-03-01', lines: ['10.00', '20.00'] }]);
    const inv = (await figures(a.id)).detail.invoices[0];
    const l = linesOf(inv);
    expectError(await t.attempt(t.csr, 'invoices.edit', { invoiceId: inv.id, reason: 'x', lines: [{ ...l[0], amount: '5.00' }, l[1]] }), 'FORBIDDEN');
    expectError(await t.attempt(t.supervisor, 'invoices.edit', { invoiceId: inv.id, reason: 'x', lines: [{ ...l[0], amount: '5.00' }] }), 'VALIDATION', 'lines');
    expectError(await t.attempt(t.supervisor, 'invoices.edit', { invoiceId: inv.id, reason: 'x', lines: l }), 'VALIDATION', 'lines');
    expectError(await t.attempt(t.supervisor, 'invoices.edit', { invoiceId: inv.id, reason: 'x', lines: [{ ...l[0], amount: '-5.00' }, l[1]] }), 'VALIDATION', 'lines.0.amount');
    await t.run(t.supervisor, 'invoices.edit', { invoiceId: inv.id, reason: 'x', lines: [{ ...l[0], amount: '5.00' }, l[1]] });
    expectError(await t.attempt(t.supervisor, 'invoices.edit', { invoiceId: inv.id, reason: 'again', lines: [{ ...l[0], amount: '6.00' }, l[1]] }), 'CONFLICT', 'invoiceId');
    expect((await expectTiedOut(a.id)).balance).toBe(2_500);
  });
});
