import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError, makeLedger, seedAccount, type TestLedger } from '../../../../test/helpers/ledger';
import { verifyAuditChain } from '../../audit/audit-log';
import { verifyLedger } from '../../ledger/checks';

/** Issue 11, observation 9: approval where money leaves. */

let t: TestLedger;
beforeEach(async () => {
  t = await makeLedger(); // today is 2026-03-15
});
afterEach(async () => t.cleanup());

const balance = async (accountId: string) => (await t.run(t.csr, 'payers.get', { accountId })).account.balanceCents as number;

/** A February payment, deposited, and February closed. */
async function closedMonthPayment() {
  const acct = await seedAccount(t, '9001', [{ number: 'FEB', due: '2026-02-01', lines: ['80.00'] }]);
  const d = await t.run(t.supervisor, 'deposits.create', { divisionId: t.divisionId, depositDate: '2026-02-20' });
  const p = await t.run(t.supervisor, 'deposits.enterPayment', { depositId: d.id, accountId: acct.id, amount: '80.00', method: 'check', checkNumber: '77' });
  await t.run(t.supervisor, 'deposits.complete', { depositId: d.id });
  await t.run(t.supervisor, 'periods.close', { period: '2026-02' });
  return { acct, p };
}

describe('refunds that need a Supervisor or Admin', () => {
  it('a CSR cannot refund a payment of a closed month; the request is approved by a supervisor, who makes the refund', async () => {
    const { acct, p } = await closedMonthPayment();
    const refused = await t.attempt(t.csr, 'refunds.create', { paymentId: p.id, amount: '80.00', reason: 'Moved away' });
    expectError(refused, 'FORBIDDEN', 'amount');
    if (!refused.ok) {
      expect(refused.error.message).toBe(`Payment ${p.reference} is dated in 2026-02, which is closed. A Supervisor or Admin must approve this refund: send it as a request.`);
      expect(refused.error.details).toMatchObject({ needsApproval: true });
    }
    expect(await balance(acct.id)).toBe(0);

    const req = await t.run(t.csr, 'refunds.request', { paymentId: p.id, amount: '80.00', reason: 'Moved away' });
    expect(req).toMatchObject({ status: 'pending', amountCents: 8000, requestedByName: 'Carla CSR', needsApprovalBecause: `Payment ${p.reference} is dated in 2026-02, which is closed.` });
    expectError(await t.attempt(t.csr, 'refunds.request', { paymentId: p.id, amount: '10.00', reason: 'again' }), 'CONFLICT', 'paymentId');
    // The CSR cannot see the approval list, nor approve.
    expectError(await t.attempt(t.csr, 'refunds.requests', { status: 'pending' }), 'FORBIDDEN');
    expectError(await t.attempt(t.csr, 'refunds.approveRequest', { requestId: req.id }), 'FORBIDDEN');
    const pending = await t.run(t.supervisor, 'refunds.requests', { status: 'pending' });
    expect(pending.map((r) => r.id)).toEqual([req.id]);
    expect((await t.run(t.csr, 'refunds.forPayment', { paymentId: p.id })).requests).toEqual([expect.objectContaining({ id: req.id, status: 'pending' })]);

    const approved = await t.run(t.supervisor, 'refunds.approveRequest', { requestId: req.id });
    expect(approved).toMatchObject({ status: 'approved', decidedByName: 'Sam Supervisor' });
    const refund = await t.run(t.csr, 'refunds.get', { refundId: approved.refundId! });
    // Closed is closed: the refund posts today, in the open month, made by the approver.
    expect(refund).toMatchObject({ amountCents: 8000, refundDate: '2026-03-15', createdByName: 'Sam Supervisor', paymentId: p.id });
    expect(refund.reason).toBe('Moved away (requested by Carla CSR)');
    expect(await balance(acct.id)).toBe(8000);
    expectError(await t.attempt(t.supervisor, 'refunds.approveRequest', { requestId: req.id }), 'CONFLICT', 'requestId');
    const audit = await t.run(t.admin, 'audit.list', { entity: 'refund_request', entityId: req.id });
    expect(audit.map((a) => a.action).sort()).toEqual(['approve', 'request']);
    expect(await verifyLedger(t.core.db)).toEqual([]);
    expect((await verifyAuditChain(t.core.db)).ok).toBe(true);
  });

  it('a supervisor may decline with a reason: nothing is refunded', async () => {
    const { acct, p } = await closedMonthPayment();
    const req = await t.run(t.csr, 'refunds.request', { paymentId: p.id, amount: '30.00', reason: 'Partial' });
    expectError(await t.attempt(t.supervisor, 'refunds.declineRequest', { requestId: req.id, reason: '' }), 'VALIDATION', 'reason');
    const declined = await t.run(t.supervisor, 'refunds.declineRequest', { requestId: req.id, reason: 'Paid to the wrong month; transfer instead' });
    expect(declined).toMatchObject({ status: 'declined', declineReason: 'Paid to the wrong month; transfer instead', refundId: null });
    expect(await balance(acct.id)).toBe(0);
    expect(await t.run(t.supervisor, 'refunds.requests', { status: 'pending' })).toEqual([]);
  });

  it('a supervisor refunds a closed-month payment directly; an Admin sets an amount above which CSRs need approval', async () => {
    const { p } = await closedMonthPayment();
    await t.run(t.supervisor, 'refunds.create', { paymentId: p.id, amount: '10.00', reason: 'Goodwill' });

    const acct = await seedAccount(t, '9002', [{ number: 'MAR', due: '2026-03-01', lines: ['500.00'] }]);
    const d = await t.run(t.supervisor, 'deposits.create', { divisionId: t.divisionId });
    const q = await t.run(t.supervisor, 'deposits.enterPayment', { depositId: d.id, accountId: acct.id, amount: '500.00', method: 'cash' });
    await t.run(t.supervisor, 'deposits.complete', { depositId: d.id });
    // No limit set: a CSR refunds an open month's payment alone.
    await t.run(t.csr, 'refunds.create', { paymentId: q.id, amount: '200.00', reason: 'Overpaid' });
    expectError(await t.attempt(t.supervisor, 'settings.update', { refundApprovalAboveCents: 10000 }), 'FORBIDDEN');
    await t.run(t.admin, 'settings.update', { refundApprovalAboveCents: 10000 });
    await t.run(t.csr, 'refunds.create', { paymentId: q.id, amount: '100.00', reason: 'At the limit' });
    const above = await t.attempt(t.csr, 'refunds.create', { paymentId: q.id, amount: '100.01', reason: 'Above' });
    expectError(above, 'FORBIDDEN', 'amount');
    if (!above.ok) expect(above.error.message).toBe('$100.01 is above the $100.00 that can be refunded without approval. A Supervisor or Admin must approve this refund: send it as a request.');
    await t.run(t.admin, 'refunds.create', { paymentId: q.id, amount: '100.00', reason: 'Admin may' });
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });
});
