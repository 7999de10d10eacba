import { referenceFromId } from '../../shared/ids';
import { formatMoney } from '../../shared/money';
import type { CommandCtx } from '../commands/types';
import { applyCredit } from '../credits/apply-credits';
import { postCorrectionCharge } from './correction-charge';
import { postEntry } from './journal';

export interface BalanceAdjustment {
  /** The balance_adjustments row this posting carries out. */
  adjustmentId: string;
  accountId: string;
  /** + raises the balance, − lowers it. */
  amountCents: number;
  newBalanceCents: number;
  date: string;
  reason: string;
}

/** The invoice number an adjustment charge is shown with (stable: derived from the adjustment). */
export const adjustmentInvoiceNumber = (adjustmentId: string) => referenceFromId(adjustmentId, 'ADJ');

/**
 * Posts a balance adjustment so the one balance rule holds (ledger/tie-out.ts): a raise is an
 * adjustment CHARGE (an invoice with one line, open for the amount, due on the adjustment date,
 * which waiting credits are applied to like any new invoice); a cut is an adjustment CREDIT applied
 * to the open charges oldest due first, the rest left on the account. Either way aging, statements
 * and the balance move together.
 */
export async function postBalanceAdjustment(ctx: CommandCtx, a: BalanceAdjustment): Promise<void> {
  if (a.amountCents === 0) return;
  const description = `Balance set to ${(a.newBalanceCents / 100).toFixed(2)} by ${a.reason}`;
  if (a.amountCents > 0) {
    await postCorrectionCharge(ctx, {
      label: `adjustment/${a.adjustmentId}`,
      accountId: a.accountId,
      invoiceNumber: adjustmentInvoiceNumber(a.adjustmentId),
      date: a.date,
      kind: 'adjustment',
      lines: [{ category: 'Adjustment', description, amountCents: a.amountCents, dueDate: a.date }],
    });
    return;
  }
  const creditId = ctx.id(`adjustment/${a.adjustmentId}/credit`);
  const amount = -a.amountCents;
  const acct = await ctx.db.selectFrom('accounts').select('division_id').where('id', '=', a.accountId).executeTakeFirstOrThrow();
  await ctx.db
    .insertInto('credits')
    .values({
      id: creditId,
      account_id: a.accountId,
      division_id: acct.division_id,
      kind: 'credit',
      credit_item_id: null,
      amount_cents: amount,
      open_cents: amount,
      credit_date: a.date,
      classification: 'Balance adjustment',
      public_comment: '',
      private_comment: `${a.reason}: ${formatMoney(amount)} off`,
      invoice_id: null,
      batch_id: null,
      status: 'active',
      replaces_id: null,
      replaced_by: null,
      reversal_reason: null,
      reversed_by: null,
      reversed_at: null,
      created_by: ctx.actor.userId,
      created_at: ctx.now,
    })
    .execute();
  await postEntry(ctx, { accountId: a.accountId, entryDate: a.date, kind: 'adjustment', amountCents: a.amountCents, sourceType: 'credit', sourceId: creditId, description, label: `adjustment/${a.adjustmentId}` });
  await applyCredit(ctx, creditId, `adjustment/${a.adjustmentId}`);
}
