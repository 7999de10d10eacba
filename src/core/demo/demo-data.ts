import type BetterSqlite3 from 'better-sqlite3';
import { addDays } from '../../shared/dates';
import { newId, referenceFromId } from '../../shared/ids';
import { appendAudit } from '../audit/audit-log';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

const FIRST = ['James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Carlos', 'Karen', 'Daniel', 'Nancy', 'Matthew', 'Lisa', 'Anthony', 'Betty', 'Mark', 'Sandra', 'Ana', 'Ashley', 'Wei', 'Priya', 'Olu', 'Sofía', 'Mohammed', 'Yuki'];
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Nguyen', 'Okafor', 'Patel', 'Kim', 'Muñoz', "O'Brien"];
const CATEGORIES: [string, string, number, number][] = [
  ['Tuition', 'Monthly tuition', 18000, 42000],
  ['Activity Fee', 'Activities and materials', 2500, 7500],
  ['Meals', 'Meal plan', 4000, 12000],
  ['Late Fee', 'Late payment fee', 1500, 2500],
];
const METHODS = ['check', 'check', 'cash', 'card', 'card', 'ach'] as const;

/** Small, seeded PRNG so the same seed always builds the same ledger. */
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

export interface DemoOptions {
  accounts: number;
  months: number;
  seed: number;
  today: string;
  actorId: string;
  /** Leave every payment undeposited, for `addDemoActivity` to bank in real deposits (else older ones are marked deposited). */
  depositLater?: boolean;
}

/**
 * Fills a ledger with a realistic year: three divisions, payers, monthly invoices with charge
 * lines, and payments applied to them. Written with raw statements in one transaction for speed,
 * keeping every invariant verifyLedger checks (journal entries, cached balances, open amounts).
 */
