import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeLedger, seedAccount, type TestLedger } from '../../../test/helpers/ledger';
import type { RunInput } from '../../../test/helpers/channels';
import { verifyAuditChain } from '../audit/audit-log';
import { verifyLedger } from '../ledger/checks';

let t: TestLedger;
beforeEach(async () => {
  t = await makeLedger();
});
afterEach(async () => t.cleanup());

const SHA = (n: number) => n.toString(16).padStart(64, '0');
const balanceFile = (rows: unknown[], sha = SHA(1), extra: Record<string, unknown> = {}) => ({
  sha256: sha,
  fileName: 'balances.csv',
  kind: 'balance' as const,
  divisionId: t.divisionId,
  format: 'csv',
  rowsRead: rows.length,
  rows,
  parseIssues: [],
  notes: [],
  ...extra,
});
/** Applies and returns the full upload result, as the File Transfers page shows it. */
const applyFile = async (input: RunInput<'imports.applyRows'>) => {
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
    expect(r.changes.map((c) => [c.accountNumber, c.action, c.oldCents, c.newCents])).toEqual([
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
    expect(await t.core.db.selectFrom('account_entries').select('kind').where('account_id', '=', a.id).where('kind', '=', 'adjustment').execute()).toHaveLength(1);
  });

  it('the same file read with another decimal or day-first choice is not a duplicate; read the same way again, it is', async () => {
    const a = await seedAccount(t, 'A1');
    const pointMdy = { decimalComma: false, dayFirst: false };
    const first = await applyFile(balanceFile([{ row: 2, accountNumber: 'A1', balanceCents: 123_456 }], SHA(7), { readAs: pointMdy }));
    // "1.234,56" first read with a decimal point, then with the decimal comma the admin chose.
    const reread = await applyFile(balanceFile([{ row: 2, accountNumber: 'A1', balanceCents: 1_234 }], SHA(7), { readAs: { decimalComma: true, dayFirst: false } }));
    expect(reread.duplicateOf).toBeNull();
    expect(await balance(a.id)).toBe(1_234);
    const again = await applyFile(balanceFile([{ row: 2, accountNumber: 'A1', balanceCents: 123_456 }], SHA(7), { readAs: pointMdy }));
    expect(again.duplicateOf).toBe(first.uploadId);
    expect(await balance(a.id)).toBe(1_234);
  });

  it('a file with one payer updates only that payer; duplicates and unknown divisions are row errors', async () => {
    const a = await seedAccount(t, 'A1');
    const b = await seedAccount(t, 'B2', [{ number: 'X', due: '2026-01-01', lines: ['9.00'] }]);
    const r = await applyFile(balanceFile([
      { row: 5, accountNumber: 'A1', balanceCents: 100 },
      { row: 6, accountNumber: 'A1', balanceCents: 200 },
      { row: 7, accountNumber: 'Q', balanceCents: 1, division: 'Atlantis' },
    ]));
    expect(r.issues.filter((i) => i.severity === 'error')).toEqual([
      { row: 6, column: 'Account Number', severity: 'error', message: 'Account A1 appears more than once in North Clinic.' },
      { row: 7, column: 'Division', severity: 'error', message: 'Unknown division "Atlantis".' },
    ]);
    expect(await balance(a.id)).toBe(100);
    expect(await balance(b.id)).toBe(900);
  });

  it('only the roles the Settings allow may apply a file (by default Admins for bill files)', async () => {
    const r = await t.attempt(t.supervisor, 'imports.applyRows', { ...balanceFile([]), kind: 'bill' });
    expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('a file larger than the accounts table', () => {
  it('builds the name, number and portal-user indexes after its rows: the same indexes, used the same way, the same answers', async () => {
    const schema = () => t.core.ledger.raw.prepare("SELECT name, sql FROM sqlite_schema WHERE tbl_name = 'accounts' AND type = 'index' ORDER BY name").all() as { name: string; sql: string | null }[];
    const before = schema();
    const rows = Array.from({ length: 1200 }, (_, n) => ({ row: n + 2, accountNumber: `N${1200 - n}`, balanceCents: n, name: `Payer ${(n * 7919) % 1200}` }));
    const r = await applyFile(balanceFile(rows));
    expect(r).toMatchObject({ accountsCreated: 1200, errors: 0 });
    expect(schema()).toEqual(before);
    const plan = (q: string) => t.core.ledger.raw.prepare(`EXPLAIN QUERY PLAN ${q}`).all('x').map((x) => (x as { detail: string }).detail).join();
    expect(plan('SELECT id FROM accounts WHERE name = ?')).toContain('accounts_name');
    expect(plan('SELECT id FROM accounts WHERE account_number = ?')).toContain('accounts_number');
    expect(plan('SELECT id FROM accounts WHERE portal_user_id = ?')).toContain('accounts_portal_user');
    expect(t.core.ledger.raw.prepare('PRAGMA integrity_check').pluck().all()).toEqual(['ok']);
    // Written per changed line, read by no query: only its primary key is indexed (migration 0034).
    expect(t.core.ledger.raw.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'balance_adjustments'").pluck().all()).toEqual(['sqlite_autoindex_balance_adjustments_1']);
    const search = await t.run(t.csr, 'payers.search', { query: 'N7' });
    expect(search.accounts.map((a) => a.accountNumber)).toContain('N7');
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });
});

describe('bill file', () => {
  const billFile = (rows: unknown[], sha: string) => ({ ...balanceFile(rows, sha), kind: 'bill' as const, fileName: 'bills.csv' });
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
    const statuses = detail.invoices.map((i) => [i.invoiceNumber, i.status, i.openCents]).sort();
    expect(statuses).toEqual([
      ['B-1', 'open', 18_000],
      ['B-1', 'superseded', 0], // its charges were reversed: nothing open (balance = open charges − unapplied)
    ]);
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });
});

describe('imports never change who a payer is silently', () => {
  const south = async () => (await t.run(t.admin, 'divisions.create', { name: 'South Clinic' })).id as string;
  const account = async (id: string) => (await t.run(t.csr, 'payers.get', { accountId: id })).account;

  it('a changed name, email or user ID is its own change (old -> new) and needs "apply" or "keep"', async () => {
    const a = await seedAccount(t, 'A1', [], 'Ann Able');
    const rows = [{ row: 2, accountNumber: 'A1', balanceCents: 500, name: 'Anne Other', email: 'other@example.com', userId: 'ANNE' }];
    const refused = await t.attempt(t.admin, 'imports.applyRows', balanceFile(rows));
    expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { field: 'decisions' } } });
    expect(refused.ok ? '' : refused.error.message).toContain('changes the name, email or user ID of 1 existing account');
    expect(await account(a.id)).toMatchObject({ name: 'Ann Able', email: 'A1@example.com', balanceCents: 0 });

    const kept = await applyFile(balanceFile(rows, SHA(10), { decisions: { identity: 'keep' } }));
    expect(kept.identityChanges).toEqual([
      { row: 2, accountNumber: 'A1', division: 'North Clinic', field: 'name', oldValue: 'Ann Able', newValue: 'Anne Other' },
      { row: 2, accountNumber: 'A1', division: 'North Clinic', field: 'email', oldValue: 'A1@example.com', newValue: 'other@example.com' },
      { row: 2, accountNumber: 'A1', division: 'North Clinic', field: 'userId', oldValue: null, newValue: 'anne' },
    ]);
    expect(await account(a.id)).toMatchObject({ name: 'Ann Able', email: 'A1@example.com', balanceCents: 500 });

    const applied = await applyFile(balanceFile(rows, SHA(11), { decisions: { identity: 'apply' } }));
    expect(applied.identityChanges).toHaveLength(3);
    expect(await account(a.id)).toMatchObject({ name: 'Anne Other', email: 'other@example.com', balanceCents: 500 });
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });

  it('the same email in other letter case is not a change', async () => {
    await seedAccount(t, 'A1');
    const r = await applyFile(balanceFile([{ row: 2, accountNumber: 'A1', balanceCents: 1, email: 'a1@EXAMPLE.com', name: 'Payer A1' }]));
    expect(r.identityChanges).toEqual([]);
  });

  it('a number that exists in another division is flagged naming it, and needs "separate" or "skip"', async () => {
    const southId = await south();
    await t.run(t.admin, 'accounts.create', { divisionId: southId, accountNumber: 'S7', name: 'Sam South', email: 's7@example.com' });
    const rows = [
      { row: 2, accountNumber: 'S7', balanceCents: 900, name: 'Sam North' },
      { row: 3, accountNumber: 'N1', balanceCents: 100, name: 'Nora North' },
    ];
    const refused = await t.attempt(t.admin, 'imports.applyRows', balanceFile(rows));
    expect(refused.ok ? '' : refused.error.message).toContain('1 account number already exists in another division');

    const skipped = await applyFile(balanceFile(rows, SHA(20), { decisions: { otherDivision: 'skip' } }));
    expect(skipped.otherDivision).toEqual([{ row: 2, accountNumber: 'S7', division: 'North Clinic', existsIn: ['South Clinic'] }]);
    expect(skipped).toMatchObject({ accountsCreated: 1 });
    expect(skipped.issues).toContainEqual({ row: 2, column: 'Account Number', severity: 'warning', message: 'Account S7 exists in South Clinic, not in North Clinic; the row was skipped, as chosen.' });
    expect(await t.core.db.selectFrom('accounts').select('division_id').where('account_number', '=', 'S7').execute()).toEqual([{ division_id: southId }]);

    const separate = await applyFile(balanceFile(rows, SHA(21), { decisions: { otherDivision: 'separate' } }));
    expect(separate).toMatchObject({ accountsCreated: 1 });
    const both = await t.core.db.selectFrom('accounts').select(['division_id', 'name']).where('account_number', '=', 'S7').orderBy('name').execute();
    expect(both).toEqual([
      { division_id: t.divisionId, name: 'Sam North' },
      { division_id: southId, name: 'Sam South' },
    ]);
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });

  it('other divisions are searched the same whether they hold fewer accounts than the file has new numbers (read whole) or more (looked up)', async () => {
    const southId = await south();
    for (const n of ['S7', 'S8', 'S9']) await t.run(t.admin, 'accounts.create', { divisionId: southId, accountNumber: n, name: `South ${n}`, email: `${n.toLowerCase()}@example.com` });
    const flagged = async (numbers: string[], sha: string) =>
      (await applyFile(balanceFile(numbers.map((accountNumber, i) => ({ row: i + 2, accountNumber, balanceCents: 100, name: `North ${accountNumber}` })), sha, { decisions: { otherDivision: 'skip' } }))).otherDivision.map((o) => o.accountNumber);
    // Two new numbers, three accounts elsewhere: looked up.
    expect(await flagged(['S8', 'N1'], SHA(40))).toEqual(['S8']);
    // Four new numbers, three accounts elsewhere: read whole.
    expect(await flagged(['S9', 'N2', 'N3', 'S7'], SHA(41))).toEqual(['S9', 'S7']);
  });

  it('bill files ask too before creating a same-numbered account in this division', async () => {
    const southId = await south();
    await t.run(t.admin, 'accounts.create', { divisionId: southId, accountNumber: 'S7', name: 'Sam South', email: 's7@example.com' });
    const line = (row: number, inv: string) => ({ row, accountNumber: 'S7', invoiceNumber: inv, invoiceDate: '2026-03-01', dueDate: '2026-03-10', category: 'Tuition', description: 'March', amountCents: 1_000 });
    const file = (sha: string, decisions?: object) => ({ ...balanceFile([line(2, 'B-1'), line(3, 'B-2')], sha), kind: 'bill' as const, fileName: 'bills.csv', ...(decisions ? { decisions } : {}) });
    const refused = await t.attempt(t.admin, 'imports.applyRows', file(SHA(30)));
    expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const skipped = await applyFile(file(SHA(31), { otherDivision: 'skip' }));
    expect(skipped).toMatchObject({ invoicesCreated: 0, accountsCreated: 0 });
    expect(skipped.otherDivision).toHaveLength(1);
  });

  it('a Division column that disagrees with the selected division is an error row unless the file is chosen to win', async () => {
    const southId = await south();
    const rows = [
      { row: 2, accountNumber: 'A1', balanceCents: 100, name: 'North One', division: 'north clinic' },
      { row: 3, accountNumber: 'B2', balanceCents: 200, name: 'South Two', division: 'South Clinic' },
    ];
    const r = await applyFile(balanceFile(rows));
    expect(r.issues).toContainEqual({
      row: 3,
      column: 'Division',
      severity: 'error',
      message: 'The Division column says "South Clinic" but North Clinic is selected; correct the row, or choose "Use the file\'s Division column".',
    });
    expect(r).toMatchObject({ accountsCreated: 1, errors: 1 });
    const used = await applyFile(balanceFile(rows, SHA(40), { decisions: { divisionColumn: 'file' } }));
    expect(used).toMatchObject({ accountsCreated: 1, errors: 0 });
    expect(await t.core.db.selectFrom('accounts').select('division_id').where('account_number', '=', 'B2').execute()).toEqual([{ division_id: southId }]);
  });
});

