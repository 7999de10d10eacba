import { sql } from 'kysely';
import { fail } from '../../shared/result';
import type { CommandCtx } from '../commands/types';

export interface Applied {
  chargeLineId: string;
  amountCents: number;
}

/**
 * Applies up to `amountCents` of a payment to one charge line. Never more than the line's open
 * amount, and the caller guarantees never more than the payment's unapplied amount.
 */
export async function applyToLine(ctx: CommandCtx, paymentId: string, chargeLineId: string, amountCents: number, label: string): Promise<void> {
  if (amountCents <= 0) fail('VALIDATION', 'Applied amounts must be more than $0.00.', { field: 'amount' });
  const line = await ctx.db.selectFrom('charge_lines').select(['open_cents', 'account_id']).where('id', '=', chargeLineId).executeTakeFirst();
  if (!line) fail('NOT_FOUND', 'That charge line does not exist.', { field: 'chargeLineId' });
  if (amountCents > line.open_cents) {
    fail('CONFLICT', 'The amount is more than the charge line still has open.', { field: 'amount', openCents: line.open_cents });
  }
  await ctx.db
    .insertInto('applications')
    .values({
      id: ctx.id(`application/${label}`),
      payment_id: paymentId,
      charge_line_id: chargeLineId,
      amount_cents: amountCents,
      reverses_id: null,
      created_by: ctx.actor.userId,
      created_at: ctx.now,
    })
    .execute();
  await ctx.db.updateTable('charge_lines').set({ open_cents: sql<number>`open_cents - ${amountCents}` }).where('id', '=', chargeLineId).execute();
}

/**
 * Spreads an amount over the account's open charge lines, oldest due first (then invoice and line
 * order, so the result is the same wherever the command runs). Returns what was applied; the rest
 * stays on the account as a credit.
 */
export async function applyOldestDueFirst(ctx: CommandCtx, paymentId: string, accountId: string, amountCents: number, labelPrefix = paymentId): Promise<Applied[]> {
  let left = amountCents;
  const applied: Applied[] = [];
  if (left <= 0) return applied;
  const lines = await ctx.db
    .selectFrom('charge_lines')
    .innerJoin('invoices', 'invoices.id', 'charge_lines.invoice_id')
    .select(['charge_lines.id', 'charge_lines.open_cents'])
    .where('charge_lines.account_id', '=', accountId)
    .where('charge_lines.open_cents', '>', 0)
    .where('invoices.status', '=', 'open')
    .orderBy('charge_lines.due_date')
    .orderBy('invoices.invoice_number')
    .orderBy('charge_lines.line_no')
    .orderBy('charge_lines.id')
    .execute();
  for (const l of lines) {
    if (left === 0) break;
    const amt = Math.min(left, l.open_cents);
    await applyToLine(ctx, paymentId, l.id, amt, `${labelPrefix}/${applied.length}`);
    applied.push({ chargeLineId: l.id, amountCents: amt });
    left -= amt;
  }
  return applied;
}

/** Net amount of a payment applied to charge lines (un-applies are negative rows). */
export async function appliedTotal(ctx: Pick<CommandCtx, 'db'>, paymentId: string): Promise<number> {
  const r = await ctx.db
    .selectFrom('applications')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_cents'), sql<number>`0`).as('total'))
    .where('payment_id', '=', paymentId)
    .executeTakeFirst();
  return Number(r?.total ?? 0);
}
