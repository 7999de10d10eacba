import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError, makeLedger, seedAccount, type TestLedger } from '../../../test/helpers/ledger';
import { verifyAuditChain } from '../audit/audit-log';
import { verifyLedger } from '../ledger/checks';

/** Issue 11, observations 4–6: empty deposits, typo dates, negative batch entries. */

let t: TestLedger;
beforeEach(async () => {
  t = await makeLedger(); // today is 2026-03-15
});
afterEach(async () => t.cleanup());

async function ok() {
  expect(await verifyLedger(t.core.db)).toEqual([]);
  expect((await verifyAuditChain(t.core.db)).ok).toBe(true);
}

describe('observation 4: a stray empty deposit', () => {
  it('can be deleted (audited), and then the month closes', async () => {
    const d = await t.run(t.supervisor, 'deposits.create', { divisionId: t.divisionId, depositDate: '2026-02-20' });
    const blocked = await t.run(t.supervisor, 'periods.closePreview', { period: '2026-02' });
    expect(blocked.openDeposits).toEqual([expect.objectContaining({ id: d.id, empty: true })]);
    // A CSR may not delete a deposit.
    expectError(await t.attempt(t.csr, 'deposits.delete', { depositId: d.id }), 'FORBIDDEN');
    const r = await t.run(t.supervisor, 'deposits.delete', { depositId: d.id, reason: 'opened by mistake' });
    expect(r).toEqual({ depositId: d.id, number: d.number, deleted: true });
    expectError(await t.attempt(t.supervisor, 'deposits.get', { depositId: d.id }), 'NOT_FOUND');
    const audit = await t.run(t.admin, 'audit.list', { entity: 'deposit', entityId: d.id });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['create', 'delete']));
    const closed = await t.run(t.supervisor, 'periods.close', { period: '2026-02' });
    expect(closed.status).toBe('closed');
    await ok();
  });

  it('does not block the close: closing deletes it, while a deposit holding payments still blocks', async () => {
    const a = await seedAccount(t, '7001', [{ number: 'I-1', due: '2026-02-01', lines: ['50.00'] }]);
    const empty = await t.run(t.supervisor, 'deposits.create', { divisionId: t.divisionId, depositDate: '2026-02-10' });
    const full = await t.run(t.supervisor, 'deposits.create', { divisionId: t.divisionId, depositDate: '2026-02-11' });
    await t.run(t.supervisor, 'deposits.enterPayment', { depositId: full.id, accountId: a.id, amount: '50.00', method: 'cash' });
    const preview = await t.run(t.supervisor, 'periods.closePreview', { period: '2026-02' });
    expect(preview.blockers).toEqual(['1 deposit is still open in 2026-02: complete it first.']);
    await t.run(t.supervisor, 'deposits.complete', { depositId: full.id });
    expect((await t.run(t.supervisor, 'periods.closePreview', { period: '2026-02' })).canClose).toBe(true);
    await t.run(t.supervisor, 'periods.close', { period: '2026-02' });
    expectError(await t.attempt(t.supervisor, 'deposits.get', { depositId: empty.id }), 'NOT_FOUND');
    const audit = await t.run(t.admin, 'audit.list', { entity: 'deposit', entityId: empty.id });
    expect(audit.find((x) => x.action === 'delete')?.after).toMatchObject({ reason: 'empty at the close of 2026-02' });
    await ok();
  });

  it('a deposit that holds a payment, or is closed, is not deleted', async () => {
    const a = await seedAccount(t, '7002', [{ number: 'I-2', due: '2026-02-01', lines: ['50.00'] }]);
    const d = await t.run(t.supervisor, 'deposits.create', { divisionId: t.divisionId });
    const p = await t.run(t.supervisor, 'deposits.enterPayment', { depositId: d.id, accountId: a.id, amount: '20.00', method: 'cash' });
    const r = await t.attempt(t.supervisor, 'deposits.delete', { depositId: d.id });
    expectError(r, 'CONFLICT', 'depositId');
    // Deleted payments stay as records: the deposit can then be completed (total $0.00), not deleted.
    await t.run(t.supervisor, 'payments.delete', { paymentId: p.id, reason: 'wrong payer' });
    expectError(await t.attempt(t.supervisor, 'deposits.delete', { depositId: d.id }), 'CONFLICT', 'depositId');
    const done = await t.run(t.supervisor, 'deposits.complete', { depositId: d.id });
    expect(done).toMatchObject({ status: 'closed', totalCents: 0 });
    expectError(await t.attempt(t.supervisor, 'deposits.delete', { depositId: d.id }), 'CONFLICT', 'depositId');
    await ok();
  });

  it("an open deposit's date can be changed, within an open month, audited", async () => {
    const d = await t.run(t.supervisor, 'deposits.create', { divisionId: t.divisionId });
    const moved = await t.run(t.supervisor, 'deposits.update', { depositId: d.id, depositDate: '2026-03-12' });
    expect(moved.depositDate).toBe('2026-03-12');
    const audit = await t.run(t.admin, 'audit.list', { entity: 'deposit', entityId: d.id });
    expect(audit.find((x) => x.action === 'update')).toMatchObject({ before: expect.objectContaining({ deposit_date: '2026-03-15' }), after: expect.objectContaining({ deposit_date: '2026-03-12' }) });
    await t.run(t.supervisor, 'periods.close', { period: '2026-02' });
    expectError(await t.attempt(t.supervisor, 'deposits.update', { depositId: d.id, depositDate: '2026-02-27' }), 'PERIOD_CLOSED', 'depositDate');
    expectError(await t.attempt(t.supervisor, 'deposits.update', { depositId: d.id, depositDate: '2099-12-31' }), 'VALIDATION', 'depositDate');
    expect((await t.run(t.supervisor, 'deposits.get', { depositId: d.id })).depositDate).toBe('2026-03-12');
    await ok();
  });
});

