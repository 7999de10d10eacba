/**
 * Deposits and period close at scale:
 *  1. Complete Deposit on a 5,000-payment deposit through the real command (executor, one
 *     transaction, status changes, one audit entry per payment), against a raw better-sqlite3
 *     baseline doing the bare minimum (sum check + two UPDATEs) on an identical deposit.
 *  2. The A/R aging report over 1,000,000 charge lines (per division and total, and one bucket's
 *     account drill-down), against a raw full scan of the charge lines and the same aggregate in
 *     raw SQL, measured in the same run.
 *   npm run bench -- deposit [--payments 5000] [--lines 1000000] [--reps 7]
 * Data is built with raw inserts in a temp folder and removed afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type BetterSqlite3 from 'better-sqlite3';
import { setupFirstAdmin } from '../src/core/auth/sign-in';
import { createCore, type LedgerCore } from '../src/core/ledger-core';
import { openSqliteLedger } from '../src/core/db/open-sqlite';
import { verifyLedger } from '../src/core/ledger/checks';
import { agingAccounts, agingReport } from '../src/core/reports/aging';
import { addDays } from '../src/shared/dates';
import { newId, referenceFromId } from '../src/shared/ids';
import { round, timeEach, timeOnce } from './stats';

const clock = { now: () => new Date('2026-03-15T15:00:00Z'), today: () => '2026-03-15' };

export async function main(args: string[]) {
  const { values } = parseArgs({ args, options: { payments: { type: 'string', default: '5000' }, lines: { type: 'string', default: '1000000' }, reps: { type: 'string', default: '7' } } });
  const nPayments = Number(values.payments);
  const nLines = Number(values.lines);
  const reps = Number(values.reps);
  const dir = mkdtempSync(join(tmpdir(), 'ledgerdesk-bench-deposit-'));
  try {
    const dep = await benchDeposit(join(dir, 'deposit.sqlite'), nPayments, reps);
    const aging = await benchAging(join(dir, 'aging.sqlite'), nLines, reps);
    const figures = { ...dep, ...aging, targetMs: 1000 };
    console.table({
      'complete deposit (core)': { p50_ms: dep.completeDepositMs.p50, ratio: dep.ratioCompleteVsRaw },
      'complete deposit (raw baseline)': { p50_ms: dep.rawCompleteMs.p50, ratio: 1 },
      'aging report (core)': { p50_ms: aging.agingReportMs.p50, ratio: aging.ratioAgingVsRawScan },
      'aging drill-down 90+ (core)': { p50_ms: aging.agingDrillDownMs.p50, ratio: round(aging.agingDrillDownMs.p50 / aging.rawScanMs.p50, 2) },
      'aging same SQL (raw)': { p50_ms: aging.rawAgingSqlMs.p50, ratio: round(aging.rawAgingSqlMs.p50 / aging.rawScanMs.p50, 2) },
      'raw full scan of charge lines (baseline)': { p50_ms: aging.rawScanMs.p50, ratio: 1 },
    });
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchDeposit(path: string, n: number, reps: number) {
  const ledger = await openSqliteLedger(path);
  const core: LedgerCore = createCore(ledger.db, 'sqlite', { clock, writeOutbox: true });
  const admin = await setupFirstAdmin(core.db, clock, { username: 'admin', displayName: 'Admin', password: 'bench-password-1' });
  const adminActor = { userId: admin.id, role: 'admin' as const };
  const div = await core.executor.execute<{ id: string }>(adminActor, 'divisions.create', { name: 'North Clinic' });
  if (!div.ok) throw new Error(div.error.message);
  const sup = await core.executor.execute<{ id: string }>(adminActor, 'users.create', { username: 'sam', displayName: 'Sam', role: 'supervisor', password: 'supervisor-pass-1' });
  if (!sup.ok) throw new Error(sup.error.message);
  const supervisor = { userId: sup.value.id, role: 'supervisor' as const };
  const mk = async () => {
    const r = await core.executor.execute<{ id: string }>(supervisor, 'deposits.create', { divisionId: div.value.id });
    if (!r.ok) throw new Error(r.error.message);
    return r.value.id;
  };
  const coreDeposit = await mk();
  const rawDeposit = await mk();
  const built = await timeOnce(() => buildPayments(ledger.raw, div.value.id, [coreDeposit, rawDeposit], n, admin.id));
  console.log(`built 2 deposits of ${n.toLocaleString()} payments in ${(built.ms / 1000).toFixed(1)} s`);
  const total = (ledger.raw.prepare('SELECT SUM(amount_cents) AS s FROM payments WHERE deposit_id = ?').get(coreDeposit) as { s: number }).s;
  const cents = (c: number) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
  await core.executor.execute(supervisor, 'deposits.update', { depositId: coreDeposit, controlTotal: cents(total) });

  const exec = async (name: string) => {
    const r = await core.executor.execute(supervisor, name, { depositId: coreDeposit });
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
  };
  // Warm once, then complete / reopen (reopen not timed).
  await exec('deposits.complete');
  await exec('deposits.reopen');
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await exec('deposits.complete');
    times.push(performance.now() - t0);
    if (i < reps - 1) await exec('deposits.reopen');
  }
  times.sort((a, b) => a - b);
  const completeDepositMs = { p50: round(times[Math.floor(times.length / 2)]!), min: round(times[0]!), max: round(times[times.length - 1]!) };

  // Raw baseline: check the total, flip the statuses, close the deposit; the same transaction shape.
  const raw = ledger.raw;
  const sum = raw.prepare(`SELECT COUNT(*) AS n, SUM(amount_cents) AS s FROM payments WHERE deposit_id = ? AND status NOT IN ('voided','cancelled')`);
  const flip = raw.prepare(`UPDATE payments SET status = ? WHERE deposit_id = ? AND status = ?`);
  const close = raw.prepare(`UPDATE deposits SET status = ?, completed_at = ? WHERE id = ?`);
  const rawComplete = raw.transaction(() => {
    sum.get(rawDeposit);
    flip.run('deposited', rawDeposit, 'pending');
    close.run('closed', clock.now().toISOString(), rawDeposit);
  });
  const rawReopen = raw.transaction(() => {
    flip.run('pending', rawDeposit, 'deposited');
    close.run('open', null, rawDeposit);
  });
  rawComplete();
  rawReopen();
  const rtimes: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    rawComplete();
    rtimes.push(performance.now() - t0);
    rawReopen();
  }
  rtimes.sort((a, b) => a - b);
  const rawCompleteMs = { p50: round(rtimes[Math.floor(rtimes.length / 2)]!), min: round(rtimes[0]!), max: round(rtimes[rtimes.length - 1]!) };
  const problems = await verifyLedger(core.db);
  await core.close();
  return {
    depositPayments: n,
    completeDepositMs,
    rawCompleteMs,
    ratioCompleteVsRaw: round(completeDepositMs.p50 / rawCompleteMs.p50, 1),
    depositLedgerProblems: problems.length,
  };
}

function buildPayments(raw: BetterSqlite3.Database, divisionId: string, depositIds: string[], n: number, userId: string) {
  raw.pragma('synchronous = OFF');
  const now = clock.now().toISOString();
  const insA = raw.prepare(`INSERT INTO accounts (id, division_id, account_number, name, email, portal_user_id, status, balance_cents, created_at, updated_at) VALUES (?, ?, ?, ?, NULL, NULL, 'active', ?, ?, ?)`);
  const insP = raw.prepare(
    `INSERT INTO payments (id, account_id, division_id, reference, payment_date, amount_cents, method, check_number, status, kind, related_payment_id, receipt_email, memo, deposit_id, created_by, created_at, void_reason, voided_by, voided_at) VALUES (?, ?, ?, ?, '2026-03-15', ?, ?, ?, 'pending', 'payment', NULL, NULL, NULL, ?, ?, ?, NULL, NULL, NULL)`,
  );
  const insE = raw.prepare(`INSERT INTO account_entries (id, account_id, entry_date, kind, amount_cents, source_type, source_id, description, created_at) VALUES (?, ?, '2026-03-15', 'payment', ?, 'payment', ?, 'bench payment', ?)`);
  raw.transaction(() => {
    let acct = 0;
    for (const depositId of depositIds) {
      for (let i = 0; i < n; i++) {
        const accountId = newId();
        const amount = 500 + ((i * 7919) % 50_000);
        insA.run(accountId, divisionId, String(100000 + acct++), `Payer ${acct}`, -amount, now, now);
        const id = newId();
        insP.run(id, accountId, divisionId, referenceFromId(id), amount, i % 3 === 0 ? 'cash' : 'check', i % 3 === 0 ? null : String(1000 + i), depositId, userId, now);
        insE.run(newId(), accountId, -amount, id, now);
      }
    }
  })();
  raw.pragma('synchronous = FULL');
}

async function benchAging(path: string, nLines: number, reps: number) {
  const ledger = await openSqliteLedger(path);
  const built = await timeOnce(() => buildLines(ledger.raw, nLines));
  console.log(`built ${nLines.toLocaleString()} charge lines (${built.value.open.toLocaleString()} with something open) in ${(built.ms / 1000).toFixed(1)} s`);
  const asOf = '2026-03-15';
  const raw = ledger.raw;
  // Baseline 1: reading every charge line once (no join, no grouping).
  const scan = raw.prepare('SELECT COUNT(*) AS n, SUM(open_cents) AS s FROM charge_lines');
  scan.get();
  const rawScanMs = await timeEach(reps, () => scan.get());
  // Baseline 2: the report's own aggregate, as raw SQL through better-sqlite3.
  const d30 = addDays(asOf, -30);
  const d60 = addDays(asOf, -60);
  const d90 = addDays(asOf, -90);
  const same = raw.prepare(`
    SELECT a.division_id,
      SUM(CASE WHEN c.due_date >= @asOf THEN c.open_cents ELSE 0 END) AS cur,
      SUM(CASE WHEN c.due_date < @asOf AND c.due_date >= @d30 THEN c.open_cents ELSE 0 END) AS b1,
      SUM(CASE WHEN c.due_date < @d30 AND c.due_date >= @d60 THEN c.open_cents ELSE 0 END) AS b2,
      SUM(CASE WHEN c.due_date < @d60 AND c.due_date >= @d90 THEN c.open_cents ELSE 0 END) AS b3,
      SUM(CASE WHEN c.due_date < @d90 THEN c.open_cents ELSE 0 END) AS b4,
      SUM(c.open_cents) AS total, COUNT(DISTINCT c.account_id) AS accounts
    FROM charge_lines c JOIN invoices i ON i.id = c.invoice_id JOIN accounts a ON a.id = c.account_id
    WHERE c.open_cents <> 0 AND i.status = 'open' GROUP BY a.division_id`);
  same.all({ asOf, d30, d60, d90 });
  const rawAgingSqlMs = await timeEach(reps, () => same.all({ asOf, d30, d60, d90 }));
  await agingReport(ledger.db, asOf);
  const agingReportMs = await timeEach(reps, () => agingReport(ledger.db, asOf));
  const report = await agingReport(ledger.db, asOf);
  const agingDrillDownMs = await timeEach(reps, () => agingAccounts(ledger.db, asOf, { bucket: 'd90plus', divisionId: report.divisions[0]!.divisionId, limit: 1000 }));
  await ledger.close();
  return {
    chargeLines: nLines,
    openChargeLines: built.value.open,
    rawScanMs,
    rawAgingSqlMs,
    agingReportMs,
    agingDrillDownMs,
    agingTotalCents: report.total.total,
    ratioAgingVsRawScan: round(agingReportMs.p50 / rawScanMs.p50, 2),
    ratioAgingVsRawSameSql: round(agingReportMs.p50 / rawAgingSqlMs.p50, 2),
  };
}

/** 1,000,000 charge lines on 4-line invoices for 250,000 accounts in 3 divisions; about 1 in 6 still open. */
function buildLines(raw: BetterSqlite3.Database, nLines: number): { open: number } {
  raw.pragma('synchronous = OFF');
  const now = clock.now().toISOString();
  const divs = ['North Clinic', 'South Clinic', 'Downtown Office'].map((name) => {
    const id = newId();
    raw.prepare('INSERT INTO divisions (id, name, created_at) VALUES (?, ?, ?)').run(id, name, now);
    return id;
  });
  const insA = raw.prepare(`INSERT INTO accounts (id, division_id, account_number, name, email, portal_user_id, status, balance_cents, created_at, updated_at) VALUES (?, ?, ?, ?, NULL, NULL, 'active', 0, ?, ?)`);
  const insI = raw.prepare(`INSERT INTO invoices (id, account_id, invoice_number, invoice_date, due_date, status, superseded_by, created_at) VALUES (?, ?, ?, ?, ?, 'open', NULL, ?)`);
  const insL = raw.prepare(`INSERT INTO charge_lines (id, invoice_id, account_id, line_no, category, description, amount_cents, open_cents, due_date, created_at) VALUES (?, ?, ?, ?, 'Tuition', 'Monthly tuition', ?, ?, ?, ?)`);
  let open = 0;
  let made = 0;
  let acct = 0;
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  while (made < nLines) {
    raw.transaction(() => {
      for (let k = 0; k < 50_000 && made < nLines; k++) {
        const accountId = newId();
        insA.run(accountId, divs[acct % 3], String(1_000_000 + acct), `Payer ${acct}`, now, now);
        acct++;
        // 4 invoices of 1 line per account, one per month back from March.
        for (let m = 0; m < 4 && made < nLines; m++) {
          const due = addDays('2026-03-20', -30 * m - Math.floor(rnd() * 120));
          const invoiceId = newId();
          insI.run(invoiceId, accountId, `INV-${acct}-${m}`, due, due, now);
          const amount = 5_000 + Math.floor(rnd() * 40_000);
          const isOpen = rnd() < 0.17;
          if (isOpen) open++;
          insL.run(newId(), invoiceId, accountId, 1, amount, isOpen ? amount : 0, due, now);
          made++;
        }
      }
    })();
  }
  raw.pragma('synchronous = FULL');
  raw.exec('ANALYZE');
  return { open };
}
