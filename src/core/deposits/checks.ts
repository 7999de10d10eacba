import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';

export interface DepositProblem {
  kind: 'deposit';
  id: string;
  expected: number;
  actual: number;
  /** What is wrong, for the person reading the check's output. */
  rule?: string;
}

/**
 * Deposit and correction invariants, run by verifyLedger: payment statuses follow their deposit's
 * status; a closed deposit adds up to its control total; a voided payment is applied nowhere and its
 * journal nets to zero; the two halves of a credit transfer name each other, sit in one deposit and
 * cancel out.
 */
export async function verifyDeposits(db: Kysely<Database>): Promise<DepositProblem[]> {
  const out: DepositProblem[] = [];
  const statuses = await sql<{ id: string; deposit_status: string; status: string }>`
    SELECT p.id, d.status AS deposit_status, p.status FROM payments p JOIN deposits d ON d.id = p.deposit_id
    WHERE (d.status = 'closed' AND p.status = 'pending') OR (d.status = 'open' AND p.status = 'deposited')`.execute(db);
  for (const r of statuses.rows) out.push({ kind: 'deposit', id: r.id, expected: 0, actual: 1, rule: `payment ${r.status} in ${r.deposit_status} deposit` });

  const control = await sql<{ id: string; control: number; total: number }>`
    SELECT d.id, d.control_total_cents AS control,
      (SELECT COALESCE(SUM(p.amount_cents), 0) FROM payments p WHERE p.deposit_id = d.id AND p.status NOT IN ('voided', 'cancelled')) AS total
    FROM deposits d WHERE d.status = 'closed' AND d.control_total_cents IS NOT NULL`.execute(db);
  for (const r of control.rows) {
    if (Number(r.control) !== Number(r.total)) out.push({ kind: 'deposit', id: r.id, expected: Number(r.control), actual: Number(r.total), rule: 'closed deposit differs from its control total' });
  }

  const voided = await sql<{ id: string; applied: number; journal: number }>`
    SELECT p.id,
      (SELECT COALESCE(SUM(ap.amount_cents), 0) FROM applications ap WHERE ap.payment_id = p.id) AS applied,
      (SELECT COALESCE(SUM(e.amount_cents), 0) FROM account_entries e WHERE e.source_type = 'payment' AND e.source_id = p.id) AS journal
    FROM payments p WHERE p.status = 'voided'`.execute(db);
  for (const r of voided.rows) {
    if (Number(r.applied) !== 0 || Number(r.journal) !== 0) out.push({ kind: 'deposit', id: r.id, expected: 0, actual: Number(r.applied) || Number(r.journal), rule: 'voided payment still applied or posted' });
  }

  const transfers = await sql<{ id: string; amount: number; other_amount: number | null; other_related: string | null; same_deposit: number; other_status: string | null; status: string }>`
    SELECT p.id, p.amount_cents AS amount, o.amount_cents AS other_amount, o.related_payment_id AS other_related,
      CASE WHEN COALESCE(p.deposit_id, '') = COALESCE(o.deposit_id, '') THEN 1 ELSE 0 END AS same_deposit, o.status AS other_status, p.status
    FROM payments p LEFT JOIN payments o ON o.id = p.related_payment_id
    WHERE p.kind IN ('transfer_out', 'transfer_in')`.execute(db);
  for (const r of transfers.rows) {
    const okLink = r.other_related === r.id && Number(r.other_amount) === -Number(r.amount) && Number(r.same_deposit) === 1 && (r.status === 'voided') === (r.other_status === 'voided');
    if (!okLink) out.push({ kind: 'deposit', id: r.id, expected: -Number(r.amount), actual: Number(r.other_amount ?? 0), rule: 'credit transfer halves do not match' });
  }
  return out;
}
