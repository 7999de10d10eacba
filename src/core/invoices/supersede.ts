import { sql } from 'kysely';
import type { CommandCtx } from '../commands/types';
import { postEntry } from '../ledger/journal';

export interface FreedPayment {
  paymentId: string;
  amountCents: number;
}

/**
 * Marks an invoice "superseded by a newer version", never deleting it: payments applied to its
 * lines are un-applied (new negative application rows) and every charge is reversed in the journal.
 * Returns what each payment had applied, so the caller can re-apply it to the new version.
 */
export async function supersedeInvoice(ctx: CommandCtx, invoiceId: string, newInvoiceId: string): Promise<FreedPayment[]> {
  const inv = await ctx.db.selectFrom('invoices').selectAll().where('id', '=', invoiceId).executeTakeFirstOrThrow();
  const lines = await ctx.db.selectFrom('charge_lines').selectAll().where('invoice_id', '=', invoiceId).orderBy('line_no').execute();
  const freed = new Map<string, number>();
  for (const line of lines) {
    const applied = await ctx.db
      .selectFrom('applications')
      .select(['payment_id', (eb) => eb.fn.sum<number>('amount_cents').as('net')])
      .where('charge_line_id', '=', line.id)
      .groupBy('payment_id')
      .orderBy('payment_id')
      .execute();
    for (const a of applied) {
      const net = Number(a.net);
      if (net <= 0) continue;
      await ctx.db
        .insertInto('applications')
        .values({
          id: ctx.id(`supersede/${invoiceId}/unapply/${line.id}/${a.payment_id}`),
          payment_id: a.payment_id,
          charge_line_id: line.id,
          amount_cents: -net,
          reverses_id: null,
          created_by: ctx.actor.userId,
          created_at: ctx.now,
        })
        .execute();
      await ctx.db.updateTable('charge_lines').set({ open_cents: sql<number>`open_cents + ${net}` }).where('id', '=', line.id).execute();
      freed.set(a.payment_id, (freed.get(a.payment_id) ?? 0) + net);
    }
    await postEntry(ctx, {
      accountId: line.account_id,
      entryDate: ctx.today,
      kind: 'charge_reversal',
      amountCents: -Number(line.amount_cents),
      sourceType: 'charge_line',
      sourceId: line.id,
      description: `Invoice ${inv.invoice_number} superseded by a newer version: ${line.description || line.category} reversed`,
      label: `supersede/${line.id}`,
    });
  }
  await ctx.db.updateTable('invoices').set({ status: 'superseded', superseded_by: newInvoiceId }).where('id', '=', invoiceId).execute();
  await ctx.audit({ action: 'supersede', entity: 'invoice', entityId: invoiceId, before: { status: inv.status }, after: { status: 'superseded', supersededBy: newInvoiceId, unapplied: Object.fromEntries(freed) } });
  return [...freed.entries()].map(([paymentId, amountCents]) => ({ paymentId, amountCents }));
}
