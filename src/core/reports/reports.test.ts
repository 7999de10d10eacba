import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLedger, seedAccount, type TestLedger } from '../../../test/helpers/ledger';
import { verifyLedger } from '../ledger/checks';
import type { ReportDTO, ReportTableDTO } from '../../shared/contract/reports';
import type { PaymentMethod } from '../../shared/contract/dto';

/**
 * The office's reports over one small ledger made through commands: payments by three people in
 * two divisions, a completed deposit, a refund, a cancel, a void, a returned payment, credits, a
 * gift card and a balance file. Each report's totals are checked against the ledger's own records.
 */
let t: TestLedger;
let south: string;
const TODAY = '2026-03-15';
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await makeLedger();
  south = (await t.run(t.admin, 'divisions.create', { name: 'South Clinic' })).id;
  const a = await seedAccount(t, '50001', [{ number: 'A1', due: '2026-01-10', lines: ['400.00'] }], 'Alice Payer');
  const b = (await t.run(t.admin, 'accounts.create', { divisionId: south, accountNumber: '60001', name: 'Bob Payer' })) as { id: string };
  await t.run(t.admin, 'invoices.create', { accountId: b.id, invoiceNumber: 'B1', invoiceDate: '2026-02-01', dueDate: '2026-02-01', lines: [{ category: 'Tuition', description: 'Fees', amount: '300.00' }] });
  ids.a = a.id;
  ids.b = b.id;
  const pay = (actor: TestLedger['csr'], accountId: string, amount: string, method: PaymentMethod, extra: Record<string, unknown> = {}) =>
    t.run(actor, 'payments.record', { accountId, amount, method, ...(method === 'check' ? { checkNumber: '1001' } : {}), ...extra });
  ids.cash = (await pay(t.csr, a.id, '50.00', 'cash')).id;
  ids.check = (await pay(t.csr, a.id, '120.00', 'check')).id;
  ids.card = (await pay(t.supervisor, b.id, '30.00', 'card')).id;
  ids.earlier = (await pay(t.admin, a.id, '10.00', 'ach', { paymentDate: '2026-03-10' })).id;
  ids.toCancel = (await pay(t.csr, a.id, '5.00', 'cash')).id;
  ids.toVoid = (await pay(t.csr, b.id, '7.00', 'cash')).id;
  const d = await t.run(t.supervisor, 'deposits.create', { divisionId: t.divisionId });
  ids.deposit = d.id;
  await t.run(t.supervisor, 'deposits.addPayments', { depositId: d.id, paymentIds: [ids.cash, ids.check] });
  await t.run(t.supervisor, 'deposits.complete', { depositId: d.id });
  await t.run(t.supervisor, 'refunds.create', { paymentId: ids.check, amount: '20.00', reason: 'Overpaid' });
  await t.run(t.csr, 'payments.cancel', { paymentId: ids.toCancel, reason: 'Entered twice' });
  await t.run(t.supervisor, 'payments.delete', { paymentId: ids.toVoid, reason: 'Wrong account' });
  // A second deposit, left open, takes the returned cash payment.
  const d2 = await t.run(t.supervisor, 'deposits.create', { divisionId: t.divisionId });
  await t.run(t.supervisor, 'payments.return', { paymentId: ids.cash, reason: 'nsf', depositId: d2.id });
  const item = await t.run(t.admin, 'creditItems.create', { name: 'Sibling discount' });
  await t.run(t.csr, 'credits.post', { accountId: a.id, amount: '25.00', creditItemId: item.id });
  await t.run(t.admin, 'credits.post', { accountId: b.id, amount: '500.00', kind: 'gift_card' });
  await t.run(t.admin, 'imports.applyRows', {
    sha256: '1'.padStart(64, '0'),
    fileName: 'balances.csv',
    kind: 'balance',
    divisionId: t.divisionId,
    format: 'csv',
    rowsRead: 1,
    rows: [{ row: 2, accountNumber: '50009', balanceCents: 12_345, name: 'New Payer' }],
    parseIssues: [],
    notes: [],
  });
});
afterAll(async () => t.cleanup());

const total = (r: ReportDTO, label: string) => r.totals.find((x) => x.label === label)?.value;
const tableOf = (r: ReportDTO, key: string) => r.tables.find((x) => x.key === key)!;
const colOf = (tb: ReportTableDTO, label: string) => tb.columns.findIndex((c) => c.label === label);

