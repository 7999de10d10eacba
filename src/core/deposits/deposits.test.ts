import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError, makeLedger, seedAccount, type TestLedger } from '../../../test/helpers/ledger';
import { verifyAuditChain } from '../audit/audit-log';
import { verifyLedger } from '../ledger/checks';

let t: TestLedger;
beforeEach(async () => {
  t = await makeLedger(); // today is 2026-03-15
});
afterEach(async () => t.cleanup());

const newDeposit = (extra: Record<string, unknown> = {}) => t.run(t.supervisor, 'deposits.create', { divisionId: t.divisionId, ...extra });
const balance = async (accountId: string) => (await t.run(t.csr, 'payers.get', { accountId })).account.balanceCents as number;

async function ok() {
  expect(await verifyLedger(t.core.db)).toEqual([]);
  expect((await verifyAuditChain(t.core.db)).ok).toBe(true);
}

describe('deposits', () => {
  it('batch entry, control total, complete, closed is read-only, reopen, move an application, complete again', async () => {
    const a = await seedAccount(t, '5001', [
      { number: 'A-1', due: '2026-01-01', lines: ['100.00'] },
      { number: 'A-2', due: '2026-02-01', lines: ['80.00'] },
    ]);
    const b = await seedAccount(t, '5002', [{ number: 'B-1', due: '2026-02-01', lines: ['40.00'] }]);
    const d = await newDeposit({ controlTotal: '150.00', bankAccount: 'First Bank ••1234' });
    expect(d.number).toMatch(/^DEP-[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    expect(d).toMatchObject({ status: 'open', depositDate: '2026-03-15', controlTotalCents: 15000, totalCents: 0, paymentCount: 0 });

    const p1 = await t.run(t.supervisor, 'deposits.enterPayment', { depositId: d.id, accountId: a.id, amount: '100.00', method: 'check', checkNumber: '1001' });
    expect(p1).toMatchObject({ status: 'pending', appliedCents: 10000, paymentDate: '2026-03-15' });
    await t.run(t.supervisor, 'deposits.enterPayment', { depositId: d.id, accountId: b.id, amount: '40.00', method: 'cash' });
    expectError(await t.attempt(t.supervisor, 'deposits.enterPayment', { depositId: d.id, accountId: b.id, amount: '5.00', method: 'check' }), 'VALIDATION', 'checkNumber');

    const short = await t.attempt(t.supervisor, 'deposits.complete', { depositId: d.id });
    expectError(short, 'CONFLICT', 'controlTotal');
    if (!short.ok) expect(short.error.message).toBe('The payments add up to $140.00 but the control total is $150.00 (off by -$10.00).');
    await t.run(t.supervisor, 'deposits.update', { depositId: d.id, controlTotal: '140.00' });

    const closed = await t.run(t.supervisor, 'deposits.complete', { depositId: d.id });
    expect(closed).toMatchObject({ status: 'closed', totalCents: 14000, paymentCount: 2, completedBy: 'Sam Supervisor' });
    expect(closed.payments.every((p) => p.status === 'deposited')).toBe(true);
    expect(closed.slip).toMatchObject({ checkTotalCents: 10000, cashTotalCents: 4000, cashCount: 1, grandTotalCents: 14000 });
    expect(closed.slip.checks).toEqual([expect.objectContaining({ checkNumber: '1001', accountNumber: '5001', amountCents: 10000 })]);

    // A closed deposit refuses every change, with a reason.
    for (const [name, input] of [
      ['deposits.enterPayment', { depositId: d.id, accountId: b.id, amount: '1.00', method: 'cash' }],
      ['deposits.removePayment', { depositId: d.id, paymentId: p1.id }],
      ['deposits.update', { depositId: d.id, controlTotal: '1.00' }],
      ['payments.unapply', { paymentId: p1.id }],
      ['payments.reapply', { paymentId: p1.id, mode: 'none' }],
      ['payments.delete', { paymentId: p1.id, reason: 'wrong payer' }],
      ['deposits.complete', { depositId: d.id }],
    ] as const) {
      const r = await t.attempt(t.supervisor, name, input);
      expect(r.ok, name).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('CONFLICT');
      if (!r.ok) expect(r.error.message).toMatch(/closed/);
    }
    // CSRs cannot reopen or delete.
    expectError(await t.attempt(t.csr, 'deposits.reopen', { depositId: d.id }), 'FORBIDDEN');
    expectError(await t.attempt(t.csr, 'payments.delete', { paymentId: p1.id, reason: 'x' }), 'FORBIDDEN');

    const reopened = await t.run(t.supervisor, 'deposits.reopen', { depositId: d.id, reason: 'move an application' });
    expect(reopened.status).toBe('open');
    expect(reopened.payments.every((p) => p.status === 'pending')).toBe(true);

    // Move $60 of p1 from.
    const corr = await t.run(t.supervisor, 'payments.corrections', { paymentId: p1.id });
    const lineA1 = corr.lines.find((l) => l.invoiceNumber === 'A-1')!.chargeLineId;
    const lineA2 = corr.lines.find((l) => l.invoiceNumber === 'A-2')!.chargeLineId;
    expect(corr.allocation).toEqual([expect.objectContaining({ chargeLineId: lineA1, appliedCents: 10000 })]);
    const moved = await t.run(t.supervisor, 'payments.reapply', { paymentId: p1.id, mode: 'lines', lines: [{ chargeLineId: lineA1, amount: '40.00' }, { chargeLineId: lineA2, amount: '60.00' }] });
    expect(Object.fromEntries(moved.allocation.map((x) => [x.invoiceNumber, x.appliedCents]))).toEqual({ 'A-1': 4000, 'A-2': 6000 });
    // Over-applying is refused: more than the payment, more than the line.
    expectError(await t.attempt(t.supervisor, 'payments.reapply', { paymentId: p1.id, mode: 'lines', lines: [{ chargeLineId: lineA1, amount: '100.00' }, { chargeLineId: lineA2, amount: '1.00' }] }), 'CONFLICT', 'amount');
    expectError(await t.attempt(t.supervisor, 'payments.reapply', { paymentId: p1.id, mode: 'lines', lines: [{ chargeLineId: lineA2, amount: '80.01' }] }), 'CONFLICT', 'amount');
    // Un-apply leaves it as a credit; auto puts it back oldest-due first.
    const un = await t.run(t.supervisor, 'payments.unapply', { paymentId: p1.id });
    expect(un.allocation).toEqual([]);
    expect(un.payment.unappliedCents).toBe(10000);
    expect(await balance(a.id)).toBe(8000);
    const auto = await t.run(t.supervisor, 'payments.reapply', { paymentId: p1.id, mode: 'auto' });
    expect(Object.fromEntries(auto.allocation.map((x) => [x.invoiceNumber, x.appliedCents]))).toEqual({ 'A-1': 10000 });
    const apps = await t.core.db.selectFrom('applications').selectAll().where('payment_id', '=', p1.id).execute();
    expect(apps.filter((x) => x.amount_cents < 0).every((x) => x.reverses_id !== null)).toBe(true);

    const again = await t.run(t.supervisor, 'deposits.complete', { depositId: d.id });
    expect(again.status).toBe('closed');
    const audit = await t.run(t.supervisor, 'audit.list', { entity: 'deposit', entityId: d.id });
    expect(audit.map((x) => x.action).reverse()).toEqual(['create', 'update', 'complete', 'reopen', 'complete']);
    await ok();
  });

  it('adds undeposited payments, removes one (undeposited again, not deleted), refuses other divisions', async () => {
    const a = await seedAccount(t, '5101', [{ number: 'X', due: '2026-02-01', lines: ['50.00'] }]);
    const p = await t.run(t.csr, 'payments.record', { accountId: a.id, amount: '20.00', method: 'cash' });
    const q = await t.run(t.csr, 'payments.record', { accountId: a.id, amount: '30.00', method: 'check', checkNumber: '77' });
    const d = await newDeposit();
    const und = await t.run(t.supervisor, 'deposits.undeposited', { divisionId: t.divisionId });
    expect(und.map((x) => x.id).sort()).toEqual([p.id, q.id].sort());
    const withBoth = await t.run(t.supervisor, 'deposits.addPayments', { depositId: d.id, paymentIds: [p.id, q.id] });
    expect(withBoth.totalCents).toBe(5000);
    expectError(await t.attempt(t.supervisor, 'deposits.addPayments', { depositId: d.id, paymentIds: [p.id] }), 'CONFLICT', 'paymentIds');
    const d2 = await newDeposit();
    expectError(await t.attempt(t.supervisor, 'deposits.addPayments', { depositId: d2.id, paymentIds: [p.id] }), 'CONFLICT', 'paymentIds');
    const after = await t.run(t.supervisor, 'deposits.removePayment', { depositId: d.id, paymentId: p.id });
    expect(after.totalCents).toBe(3000);
    expect((await t.run(t.csr, 'payments.get', { paymentId: p.id })).status).toBe('pending');
    expect((await t.run(t.supervisor, 'deposits.undeposited', { divisionId: t.divisionId })).map((x) => x.id)).toEqual([p.id]);

    const other = await t.run(t.admin, 'divisions.create', { name: 'South' });
    const c = await t.run(t.admin, 'accounts.create', { divisionId: other.id, accountNumber: '9', name: 'South payer' });
    expectError(await t.attempt(t.supervisor, 'deposits.enterPayment', { depositId: d.id, accountId: c.id, amount: '1.00', method: 'cash' }), 'CONFLICT', 'accountId');
    const list = await t.run(t.supervisor, 'deposits.list', { status: 'open', divisionId: t.divisionId });
    expect(list.map((x) => x.id).sort()).toEqual([d.id, d2.id].sort());
    expect(await t.run(t.supervisor, 'deposits.list', { status: 'closed' })).toEqual([]);
    expectError(await t.attempt(t.csr, 'deposits.list', {}), 'FORBIDDEN');
    await ok();
  });

  it('deletes a payment as a voided record; Strict Close limits it to the current month', async () => {
    const a = await seedAccount(t, '5201', [{ number: 'X', due: '2026-02-01', lines: ['50.00'] }]);
    const d = await newDeposit();
    const p = await t.run(t.supervisor, 'deposits.enterPayment', { depositId: d.id, accountId: a.id, amount: '50.00', method: 'cash' });
    const old = await t.run(t.supervisor, 'deposits.enterPayment', { depositId: d.id, accountId: a.id, amount: '5.00', method: 'cash', paymentDate: '2026-02-27', apply: 'none' });
    expect(await balance(a.id)).toBe(-500);
    const gone = await t.run(t.supervisor, 'payments.delete', { paymentId: p.id, reason: 'entered on the wrong payer' });
    expect(gone.payment.status).toBe('voided');
    expect(gone.allocation).toEqual([]);
    expect(await balance(a.id)).toBe(4500);
    const row = await t.core.db.selectFrom('payments').selectAll().where('id', '=', p.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'voided', void_reason: 'entered on the wrong payer', voided_by: t.supervisor.userId, voided_at: '2026-03-15T15:00:00.000Z' });
    const dep = await t.run(t.supervisor, 'deposits.get', { depositId: d.id });
    expect(dep.totalCents).toBe(500);
    expect(dep.payments.find((x) => x.id === p.id)).toMatchObject({ status: 'voided', voidedBy: 'Sam Supervisor' });
    expectError(await t.attempt(t.supervisor, 'deposits.removePayment', { depositId: d.id, paymentId: p.id }), 'CONFLICT', 'paymentId');

    await t.run(t.admin, 'settings.update', { strictClose: true });
    const r = await t.attempt(t.supervisor, 'payments.delete', { paymentId: old.id, reason: 'x' });
    expectError(r, 'CONFLICT', 'paymentId');
    if (!r.ok) expect(r.error.message).toMatch(/Strict Close/);
    await t.run(t.admin, 'settings.update', { strictClose: false });
    await t.run(t.supervisor, 'payments.delete', { paymentId: old.id, reason: 'duplicate' });
    await ok();
  });

  it('records a returned check against a paid invoice, with a fee, in its own deposit', async () => {
    const a = await seedAccount(t, '5301', [{ number: 'R-1', due: '2026-02-01', lines: ['70.00', '30.00'] }]);
    const p = await t.run(t.csr, 'payments.record', { accountId: a.id, amount: '120.00', method: 'check', checkNumber: '555' });
    expect(await balance(a.id)).toBe(-2000);
    const returns = await newDeposit({ controlTotal: '-120.00' });
    const corr = await t.run(t.supervisor, 'payments.corrections', { paymentId: p.id });
    expect(corr.returnableCents).toBe(12000);
    expectError(await t.attempt(t.supervisor, 'payments.return', { paymentId: p.id, reason: 'nsf', amount: '120.01' }), 'CONFLICT', 'amount');
    const ret = await t.run(t.supervisor, 'payments.return', { paymentId: p.id, reason: 'nsf', note: 'bank letter 4/2', depositId: returns.id, fee: '25.00' });
    expect(ret.payment).toMatchObject({ amountCents: -12000, kind: 'return', depositId: returns.id, checkNumber: '555' });
    // The lines the check paid are open again; the $20 credit is gone; the fee is a new charge.
    expect(Object.fromEntries(ret.allocation.map((x) => [x.description, x.appliedCents]))).toEqual({ 'Line 1': -7000, 'Line 2': -3000 });
    expect(ret.payment.unappliedCents).toBe(-2000);
    expect(await balance(a.id)).toBe(10000 + 2500);
    const detail = await t.run(t.csr, 'payers.get', { accountId: a.id });
    expect(detail.invoices.find((i) => i.invoiceNumber === 'R-1')!.openCents).toBe(10000);
    expect(detail.invoices.find((i) => i.invoiceNumber.startsWith('FEE-'))!.totalCents).toBe(2500);
    expect(ret.related).toEqual([expect.objectContaining({ id: p.id })]);
    expect((await t.run(t.supervisor, 'payments.corrections', { paymentId: p.id })).returnableCents).toBe(0);
    expectError(await t.attempt(t.supervisor, 'payments.return', { paymentId: p.id, reason: 'nsf' }), 'CONFLICT', 'paymentId');
    // The original cannot be deleted while a return stands against it.
    expectError(await t.attempt(t.supervisor, 'payments.delete', { paymentId: p.id, reason: 'x' }), 'CONFLICT', 'paymentId');
    const done = await t.run(t.supervisor, 'deposits.complete', { depositId: returns.id });
    expect(done.slip).toMatchObject({ returnsTotalCents: -12000, grandTotalCents: -12000 });
    await ok();
  });

  it('returns part of an ACH payment to chosen lines, never reopening more than was paid', async () => {
    const a = await seedAccount(t, '5302', [{ number: 'R-2', due: '2026-02-01', lines: ['60.00', '40.00'] }]);
    const p = await t.run(t.csr, 'payments.record', { accountId: a.id, amount: '100.00', method: 'ach' });
    const corr = await t.run(t.supervisor, 'payments.corrections', { paymentId: p.id });
    const [l1, l2] = corr.lines.sort((x, y) => x.lineNo - y.lineNo).map((l) => l.chargeLineId);
    expectError(await t.attempt(t.supervisor, 'payments.return', { paymentId: p.id, reason: 'ach_takeback', amount: '50.00', mode: 'lines', lines: [{ chargeLineId: l2, amount: '45.00' }] }), 'CONFLICT', 'amount');
    const ret = await t.run(t.supervisor, 'payments.return', { paymentId: p.id, reason: 'ach_takeback', amount: '50.00', mode: 'lines', lines: [{ chargeLineId: l1, amount: '10.00' }, { chargeLineId: l2, amount: '40.00' }] });
    expect(ret.payment.unappliedCents).toBe(0);
    expect(await balance(a.id)).toBe(5000);
    // Un-applying the original now would reopen line 2 beyond its amount: refused.
    expectError(await t.attempt(t.supervisor, 'payments.unapply', { paymentId: p.id }), 'CONFLICT', 'amount');
    await ok();
  });
});

describe('credit transfers', () => {
  it('moves a credit atomically in one deposit, linked both ways; deleting one half voids both', async () => {
    const src = await seedAccount(t, '5401');
    const dst = await seedAccount(t, '5402', [{ number: 'T-1', due: '2026-02-01', lines: ['100.00'] }]);
    await t.run(t.csr, 'payments.record', { accountId: src.id, amount: '150.00', method: 'cash' });
    const d = await newDeposit();
    expectError(await t.attempt(t.supervisor, 'payments.transferCredit', { fromAccountId: src.id, toAccountId: dst.id, amount: '150.01', depositId: d.id }), 'CONFLICT', 'amount');
    expectError(await t.attempt(t.supervisor, 'payments.transferCredit', { fromAccountId: src.id, toAccountId: src.id, amount: '1.00', depositId: d.id }), 'VALIDATION', 'toAccountId');
    const tr = await t.run(t.supervisor, 'payments.transferCredit', { fromAccountId: src.id, toAccountId: dst.id, amount: '100.00', depositId: d.id });
    expect(tr.out.payment).toMatchObject({ amountCents: -10000, kind: 'transfer_out', depositId: d.id });
    expect(tr.in.payment).toMatchObject({ amountCents: 10000, kind: 'transfer_in', depositId: d.id, appliedCents: 10000 });
    expect(tr.out.related[0].id).toBe(tr.in.payment.id);
    expect(tr.in.related[0].id).toBe(tr.out.payment.id);
    expect(await balance(src.id)).toBe(-5000);
    expect(await balance(dst.id)).toBe(0);
    const dep = await t.run(t.supervisor, 'deposits.get', { depositId: d.id });
    expect(dep).toMatchObject({ totalCents: 0, paymentCount: 2 });
    expect(dep.slip.transfersNetCents).toBe(0);
    expectError(await t.attempt(t.supervisor, 'deposits.removePayment', { depositId: d.id, paymentId: tr.in.payment.id }), 'CONFLICT', 'paymentId');
    await t.run(t.supervisor, 'payments.delete', { paymentId: tr.out.payment.id, reason: 'wrong resident' });
    expect((await t.run(t.supervisor, 'payments.get', { paymentId: tr.in.payment.id })).status).toBe('voided');
    expect(await balance(src.id)).toBe(-15000);
    expect(await balance(dst.id)).toBe(10000);
    await ok();
  });
});

describe('periods', () => {
  it('shows what is open, refuses to close over an open deposit, then forbids postings; reopen is admin-only with a reason', async () => {
    const a = await seedAccount(t, '5501', [{ number: 'P-1', due: '2026-02-01', lines: ['100.00'] }]);
    const feb = await newDeposit({ depositDate: '2026-02-20' });
    const p = await t.run(t.supervisor, 'deposits.enterPayment', { depositId: feb.id, accountId: a.id, amount: '30.00', method: 'cash' });
    const undeposited = await t.run(t.csr, 'payments.record', { accountId: a.id, amount: '90.00', method: 'cash', paymentDate: '2026-02-25' });

    const preview = await t.run(t.supervisor, 'periods.closePreview', { period: '2026-02' });
    expect(preview.canClose).toBe(false);
    expect(preview.openDeposits.map((x) => x.number)).toEqual([feb.number]);
    expect(preview.pendingPayments.map((x) => x.id)).toEqual([undeposited.id]);
    expect(preview.unappliedPayments).toEqual([expect.objectContaining({ id: undeposited.id, unappliedCents: 2000 })]);
    expectError(await t.attempt(t.supervisor, 'periods.close', { period: '2026-02' }), 'CONFLICT', 'period');
    expectError(await t.attempt(t.csr, 'periods.close', { period: '2026-02' }), 'FORBIDDEN');
    expectError(await t.attempt(t.supervisor, 'periods.close', { period: '2026-04' }), 'CONFLICT', 'period');
    await t.run(t.supervisor, 'deposits.complete', { depositId: feb.id });
    const closed = await t.run(t.supervisor, 'periods.close', { period: '2026-02' });
    expect(closed).toMatchObject({ period: '2026-02', status: 'closed', closedBy: 'Sam Supervisor' });

    const refused = await t.attempt(t.csr, 'payments.record', { accountId: a.id, amount: '5.00', method: 'cash', paymentDate: '2026-02-28' });
    expectError(refused, 'PERIOD_CLOSED', 'paymentDate');
    expectError(await t.attempt(t.supervisor, 'deposits.reopen', { depositId: feb.id }), 'PERIOD_CLOSED');
    expectError(await t.attempt(t.supervisor, 'deposits.create', { divisionId: t.divisionId, depositDate: '2026-02-10' }), 'PERIOD_CLOSED', 'depositDate');
    expectError(await t.attempt(t.supervisor, 'payments.unapply', { paymentId: undeposited.id }), 'PERIOD_CLOSED');
    expectError(await t.attempt(t.supervisor, 'payments.return', { paymentId: p.id, reason: 'nsf', returnDate: '2026-02-27' }), 'PERIOD_CLOSED');
    // A February payment can still be deposited in March (the deposit's month governs the deposit).
    const mar = await newDeposit();
    await t.run(t.supervisor, 'deposits.addPayments', { depositId: mar.id, paymentIds: [undeposited.id] });

    t.clock.advance(60_000);
    expectError(await t.attempt(t.supervisor, 'periods.reopen', { period: '2026-02', reason: 'fix' }), 'FORBIDDEN');
    expectError(await t.attempt(t.admin, 'periods.reopen', { period: '2026-02', reason: '  ' }), 'VALIDATION', 'reason');
    const reopened = await t.run(t.admin, 'periods.reopen', { period: '2026-02', reason: 'bank correction' });
    expect(reopened).toMatchObject({ status: 'open', reopenReason: 'bank correction', reopenedBy: 'Ada Admin' });
    t.clock.advance(60_000);
    await t.run(t.supervisor, 'payments.unapply', { paymentId: undeposited.id });
    await t.run(t.supervisor, 'periods.close', { period: '2026-02' });
    const report = await t.run(t.supervisor, 'reports.afterClose', { period: '2026-02' });
    expect(report.changes.map((c) => `${c.entity}:${c.action}`)).toEqual(['period:reopen', 'payment:unapply', 'period:close']);
    const periods = await t.run(t.supervisor, 'periods.list', {});
    expect(periods.map((x) => x.period).slice(0, 3)).toEqual(['2026-03', '2026-02', '2026-01']);
    expect(periods.find((x) => x.period === '2026-02')).toMatchObject({ status: 'closed', changesAfterClose: 3 });
    await ok();
  });
});

describe('aging', () => {
  it('buckets open charges by days past due, per division and in total, with drill-down', async () => {
    const a = await seedAccount(t, '5601', [
      { number: 'G-1', due: '2026-03-20', lines: ['10.00'] }, // current
      { number: 'G-2', due: '2026-03-14', lines: ['20.00'] }, // 1 day
      { number: 'G-3', due: '2026-02-13', lines: ['30.00'] }, // 30 days
      { number: 'G-4', due: '2026-02-12', lines: ['40.00'] }, // 31 days
      { number: 'G-5', due: '2025-12-15', lines: ['50.00'] }, // 90 days
      { number: 'G-6', due: '2025-12-14', lines: ['60.00'] }, // 91 days
    ]);
    await seedAccount(t, '5602', [{ number: 'H-1', due: '2026-01-01', lines: ['5.00'] }]);
    await t.run(t.csr, 'payments.record', { accountId: a.id, amount: '1.00', method: 'cash' }); // oldest first: G-6
    const r = await t.run(t.supervisor, 'reports.aging', {});
    expect(r.asOf).toBe('2026-03-15');
    expect(r.total).toEqual({ current: 1000, d1_30: 5000, d31_60: 4000, d61_90: 5000 + 500, d90plus: 5900, unapplied: 0, total: 21400, accounts: 2 });
    expect(r.divisions).toHaveLength(1);
    const drill = await t.run(t.supervisor, 'reports.agingAccounts', { bucket: 'd90plus' });
    expect(drill.rows.map((x) => [x.accountNumber, x.d90plus])).toEqual([['5601', 5900]]);
    expectError(await t.attempt(t.csr, 'reports.aging', {}), 'FORBIDDEN');
  });
});