describe('a repeated command id, told apart by the file rather than by its rows', () => {
  it('the same file under the same command id replays; another file or reading under it is a conflict; the outbox keeps every row', async () => {
    await seedAccount(t, 'A1');
    const rows = [{ row: 2, accountNumber: 'A1', balanceCents: 700 }];
    const actor = { userId: t.admin.userId, role: t.admin.role };
    const commandId = '00000000-0000-4000-8000-000000000015';
    const uploadId = '00000000-0000-4000-8000-000000000016';
    const first = await t.core.executor.execute(actor, 'imports.applyRows', balanceFile(rows, SHA(1), { uploadId }), { commandId });
    expect(first.ok).toBe(true);
    const again = await t.core.executor.execute(actor, 'imports.applyRows', balanceFile(rows, SHA(1), { uploadId }), { commandId });
    expect(again).toEqual(first);
    for (const other of [balanceFile(rows, SHA(2), { uploadId }), balanceFile(rows, SHA(1), { uploadId, readAs: { decimalComma: true, dayFirst: false } }), balanceFile([...rows, { row: 3, accountNumber: 'B2', balanceCents: 1 }], SHA(1), { uploadId })]) {
      const r = await t.core.executor.execute(actor, 'imports.applyRows', other, { commandId });
      expect(r.ok ? null : r.error.code).toBe('CONFLICT');
    }
    const out = await t.core.db.selectFrom('sync_outbox').select('input_json').where('command_id', '=', commandId).executeTakeFirstOrThrow();
    expect(JSON.parse(out.input_json)).toMatchObject({ sha256: SHA(1), uploadId, rows });
  });
});