// long: one seeded run of raw inserts in a single transaction; the order of the random draws is the data set.
export async function loadDemoData(db: Kysely<Database>, raw: BetterSqlite3.Database, o: DemoOptions) {
  const rnd = mulberry32(o.seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const between = (lo: number, hi: number) => Math.round((lo + rnd() * (hi - lo)) / 100) * 100;
  // eslint-disable-next-line no-restricted-syntax -- demo rows are stamped when they are generated
  const now = new Date().toISOString();
  const counts = { divisions: 0, accounts: 0, invoices: 0, chargeLines: 0, payments: 0 };

  const divisionIds: string[] = [];
  const findDiv = raw.prepare('SELECT id FROM divisions WHERE name = ?');
  const insDiv = raw.prepare('INSERT INTO divisions (id, name, created_at) VALUES (?, ?, ?)');
  const insAcct = raw.prepare(
    `INSERT INTO accounts (id, division_id, account_number, name, email, portal_user_id, status, balance_cents, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insInv = raw.prepare(`INSERT INTO invoices (id, account_id, invoice_number, invoice_date, due_date, status, superseded_by, created_at) VALUES (?, ?, ?, ?, ?, 'open', NULL, ?)`);
  const insLine = raw.prepare(
    `INSERT INTO charge_lines (id, invoice_id, account_id, line_no, category, description, amount_cents, open_cents, due_date, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insEntry = raw.prepare(
    `INSERT INTO account_entries (id, account_id, entry_date, kind, amount_cents, source_type, source_id, description, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insPay = raw.prepare(
    `INSERT INTO payments (id, account_id, division_id, reference, payment_date, amount_cents, method, check_number, status, kind, related_payment_id, receipt_email, memo, deposit_id, created_by, created_at, void_reason, voided_by, voided_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'payment', NULL, NULL, NULL, NULL, ?, ?, NULL, NULL, NULL)`,
  );
  const insApp = raw.prepare(`INSERT INTO applications (id, payment_id, charge_line_id, amount_cents, reverses_id, created_by, created_at) VALUES (?, ?, ?, ?, NULL, ?, ?)`);
  const maxNumber = raw.prepare(`SELECT MAX(CAST(account_number AS INTEGER)) AS n FROM accounts WHERE account_number GLOB '[0-9]*'`);

  raw.transaction(() => {
    for (const name of ['North Clinic', 'South Clinic', 'Downtown Office']) {
      const existing = findDiv.get(name) as { id: string } | undefined;
      if (existing) divisionIds.push(existing.id);
      else {
        const id = newId();
        insDiv.run(id, name, now);
        divisionIds.push(id);
        counts.divisions++;
      }
    }
    let nextNumber = Math.max(100000, ((maxNumber.get() as { n: number | null }).n ?? 0) + 1);
    const firstMonth = addDays(o.today.slice(0, 8) + '01', -1).slice(0, 8) + '01';
    for (let i = 0; i < o.accounts; i++) {
      const accountId = newId();
      const divisionId = divisionIds[i % divisionIds.length]!;
      const first = pick(FIRST);
      const last = pick(LAST);
      const number = String(nextNumber++);
      let balance = 0;
      insAcct.run(accountId, divisionId, number, `${first} ${last}`, `${first}.${last}${i}@example.com`.toLowerCase().replace(/[^a-z0-9.@]/g, ''), `${first}${last}${i}`.toLowerCase().replace(/[^a-z0-9]/g, ''), 'active', 0, now, now);
      counts.accounts++;
      const entries: [string, string, string, number, string, string, string][] = [];
      const invoices: { id: string; lines: { id: string; amount: number }[]; due: string }[] = [];
      for (let m = o.months - 1; m >= 0; m--) {
        const monthStart = shiftMonths(firstMonth, -m);
        const invoiceId = newId();
        const due = addDays(monthStart, 14);
        if (due > o.today) continue;
        insInv.run(invoiceId, accountId, `INV-${number}-${monthStart.slice(0, 7).replace('-', '')}`, monthStart, due, now);
        counts.invoices++;
        const lines: { id: string; amount: number }[] = [];
        const nLines = 1 + Math.floor(rnd() * 3);
        for (let l = 0; l < nLines; l++) {
          const [cat, desc, lo, hi] = l === 0 ? CATEGORIES[0]! : pick(CATEGORIES.slice(1));
          const amount = between(lo, hi);
          const lineId = newId();
          insLine.run(lineId, invoiceId, accountId, l + 1, cat, desc, amount, amount, due, now);
          entries.push([newId(), monthStart, 'charge', amount, 'charge_line', lineId, `Invoice ${monthStart.slice(0, 7)}: ${desc}`]);
          balance += amount;
          lines.push({ id: lineId, amount });
          counts.chargeLines++;
        }
        invoices.push({ id: invoiceId, lines, due });
      }
      // Most invoices are paid; the recent ones and a few old ones are not.
      for (const inv of invoices) {
        const ageDays = (Date.parse(o.today) - Date.parse(inv.due)) / 86_400_000;
        const r = rnd();
        if (ageDays < 20 && r < 0.6) continue;
        if (r < 0.08) continue;
        const total = inv.lines.reduce((s, l) => s + l.amount, 0);
        const amount = r < 0.16 ? Math.round(total / 200) * 100 : total;
        if (amount <= 0) continue;
        const paymentId = newId();
        const payDate = addDays(inv.due, -5 + Math.floor(rnd() * 15));
        const payDay = payDate > o.today ? o.today : payDate;
        const method = pick(METHODS);
        insPay.run(paymentId, accountId, divisionId, referenceFromId(paymentId), payDay, amount, method, method === 'check' ? String(1000 + Math.floor(rnd() * 9000)) : null, ageDays > 10 && !o.depositLater ? 'deposited' : 'pending', o.actorId, now);
        counts.payments++;
        let left = amount;
        for (const l of inv.lines) {
          if (left === 0) break;
          const a = Math.min(left, l.amount);
          insApp.run(newId(), paymentId, l.id, a, o.actorId, now);
          raw.prepare('UPDATE charge_lines SET open_cents = open_cents - ? WHERE id = ?').run(a, l.id);
          left -= a;
        }
        entries.push([newId(), payDay, 'payment', -amount, 'payment', paymentId, `${method.toUpperCase()} payment ${referenceFromId(paymentId)}`]);
        balance -= amount;
      }
      for (const e of entries) insEntry.run(e[0], accountId, e[1], e[2], e[3], e[4], e[5], e[6], now);
      raw.prepare('UPDATE accounts SET balance_cents = ? WHERE id = ?').run(balance, accountId);
    }
  })();
  await db.transaction().execute((trx) =>
    appendAudit(trx, { userId: o.actorId, action: 'demo-data', entity: 'ledger', entityId: null, after: counts }, now, newId()),
  );
  return counts;
}

function shiftMonths(isoFirstOfMonth: string, delta: number): string {
  const [y, m] = isoFirstOfMonth.split('-').map(Number);
  const d = new Date(Date.UTC(y!, m! - 1 + delta, 1));
  return d.toISOString().slice(0, 10);
}
