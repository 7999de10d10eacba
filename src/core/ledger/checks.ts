import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { verifyDeposits } from '../deposits/checks';
import { verifyCredits } from '../credits/checks';

export interface LedgerProblem {
  kind: 'balance' | 'open_amount' | 'over_applied' | 'over_applied_line' | 'deposit' | 'credit';
  rule?: string;
  id: string;
  expected: number;
  actual: number;
}

/**
 * Proves the cached figures equal what the records say: every account's balance is the sum of its
 * journal entries, every charge line's open amount is its amount less its applications (payments'
 * and credits'), and no payment is applied beyond its amount.
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
  problems.push(...(await verifyDeposits(db)));
  problems.push(...(await verifyCredits(db)));
  return problems;
}