describe('closed is closed: a bill file superseding an invoice paid from a closed deposit', () => {
  it('leaves the deposit and its applications unchanged and credits what was paid today, linked and applied', async () => {
    const a = await seedAccount(t, 'A1');
    const line = (amountCents: number, description: string, sha?: string) => ({
      ...balanceFile([{ row: 2, accountNumber: 'A1', invoiceNumber: 'B-1', invoiceDate: '2026-03-01', dueDate: '2026-03-10', category: 'Tuition', description, amountCents }], sha),
      kind: 'bill' as const,
      fileName: 'bills.csv',
    });
    await applyFile(line(30_000, 'March', SHA(50)));
    const pay = await t.run(t.csr, 'payments.record', { accountId: a.id, amount: '100.00', method: 'cash' });
    const dep = await t.run(t.supervisor, 'deposits.create', { divisionId: t.divisionId });
    await t.run(t.supervisor, 'deposits.addPayments', { depositId: dep.id, paymentIds: [pay.id] });
    await t.run(t.supervisor, 'deposits.complete', { depositId: dep.id });
    const before = await t.run(t.supervisor, 'deposits.get', { depositId: dep.id });
    const appsBefore = await t.core.db.selectFrom('applications').selectAll().where('payment_id', '=', pay.id).orderBy('id').execute();

    const r = await applyFile(line(28_000, 'March (corrected)', SHA(51)));
    expect(r).toMatchObject({ invoicesReplaced: 1 });
    expect(r.issues).toContainEqual(expect.objectContaining({ severity: 'warning', message: expect.stringContaining('that payment stays as recorded, and $100.00 is credited to the account today') }));

    expect(await t.run(t.supervisor, 'deposits.get', { depositId: dep.id })).toEqual(before);
    expect(await t.core.db.selectFrom('applications').selectAll().where('payment_id', '=', pay.id).orderBy('id').execute()).toEqual(appsBefore);
    const credits = await t.core.db.selectFrom('credits').selectAll().where('account_id', '=', a.id).execute();
    expect(credits).toHaveLength(1);
    expect(credits[0]).toMatchObject({ amount_cents: 10_000, open_cents: 0, classification: 'Supersede correction', status: 'active' });
    const detail = await t.run(t.csr, 'payers.get', { accountId: a.id });
    expect(detail.account.balanceCents).toBe(18_000);
    expect(detail.invoices.map((i) => [i.invoiceNumber, i.status, i.openCents]).sort()).toEqual([
      ['B-1', 'open', 18_000],
      ['B-1', 'superseded', 0], // reversed: nothing open on the replaced version
    ]);
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });
});

