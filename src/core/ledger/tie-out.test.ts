import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeLedger, seedAccount, type TestLedger } from '../../../test/helpers/ledger';
import { gatherAccountFacts } from '../notifications/statement-data';
import { verifyLedger } from './checks';
import { accountFigures } from './tie-out';
import { up as migrate0008 } from '../db/migrations/0008_adjustments_as_charges';

let t: TestLedger;
beforeEach(async () => {
  t = await makeLedger();
});
afterEach(async () => t.cleanup());

const SHA = (n: number) => n.toString(16).padStart(64, '0');
const file = (kind: 'balance' | 'bill', rows: unknown[], sha: string) => ({
  sha256: sha,
  fileName: `${kind}.csv`,
  kind,
  divisionId: t.divisionId,
  format: 'csv',
  rowsRead: rows.length,
  rows,
  parseIssues: [],
  notes: [],
});

/** Every figure the office reads for one account, side by side. */
async function figures(accountId: string) {
  const detail = await t.run(t.csr, 'payers.get', { accountId });
  const open = detail.invoices.filter((i) => i.status !== 'superseded').reduce((s, i) => s + i.openCents, 0);
  const aging = await t.run(t.supervisor, 'reports.agingAccounts', { divisionId: t.divisionId });
  const agingRow = aging.rows.find((r) => r.accountId === accountId);
  const facts = (await gatherAccountFacts(t.core.db, [accountId], t.clock.today())).get(accountId)!;
  const f = (await accountFigures(t.core.db, [accountId])).get(accountId)!;
  return { balance: detail.account.balanceCents, open, unapplied: detail.unappliedCents, agingTotal: agingRow?.total ?? 0, statementBalance: facts.closingCents, statementOther: facts.closingCents - facts.openCents, f, detail };
}

