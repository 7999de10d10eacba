import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db/schema';

/**
 * The one balance rule: for every account, balance = open charge amounts − unapplied money.
 *
 * Unapplied money is read from the money records themselves, never from the balance: what the
 * payer's payments, refunds and credits took off the balance (their journal entries) less what
 * of it sits on charge lines (payment and credit applications). So a payment, a returned check,
 * a refund, a category offset, a reversed credit each count exactly as far as they moved the
 * balance, and nothing else can make the two sides agree by accident.
 */
export function unappliedByAccountSql(ids?: string[]): RawBuilder<{ account_id: string; unapplied: number }> {
  return sql`
    SELECT account_id, SUM(x) AS unapplied FROM (
      SELECT e.account_id, -e.amount_cents AS x FROM account_entries e WHERE e.source_type IN ('payment', 'refund', 'credit') ${only('e.account_id', ids)}
      UNION ALL SELECT p.account_id, -ap.amount_cents AS x FROM applications ap JOIN payments p ON p.id = ap.payment_id WHERE 1 = 1 ${only('p.account_id', ids)}
      UNION ALL SELECT cr.account_id, -ca.amount_cents AS x FROM credit_applications ca JOIN credits cr ON cr.id = ca.credit_id WHERE 1 = 1 ${only('cr.account_id', ids)}
    ) m GROUP BY account_id`;
}

/** `AND col IN (...)` when only some accounts are wanted. */
function only(column: string, ids?: string[]) {
  if (!ids) return sql``;
  return ids.length ? sql`AND ${sql.ref(column)} IN (${sql.join(ids)})` : sql`AND 0 = 1`;
}

/** Open amounts of charge lines on current (not superseded) invoices, per account. */
export function openChargesByAccountSql(ids?: string[]): RawBuilder<{ account_id: string; open: number }> {
  return sql`
    SELECT c.account_id, SUM(c.open_cents) AS open FROM charge_lines c JOIN invoices i ON i.id = c.invoice_id
    WHERE c.open_cents <> 0 AND i.status = 'open' ${only('c.account_id', ids)} GROUP BY c.account_id`;
}

export interface AccountFigures {
  balanceCents: number;
  openCents: number;
  unappliedCents: number;
}

/** Balance, open charges and unapplied money of some accounts (all when `ids` is omitted). */
export async function accountFigures(db: Kysely<Database>, ids?: string[]): Promise<Map<string, AccountFigures>> {
  const filter = ids ? sql`WHERE 1 = 1 ${only('a.id', ids)}` : sql``;
  const r = await sql<{ id: string; balance: number; open: number; unapplied: number }>`
    SELECT a.id, a.balance_cents AS balance, COALESCE(o.open, 0) AS open, COALESCE(u.unapplied, 0) AS unapplied
    FROM accounts a
    LEFT JOIN (${openChargesByAccountSql(ids)}) o ON o.account_id = a.id
    LEFT JOIN (${unappliedByAccountSql(ids)}) u ON u.account_id = a.id
    ${filter}`.execute(db);
  return new Map(r.rows.map((x) => [x.id, { balanceCents: Number(x.balance), openCents: Number(x.open), unappliedCents: Number(x.unapplied) }]));
}
