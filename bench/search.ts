/**
 * Payer Support search at scale: 1,000,000 accounts and 3,000,000 charge lines (plus 1,000,000
 * payments for reference search). Prints p50/p95 of core's search by account-number prefix, name
 * words and reference number, and of the account page's load, each against a raw better-sqlite3
 * indexed lookup measured in the same run.
 *   npm run bench -- search [--accounts 1000000] [--fresh]
 * The generated ledger is kept in bench/.data/ between runs (delete it or pass --fresh to rebuild).
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openSqliteLedger } from '../src/core/db/open-sqlite';
import { loadAccountDetail } from '../src/core/payers/account-detail';
import { searchPayers } from '../src/core/payers/search';
import { newId, referenceFromId } from '../src/shared/ids';
import { round, timeEach, timeOnce } from './stats';

const FIRST = ['James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Carlos', 'Karen', 'Daniel', 'Nancy', 'Matthew', 'Lisa', 'Anthony', 'Betty', 'Mark', 'Sandra', 'Ana', 'Ashley'];
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson'];

export async function main(args: string[]) {
  const { values } = parseArgs({ args, options: { accounts: { type: 'string', default: '1000000' }, fresh: { type: 'boolean', default: false } } });
  const n = Number(values.accounts);
  const dir = join(import.meta.dirname, '.data');
  const path = join(dir, `search-${n}.sqlite`);
  if (values.fresh) rmSync(path, { force: true });
  mkdirSync(dir, { recursive: true });
  const existed = existsSync(path);
  const ledger = await openSqliteLedger(path);
  const raw = ledger.raw;
  if (!existed || (raw.prepare('SELECT COUNT(*) AS c FROM accounts').get() as { c: number }).c < n) {
    const built = await timeOnce(() => build(raw, n));
    console.log(`built ${n.toLocaleString()} accounts, ${(3 * n).toLocaleString()} charge lines, ${n.toLocaleString()} payments in ${(built.ms / 1000).toFixed(1)} s`);
  }
  const counts = raw.prepare('SELECT (SELECT COUNT(*) FROM accounts) AS accounts, (SELECT COUNT(*) FROM charge_lines) AS lines, (SELECT COUNT(*) FROM payments) AS payments').get() as Record<string, number>;
  console.log('ledger:', counts);

  const rnd = mulberry32(99);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const ITER = 400;
  const numbers = Array.from({ length: ITER }, () => String(1_000_000 + Math.floor(rnd() * n)));
  const paymentRefs = raw.prepare('SELECT reference FROM payments WHERE rowid = ?');
  const refList = Array.from({ length: ITER }, () => (paymentRefs.get(1 + Math.floor(rnd() * counts.payments!)) as { reference: string }).reference);
  const accountIds = Array.from({ length: ITER }, (_, i) => (raw.prepare('SELECT id FROM accounts WHERE account_number = ?').get(numbers[i]) as { id: string }).id);

  // Baseline: the raw indexed lookup better-sqlite3 does for an exact account number.
  const baseStmt = raw.prepare('SELECT * FROM accounts WHERE account_number = ?');
  for (let i = 0; i < 200; i++) baseStmt.get(numbers[i % ITER]); // warm
  const baseline = await timeEach(ITER, (i) => baseStmt.get(numbers[i]));

  const db = ledger.db;
  const warm = async () => {
    for (let i = 0; i < 50; i++) await searchPayers(db, 'sqlite', { query: numbers[i]!.slice(0, 5) });
  };
  await warm();
  const prefix = await timeEach(ITER, (i) => searchPayers(db, 'sqlite', { query: numbers[i]!.slice(0, 3 + (i % 4)) }));
  const names = await timeEach(ITER, () => searchPayers(db, 'sqlite', { query: `${pick(FIRST)} ${pick(LAST).slice(0, 3)}` }));
  const nameOne = await timeEach(ITER, () => searchPayers(db, 'sqlite', { query: pick(LAST) }));
  const reference = await timeEach(ITER, (i) => searchPayers(db, 'sqlite', { query: refList[i]! }));
  const referencePrefix = await timeEach(ITER, (i) => searchPayers(db, 'sqlite', { query: refList[i]!.slice(0, 9) }));
  const accountPage = await timeEach(ITER, (i) => loadAccountDetail(db, accountIds[i]!));
  await ledger.close();

  const ratio = (x: { p50: number }) => round(x.p50 / baseline.p50, 1);
  const figures = {
    accounts: counts.accounts,
    chargeLines: counts.lines,
    payments: counts.payments,
    iterations: ITER,
    baselineRawLookupMs: baseline,
    accountNumberPrefixMs: prefix,
    nameWordsMs: names,
    singleNameWordMs: nameOne,
    referenceExactMs: reference,
    referencePrefixMs: referencePrefix,
    accountPageMs: accountPage,
    ratioP50VsBaseline: {
      accountNumberPrefix: ratio(prefix),
      nameWords: ratio(names),
      singleNameWord: ratio(nameOne),
      referenceExact: ratio(reference),
      referencePrefix: ratio(referencePrefix),
      accountPage: ratio(accountPage),
    },
    targetP95Ms: 10,
  };
  console.table(
    Object.fromEntries(
      Object.entries({ baseline, prefix, names, nameOne, reference, referencePrefix, accountPage }).map(([k, v]) => [k, { p50_ms: v.p50, p95_ms: v.p95 }]),
    ),
  );
  return figures;
}

/** Raw inserts in large transactions: this is test data, not a code path under measurement. */
function build(raw: import('better-sqlite3').Database, n: number) {
  raw.pragma('synchronous = OFF');
  const now = new Date().toISOString();
  const divs = ['North Clinic', 'South Clinic', 'Downtown Office'].map((name) => {
    const found = raw.prepare('SELECT id FROM divisions WHERE name = ?').get(name) as { id: string } | undefined;
    if (found) return found.id;
    const id = newId();
    raw.prepare('INSERT INTO divisions (id, name, created_at) VALUES (?, ?, ?)').run(id, name, now);
    return id;
  });
  const rnd = mulberry32(7);
  const insA = raw.prepare(`INSERT INTO accounts (id, division_id, account_number, name, email, portal_user_id, status, balance_cents, created_at, updated_at) VALUES (?, ?, ?, ?, NULL, ?, 'active', ?, ?, ?)`);
  const insI = raw.prepare(`INSERT INTO invoices (id, account_id, invoice_number, invoice_date, due_date, status, superseded_by, created_at) VALUES (?, ?, ?, ?, ?, 'open', NULL, ?)`);
  const insL = raw.prepare(`INSERT INTO charge_lines (id, invoice_id, account_id, line_no, category, description, amount_cents, open_cents, due_date, created_at) VALUES (?, ?, ?, ?, 'Tuition', 'Monthly tuition', ?, ?, ?, ?)`);
  const insE = raw.prepare(`INSERT INTO account_entries (id, account_id, entry_date, kind, amount_cents, source_type, source_id, description, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insP = raw.prepare(`INSERT INTO payments (id, account_id, division_id, reference, payment_date, amount_cents, method, check_number, status, kind, related_payment_id, receipt_email, memo, deposit_id, created_by, created_at, void_reason, voided_by, voided_at) VALUES (?, ?, ?, ?, ?, ?, 'check', '1001', 'deposited', 'payment', NULL, NULL, NULL, NULL, 'bench', ?, NULL, NULL, NULL)`);
  const batch = 50_000;
  for (let start = 0; start < n; start += batch) {
    raw.transaction(() => {
      for (let i = start; i < Math.min(n, start + batch); i++) {
        const accountId = newId();
        const name = `${FIRST[Math.floor(rnd() * FIRST.length)]} ${LAST[Math.floor(rnd() * LAST.length)]}`;
        insA.run(accountId, divs[i % 3], String(1_000_000 + i), name, `user${i}`, 0, now, now);
        let balance = 0;
        for (let k = 0; k < 3; k++) {
          const invoiceId = newId();
          const due = `2026-0${k + 1}-15`;
          insI.run(invoiceId, accountId, `INV-${i}-${k}`, due, due, now);
          const lineId = newId();
          const amount = 10_000 + Math.floor(rnd() * 30_000);
          const open = k === 2 ? amount : 0;
          insL.run(lineId, invoiceId, accountId, 1, amount, open, due, now);
          insE.run(newId(), accountId, due, 'charge', amount, 'charge_line', lineId, 'Monthly tuition', now);
          balance += open;
        }
        const paymentId = newId();
        insP.run(paymentId, accountId, divs[i % 3], referenceFromId(paymentId), '2026-02-20', 10_000, now);
        raw.prepare('UPDATE accounts SET balance_cents = ? WHERE id = ?').run(balance, accountId);
      }
    })();
    if ((start / batch) % 4 === 0) console.log(`  ${Math.min(n, start + batch).toLocaleString()} accounts…`);
  }
  raw.pragma('synchronous = FULL');
  raw.exec('ANALYZE');
}

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
