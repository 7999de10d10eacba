import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { verifyDeposits } from '../deposits/checks';
import { verifyCredits } from '../credits/checks';
import { agingReport } from '../reports/aging';
import { accountFigures } from './tie-out';

export interface LedgerProblem {
  kind: 'balance' | 'tie_out' | 'division' | 'open_amount' | 'over_applied' | 'over_applied_line' | 'deposit' | 'credit';
  rule?: string;
  id: string;
  expected: number;
  actual: number;
}

/**
 * Proves the cached figures equal what the records say: every account's balance is the sum of its
 * journal entries, every charge line's open amount is its amount less its applications (payments'
 * and credits'), and no payment is applied beyond its amount. Then the one balance rule: every
 * account's balance is its open charges less its unapplied money (ledger/tie-out.ts), and each
 * division's aging total is the sum of its accounts' balances.
 */
export async function verifyLedger(db: Kysely<Database>): Promise<LedgerProblem[]> {
  const problems: LedgerProblem[] = [];
  const balances = await sql<{ id: string; cached: number; derived: number }>`
    SELECT a.id, a.balance_cents AS cached, COALESCE(SUM(e.amount_cents), 0) AS derived
    FROM accounts a LEFT JOIN account_entries e ON e.account_id = a.id
    GROUP BY a.id, a.balance_cents
    HAVING a.balance_cents <> COALESCE(SUM(e.amount_cents), 0)`.execute(db);
  for (const r of balances.rows) problems.push({ kind: 'balance', id: r.id, expected: Number(r.derived), actual: Number(r.cached) });

  const lines = await sql<{ id: string; cached: number; derived: number }>`
    SELECT c.id, c.open_cents AS cached, c.amount_cents - COALESCE(SUM(ap.amount_cents), 0) AS derived
    FROM charge_lines c LEFT JOIN (SELECT charge_line_id, amount_cents FROM applications UNION ALL SELECT charge_line_id, amount_cents FROM credit_applications) ap ON ap.charge_line_id = c.id
    GROUP BY c.id, c.open_cents, c.amount_cents
    HAVING c.open_cents <> c.amount_cents - COALESCE(SUM(ap.amount_cents), 0)`.execute(db);
  for (const r of lines.rows) problems.push({ kind: 'open_amount', id: r.id, expected: Number(r.derived), actual: Number(r.cached) });

  const over = await sql<{ id: string; amount: number; applied: number }>`
    SELECT p.id, p.amount_cents AS amount, COALESCE(SUM(ap.amount_cents), 0) AS applied
    FROM payments p JOIN applications ap ON ap.payment_id = p.id
    GROUP BY p.id, p.amount_cents
    HAVING (p.amount_cents >= 0 AND (COALESCE(SUM(ap.amount_cents), 0) > p.amount_cents OR COALESCE(SUM(ap.amount_cents), 0) < 0))
        OR (p.amount_cents < 0 AND (COALESCE(SUM(ap.amount_cents), 0) < p.amount_cents OR COALESCE(SUM(ap.amount_cents), 0) > 0))`.execute(db);
  for (const r of over.rows) problems.push({ kind: 'over_applied', id: r.id, expected: Number(r.amount), actual: Number(r.applied) });

  const negLines = await db.selectFrom('charge_lines').select(['id', 'open_cents', 'amount_cents']).where((eb) =>
    eb.or([eb.and([eb('amount_cents', '>=', 0), eb.or([eb('open_cents', '<', 0), eb('open_cents', '>', eb.ref('amount_cents'))])])]),
  ).execute();
  for (const r of negLines) problems.push({ kind: 'over_applied_line', id: r.id, expected: Number(r.amount_cents), actual: Number(r.open_cents) });
  problems.push(...(await verifyTieOut(db)));
  problems.push(...(await verifyDeposits(db)));
  problems.push(...(await verifyCredits(db)));
  return problems;
}

async function verifyTieOut(db: Kysely<Database>): Promise<LedgerProblem[]> {
  const problems: LedgerProblem[] = [];
  for (const [id, f] of await accountFigures(db)) {
    const explained = f.openCents - f.unappliedCents;
    if (explained !== f.balanceCents) problems.push({ kind: 'tie_out', rule: 'balance is not open charges less unapplied money', id, expected: explained, actual: f.balanceCents });
  }
  // Totals do not depend on the ageing date, only the buckets do.
  const aging = await agingReport(db, '2000-01-01');
  const agingByDivision = new Map(aging.divisions.map((d) => [d.divisionId, d.total]));
  const sums = await db.selectFrom('accounts').select(['division_id', (eb) => eb.fn.sum<number>('balance_cents').as('total')]).groupBy('division_id').execute();
  for (const s of sums) {
    const agingTotal = agingByDivision.get(s.division_id) ?? 0;
    if (agingTotal !== Number(s.total)) problems.push({ kind: 'division', rule: 'aging total is not the sum of balances', id: s.division_id, expected: Number(s.total), actual: agingTotal });
  }
  return problems;
}
