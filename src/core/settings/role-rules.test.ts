import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError, makeLedger, seedAccount, type TestLedger } from '../../../test/helpers/ledger';
import { verifyLedger } from '../ledger/checks';

/** Issue 14 item 9: roles as settings, enforced in core where each command runs. */

let t: TestLedger;
beforeEach(async () => {
  t = await makeLedger(); // today is 2026-03-15
});
afterEach(async () => t.cleanup());

let sha = 0;
const file = (kind: 'balance' | 'bill', rows: unknown[]) => ({
  sha256: (++sha).toString(16).padStart(64, '0'),
  fileName: `${kind}.csv`,
  kind,
  divisionId: t.divisionId,
  format: 'csv',
  rowsRead: rows.length,
  rows,
  parseIssues: [],
  notes: [],
});
const billRow = { row: 2, accountNumber: 'B1', name: 'Bill Payer', invoiceNumber: 'INV-1', invoiceDate: '2026-03-01', dueDate: '2026-03-31', category: 'Tuition', description: 'Fee', amountCents: 1000 };

describe('who may upload which file', () => {
  it('by default a CSR uploads balance files (seed 000) and sees them; bill files stay with Admins', async () => {
    const r = await t.run(t.csr, 'imports.applyRows', file('balance', [{ row: 2, accountNumber: 'A1', balanceCents: 12_345, name: 'Payer A1' }]));
    expect(r.accountsCreated).toBe(1);
    expect((await t.run(t.csr, 'imports.get', { uploadId: r.uploadId })).kind).toBe('balance');
    expectError(await t.attempt(t.csr, 'imports.applyRows', file('bill', [billRow])), 'FORBIDDEN', 'kind');
    const bill = await t.run(t.admin, 'imports.applyRows', file('bill', [billRow]));
    expectError(await t.attempt(t.csr, 'imports.get', { uploadId: bill.uploadId }), 'FORBIDDEN');
    expect((await t.run(t.csr, 'imports.list', {})).map((u: { kind: string }) => u.kind)).toEqual(['balance']);
    expect((await t.run(t.admin, 'imports.list', {})).length).toBe(2);
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });
  it('follows what an Admin sets: balance files for supervisors only, bill files for supervisors too', async () => {
    await t.run(t.admin, 'settings.update', { balanceFileRoles: ['supervisor'], billFileRoles: ['supervisor'] });
    const refused = await t.attempt(t.csr, 'imports.applyRows', file('balance', [{ row: 2, accountNumber: 'A1', balanceCents: 100 }]));
    expectError(refused, 'FORBIDDEN', 'kind');
    if (!refused.ok) expect(refused.error.message).toBe("Your role may not upload balance files; on this office's Settings that is for: A/R Supervisor, Administrator.");
    expect((await t.run(t.supervisor, 'imports.applyRows', file('bill', [billRow]))).invoicesCreated).toBe(1);
    expect(await t.run(t.csr, 'imports.list', {})).toEqual([]);
  });
  it('refuses a non-Admin changing the rules; an Admin can never be left out', async () => {
    expectError(await t.attempt(t.supervisor, 'settings.update', { billFileRoles: ['supervisor'] }), 'FORBIDDEN');
    const s = await t.run(t.admin, 'settings.update', { billFileRoles: [] });
    expect(s.billFileRoles).toEqual(['admin']);
    expectError(await t.attempt(t.admin, 'settings.update', { billFileRoles: ['owner'] }), 'VALIDATION', 'billFileRoles.0');
  });
});

describe('who may approve refunds', () => {
  async function closedMonthPayment() {
    const acct = await seedAccount(t, '9001', [{ number: 'FEB', due: '2026-02-01', lines: ['80.00'] }]);
    const d = await t.run(t.supervisor, 'deposits.create', { divisionId: t.divisionId, depositDate: '2026-02-20' });
    const p = await t.run(t.supervisor, 'deposits.enterPayment', { depositId: d.id, accountId: acct.id, amount: '80.00', method: 'check', checkNumber: '77' });
    await t.run(t.supervisor, 'deposits.complete', { depositId: d.id });
    await t.run(t.supervisor, 'periods.close', { period: '2026-02' });
    return { acct, p };
  }
  it('when only Admins approve, a supervisor must ask too, and cannot approve; the Admin can', async () => {
    const { p } = await closedMonthPayment();
    await t.run(t.admin, 'settings.update', { refundApproverRoles: ['admin'] });
    expectError(await t.attempt(t.supervisor, 'refunds.create', { paymentId: p.id, amount: '80.00', reason: 'Moved away' }), 'FORBIDDEN', 'amount');
    const req = await t.run(t.csr, 'refunds.request', { paymentId: p.id, amount: '80.00', reason: 'Moved away' });
    expectError(await t.attempt(t.supervisor, 'refunds.requests', {}), 'FORBIDDEN');
    expectError(await t.attempt(t.supervisor, 'refunds.approveRequest', { requestId: req.id }), 'FORBIDDEN');
    expect((await t.run(t.admin, 'refunds.approveRequest', { requestId: req.id })).status).toBe('approved');
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });
});
