/**
 * The floor of a balance file's first load in this ledger's data model: the rows an import of `n`
 * new accounts writes (the account and its search entry; for each non-zero balance its adjustment
 * invoice, charge line and journal entry), written raw with better-sqlite3 into a migrated ledger,
 * 64 rows per statement, the accounts' name/number/portal-user indexes built after the batch (as
 * the import does), then COMMIT and close (the checkpoint). No parsing, no plan, no checks, no
 * upload result or outbox: what no implementation of this model can go under on this machine.
 *
 * `oneRow` sketches the lighter model the closing note offers the owner: each adjustment charge one
 * row that is also its journal entry (a scratch table with the charge's columns and its open-aging
 * index), no invoice row, no separate entry. Not a schema of the product: a number for the decision.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { valuesList } from '../src/core/db/values-list';
import { openDesktopCore } from '../src/core/ledger-core';
import { round } from './stats';

const PER_STATEMENT = 64;

type Batch = [table: string, cols: string[], rows: unknown[][]];

export async function ledgerRowsFloor(n: number, o: { oneRow?: boolean } = {}): Promise<{ ms: number; cpuMs: number; ledgerMb: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'ld-bench-floor-'));
  const file = join(dir, 'ledger.sqlite');
  const core = await openDesktopCore(file);
  const raw = core.ledger.raw;
  const divisionId = '00000000-0000-7000-8000-00000000d1v0';
  raw.prepare("INSERT INTO divisions (id, name, created_at) VALUES (?, ?, '2026-11-30T00:00:00.000Z')").run(divisionId, 'Floor');
  const insert = ([table, cols, rows]: Batch) => {
    const head = `INSERT INTO ${table} (${cols.join(', ')}) VALUES `;
    const many = raw.prepare(head + valuesList('sqlite', cols.length, PER_STATEMENT));
    const single = raw.prepare(head + valuesList('sqlite', cols.length, 1));
    let i = 0;
    for (; i + PER_STATEMENT <= rows.length; i += PER_STATEMENT) many.run(rows.slice(i, i + PER_STATEMENT).flat());
    for (; i < rows.length; i++) single.run(rows[i]!);
  };
  const id = (prefix: string, i: number) => `${prefix}-7000-8000-${i.toString(16).padStart(12, '0')}`;
  const now = '2026-11-30T12:00:00.000Z';
  const day = '2026-11-30';
  const cents = (i: number) => (i * 37) % 100000;
  const charged = Array.from({ length: n }, (_, i) => i).filter((i) => cents(i) !== 0);
  const description = (i: number) => `Balance set to ${(cents(i) / 100).toFixed(2)} by file upload`;

  // The rows are built before the clock starts: only writing them is timed.
  const accounts: Batch = [
    'accounts',
    ['id', 'division_id', 'account_number', 'name', 'email', 'portal_user_id', 'status', 'balance_cents', 'created_at', 'updated_at'],
    Array.from({ length: n }, (_, i) => [id('0a000000-0000', i), divisionId, String(500000 + i), `Payer ${i}`, `p${i}@example.com`, null, 'active', cents(i), now, now]),
  ];
  const charges: Batch[] = o.oneRow
    ? [
        [
          'opening_charges',
          ['id', 'account_id', 'amount_cents', 'open_cents', 'due_date', 'description', 'created_at'],
          charged.map((i) => [id('0c000000-0000', i), id('0a000000-0000', i), cents(i), cents(i), day, description(i), now]),
        ],
      ]
    : [
        ['invoices', ['id', 'account_id', 'invoice_number', 'invoice_date', 'due_date', 'status', 'superseded_by', 'created_at'], charged.map((i) => [id('0b000000-0000', i), id('0a000000-0000', i), `ADJ-${i}`, day, day, 'open', null, now])],
        [
          'charge_lines',
          ['id', 'invoice_id', 'account_id', 'line_no', 'category', 'description', 'amount_cents', 'open_cents', 'due_date', 'created_at'],
          charged.map((i) => [id('0c000000-0000', i), id('0b000000-0000', i), id('0a000000-0000', i), 1, 'Adjustment', description(i), cents(i), cents(i), day, now]),
        ],
        [
          'account_entries',
          ['id', 'account_id', 'entry_date', 'kind', 'amount_cents', 'source_type', 'source_id', 'description', 'created_at'],
          charged.map((i) => [id('0d000000-0000', i), id('0a000000-0000', i), day, 'adjustment', cents(i), 'charge_line', id('0c000000-0000', i), description(i), now]),
        ],
      ];
  if (o.oneRow) {
    raw.exec('CREATE TABLE opening_charges (id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts (id), amount_cents INTEGER NOT NULL, open_cents INTEGER NOT NULL, due_date TEXT NOT NULL, description TEXT NOT NULL, created_at TEXT NOT NULL)');
    raw.exec('CREATE INDEX opening_charges_open ON opening_charges (account_id, due_date, open_cents) WHERE open_cents <> 0');
  }

  const c0 = process.cpuUsage();
  const t0 = performance.now();
  raw.exec('BEGIN');
  const rebuilt = raw.prepare<[], { name: string; sql: string }>("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND name IN ('accounts_name', 'accounts_number', 'accounts_portal_user')").all();
  for (const x of rebuilt) raw.exec(`DROP INDEX ${x.name}`);
  raw.exec('INSERT INTO accounts_fts_paused (paused) VALUES (1)');
  insert(accounts);
  for (const x of rebuilt) raw.exec(x.sql);
  raw.exec('DELETE FROM accounts_fts_paused');
  raw.exec('INSERT INTO accounts_fts (rowid, name) SELECT rowid, name FROM accounts');
  for (const b of charges) insert(b);
  raw.exec('COMMIT');
  await core.close();
  const ms = round(performance.now() - t0);
  const c = process.cpuUsage(c0);
  const ledgerMb = round(statSync(file).size / 1e6, 1);
  rmSync(dir, { recursive: true, force: true });
  return { ms, cpuMs: round((c.user + c.system) / 1000), ledgerMb };
}
