import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeLedger, seedAccount, type TestLedger } from '../../../test/helpers/ledger';
import { verifyLedger } from '../ledger/checks';

/**
 * Balance files post most adjustments set-wise (ledger/adjustments.ts, postBalanceAdjustments) and index new names in one
 * statement (search-index.ts). Every kind of move, mixed in one file, must end exactly as the
 * one-by-one postings would: balances, open charges, credits, search.
 */
let t: TestLedger;
beforeEach(async () => {
  t = await makeLedger();
});
afterEach(async () => t.cleanup());

let sha = 0;
const apply = (rows: Record<string, unknown>[]) =>
  t.run(t.admin, 'imports.applyRows', {
    sha256: (++sha).toString(16).padStart(64, '0'),
    fileName: 'balances.csv',
    kind: 'balance' as const,
    divisionId: t.divisionId,
    format: 'csv',
    rowsRead: rows.length,
    rows: rows.map((r, i) => ({ row: i + 2, ...r })),
    parseIssues: [],
    notes: [],
  });
const account = async (number: string) => t.core.db.selectFrom('accounts').selectAll().where('account_number', '=', number).executeTakeFirstOrThrow();
const openCharges = async (accountId: string) => Number((await t.core.db.selectFrom('charge_lines').select((eb) => eb.fn.sum<number>('open_cents').as('s')).where('account_id', '=', accountId).executeTakeFirst())?.s ?? 0);
const openCredits = async (accountId: string) => Number((await t.core.db.selectFrom('credits').select((eb) => eb.fn.sum<number>('open_cents').as('s')).where('account_id', '=', accountId).where('status', '=', 'active').executeTakeFirst())?.s ?? 0);