describe('one balance (issue 11, observation 1)', () => {
  it('a one-row balance file then a bill file: balance = open charges − unapplied = aging = statement', async () => {
    const a = await seedAccount(t, '100003', [
      { number: 'OLD-1', due: '2025-10-01', lines: ['500.00', '178.00'] },
      { number: 'OLD-2', due: '2026-02-01', lines: ['75.00'] },
    ]);
    await t.run(t.csr, 'payments.record', { accountId: a.id, amount: '40.00', method: 'cash' });
    await t.run(t.admin, 'imports.applyRows', file('balance', [{ row: 2, accountNumber: '100003', balanceCents: 25_000 }], SHA(1)));
    let x = await figures(a.id);
    expect(x.balance).toBe(25_000);
    expect(x.open - x.unapplied).toBe(25_000);
    expect(x.agingTotal).toBe(25_000);

    await t.run(t.admin, 'imports.applyRows', file('bill', [
      { row: 2, accountNumber: '100003', invoiceNumber: 'B-7', invoiceDate: '2026-03-01', dueDate: '2026-03-31', category: 'Tuition', description: 'March', amountCents: 35_000 },
      { row: 3, accountNumber: '100003', invoiceNumber: 'B-8', invoiceDate: '2026-03-01', dueDate: '2026-04-15', category: 'Meals', description: 'Meals', amountCents: 8_000 },
    ], SHA(2)));
    x = await figures(a.id);
    expect(x.balance).toBe(68_000);
    expect(x.open - x.unapplied).toBe(68_000);
    expect(x.agingTotal).toBe(68_000);
    expect(x.statementBalance).toBe(68_000);
    expect(x.statementOther + x.unapplied).toBe(0);
    expect(x.f).toEqual({ balanceCents: 68_000, openCents: x.open, unappliedCents: x.unapplied });

    // History in the order it took effect: the adjustment line shows the 250.00 it set.
    const adj = x.detail.activity.find((e) => e.description.startsWith('Balance set to 250.00'))!;
    expect(adj.runningBalanceCents).toBe(25_000);
    expect(x.detail.activity[0].runningBalanceCents).toBe(68_000);

    // The division's aging total is the sum of its balances.
    const report = await t.run(t.supervisor, 'reports.aging', { divisionId: t.divisionId });
    const accounts = await t.core.db.selectFrom('accounts').select('balance_cents').where('division_id', '=', t.divisionId).execute();
    expect(report.divisions[0].total).toBe(accounts.reduce((s, r) => s + Number(r.balance_cents), 0));
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });

  it('an account set to $0 by a file ages $0 and its statement agrees', async () => {
    const a = await seedAccount(t, '100009', [{ number: 'OLD', due: '2025-09-01', lines: ['678.00'] }]);
    await t.run(t.admin, 'imports.applyRows', file('balance', [{ row: 2, accountNumber: '100009', balanceCents: 0 }], SHA(3)));
    const x = await figures(a.id);
    expect(x.balance).toBe(0);
    expect(x.open).toBe(0);
    expect(x.unapplied).toBe(0);
    expect(x.agingTotal).toBe(0);
    const aging = await t.run(t.supervisor, 'reports.agingAccounts', { divisionId: t.divisionId, bucket: 'd90plus' });
    expect(aging.rows.find((r) => r.accountId === a.id)).toBeUndefined();
    const facts = (await gatherAccountFacts(t.core.db, [a.id], t.clock.today())).get(a.id)!;
    expect(facts.aging).toEqual({ current: 0, d1_30: 0, d31_60: 0, d61_90: 0, over90: 0 });
    expect(facts.closingCents).toBe(0);
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });

  it('a lower balance than the open charges becomes a credit applied oldest due first; a negative one leaves money unapplied', async () => {
    const a = await seedAccount(t, '100011', [
      { number: 'N1', due: '2026-01-01', lines: ['100.00'] },
      { number: 'N2', due: '2026-02-01', lines: ['100.00'] },
    ]);
    await t.run(t.admin, 'imports.applyRows', file('balance', [{ row: 2, accountNumber: '100011', balanceCents: 12_000 }], SHA(4)));
    let x = await figures(a.id);
    expect(x.detail.invoices.map((i) => [i.invoiceNumber, i.openCents]).sort()).toEqual([['N1', 2_000], ['N2', 10_000]]);
    await t.run(t.admin, 'imports.applyRows', file('balance', [{ row: 2, accountNumber: '100011', balanceCents: -3_000 }], SHA(5)));
    x = await figures(a.id);
    expect([x.balance, x.open, x.unapplied, x.agingTotal]).toEqual([-3_000, 0, 3_000, -3_000]);
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });

  it('verifyLedger reports an account whose balance the open charges and unapplied money do not explain', async () => {
    const a = await seedAccount(t, '100012', [{ number: 'Q', due: '2026-01-01', lines: ['10.00'] }]);
    await t.core.db.insertInto('account_entries').values({ id: 'stray', account_id: a.id, entry_date: '2026-03-01', kind: 'adjustment', amount_cents: 500, source_type: 'balance_adjustment', source_id: 'x', description: 'stray', created_at: '2026-03-01T00:00:00Z' }).execute();
    await t.core.db.updateTable('accounts').set({ balance_cents: 1_500 }).where('id', '=', a.id).execute();
    const problems = await verifyLedger(t.core.db);
    expect(problems).toContainEqual(expect.objectContaining({ kind: 'tie_out', id: a.id, expected: 1_000, actual: 1_500 }));
    expect(problems).toContainEqual(expect.objectContaining({ kind: 'division', id: t.divisionId }));
  });

  it('migration 0008 turns bare adjustment entries (the old way) into charges and credits; balances stay', async () => {
    const a = await seedAccount(t, '200001', [{ number: 'M1', due: '2025-11-01', lines: ['300.00'] }, { number: 'M2', due: '2026-01-01', lines: ['100.00'] }]);
    const b = await seedAccount(t, '200002', [{ number: 'M3', due: '2026-01-01', lines: ['50.00'] }]);
    const old = async (id: string, accountId: string, amount: number, newBalance: number) => {
      await t.core.db.insertInto('balance_adjustments').values({ id, account_id: accountId, upload_id: null, amount_cents: amount, old_balance_cents: newBalance - amount, new_balance_cents: newBalance, reason: 'Universal balance file', adjustment_date: '2026-03-10', created_by: t.admin.userId, created_at: '2026-03-10T10:00:00.000Z' }).execute();
      await t.core.db.insertInto('account_entries').values({ id: `${id}-e`, account_id: accountId, entry_date: '2026-03-10', kind: 'adjustment', amount_cents: amount, source_type: 'balance_adjustment', source_id: id, description: `Balance set to ${(newBalance / 100).toFixed(2)} by file upload`, created_at: '2026-03-10T10:00:00.000Z' }).execute();
      await t.core.db.updateTable('accounts').set({ balance_cents: newBalance }).where('id', '=', accountId).execute();
    };
    await old('0190a0a0-0000-7000-8000-00000000000a', a.id, -35_000, 5_000);
    await old('0190a0a0-0000-7000-8000-00000000000b', b.id, 20_000, 25_000);
    expect((await verifyLedger(t.core.db)).map((p) => p.kind)).toContain('tie_out');
    await migrate0008(t.core.db as never, { dialect: 'sqlite' });
    expect(await verifyLedger(t.core.db)).toEqual([]);
    const fa = (await accountFigures(t.core.db, [a.id, b.id]));
    expect(fa.get(a.id)).toEqual({ balanceCents: 5_000, openCents: 5_000, unappliedCents: 0 });
    expect(fa.get(b.id)).toEqual({ balanceCents: 25_000, openCents: 25_000, unappliedCents: 0 });
    const m2 = (await t.run(t.csr, 'payers.get', { accountId: a.id })).invoices.find((i) => i.invoiceNumber === 'M2')!;
    expect(m2.openCents).toBe(5_000); // oldest due (M1) taken first
  });
});