describe('reports.payments', () => {
  it('totals tie to the payments in the ledger for the same filter', async () => {
    const r = await t.run(t.supervisor, 'reports.payments', { from: '2026-03-01', to: TODAY });
    const ledger = await t.core.db.selectFrom('payments').select(['amount_cents']).where('payment_date', '>=', '2026-03-01').where('payment_date', '<=', TODAY).where('status', 'in', ['pending', 'deposited']).execute();
    expect(total(r, 'Payments')).toBe(ledger.length);
    expect(total(r, 'Amount')).toBe(ledger.reduce((s, p) => s + Number(p.amount_cents), 0));
    // 50 + 120 + 30 + 10, and the returned cash payment (-50): cancelled and voided ones are not money received.
    expect(total(r, 'Amount')).toBe(16_000);
    const byMethod = tableOf(r, 'by-method');
    expect(byMethod.total![2]).toBe(16_000);
    expect(byMethod.rows.find((x) => x[0] === 'Check')).toEqual(['Check', 1, 12_000]);
    expect(tableOf(r, 'by-user').rows.find((x) => x[0] === 'Carla CSR')).toEqual(['Carla CSR', 2, 17_000]);
    expect(r.chart!.points.map((p) => p.label)).toEqual(['2026-03-10', '2026-03-15']);
  });
  it('filters by division, method, user and status', async () => {
    expect(total(await t.run(t.supervisor, 'reports.payments', { divisionId: south }), 'Amount')).toBe(3_000);
    expect(total(await t.run(t.supervisor, 'reports.payments', { method: 'ach' }), 'Amount')).toBe(1_000);
    expect(total(await t.run(t.supervisor, 'reports.payments', { userId: t.admin.userId }), 'Amount')).toBe(1_000);
    const voided = await t.run(t.supervisor, 'reports.payments', { status: 'voided' });
    expect(tableOf(voided, 'payments').rows.map((x) => x[1])).toHaveLength(1);
    expect(total(await t.run(t.supervisor, 'reports.payments', { from: '2026-03-11', to: '2026-03-12' }), 'Payments')).toBe(0);
  });
  it('shows a CSR only their own payments of today, and says so', async () => {
    const r = await t.run(t.csr, 'reports.payments', { from: '2026-01-01', to: '2026-12-31', userId: t.admin.userId });
    expect(r.scopeNote).toMatch(/only the payments you entered today/);
    expect(total(r, 'Amount')).toBe(17_000);
    expect(tableOf(r, 'payments').rows.every((x) => x[8] === 'Carla CSR' && x[0] === TODAY)).toBe(true);
  });
  it('refuses a range that ends before it starts, naming the field', async () => {
    const r = await t.attempt(t.supervisor, 'reports.payments', { from: '2026-03-15', to: '2026-03-01' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(JSON.stringify(r.error)).toMatch(/end date is before the start date/);
  });
});

describe('reports.deposits', () => {
  it('lists each deposit with its checks and cash, open or closed, as the slip adds them', async () => {
    const r = await t.run(t.supervisor, 'reports.deposits', {});
    const deps = tableOf(r, 'deposits');
    expect(deps.rows).toHaveLength(2);
    const closed = deps.rows.find((x) => x[3] === 'Closed')!;
    expect(closed.slice(4, 11)).toEqual([1, 12_000, 1, 5_000, 0, 0, 17_000]);
    expect(tableOf(r, 'checks').rows).toEqual([[closed[0], TODAY, '1001', '50001', 'Alice Payer', expect.stringMatching(/^PMT-/), 12_000]]);
    expect(total(r, 'Open')).toBe(1);
    // The open deposit holds the returned payment (-$50.00).
    expect(total(r, 'Total deposited')).toBe(12_000);
    expect((await t.run(t.supervisor, 'reports.deposits', { status: 'open' })).tables[0].rows).toHaveLength(1);
  });
});

describe('reports.reversals', () => {
  it('lists refunds, voids, cancellations and returns with who, why and how much', async () => {
    const r = await t.run(t.supervisor, 'reports.reversals', {});
    const rows = tableOf(r, 'reversals').rows;
    const what = rows.map((x) => [x[1], x[8], x[9], x[10]]);
    expect(what).toEqual(
      expect.arrayContaining([
        ['Refund', 'Sam Supervisor', 'Overpaid', 2_000],
        ['Cancelled payment', 'Carla CSR', 'Entered twice', 500],
        ['Void (deleted payment)', 'Sam Supervisor', 'Wrong account', 700],
        ['Returned payment', 'Sam Supervisor', expect.stringContaining('Non-sufficient funds'), 5_000],
      ]),
    );
    expect(total(r, 'Amount')).toBe(8_200);
    expect(total(await t.run(t.supervisor, 'reports.reversals', { kind: 'refund' }), 'Amount')).toBe(2_000);
    expect(total(await t.run(t.supervisor, 'reports.reversals', { divisionId: south }), 'Amount')).toBe(700);
  });
});

describe('reports.credits', () => {
  it('shows credits posted and applied, gift cards issued and redeemed', async () => {
    const r = await t.run(t.supervisor, 'reports.credits', {});
    expect(total(r, 'Credits posted')).toBe(2_500);
    expect(total(r, 'Gift cards and prepayments issued')).toBe(50_000);
    // Bob owed $300.00 less the $30.00 card payment: the gift card paid $270.00 of it.
    expect(total(r, 'Gift cards and prepayments redeemed')).toBe(27_000);
    const ledger = await t.core.db.selectFrom('credits').select(['amount_cents']).where('status', '=', 'active').execute();
    expect(tableOf(r, 'credits').total![colOf(tableOf(r, 'credits'), 'Posted')]).toBe(ledger.reduce((s, c) => s + Number(c.amount_cents), 0));
    expect(total(await t.run(t.supervisor, 'reports.credits', { kind: 'credit' }), 'Gift cards and prepayments issued')).toBe(0);
  });
});

describe('reports.uploads', () => {
  it('lists files imported with who, rows, result and the net change to balances', async () => {
    const r = await t.run(t.supervisor, 'reports.uploads', {});
    const row = tableOf(r, 'uploads').rows[0];
    expect(row.slice(1, 6)).toEqual(['balances.csv', 'Balance file', 'North Clinic', 'Ada Admin', 1]);
    expect(total(r, 'Net change to balances')).toBe(12_345);
    expect((await t.run(t.supervisor, 'reports.uploads', { kind: 'bill' })).tables[0].rows).toEqual([]);
  });
});

describe('reports.collections', () => {
  it('nets payments received less returns and refunds per period', async () => {
    const r = await t.run(t.supervisor, 'reports.collections', { every: 'day' });
    expect(tableOf(r, 'collections').rows).toEqual([
      ['2026-03-10', 1, 1_000, 0, 0, 1_000],
      ['2026-03-15', 3, 20_000, -5_000, -2_000, 13_000],
    ]);
    expect(r.chart!.points.map((p) => p.cents)).toEqual([1_000, 13_000]);
    const monthly = await t.run(t.supervisor, 'reports.collections', { every: 'month' });
    expect(tableOf(monthly, 'collections').rows).toEqual([['2026-03', 4, 21_000, -5_000, -2_000, 14_000]]);
  });
});

describe('reports.agingTable and exports', () => {
  it('aging total equals the sum of the account balances', async () => {
    const r = await t.run(t.supervisor, 'reports.agingTable', {});
    const balances = await t.core.db.selectFrom('accounts').select('balance_cents').execute();
    expect(total(r, 'Total (sum of balances)')).toBe(balances.reduce((s, a) => s + Number(a.balance_cents), 0));
    const acc = tableOf(r, 'accounts');
    expect(acc.total![colOf(acc, 'Total (balances)')]).toBe(total(r, 'Total (sum of balances)'));
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });
  it('exports CSV and XLSX whose totals are the report totals', async () => {
    const csv = await t.run(t.supervisor, 'reports.export', { report: 'payments', filter: { from: '2026-03-01', to: TODAY }, format: 'csv' });
    const text = Buffer.from(csv.contentBase64, 'base64').toString('utf8');
    expect(csv.fileName).toBe(`payments-report-${TODAY}.csv`);
    expect(text).toContain('Amount,160.00');
    const x = await t.run(t.supervisor, 'reports.export', { report: 'aging', filter: {}, format: 'xlsx' });
    const wb = XLSX.read(Buffer.from(x.contentBase64, 'base64'));
    expect(wb.SheetNames).toEqual(['Summary', 'Aging by division', 'Accounts']);
    const rows = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets['Accounts']!, { header: 1 });
    const totalCol = (rows[0] as string[]).indexOf('Total (balances)');
    const sumOfRows = rows.slice(1, -1).reduce((s, r) => s + Math.round(Number(r[totalCol]) * 100), 0);
    expect(Math.round(Number(rows[rows.length - 1]![totalCol]) * 100)).toBe(sumOfRows);
    const agingTotal = total(await t.run(t.supervisor, 'reports.agingTable', {}), 'Total (sum of balances)');
    expect(sumOfRows).toBe(agingTotal);
  });
  it('roles: supervisors see every report; a CSR only payments, and cannot export the others', async () => {
    expect((await t.run(t.csr, 'reports.catalog', {})).reports.map((r) => r.name)).toEqual(['payments']);
    expect((await t.run(t.supervisor, 'reports.catalog', {})).reports).toHaveLength(7);
    for (const name of ['reports.deposits', 'reports.reversals', 'reports.credits', 'reports.uploads', 'reports.agingTable', 'reports.collections'] as const)
      expect((await t.attempt(t.csr, name, {})).ok).toBe(false);
    const r = await t.attempt(t.csr, 'reports.export', { report: 'deposits', filter: {}, format: 'csv' });
    expect(r.ok).toBe(false);
    const mine = await t.run(t.csr, 'reports.export', { report: 'payments', filter: {}, format: 'csv' });
    expect(Buffer.from(mine.contentBase64, 'base64').toString('utf8')).toContain('only the payments you entered today');
  });
});
