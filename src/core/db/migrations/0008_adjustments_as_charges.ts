import type { Kysely } from 'kysely';
import { referenceFromId } from '../../../shared/ids';
import type { MigrationContext } from './types';

/**
 * Balance-file adjustments used to be bare journal entries: they moved the balance but no charge
 * line or credit, so aging and statements disagreed with it. Each one becomes what new uploads post
 * (ledger/adjustments.ts): a raise an adjustment charge (an invoice with one line due on the
 * adjustment date), a cut an adjustment credit applied to the open charges oldest due first.
 * The journal entry stays, re-pointed at its charge line or credit, so balances do not move.
 * Ids derive from the adjustment's id, so every replica converts to the same records.
 */
export async function up(raw: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  // The tables as they were at 0008, not today's Database type: Kysely's own idiom for migrations.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const db = raw as Kysely<any>;
  const entries = await db
    .selectFrom('account_entries as e')
    .innerJoin('balance_adjustments as ba', 'ba.id', 'e.source_id')
    .innerJoin('accounts as a', 'a.id', 'e.account_id')
    .select(['e.id as entry_id', 'e.account_id', 'e.entry_date', 'e.amount_cents', 'e.description', 'e.created_at', 'ba.id as adj_id', 'ba.created_by', 'a.division_id'])
    .where('e.source_type', '=', 'balance_adjustment')
    .orderBy('e.created_at')
    .orderBy('ba.id')
    .execute();
  for (const e of entries) {
    const amount = Number(e.amount_cents);
    if (amount > 0) {
      const invoiceId = `${e.adj_id}.invoice`;
      const lineId = `${e.adj_id}.line`;
      await db.insertInto('invoices').values({ id: invoiceId, account_id: e.account_id, invoice_number: referenceFromId(e.adj_id, 'ADJ'), invoice_date: e.entry_date, due_date: e.entry_date, status: 'open', superseded_by: null, created_at: e.created_at }).execute();
      await db
        .insertInto('charge_lines')
        .values({ id: lineId, invoice_id: invoiceId, account_id: e.account_id, line_no: 1, category: 'Adjustment', description: e.description, amount_cents: amount, open_cents: amount, due_date: e.entry_date, created_at: e.created_at })
        .execute();
      await db.updateTable('account_entries').set({ source_type: 'charge_line', source_id: lineId }).where('id', '=', e.entry_id).execute();
      continue;
    }
    if (amount === 0) continue;
    const creditId = `${e.adj_id}.credit`;
    let left = -amount;
    await db
      .insertInto('credits')
      .values({
        id: creditId, account_id: e.account_id, division_id: e.division_id, kind: 'credit', credit_item_id: null, amount_cents: left, open_cents: left, credit_date: e.entry_date,
        classification: 'Balance adjustment', public_comment: '', private_comment: 'Balance file adjustment (converted)', invoice_id: null, batch_id: null, status: 'active',
        replaces_id: null, replaced_by: null, reversal_reason: null, reversed_by: null, reversed_at: null, created_by: e.created_by, created_at: e.created_at,
      })
      .execute();
    await db.updateTable('account_entries').set({ source_type: 'credit', source_id: creditId }).where('id', '=', e.entry_id).execute();
    const lines = await db
      .selectFrom('charge_lines as c')
      .innerJoin('invoices as i', 'i.id', 'c.invoice_id')
      .select(['c.id', 'c.open_cents'])
      .where('c.account_id', '=', e.account_id)
      .where('c.open_cents', '>', 0)
      .where('i.status', '=', 'open')
      .orderBy('c.due_date')
      .orderBy('i.invoice_number')
      .orderBy('c.line_no')
      .orderBy('c.id')
      .execute();
    for (const l of lines) {
      if (left === 0) break;
      const amt = Math.min(left, Number(l.open_cents));
      await db.insertInto('credit_applications').values({ id: `${creditId}.${l.id}`, credit_id: creditId, charge_line_id: l.id, amount_cents: amt, reverses_id: null, created_by: e.created_by, created_at: e.created_at }).execute();
      await db.updateTable('charge_lines').set({ open_cents: Number(l.open_cents) - amt }).where('id', '=', l.id).execute();
      left -= amt;
    }
    await db.updateTable('credits').set({ open_cents: left }).where('id', '=', creditId).execute();
  }
}
