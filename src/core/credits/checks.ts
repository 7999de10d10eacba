import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';

export interface CreditProblem {
  kind: 'credit';
  id: string;
  expected: number;
  actual: number;
  rule: string;
}

/**
 * Invariants of credits, refunds, cancelled and scheduled payments, run by verifyLedger:
 * - a credit's cached open amount is its amount less its applications, within 0..amount, and a
 *   replaced/reversed credit is applied nowhere;
 * - a credit's journal entries net to −amount while active and to 0 once replaced/reversed;
 * - refunds never exceed the payment, and what is applied plus what is refunded never exceeds it
 *   (less what refunds charged again: a closed deposit's or month's applications stay as recorded);
 * - each refund of a payment that counted toward the balance posted +amount (its charged-again
 *   lines carry part of it);
 * - a cancelled payment is applied nowhere and its journal nets to zero; a scheduled one has
 *   neither applications nor journal entries yet;
 * - at most one scheduled payment per (recurring payment, due date).
 */
export async function verifyCredits(db: Kysely<Database>): Promise<CreditProblem[]> {
  const out: CreditProblem[] = [];
  const credits = await sql<{ id: string; amount: number; open: number; status: string; applied: number; journal: number }>`
    SELECT c.id, c.amount_cents AS amount, c.open_cents AS open, c.status,
      (SELECT COALESCE(SUM(ca.amount_cents), 0) FROM credit_applications ca WHERE ca.credit_id = c.id) AS applied,
      (SELECT COALESCE(SUM(e.amount_cents), 0) FROM account_entries e WHERE e.source_type = 'credit' AND e.source_id = c.id) AS journal
    FROM credits c`.execute(db);
  for (const r of credits.rows) {
    const amount = Number(r.amount);
    const applied = Number(r.applied);
    const open = Number(r.open);
    const journal = Number(r.journal);
    if (open !== amount - applied) out.push({ kind: 'credit', id: r.id, expected: amount - applied, actual: open, rule: 'credit open amount differs from amount less applications' });
    if (amount <= 0 || applied < 0 || applied > amount) out.push({ kind: 'credit', id: r.id, expected: amount, actual: applied, rule: 'credit applied beyond its amount' });
    if (r.status !== 'active' && applied !== 0) out.push({ kind: 'credit', id: r.id, expected: 0, actual: applied, rule: `${r.status} credit still applied` });
    const wantJournal = r.status === 'active' ? -amount : 0;
    if (journal !== wantJournal) out.push({ kind: 'credit', id: r.id, expected: wantJournal, actual: journal, rule: `${r.status} credit journal does not net to ${wantJournal}` });
  }

  const lineCredits = await sql<{ id: string; net: number }>`
    SELECT ca.credit_id || '/' || ca.charge_line_id AS id, SUM(ca.amount_cents) AS net
    FROM credit_applications ca GROUP BY ca.credit_id, ca.charge_line_id HAVING SUM(ca.amount_cents) < 0`.execute(db);
  for (const r of lineCredits.rows) out.push({ kind: 'credit', id: r.id, expected: 0, actual: Number(r.net), rule: 'credit un-applied beyond what it had applied to a line' });

  const refunds = await sql<{ id: string; amount: number; refunded: number; charged: number; applied: number }>`
    SELECT p.id, p.amount_cents AS amount,
      (SELECT COALESCE(SUM(r.amount_cents), 0) FROM refunds r WHERE r.payment_id = p.id) AS refunded,
      (SELECT COALESCE(SUM(r.charged_again_cents), 0) FROM refunds r WHERE r.payment_id = p.id) AS charged,
      (SELECT COALESCE(SUM(ap.amount_cents), 0) FROM applications ap WHERE ap.payment_id = p.id) AS applied
    FROM payments p WHERE EXISTS (SELECT 1 FROM refunds r WHERE r.payment_id = p.id)`.execute(db);
  for (const r of refunds.rows) {
    const amount = Number(r.amount);
    if (Number(r.refunded) > amount) out.push({ kind: 'credit', id: r.id, expected: amount, actual: Number(r.refunded), rule: 'payment refunded beyond its amount' });
    const used = Number(r.refunded) - Number(r.charged) + Number(r.applied);
    if (used > amount) out.push({ kind: 'credit', id: r.id, expected: amount, actual: used, rule: 'payment applied and refunded beyond its amount' });
  }

  const refundEntries = await sql<{ id: string; amount: number; journal: number; counted: number }>`
    SELECT r.id, r.amount_cents - r.charged_again_cents AS amount,
      (SELECT COALESCE(SUM(e.amount_cents), 0) FROM account_entries e WHERE e.source_type = 'refund' AND e.source_id = r.id) AS journal,
      (SELECT COALESCE(SUM(e.amount_cents), 0) FROM account_entries e WHERE e.source_type = 'payment' AND e.source_id = r.payment_id AND e.kind NOT IN ('payment_cancelled', 'payment_void')) AS counted
    FROM refunds r`.execute(db);
  for (const r of refundEntries.rows) {
    const want = Number(r.counted) === 0 ? 0 : Number(r.amount);
    if (Number(r.journal) !== want) out.push({ kind: 'credit', id: r.id, expected: want, actual: Number(r.journal), rule: 'refund journal entry differs from the refund' });
  }

  const cancelled = await sql<{ id: string; status: string; applied: number; journal: number; entries: number }>`
    SELECT p.id, p.status,
      (SELECT COALESCE(SUM(ap.amount_cents), 0) FROM applications ap WHERE ap.payment_id = p.id) AS applied,
      (SELECT COALESCE(SUM(e.amount_cents), 0) FROM account_entries e WHERE e.source_type = 'payment' AND e.source_id = p.id) AS journal,
      (SELECT COUNT(*) FROM account_entries e WHERE e.source_type = 'payment' AND e.source_id = p.id) AS entries
    FROM payments p WHERE p.status IN ('cancelled', 'scheduled')`.execute(db);
  for (const r of cancelled.rows) {
    if (Number(r.applied) !== 0 || Number(r.journal) !== 0) out.push({ kind: 'credit', id: r.id, expected: 0, actual: Number(r.applied) || Number(r.journal), rule: `${r.status} payment still applied or posted` });
    if (r.status === 'scheduled' && Number(r.entries) !== 0) out.push({ kind: 'credit', id: r.id, expected: 0, actual: Number(r.entries), rule: 'scheduled payment already in the journal' });
  }
  return out;
}
