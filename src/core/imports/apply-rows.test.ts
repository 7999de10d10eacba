import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeLedger, seedAccount, type TestLedger } from '../../../test/helpers/ledger';
import { verifyAuditChain } from '../audit/audit-log';
import { verifyLedger } from '../ledger/checks';

let t: TestLedger;
beforeEach(async () => {
  t = await makeLedger();
});
afterEach(async () => t.cleanup());

const SHA = (n: number) => n.toString(16).padStart(64, '0');
const balanceFile = (rows: any[], sha = SHA(1), extra: Record<string, unknown> = {}) => ({
  sha256: sha,
  fileName: 'balances.csv',
  kind: 'balance',
  divisionId: t.divisionId,
  format: 'csv',
  rowsRead: rows.length,
  rows,
  parseIssues: [],
  notes: [],
  ...extra,
});
/** Applies and returns the full upload result, as the File Transfers page shows it. */
const applyFile = async (input: unknown) => {
  const r = await t.run(t.admin, 'imports.applyRows', input);
  return { ...(await t.run(t.admin, 'imports.get', { uploadId: r.uploadId })), duplicateOf: r.duplicateOf, uploadId: r.uploadId };
};
const balance = async (accountId: string) => (await t.run(t.csr, 'payers.get', { accountId })).account.balanceCents;

describe('universal balance file', () => {
  it('sets balances by adjustment, creates unknown payers, leaves others, keeps history', async () => {
    const a = await seedAccount(t, 'A1', [{ number: 'I1', due: '2026-01-01', lines: ['100.00'] }]);
    const b = await seedAccount(t, 'B2', [{ number: 'I2', due: '2026-01-01', lines: ['50.00'] }]);
    const c = await seedAccount(t, 'C3', [{ number: 'I3', due: '2026-01-01', lines: ['20.00'] }]);
    const r = await applyFile(balanceFile([
      { row: 2, accountNumber: 'A1', balanceCents: 12_345, name: 'Payer A1' },
      { row: 3, accountNumber: 'B2', balanceCents: 5_000 },
      { row: 4, accountNumber: 'NEW9', balanceCents: -2_500, name: 'New Payer', email: 'new@example.com' },
    ]));
    expect(r).toMatchObject({ rowsRead: 3, accountsUpdated: 1, accountsCreated: 1, accountsUnchanged: 1, notInFile: 1, errors: 0, warnings: 1, duplicateOf: null });
    expect(r.changes.map((c: any) => [c.accountNumber, c.action, c.oldCents, c.newCents])).toEqual([
      ['A1', 'update', 10_000, 12_345],
      ['B2', 'unchanged', 5_000, 5_000],
      ['NEW9', 'create', 0, -2_500],
    ]);
    expect(await balance(a.id)).toBe(12_345);
    expect(await balance(b.id)).toBe(5_000);
    expect(await balance(c.id)).toBe(2_000);
    const detail = await t.run(t.csr, 'payers.get', { accountId: a.id });
    expect(detail.activity[0]).toMatchObject({ kind: 'adjustment', amountCents: 2_345, runningBalanceCents: 12_345 });
    expect(await verifyLedger(t.core.db)).toEqual([]);
    expect((await verifyAuditChain(t.core.db)).ok).toBe(true);
    const search = await t.run(t.csr, 'payers.search', { query: 'NEW9' });
    expect(search.accounts[0]).toMatchObject({ name: 'New Payer', balanceCents: -2_500 });
  });

  it('the same file again changes nothing and names the earlier upload', async () => {
    const a = await seedAccount(t, 'A1');
    const first = await applyFile(balanceFile([{ row: 2, accountNumber: 'A1', balanceCents: 700 }]));
    const again = await applyFile(balanceFile([{ row: 2, accountNumber: 'A1', balanceCents: 700 }]));
    expect(again.duplicateOf).toBe(first.uploadId);
    expect(await balance(a.id)).toBe(700);
    expect(await t.core.db.selectFrom('uploads').selectAll().execute()).toHaveLength(1);
    expect(await t.core.db.selectFrom('balance_adjustments').selectAll().execute()).toHaveLength(1);
  });

  it('a file with one payer updates only that payer; duplicates and unknown divisions are row errors', async () => {
    const a = await seedAccount(t, 'A1');
    const b = await seedAccount(t, 'B2', [{ number: 'X', due: '2026-01-01', lines: ['9.00'] }]);
    const r = await applyFile(balanceFile([
      { row: 5, accountNumber: 'A1', balanceCents: 100 },
      { row: 6, accountNumber: 'A1', balanceCents: 200 },
      { row: 7, accountNumber: 'Q', balanceCents: 1, division: 'Atlantis' },
    ]));
    expect(r.issues.filter((i: any) => i.severity === 'error')).toEqual([
      { row: 6, column: 'Account Number', severity: 'error', message: 'Account A1 appears more than once in North Clinic.' },
      { row: 7, column: 'Division', severity: 'error', message: 'Unknown division "Atlantis".' },
    ]);
    expect(await balance(a.id)).toBe(100);
    expect(await balance(b.id)).toBe(900);
  });

  it('only an admin may apply a file', async () => {
    const r = await t.attempt(t.supervisor, 'imports.applyRows', balanceFile([]));
    expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('bill file', () => {
  const billFile = (rows: any[], sha: string) => ({ ...balanceFile(rows, sha), kind: 'bill', fileName: 'bills.csv' });
  it('creates invoices; a re-sent invoice number supersedes the earlier version and re-applies its payments', async () => {
    const a = await seedAccount(t, 'A1');
    const r1 = await applyFile(billFile([
      { row: 2, accountNumber: 'A1', invoiceNumber: 'B-1', invoiceDate: '2026-03-01', dueDate: '2026-03-10', category: 'Tuition', description: 'March', amountCents: 30_000 },
      { row: 3, accountNumber: 'A1', invoiceNumber: 'B-1', invoiceDate: '2026-03-01', dueDate: '2026-03-10', category: 'Meals', description: 'March meals', amountCents: 5_000 },
      { row: 4, accountNumber: 'N2', invoiceNumber: 'B-2', invoiceDate: '2026-03-01', dueDate: '2026-03-10', category: 'Tuition', description: 'March', amountCents: 10_000, name: 'Nina New' },
    ], SHA(2)));
    expect(r1).toMatchObject({ invoicesCreated: 2, invoicesReplaced: 0, accountsCreated: 1 });
    await t.run(t.csr, 'payments.record', { accountId: a.id, amount: '100.00', method: 'cash' });
    expect(await balance(a.id)).toBe(25_000);

    const r2 = await applyFile(billFile([
      { row: 2, accountNumber: 'A1', invoiceNumber: 'B-1', invoiceDate: '2026-03-01', dueDate: '2026-03-10', category: 'Tuition', description: 'March (corrected)', amountCents: 28_000 },
      { row: 3, accountNumber: 'N2', invoiceNumber: 'B-2', invoiceDate: '2026-03-01', dueDate: '2026-03-10', category: 'Tuition', description: 'March', amountCents: 10_000 },
    ], SHA(3)));
    expect(r2).toMatchObject({ invoicesCreated: 0, invoicesReplaced: 1, accountsUnchanged: 1 });
    const detail = await t.run(t.csr, 'payers.get', { accountId: a.id });
    expect(detail.account.balanceCents).toBe(18_000);
    const statuses = detail.invoices.map((i: any) => [i.invoiceNumber, i.status, i.openCents]).sort();
    expect(statuses).toEqual([
      ['B-1', 'open', 18_000],
      ['B-1', 'superseded', 35_000],
    ]);
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });
});
