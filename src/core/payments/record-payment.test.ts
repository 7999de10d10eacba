import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError, makeLedger, seedAccount, type TestLedger } from '../../../test/helpers/ledger';
import { verifyLedger } from '../ledger/checks';
import { verifyAuditChain } from '../audit/audit-log';
import { sql } from 'kysely';

let t: TestLedger;
beforeEach(async () => {
  t = await makeLedger();
});
afterEach(async () => t.cleanup());

describe('payments.record', () => {
  it('applies oldest due first and leaves the excess as a credit', async () => {
    const acct = await seedAccount(t, '1001', [
      { number: 'INV-2', due: '2026-02-01', lines: ['100.00'] },
      { number: 'INV-1', due: '2026-01-01', lines: ['50.00', '25.00'] },
    ]);
    const p = await t.run(t.csr, 'payments.record', { accountId: acct.id, amount: '200.00', method: 'cash', receiptEmail: 'pay@example.com' });
    expect(p.status).toBe('pending');
    expect(p.reference).toMatch(/^PMT-[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    expect(p.applications.map((a) => [a.invoiceNumber, a.amountCents])).toEqual([
      ['INV-1', 5000],
      ['INV-1', 2500],
      ['INV-2', 10000],
    ]);
    expect(p.unappliedCents).toBe(2500);
    expect(p.accountBalanceCents).toBe(-2500);
    expect((await t.run(t.csr, 'payments.get', { paymentId: p.id })).unsynced).toBe(true);
    const detail = await t.run(t.csr, 'payers.get', { accountId: acct.id });
    expect(detail.account.balanceCents).toBe(-2500);
    expect(detail.invoices.every((i) => i.openCents === 0)).toBe(true);
    const mail = await t.core.db.selectFrom('email_outbox').selectAll().execute();
    expect(mail).toHaveLength(1);
    expect(mail[0]!.to_address).toBe('pay@example.com');
    expect(await verifyLedger(t.core.db)).toEqual([]);
    const outbox = await t.core.db.selectFrom('sync_outbox').selectAll().where('name', '=', 'payments.record').execute();
    expect(outbox).toHaveLength(1);
    expect(JSON.parse(outbox[0]!.input_json).paymentId).toBe(p.id);
  });

  it.each([
    ['0', 'The amount must be more than $0.00.'],
    ['-5.00', 'The amount must be more than $0.00.'],
    ['1.234', 'Amounts have at most two decimal places.'],
    ['ten dollars', 'This is not an amount of money (for example 125.00).'],
    ['1000000000.01', 'Amounts cannot exceed $1,000,000,000.00.'],
  ])('refuses amount %s and writes nothing', async (amount, message) => {
    const acct = await seedAccount(t, '1002', [{ number: 'A', due: '2026-01-01', lines: ['10.00'] }]);
    const before = await t.core.db.selectFrom('payments').select(sql<number>`count(*)`.as('n')).executeTakeFirst();
    const r = await t.attempt(t.csr, 'payments.record', { accountId: acct.id, amount, method: 'cash' });
    expectError(r, 'VALIDATION', 'amount');
    if (!r.ok) expect(r.error.message).toBe(message);
    const after = await t.core.db.selectFrom('payments').select(sql<number>`count(*)`.as('n')).executeTakeFirst();
    expect(after).toEqual(before);
  });

  it('refuses a number instead of text, a check without number, an unknown field', async () => {
    const acct = await seedAccount(t, '1003');
    expectError(await t.attempt(t.csr, 'payments.record', { accountId: acct.id, amount: 12.5, method: 'cash' }), 'VALIDATION', 'amount');
    expectError(await t.attempt(t.csr, 'payments.record', { accountId: acct.id, amount: '12.50', method: 'check' }), 'VALIDATION', 'checkNumber');
    expectError(await t.attempt(t.csr, 'payments.record', { accountId: acct.id, amount: '12.50', method: 'cash', isAdmin: true }), 'VALIDATION');
    expectError(await t.attempt(t.csr, 'payments.record', { accountId: acct.id, amount: '12.50', method: 'bitcoin' }), 'VALIDATION', 'method');
  });

  it('refuses an inactive account and a closed month', async () => {
    const acct = await seedAccount(t, '1004');
    await t.run(t.supervisor, 'accounts.setStatus', { accountId: acct.id, status: 'inactive', reason: 'moved away' });
    expectError(await t.attempt(t.csr, 'payments.record', { accountId: acct.id, amount: '5.00', method: 'cash' }), 'CONFLICT', 'accountId');
    const other = await seedAccount(t, '1005');
    await t.run(t.supervisor, 'periods.close', { period: '2026-02' });
    expectError(
      await t.attempt(t.csr, 'payments.record', { accountId: other.id, amount: '5.00', method: 'cash', paymentDate: '2026-02-10' }),
      'PERIOD_CLOSED',
      'paymentDate',
    );
  });

  it('is idempotent for a repeated command id and refuses the id with other arguments', async () => {
    const acct = await seedAccount(t, '1006');
    const input = { accountId: acct.id, amount: '5.00', method: 'cash', paymentId: '01900000-0000-7000-8000-000000000001' };
    const a = await t.core.executor.execute(t.csr, 'payments.record', input, { commandId: '01900000-0000-7000-8000-0000000000aa' });
    const b = await t.core.executor.execute(t.csr, 'payments.record', input, { commandId: '01900000-0000-7000-8000-0000000000aa' });
    expect(a).toEqual(b);
    const c = await t.core.executor.execute(t.csr, 'payments.record', { ...input, amount: '6.00' }, { commandId: '01900000-0000-7000-8000-0000000000aa' });
    expectError(c, 'CONFLICT');
    const n = await t.core.db.selectFrom('payments').selectAll().execute();
    expect(n).toHaveLength(1);
  });
});

describe('roles', () => {
  it('refuses a CSR calling an admin command and audits the attempt', async () => {
    const r = await t.attempt(t.csr, 'users.create', { username: 'evil', displayName: 'Evil', role: 'admin', password: 'long-enough-pw' });
    expectError(r, 'FORBIDDEN');
    const denied = await t.core.db.selectFrom('audit_log').selectAll().where('action', '=', 'denied').execute();
    expect(denied).toHaveLength(1);
    expect(denied[0]!.user_id).toBe(t.csr.userId);
    expect(await t.core.db.selectFrom('users').selectAll().where('username', '=', 'evil').execute()).toHaveLength(0);
  });
});

describe('audit chain', () => {
  it('verifies, and detects an edited row', async () => {
    const acct = await seedAccount(t, '2001', [{ number: 'A', due: '2026-01-01', lines: ['10.00'] }]);
    await t.run(t.csr, 'payments.record', { accountId: acct.id, amount: '5.00', method: 'cash' });
    const good = await verifyAuditChain(t.core.db);
    expect(good.ok).toBe(true);
    expect(good.entries).toBeGreaterThan(5);
    // The database refuses edits; an attacker with the file would drop the trigger first.
    expect(() => t.core.ledger.raw.prepare(`UPDATE audit_log SET after_json = '{}' WHERE seq = 3`).run()).toThrow(/append-only/);
    const trigger = (t.core.ledger.raw.prepare(`SELECT sql FROM sqlite_master WHERE name = 'audit_no_update'`).get() as { sql: string }).sql;
    t.core.ledger.raw.exec('DROP TRIGGER audit_no_update');
    t.core.ledger.raw.prepare(`UPDATE audit_log SET after_json = '{"amount_cents":1}' WHERE seq = 3`).run();
    // A missing trigger is itself reported; with it put back, the edited row is found.
    expect((await verifyAuditChain(t.core.db)).ok).toBe(false);
    t.core.ledger.raw.exec(trigger);
    const bad = await verifyAuditChain(t.core.db);
    expect(bad).toMatchObject({ ok: false, brokenAt: 3, reason: 'entry 3 was altered' });
  });

  it('refuses a payment id already recorded by another command (the primary key answers; nothing else changes)', async () => {
    const acct = await seedAccount(t, '1007');
    const input = { accountId: acct.id, amount: '5.00', method: 'cash', paymentId: '01900000-0000-7000-8000-000000000002' };
    expect((await t.core.executor.execute(t.csr, 'payments.record', input)).ok).toBe(true);
    const again = await t.core.executor.execute(t.csr, 'payments.record', { ...input, amount: '7.00' });
    expectError(again, 'CONFLICT', 'paymentId');
    const rows = await t.core.db.selectFrom('payments').select(['amount_cents']).where('account_id', '=', acct.id).execute();
    expect(rows).toEqual([{ amount_cents: 500 }]);
    const entries = await t.core.db.selectFrom('account_entries').select('amount_cents').where('account_id', '=', acct.id).execute();
    expect(entries).toEqual([{ amount_cents: -500 }]);
  });
});
