import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError, makeLedger, seedAccount, type TestLedger } from '../../../test/helpers/ledger';
import { verifyAuditChain } from '../audit/audit-log';
import { verifyLedger } from '../ledger/checks';
import { postCreditBatch } from './post-credit';

let t: TestLedger;
let itemId: string;
beforeEach(async () => {
  t = await makeLedger();
  itemId = (await t.run(t.admin, 'creditItems.create', { name: 'Misc. Credit', description: 'General credit' })).id;
});
afterEach(async () => t.cleanup());

const count = async (table: 'credits' | 'account_entries' | 'credit_applications') =>
  Number((await t.core.db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);

const openByInvoice = async (accountId: string) => {
  const d = await t.run(t.csr, 'payers.get', { accountId });
  return Object.fromEntries(d.invoices.map((i) => [i.invoiceNumber, i.openCents]));
};

describe('credits.post', () => {
  it('applies oldest due first across several invoices and keeps the rest for the next invoice', async () => {
    const acct = await seedAccount(t, '3001', [
      { number: 'INV-3', due: '2026-03-01', lines: ['30.00'] },
      { number: 'INV-1', due: '2026-01-01', lines: ['10.00', '15.00'] },
      { number: 'INV-2', due: '2026-02-01', lines: ['20.00'] },
    ]);
    const c = await t.run(t.csr, 'credits.post', {
      accountId: acct.id,
      amount: '90.00',
      creditItemId: itemId,
      classification: 'North Clinic',
      publicComment: 'Loyalty discount',
      privateComment: 'Approved by Sam',
    });
    expect(c.applications.map((a) => [a.invoiceNumber, a.amountCents])).toEqual([
      ['INV-1', 1000],
      ['INV-1', 1500],
      ['INV-2', 2000],
      ['INV-3', 3000],
    ]);
    expect(c.appliedCents).toBe(7500);
    expect(c.unappliedCents).toBe(1500);
    expect(c.accountBalanceCents).toBe(-1500);
    expect(c.creditItemName).toBe('Misc. Credit');
    expect((await t.run(t.csr, 'credits.get', { creditId: c.id })).unsynced).toBe(true);
    expect(await openByInvoice(acct.id)).toEqual({ 'INV-1': 0, 'INV-2': 0, 'INV-3': 0 });
    // The public comment reaches the activity the payer sees; the private one never does.
    const entries = await t.core.db.selectFrom('account_entries').selectAll().where('source_id', '=', c.id).execute();
    expect(entries).toHaveLength(1);
    expect(entries[0]!.amount_cents).toBe(-9000);
    expect(entries[0]!.description).toContain('Loyalty discount');
    expect(entries[0]!.description).not.toContain('Sam');

    // The next invoice is paid by what was left, as it comes due.
    const inv = await t.run(t.admin, 'invoices.create', {
      accountId: acct.id,
      invoiceNumber: 'INV-4',
      invoiceDate: '2026-04-01',
      dueDate: '2026-04-15',
      lines: [{ category: 'Tuition', description: 'April', amount: '40.00' }],
    });
    expect(inv.openCents).toBe(2500);
    expect(inv.lines[0].openCents).toBe(2500);
    const after = await t.run(t.csr, 'credits.get', { creditId: c.id });
    expect(after.unappliedCents).toBe(0);
    expect(after.applications.at(-1)).toMatchObject({ invoiceNumber: 'INV-4', amountCents: 1500 });
    expect((await t.run(t.csr, 'payers.get', { accountId: acct.id })).account.balanceCents).toBe(2500);
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });

  it('several waiting credits go to a new invoice oldest credit first', async () => {
    const acct = await seedAccount(t, '3002');
    t.clock.set('2026-03-10T15:00:00Z');
    const older = await t.run(t.csr, 'credits.post', { accountId: acct.id, amount: '10.00', creditItemId: itemId });
    t.clock.set('2026-03-12T15:00:00Z');
    const newer = await t.run(t.csr, 'credits.post', { accountId: acct.id, amount: '10.00', creditItemId: itemId });
    await t.run(t.admin, 'invoices.create', { accountId: acct.id, invoiceNumber: 'A', invoiceDate: '2026-03-12', dueDate: '2026-03-30', lines: [{ category: 'Fees', description: '', amount: '15.00' }] });
    expect((await t.run(t.csr, 'credits.get', { creditId: older.id })).unappliedCents).toBe(0);
    expect((await t.run(t.csr, 'credits.get', { creditId: newer.id })).unappliedCents).toBe(500);
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });

  it('posted against a chosen invoice pays that invoice first', async () => {
    const acct = await seedAccount(t, '3003', [
      { number: 'OLD', due: '2026-01-01', lines: ['50.00'] },
      { number: 'NEW', due: '2026-03-01', lines: ['20.00', '20.00'] },
    ]);
    const detail = await t.run(t.csr, 'payers.get', { accountId: acct.id });
    const target = detail.invoices.find((i) => i.invoiceNumber === 'NEW')!;
    const c = await t.run(t.csr, 'credits.post', { accountId: acct.id, amount: '45.00', creditItemId: itemId, invoiceId: target.id });
    expect(c.invoiceNumber).toBe('NEW');
    // The chosen invoice is paid in full; only the rest goes to the older one.
    expect(c.applications.map((a) => [a.invoiceNumber, a.amountCents]).sort()).toEqual([
      ['NEW', 2000],
      ['NEW', 2000],
      ['OLD', 500],
    ]);
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });

  it.each([
    ['0', 'The amount must be more than $0.00.'],
    ['-10.00', 'The amount must be more than $0.00.'],
    ['(5.00)', 'The amount must be more than $0.00.'],
    ['1.005', 'Amounts have at most two decimal places.'],
  ])('refuses a credit of %s and writes nothing', async (amount, message) => {
    const acct = await seedAccount(t, '3004', [{ number: 'A', due: '2026-01-01', lines: ['10.00'] }]);
    const before = [await count('credits'), await count('account_entries')];
    const r = await t.attempt(t.csr, 'credits.post', { accountId: acct.id, amount, creditItemId: itemId });
    expectError(r, 'VALIDATION', 'amount');
    if (!r.ok) expect(r.error.message).toBe(message);
    expect([await count('credits'), await count('account_entries')]).toEqual(before);
  });

  it('refuses an inactive account, a closed month, a missing or retired item, another account’s invoice', async () => {
    const acct = await seedAccount(t, '3005');
    const other = await seedAccount(t, '3006', [{ number: 'X', due: '2026-01-01', lines: ['10.00'] }]);
    const otherInv = (await t.run(t.csr, 'payers.get', { accountId: other.id })).invoices[0];
    await t.run(t.supervisor, 'accounts.setStatus', { accountId: acct.id, status: 'inactive', reason: 'closed' });
    const inactive = await t.attempt(t.csr, 'credits.post', { accountId: acct.id, amount: '5.00', creditItemId: itemId });
    expectError(inactive, 'CONFLICT', 'accountId');
    if (!inactive.ok) expect(inactive.error.message).toMatch(/inactive/);
    await t.run(t.supervisor, 'periods.close', { period: '2026-02' });
    expectError(await t.attempt(t.csr, 'credits.post', { accountId: other.id, amount: '5.00', creditItemId: itemId, creditDate: '2026-02-10' }), 'PERIOD_CLOSED', 'creditDate');
    expectError(await t.attempt(t.csr, 'credits.post', { accountId: other.id, amount: '5.00' }), 'VALIDATION', 'creditItemId');
    expectError(await t.attempt(t.csr, 'credits.post', { accountId: other.id, amount: '5.00', creditItemId: '01900000-0000-7000-8000-000000000009' }), 'NOT_FOUND', 'creditItemId');
    const mine = await seedAccount(t, '3007', [{ number: 'M', due: '2026-01-01', lines: ['10.00'] }]);
    expectError(await t.attempt(t.csr, 'credits.post', { accountId: mine.id, amount: '5.00', creditItemId: itemId, invoiceId: otherInv.id }), 'VALIDATION', 'invoiceId');
    await t.run(t.admin, 'creditItems.retire', { creditItemId: itemId });
    expectError(await t.attempt(t.csr, 'credits.post', { accountId: other.id, amount: '5.00', creditItemId: itemId }), 'CONFLICT', 'creditItemId');
    expect(await count('credits')).toBe(0);
  });

  it('is idempotent by command id and by credit id', async () => {
    const acct = await seedAccount(t, '3008');
    const input = { accountId: acct.id, amount: '5.00', creditItemId: itemId, creditId: '01900000-0000-7000-8000-00000000c001' };
    const a = await t.core.executor.execute(t.csr, 'credits.post', input, { commandId: '01900000-0000-7000-8000-0000000000c1' });
    const b = await t.core.executor.execute(t.csr, 'credits.post', input, { commandId: '01900000-0000-7000-8000-0000000000c1' });
    expect(b).toEqual(a);
    // A new command with the same credit id (a retry after a lost answer) posts nothing twice.
    expectError(await t.attempt(t.csr, 'credits.post', input), 'CONFLICT', 'creditId');
    expect(await count('credits')).toBe(1);
    expect((await t.run(t.csr, 'payers.get', { accountId: acct.id })).account.balanceCents).toBe(-500);
  });
});

describe('Post Credit for several accounts', () => {
  it('posts each account on its own: successes stay when another fails, none is half-posted', async () => {
    const a = await seedAccount(t, '4001', [{ number: 'A1', due: '2026-01-01', lines: ['100.00'] }]);
    const b = await seedAccount(t, '4002');
    const c = await seedAccount(t, '4003', [{ number: 'C1', due: '2026-01-01', lines: ['10.00'] }]);
    await t.run(t.supervisor, 'accounts.setStatus', { accountId: b.id, status: 'inactive', reason: 'moved' });
    const results = await postCreditBatch(t.core.executor, t.csr, {
      accounts: [a, b, c].map((x) => ({ accountId: x.id, amount: '25.00' })),
      creditItemId: itemId,
      publicComment: 'Spring promotion',
    });
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(results[1]!.error).toMatchObject({ code: 'CONFLICT', field: 'accountId' });
    expect(results[1]!.error!.message).toMatch(/4002 is inactive/);
    expect(results[0]!.credit!.batchId).toBe(results[2]!.credit!.batchId);
    const bal = async (id: string) => (await t.run(t.csr, 'payers.get', { accountId: id })).account.balanceCents;
    expect([await bal(a.id), await bal(b.id), await bal(c.id)]).toEqual([7500, 0, -1500]);
    // The failed account has nothing at all: no credit, no entry, no application.
    expect(await t.core.db.selectFrom('credits').selectAll().where('account_id', '=', b.id).execute()).toHaveLength(0);
    expect(await t.core.db.selectFrom('account_entries').selectAll().where('account_id', '=', b.id).execute()).toHaveLength(0);
    // Each account's post is its own synced command.
    expect(await t.core.db.selectFrom('sync_outbox').selectAll().where('name', '=', 'credits.post').execute()).toHaveLength(2);
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });
});

describe('credits.reverse', () => {
  it('a supervisor reverses a credit: applications undone, balance back, row kept; a CSR may not', async () => {
    const acct = await seedAccount(t, '5001', [{ number: 'A', due: '2026-01-01', lines: ['40.00'] }]);
    const c = await t.run(t.csr, 'credits.post', { accountId: acct.id, amount: '30.00', creditItemId: itemId });
    expectError(await t.attempt(t.csr, 'credits.reverse', { creditId: c.id, reason: 'oops' }), 'FORBIDDEN');
    const r = await t.run(t.supervisor, 'credits.reverse', { creditId: c.id, reason: 'Posted to the wrong account' });
    expect(r.status).toBe('reversed');
    expect(r.appliedCents).toBe(0);
    expect(r.unappliedCents).toBe(0);
    expect(r.reversalReason).toBe('Posted to the wrong account');
    expect(await openByInvoice(acct.id)).toEqual({ A: 4000 });
    expect((await t.run(t.csr, 'payers.get', { accountId: acct.id })).account.balanceCents).toBe(4000);
    expectError(await t.attempt(t.supervisor, 'credits.reverse', { creditId: c.id, reason: 'again' }), 'CONFLICT', 'creditId');
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });
});

describe('Gift Cards & Prepayments', () => {
  it('are listed apart from credits; Admins edit and delete them as corrections, CSRs are refused', async () => {
    const acct = await seedAccount(t, '6001', [{ number: 'A', due: '2026-01-01', lines: ['30.00'] }]);
    const credit = await t.run(t.csr, 'credits.post', { accountId: acct.id, amount: '5.00', creditItemId: itemId });
    const gift = await t.run(t.csr, 'credits.post', { accountId: acct.id, amount: '50.00', kind: 'gift_card', publicComment: 'Card #1234' });
    const pre = await t.run(t.csr, 'credits.post', { accountId: acct.id, amount: '20.00', kind: 'prepayment' });
    expect((await t.run(t.csr, 'credits.listForAccount', { accountId: acct.id, section: 'gift' })).map((c) => c.id).sort()).toEqual([gift.id, pre.id].sort());
    expect((await t.run(t.csr, 'credits.listForAccount', { accountId: acct.id, section: 'credits' })).map((c) => c.id)).toEqual([credit.id]);
    expect((await t.run(t.csr, 'payers.get', { accountId: acct.id })).account.balanceCents).toBe(3000 - 500 - 5000 - 2000);

    // A CSR is refused, and the attempt is in the audit log.
    const refused = await t.attempt(t.csr, 'giftCards.edit', { creditId: gift.id, amount: '60.00', reason: 'typo' });
    expectError(refused, 'FORBIDDEN');
    expectError(await t.attempt(t.csr, 'giftCards.delete', { creditId: gift.id, reason: 'typo' }), 'FORBIDDEN');
    expectError(await t.attempt(t.supervisor, 'giftCards.edit', { creditId: gift.id, amount: '60.00', reason: 'typo' }), 'FORBIDDEN');
    const denied = await t.core.db.selectFrom('audit_log').selectAll().where('action', '=', 'denied').where('entity_id', '=', 'giftCards.edit').execute();
    expect(denied).toHaveLength(2);

    // An ordinary credit cannot be edited as a gift card.
    expectError(await t.attempt(t.admin, 'giftCards.edit', { creditId: credit.id, amount: '6.00', reason: 'x' }), 'CONFLICT', 'creditId');

    const edited = await t.run(t.admin, 'giftCards.edit', { creditId: gift.id, amount: '40.00', publicComment: 'Card #1234 (corrected)', reason: 'Card was $40' });
    expect(edited).toMatchObject({ kind: 'gift_card', amountCents: 4000, status: 'active', replacesId: gift.id, publicComment: 'Card #1234 (corrected)' });
    const old = await t.run(t.csr, 'credits.get', { creditId: gift.id });
    expect(old).toMatchObject({ status: 'replaced', replacedBy: edited.id, reversalReason: 'Card was $40', appliedCents: 0 });
    expect((await t.run(t.csr, 'payers.get', { accountId: acct.id })).account.balanceCents).toBe(3000 - 500 - 4000 - 2000);

    const deleted = await t.run(t.admin, 'giftCards.delete', { creditId: pre.id, reason: 'Refunded in cash' });
    expect(deleted.status).toBe('reversed');
    expect((await t.run(t.csr, 'payers.get', { accountId: acct.id })).account.balanceCents).toBe(3000 - 500 - 4000);
    // Nothing is erased: history keeps the replaced and the reversed ones; the audit has before/after.
    const history = await t.run(t.csr, 'credits.listForAccount', { accountId: acct.id, section: 'gift' });
    expect(history.map((c) => c.status).sort()).toEqual(['active', 'replaced', 'reversed']);
    expect((await t.run(t.csr, 'credits.listForAccount', { accountId: acct.id, section: 'gift', includeHistory: false })).map((c) => c.id)).toEqual([edited.id]);
    const audit = await t.core.db.selectFrom('audit_log').selectAll().where('entity', '=', 'credit').where('entity_id', '=', gift.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['create', 'correct']);
    expect(JSON.parse(audit[1]!.before_json!)).toMatchObject({ amount_cents: 5000, status: 'active' });
    expect((await verifyAuditChain(t.core.db)).ok).toBe(true);
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });
});

describe('credit items', () => {
  it('add, edit, retire; a retired item stays on past credits and is no longer offered', async () => {
    const acct = await seedAccount(t, '7001');
    const item = await t.run(t.csr, 'creditItems.create', { name: 'Sibling discount' });
    expectError(await t.attempt(t.csr, 'creditItems.create', { name: 'sibling DISCOUNT' }), 'CONFLICT', 'name');
    expectError(await t.attempt(t.csr, 'creditItems.update', { creditItemId: item.id, name: 'Sib' }), 'FORBIDDEN');
    const renamed = await t.run(t.admin, 'creditItems.update', { creditItemId: item.id, name: 'Sibling Discount', description: '10% for siblings' });
    expect(renamed).toMatchObject({ name: 'Sibling Discount', description: '10% for siblings' });
    const c = await t.run(t.csr, 'credits.post', { accountId: acct.id, amount: '12.00', creditItemId: item.id });
    expectError(await t.attempt(t.csr, 'creditItems.retire', { creditItemId: item.id }), 'FORBIDDEN');
    const retired = await t.run(t.admin, 'creditItems.retire', { creditItemId: item.id });
    expect(retired).toMatchObject({ status: 'retired', creditCount: 1 });
    expect((await t.run(t.csr, 'creditItems.list', {})).map((i) => i.name)).toEqual(['Misc. Credit']);
    expect((await t.run(t.csr, 'creditItems.list', { includeRetired: true })).map((i) => i.name)).toEqual(['Misc. Credit', 'Sibling Discount']);
    const past = await t.run(t.csr, 'credits.get', { creditId: c.id });
    expect(past).toMatchObject({ creditItemName: 'Sibling Discount', creditItemRetired: true, amountCents: 1200 });
    expectError(await t.attempt(t.csr, 'credits.post', { accountId: acct.id, amount: '1.00', creditItemId: item.id }), 'CONFLICT', 'creditItemId');
    expectError(await t.attempt(t.admin, 'creditItems.retire', { creditItemId: item.id }), 'CONFLICT', 'creditItemId'); // already retired
    // Its name was taken meanwhile: restoring is refused until the name is free again.
    const taken = await t.run(t.csr, 'creditItems.create', { name: 'Sibling Discount' });
    expectError(await t.attempt(t.admin, 'creditItems.restore', { creditItemId: item.id }), 'CONFLICT', 'name');
    await t.run(t.admin, 'creditItems.retire', { creditItemId: taken.id });
    const back = await t.run(t.admin, 'creditItems.restore', { creditItemId: item.id });
    expect(back.status).toBe('active');
    expectError(await t.attempt(t.admin, 'creditItems.restore', { creditItemId: item.id }), 'CONFLICT', 'creditItemId'); // not retired
    const audit = await t.core.db.selectFrom('audit_log').select(['action']).where('entity', '=', 'credit_item').where('entity_id', '=', item.id).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'retire', 'restore']);
  });
});

