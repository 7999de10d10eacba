import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { depositByCommands, expectError, makeLedger, seedAccount, type TestLedger } from '../../../../test/helpers/ledger';
import { verifyLedger } from '../../ledger/checks';

let t: TestLedger;
beforeEach(async () => {
  t = await makeLedger();
});
afterEach(async () => t.cleanup());

const balance = async (accountId: string) => (await t.run(t.csr, 'payers.get', { accountId })).account.balanceCents as number;

describe('payment categories', () => {
  it('add, edit, list for all payers or one payer; only Admins manage them', async () => {
    const a = await seedAccount(t, '1101');
    const b = await seedAccount(t, '1102');
    expectError(await t.attempt(t.csr, 'categories.create', { name: 'Tuition', countsTowardBalance: true }), 'FORBIDDEN');
    const tuition = await t.run(t.admin, 'categories.create', { name: 'Tuition', countsTowardBalance: true });
    const fund = await t.run(t.admin, 'categories.create', { name: 'Field trip fund', accountId: a.id, countsTowardBalance: false });
    expect(fund).toMatchObject({ accountId: a.id, accountNumber: '1101', countsTowardBalance: false, status: 'active', paymentCount: 0 });
    expectError(await t.attempt(t.admin, 'categories.create', { name: 'tuition', countsTowardBalance: false }), 'CONFLICT', 'name');
    // The same name is allowed for another payer only.
    await t.run(t.admin, 'categories.create', { name: 'Field trip fund', accountId: b.id, countsTowardBalance: false });
    expect((await t.run(t.csr, 'categories.list', { accountId: a.id })).map((c) => [c.name, c.accountNumber])).toEqual([
      ['Field trip fund', '1101'],
      ['Tuition', null],
    ]);
    expect(await t.run(t.csr, 'categories.list', {})).toHaveLength(3);
    const renamed = await t.run(t.admin, 'categories.update', { categoryId: tuition.id, name: 'Tuition & fees', countsTowardBalance: true });
    expect(renamed.name).toBe('Tuition & fees');
    expectError(await t.attempt(t.admin, 'categories.create', { name: 'X', accountId: '01900000-0000-7000-8000-000000000009', countsTowardBalance: true }), 'NOT_FOUND', 'accountId');
  });

  it('a category payment that counts pays that category’s charges first, then the rest', async () => {
    const acct = await seedAccount(t, '1201');
    await t.run(t.admin, 'invoices.create', {
      accountId: acct.id,
      invoiceNumber: 'I-1',
      invoiceDate: '2026-01-01',
      dueDate: '2026-01-01',
      lines: [
        { category: 'Lunch', description: 'January lunches', amount: '30.00' },
        { category: 'Tuition', description: 'January tuition', amount: '100.00' },
      ],
    });
    await t.run(t.admin, 'invoices.create', { accountId: acct.id, invoiceNumber: 'I-2', invoiceDate: '2026-02-01', dueDate: '2026-02-01', lines: [{ category: 'Tuition', description: 'February tuition', amount: '100.00' }] });
    const cat = await t.run(t.admin, 'categories.create', { name: 'tuition', countsTowardBalance: true });
    const p = await t.run(t.csr, 'categories.pay', { accountId: acct.id, categoryId: cat.id, amount: '220.00', method: 'cash', memo: 'Spring term' });
    expect(p).toMatchObject({ kind: 'category', categoryName: 'tuition', countsTowardBalance: true, memo: 'tuition: Spring term', status: 'pending' });
    expect(p.applications.map((x) => [x.description, x.amountCents]).sort()).toEqual([
      ['February tuition', 10000],
      ['January lunches', 2000],
      ['January tuition', 10000],
    ]);
    expect(await balance(acct.id)).toBe(1000);
    expect((await t.run(t.csr, 'categories.list', {}))[0].paymentCount).toBe(1);
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });

  it('a category outside the balance records the payment without moving the balance; its refund neither', async () => {
    const acct = await seedAccount(t, '1301', [{ number: 'A', due: '2026-01-01', lines: ['50.00'] }]);
    const fund = await t.run(t.admin, 'categories.create', { name: 'Donation', countsTowardBalance: false });
    const p = await t.run(t.csr, 'categories.pay', { accountId: acct.id, categoryId: fund.id, amount: '40.00', method: 'check', checkNumber: '1001' });
    expect(p).toMatchObject({ appliedCents: 0, countsTowardBalance: false, amountCents: 4000 });
    expect(await balance(acct.id)).toBe(5000);
    await depositByCommands(t, [p.id]);
    await t.run(t.csr, 'refunds.create', { paymentId: p.id, amount: '15.00', reason: 'Donor changed mind' });
    expect(await balance(acct.id)).toBe(5000);
    // Later changes to the category do not rewrite the payments made with it.
    await t.run(t.admin, 'categories.update', { categoryId: fund.id, name: 'Donation', countsTowardBalance: true });
    expect(await verifyLedger(t.core.db)).toEqual([]);
    const other = await seedAccount(t, '1302');
    const cancelMe = await t.run(t.csr, 'categories.pay', { accountId: other.id, categoryId: fund.id, amount: '5.00', method: 'cash' });
    await t.run(t.csr, 'payments.cancel', { paymentId: cancelMe.id, reason: 'wrong payer' });
    expect(await balance(other.id)).toBe(0);
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });

  it('refuses deleting a used category (retire it instead); deletes an unused one; retired ones take no payments', async () => {
    const acct = await seedAccount(t, '1401');
    const used = await t.run(t.admin, 'categories.create', { name: 'Books', countsTowardBalance: true });
    const unused = await t.run(t.admin, 'categories.create', { name: 'Typo', countsTowardBalance: true });
    await t.run(t.csr, 'categories.pay', { accountId: acct.id, categoryId: used.id, amount: '10.00', method: 'cash' });
    const r = await t.attempt(t.admin, 'categories.delete', { categoryId: used.id });
    expectError(r, 'CONFLICT', 'categoryId');
    if (!r.ok) expect(r.error.message).toBe('1 payment was made toward "Books"; deleting it would leave it without a category. Retire it instead.');
    expect(await t.run(t.admin, 'categories.delete', { categoryId: unused.id })).toEqual({ deleted: true, categoryId: unused.id });
    const audit = await t.core.db.selectFrom('audit_log').selectAll().where('entity_id', '=', unused.id).where('action', '=', 'delete').execute();
    expect(JSON.parse(audit[0]!.before_json!)).toMatchObject({ name: 'Typo' });
    const retired = await t.run(t.admin, 'categories.retire', { categoryId: used.id });
    expect(retired).toMatchObject({ status: 'retired', paymentCount: 1 });
    expect((await t.run(t.csr, 'categories.list', { accountId: acct.id })).map((c) => c.name)).toEqual([]);
    expectError(await t.attempt(t.csr, 'categories.pay', { accountId: acct.id, categoryId: used.id, amount: '1.00', method: 'cash' }), 'CONFLICT', 'categoryId');
    const mine = await t.run(t.admin, 'categories.create', { name: 'Mine', accountId: acct.id, countsTowardBalance: true });
    const stranger = await seedAccount(t, '1402');
    expectError(await t.attempt(t.csr, 'categories.pay', { accountId: stranger.id, categoryId: mine.id, amount: '1.00', method: 'cash' }), 'VALIDATION', 'categoryId');
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });
});
