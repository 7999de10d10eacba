import type { CommandCtx } from '../commands/types';
import type { Database } from '../db/schema';
import { postEntry } from '../ledger/journal';

/**
 * The one reversal of a payment, shared by void (payments.delete) and cancel (payments.cancel):
 * one reversing journal entry, the row kept with who, when and why, one audit entry. The callers
 * differ only in what they pass: entry kind, date and amount, the label the ids derive from (so a
 * replayed command writes the same rows), the status and audit action. Un-applying stays with the
 * caller, which hands over the audit's before/after applications.
 */
export interface Reversal {
  status: 'voided' | 'cancelled';
  auditAction: 'delete' | 'cancel';
  reason: string;
  /** The reversing entry; null when the payment never touched the balance. */
  entry: { kind: 'payment_void' | 'payment_cancelled'; date: string; amountCents: number; description: string; label: string } | null;
  /** Extra audit fields (void records the applications it undid; cancel does not). */
  auditBefore?: Record<string, unknown>;
  auditAfter?: Record<string, unknown>;
}

export async function reversePayment(ctx: CommandCtx, p: Pick<Database['payments'], 'id' | 'account_id' | 'status'>, r: Reversal): Promise<void> {
  if (r.entry) {
    await postEntry(ctx, {
      accountId: p.account_id,
      entryDate: r.entry.date,
      kind: r.entry.kind,
      amountCents: r.entry.amountCents,
      sourceType: 'payment',
      sourceId: p.id,
      description: r.entry.description,
      label: r.entry.label,
    });
  }
  const after = { status: r.status, void_reason: r.reason, voided_by: ctx.actor.userId, voided_at: ctx.now };
  await ctx.db.updateTable('payments').set(after).where('id', '=', p.id).execute();
  await ctx.audit({ action: r.auditAction, entity: 'payment', entityId: p.id, before: { status: p.status, ...r.auditBefore }, after: { ...after, ...r.auditAfter } });
}