describe('credits and a bill file that replaces an invoice', () => {
  it('a credit on the replaced invoice moves to the new version', async () => {
    const acct = await seedAccount(t, 'A1');
    const SHA = (n: number) => n.toString(16).padStart(64, '0');
    const bill = (rows: unknown[], sha: string) => ({ sha256: sha, fileName: 'bills.csv', kind: 'bill' as const, divisionId: t.divisionId, format: 'csv', rowsRead: rows.length, rows, parseIssues: [], notes: [] });
    const row = (n: number, cents: number) => ({ row: 2, accountNumber: 'A1', invoiceNumber: 'B-1', invoiceDate: '2026-03-01', dueDate: '2026-03-10', category: 'Tuition', description: `v${n}`, amountCents: cents });
    await t.run(t.admin, 'imports.applyRows', bill([row(1, 30_000)], SHA(1)));
    const c = await t.run(t.csr, 'credits.post', { accountId: acct.id, amount: '50.00', creditItemId: itemId });
    expect(c.appliedCents).toBe(5000);
    await t.run(t.admin, 'imports.applyRows', bill([row(2, 28_000)], SHA(2)));
    const detail = await t.run(t.csr, 'payers.get', { accountId: acct.id });
    expect(detail.invoices.map((i) => [i.status, i.openCents]).sort()).toEqual([
      ['open', 23_000],
      ['superseded', 0], // the replaced version shows nothing open: its charges were reversed
    ]);
    expect(detail.account.balanceCents).toBe(23_000);
    const after = await t.run(t.csr, 'credits.get', { creditId: c.id });
    expect(after).toMatchObject({ appliedCents: 5000, unappliedCents: 0 });
    expect(after.applications.map((a) => a.amountCents).sort()).toEqual([-5000, 5000, 5000]);
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });
});