describe('a balance file posted set-wise', () => {
  it('raises, cuts, new and existing accounts, with and without credits: balances, charges and credits as one by one', async () => {
    const billed = await seedAccount(t, 'E1', [{ number: 'I1', due: '2026-01-01', lines: ['100.00'] }]);
    await seedAccount(t, 'E2');
    // First file: a new account with a credit (cut), a new one with a charge (raise).
    await apply([
      { accountNumber: 'N1', balanceCents: -2_500, name: 'Quillon Credited' },
      { accountNumber: 'N2', balanceCents: 4_000, name: 'Quillon Charged' },
    ]);
    const n1 = await account('N1');
    const n2 = await account('N2');
    expect([n1.balance_cents, await openCredits(n1.id), await openCharges(n1.id)].map(Number)).toEqual([-2_500, 2_500, 0]);
    expect([n2.balance_cents, await openCharges(n2.id)].map(Number)).toEqual([4_000, 4_000]);

    // Second file: N1 raised past its credit (the credit meets the new charge), E1 cut (credit
    // applied to its open invoice), E2 raised (no credits), N2 unchanged, N3 new.
    await apply([
      { accountNumber: 'N1', balanceCents: 1_000 },
      { accountNumber: 'N2', balanceCents: 4_000 },
      { accountNumber: 'E1', balanceCents: 6_000 },
      { accountNumber: 'E2', balanceCents: 750 },
      { accountNumber: 'N3', balanceCents: 1, name: 'Quillon Third' },
    ]);
    const after = async (n: string) => {
      const a = await account(n);
      return [Number(a.balance_cents), await openCharges(a.id), await openCredits(a.id)];
    };
    expect(await after('N1')).toEqual([1_000, 1_000, 0]);
    expect(await after('N2')).toEqual([4_000, 4_000, 0]);
    expect(await after('E1')).toEqual([6_000, 6_000, 0]);
    expect(await openCharges(billed.id)).toBe(6_000);
    expect(await after('E2')).toEqual([750, 750, 0]);
    expect(await after('N3')).toEqual([1, 1, 0]);
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });

  it('cuts on existing accounts: each credit meets the open charges of its own account oldest due first, the rest stays on the account', async () => {
    const a = await seedAccount(t, 'C1', [
      { number: 'LATE', due: '2026-02-01', lines: ['30.00'] },
      { number: 'EARLY', due: '2026-01-01', lines: ['20.00', '5.00'] },
    ]);
    const b = await seedAccount(t, 'C2', [{ number: 'ONE', due: '2026-01-15', lines: ['10.00'] }]);
    const c = await seedAccount(t, 'C3');
    // C1 55.00 -> 25.00 (30.00 off: EARLY's two lines 25.00, then 5.00 of LATE); C2 10.00 -> -4.00
    // (10.00 meets ONE, 4.00 left as credit); C3 0 -> -1.00 (nothing open: all credit).
    await apply([
      { accountNumber: 'C1', balanceCents: 2_500 },
      { accountNumber: 'C2', balanceCents: -400 },
      { accountNumber: 'C3', balanceCents: -100 },
    ]);
    const open = async (accountId: string) =>
      (await t.core.db.selectFrom('charge_lines').innerJoin('invoices', 'invoices.id', 'charge_lines.invoice_id').select(['invoices.invoice_number', 'charge_lines.line_no', 'charge_lines.open_cents']).where('charge_lines.account_id', '=', accountId).orderBy('invoices.invoice_number').orderBy('charge_lines.line_no').execute()).map((r) => [r.invoice_number, r.line_no, Number(r.open_cents)]);
    expect(await open(a.id)).toEqual([['EARLY', 1, 0], ['EARLY', 2, 0], ['LATE', 1, 2_500]]);
    expect([Number((await account('C1')).balance_cents), await openCredits(a.id)]).toEqual([2_500, 0]);
    expect(await open(b.id)).toEqual([['ONE', 1, 0]]);
    expect([Number((await account('C2')).balance_cents), await openCredits(b.id)]).toEqual([-400, 400]);
    expect([Number((await account('C3')).balance_cents), await openCredits(c.id), await openCharges(c.id)]).toEqual([-100, 100, 0]);
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });

  it('new names are found by search at once, and accounts created later are indexed by the trigger again', async () => {
    await apply([
      { accountNumber: 'S1', balanceCents: 100, name: 'Zanzibar Holloway' },
      { accountNumber: 'S2', balanceCents: 0, name: 'Zanzibar Pemberton' },
    ]);
    const found = await t.run(t.csr, 'payers.search', { query: 'zanzibar' });
    expect(found.accounts.map((a) => a.accountNumber).sort()).toEqual(['S1', 'S2']);
    expect((await sql<{ n: number }>`SELECT count(*) AS n FROM accounts_fts_paused`.execute(t.core.db)).rows[0]!.n).toBe(0);
    await t.run(t.admin, 'accounts.create', { divisionId: t.divisionId, accountNumber: 'S3', name: 'Zanzibar Later', email: 's3@example.com' });
    const again = await t.run(t.csr, 'payers.search', { query: 'zanzibar later' });
    expect(again.accounts.map((a) => a.accountNumber)).toEqual(['S3']);
    // The index holds each name once: an FTS integrity check against its content table passes.
    await sql`INSERT INTO accounts_fts(accounts_fts, rank) VALUES ('integrity-check', 1)`.execute(t.core.db);
  });
});

describe('adjustment charge numbers', () => {
  it('each night that raises the same account (same row of the file) gives its charge a new number', async () => {
    // The numbers once came from an id whose low bits are the row's position: the first row of
    // every file could take only four numbers, so a fifth raise repeated one on the same account.
    for (let night = 1; night <= 6; night++) await apply([{ accountNumber: 'R1', balanceCents: night * 1_000, name: 'Nightly Raised' }]);
    const r1 = await account('R1');
    const numbers = (await t.core.db.selectFrom('invoices').select('invoice_number').where('account_id', '=', r1.id).execute()).map((i) => i.invoice_number);
    expect(numbers).toHaveLength(6);
    expect(numbers.every((n) => /^ADJ-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/.test(n))).toBe(true);
    expect(new Set(numbers).size).toBe(6);
  });
});