describe('observation 5: typo dates', () => {
  it('a payment or deposit dated 12/31/2099 is refused with a precise message', async () => {
    const a = await seedAccount(t, '7003');
    const p = await t.attempt(t.csr, 'payments.record', { accountId: a.id, amount: '10.00', method: 'cash', paymentDate: '2099-12-31', postDated: true });
    expectError(p, 'VALIDATION', 'paymentDate');
    if (!p.ok) expect(p.error.message).toBe('Dec 31, 2099 is 26954 days after today (Mar 15, 2026); dates more than 30 days ahead are refused. Check the year.');
    expectError(await t.attempt(t.supervisor, 'deposits.create', { divisionId: t.divisionId, depositDate: '2099-12-31' }), 'VALIDATION', 'depositDate');
    const d = await t.run(t.supervisor, 'deposits.create', { divisionId: t.divisionId });
    expectError(await t.attempt(t.supervisor, 'deposits.enterPayment', { depositId: d.id, accountId: a.id, amount: '1.00', method: 'cash', paymentDate: '2099-12-31' }), 'VALIDATION', 'paymentDate');
    const listed = await t.run(t.csr, 'payers.get', { accountId: a.id });
    expect(listed.account.balanceCents).toBe(0);
    await ok();
  });

  it('a date more than a day ahead needs the post-dated confirmation; the threshold is a setting', async () => {
    const a = await seedAccount(t, '7004', [{ number: 'I-4', due: '2026-03-01', lines: ['90.00'] }]);
    const tomorrow = await t.run(t.csr, 'payments.record', { accountId: a.id, amount: '10.00', method: 'cash', paymentDate: '2026-03-16' });
    expect(tomorrow.paymentDate).toBe('2026-03-16');
    const later = await t.attempt(t.csr, 'payments.record', { accountId: a.id, amount: '10.00', method: 'cash', paymentDate: '2026-03-20' });
    expectError(later, 'VALIDATION', 'paymentDate');
    if (!later.ok) {
      expect(later.error.message).toBe('Mar 20, 2026 is 5 days after today (Mar 15, 2026): confirm it is post-dated, or correct the date.');
      expect(later.error.details).toMatchObject({ needsPostDated: true });
    }
    const confirmed = await t.run(t.csr, 'payments.record', { accountId: a.id, amount: '10.00', method: 'cash', paymentDate: '2026-03-20', postDated: true });
    expect(confirmed.paymentDate).toBe('2026-03-20');
    await t.run(t.admin, 'settings.update', { postDatedAfterDays: 7 });
    await t.run(t.csr, 'payments.record', { accountId: a.id, amount: '10.00', method: 'cash', paymentDate: '2026-03-21' });
    expectError(await t.attempt(t.csr, 'settings.update', { postDatedAfterDays: 3 }), 'FORBIDDEN');
    expectError(await t.attempt(t.supervisor, 'deposits.create', { divisionId: t.divisionId, depositDate: '2026-03-31' }), 'VALIDATION', 'depositDate');
    await t.run(t.supervisor, 'deposits.create', { divisionId: t.divisionId, depositDate: '2026-03-31', postDated: true });
    await ok();
  });

  it('a payment dated in a closed month is refused', async () => {
    const a = await seedAccount(t, '7005');
    await t.run(t.supervisor, 'periods.close', { period: '2026-02' });
    expectError(await t.attempt(t.csr, 'payments.record', { accountId: a.id, amount: '10.00', method: 'cash', paymentDate: '2026-02-27' }), 'PERIOD_CLOSED', 'paymentDate');
  });
});

describe('observation 6: a negative amount in batch entry', () => {
  it('is answered with the returned-payment flow, and payments.return into the deposit records it', async () => {
    const a = await seedAccount(t, '7006', [
      { number: 'I-6', due: '2026-02-01', lines: ['100.00'] },
      { number: 'I-7', due: '2026-03-01', lines: ['40.00'] },
    ]);
    const first = await t.run(t.supervisor, 'deposits.create', { divisionId: t.divisionId });
    const paid = await t.run(t.supervisor, 'deposits.enterPayment', { depositId: first.id, accountId: a.id, amount: '100.00', method: 'check', checkNumber: '501' });
    await t.run(t.supervisor, 'deposits.complete', { depositId: first.id });
    const today = await t.run(t.supervisor, 'deposits.create', { divisionId: t.divisionId });
    const neg = await t.attempt(t.supervisor, 'deposits.enterPayment', { depositId: today.id, accountId: a.id, amount: '-100.00', method: 'check', checkNumber: '501' });
    expectError(neg, 'VALIDATION', 'amount');
    if (!neg.ok) {
      expect(neg.error.message).not.toBe('The amount must be more than $0.00.');
      expect(neg.error.details).toMatchObject({ returnedPayment: true });
    }
    expectError(await t.attempt(t.supervisor, 'deposits.enterPayment', { depositId: today.id, accountId: a.id, amount: '0', method: 'cash' }), 'VALIDATION', 'amount');
    const ret = await t.run(t.supervisor, 'payments.return', { paymentId: paid.id, reason: 'nsf', amount: '100.00', depositId: today.id, mode: 'auto' });
    expect(ret.payment).toMatchObject({ amountCents: -10000 });
    const dep = await t.run(t.supervisor, 'deposits.get', { depositId: today.id });
    expect(dep.payments).toEqual([expect.objectContaining({ kind: 'return', amountCents: -10000, relatedPaymentId: paid.id })]);
    expect((await t.run(t.csr, 'payers.get', { accountId: a.id })).account.balanceCents).toBe(14000);
    await ok();
  });
});
