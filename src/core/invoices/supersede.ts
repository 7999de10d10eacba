import { sql } from 'kysely';
import type { CommandCtx } from '../commands/types';
import { applyCredit } from '../credits/apply-credits';
import { newCreditRow } from '../credits/credit-row';
import { postEntry } from '../ledger/journal';

export interface FreedPayment {
  paymentId: string;
  amountCents: number;
}

/** What payments in a closed deposit or closed month had paid on the superseded version: credited today. */
export interface LockedPaid {
  paymentId: string;
  reference: string;
  amountCents: number;
  why: string;
}

/**
 * Payments whose applications must not change: in a closed deposit, or dated in a closed month.
 * Closed is closed (docs/design.md): their money is carried forward by a credit posted today instead.
 */
export async function lockedPayments(db: CommandCtx['db'], paymentIds: string[]): Promise<Map<string, { reference: string; why: string }>> {
  const out = new Map<string, { reference: string; why: string }>();
  if (paymentIds.length === 0) return out;
  const rows = await db
    .selectFrom('payments')
    .leftJoin('deposits', 'deposits.id', 'payments.deposit_id')
    .select(['payments.id', 'payments.reference', 'payments.payment_date', 'deposits.status as deposit_status'])
    .where('payments.id', 'in', paymentIds)
    .execute();
  const closedMonths = new Set((await db.selectFrom('periods').select('period').where('status', '=', 'closed').execute()).map((p) => p.period));
  for (const r of rows) {
    if (r.deposit_status === 'closed') out.set(r.id, { reference: r.reference, why: 'in a closed deposit' });
    else if (closedMonths.has(r.payment_date.slice(0, 7))) out.set(r.id, { reference: r.reference, why: `dated in closed ${r.payment_date.slice(0, 7)}` });
  }
  return out;
}

/**
 * Marks an invoice "superseded by a newer version", never deleting it: payments applied to its
 * lines are un-applied (new negative application rows) and every charge is reversed in the journal.
 * Returns what each payment had applied, so the caller can re-apply it to the new version.
 */
export async function supersedeInvoice(ctx: CommandCtx, invoiceId: string, newInvoiceId: string): Promise<{ freed: FreedPayment[]; locked: LockedPaid[] }> {
  const inv = await ctx.db.selectFrom('invoices').selectAll().where('id', '=', invoiceId).executeTakeFirstOrThrow();
  const lines = await ctx.db.selectFrom('charge_lines').selectAll().where('invoice_id', '=', invoiceId).orderBy('line_no').execute();
  const freed = new Map<string, number>();
  const lockedPaid = new Map<string, number>();
  const payers = await ctx.db.selectFrom('applications').innerJoin('charge_lines', 'charge_lines.id', 'applications.charge_line_id').select('applications.payment_id').distinct().where('charge_lines.invoice_id', '=', invoiceId).execute();
  const locked = await lockedPayments(ctx.db, payers.map((p) => p.payment_id));
  for (const line of lines) {
    let keptPaid = 0;
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
      if (locked.has(a.payment_id)) {
        // Left applied: the closed deposit and month keep their lines; the paid part is credited below.
        keptPaid += net;
        lockedPaid.set(a.payment_id, (lockedPaid.get(a.payment_id) ?? 0) + net);
        continue;
      }
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
      // The part a closed payment paid is lowered by the linked credit instead, so the journal still nets to the reversal.
      amountCents: -(Number(line.amount_cents) - keptPaid),
      sourceType: 'charge_line',
      sourceId: line.id,
      description: `Invoice ${inv.invoice_number} superseded by a newer version: ${line.description || line.category} reversed`,
      label: `supersede/${line.id}`,
    });
  }
  await ctx.db.updateTable('invoices').set({ status: 'superseded', superseded_by: newInvoiceId }).where('id', '=', invoiceId).execute();
  await ctx.audit({
    action: 'supersede',
    entity: 'invoice',
    entityId: invoiceId,
    before: { status: inv.status },
    after: { status: 'superseded', supersededBy: newInvoiceId, unapplied: Object.fromEntries(freed), creditedForClosedPayments: Object.fromEntries(lockedPaid) },
  });
  return {
    freed: [...freed.entries()].map(([paymentId, amountCents]) => ({ paymentId, amountCents })),
    locked: [...lockedPaid.entries()].map(([paymentId, amountCents]) => ({ paymentId, amountCents, reference: locked.get(paymentId)!.reference, why: locked.get(paymentId)!.why })),
  };
}

/**
 * The linked correction for a superseded invoice's closed payments: one credit posted today (open
 * period), applied to the new version first and then oldest due first; what does not fit stays on
 * the account as credit.
 */
export async function creditClosedPayments(ctx: CommandCtx, acct: { id: string; division_id: string }, oldInvoice: { id: string; number: string }, newInvoiceId: string, locked: LockedPaid[]): Promise<string | null> {
  const amount = locked.reduce((sum, l) => sum + l.amountCents, 0);
  if (amount <= 0) return null;
  const id = ctx.id(`supersede/${oldInvoice.id}/credit`);
  const refs = locked.map((l) => `${l.reference} (${l.why})`).join(', ');
  await ctx.db
    .insertInto('credits')
    .values(
      newCreditRow(ctx, {
        id,
        accountId: acct.id,
        divisionId: acct.division_id,
        kind: 'credit',
        amountCents: amount,
        date: ctx.today,
        classification: 'Supersede correction',
        publicComment: `Invoice ${oldInvoice.number} was replaced; what was paid on it is credited`,
        privateComment: `Superseded invoice ${oldInvoice.id}; payments left as recorded: ${refs}`.slice(0, 500),
        invoiceId: newInvoiceId,
      }),
    )
    .execute();
  await postEntry(ctx, {
    accountId: acct.id,
    entryDate: ctx.today,
    kind: 'credit',
    amountCents: -amount,
    sourceType: 'credit',
    sourceId: id,
    description: `Credit: paid on replaced invoice ${oldInvoice.number} (${refs})`.slice(0, 500),
    label: `supersede-credit/${oldInvoice.id}`,
  });
  await applyCredit(ctx, id, `supersede/${oldInvoice.id}`);
  return id;
}
