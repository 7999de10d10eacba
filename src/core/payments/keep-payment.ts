import type { AppError } from '../../shared/result';
import { periodOf } from '../../shared/dates';
import type { CommandCtx, KeptMoney } from '../commands/types';
import { insertPayment, type NewPayment } from './record-payment';

/**
 * What happens to a payment when the command that recorded it is refused (by the server, or by a
 * desk's replay after a pull). The clerk took the money and may have printed a receipt, so the
 * payment is never dropped (docs/sync.md, "Refused work keeps the money"):
 * - refused only for its deposit (completed in another office meanwhile): it is recorded
 *   undeposited, posted as usual, ready for another deposit;
 * - refused for its date or anything else (a month closed elsewhere, an implausible clock, a role):
 *   it is kept On Hold with the reason: the row, its reference and receipt, but no posting, until
 *   someone re-dates it into an open month or voids it (payments.release / payments.voidHeld).
 * Same ids as the refused command, so the reference on the receipt finds it.
 */
export async function keepRefusedPayment(ctx: CommandCtx, error: AppError, p: NewPayment): Promise<KeptMoney | null> {
  const already = await ctx.db.selectFrom('payments').select('id').where('id', '=', p.paymentId).executeTakeFirst();
  if (already) return null; // the same payment is on the ledger already: nothing to keep
  if (p.depositId && (await canPostUndeposited(ctx, error, p))) {
    const reason = `Not added to the deposit: ${error.message}`;
    await insertPayment(ctx, { ...p, depositId: undefined });
    return { state: 'undeposited', paymentId: p.paymentId, reason };
  }
  const reason = holdReason(error, p);
  await insertPayment(ctx, { ...p, depositId: undefined, hold: reason });
  return { state: 'on_hold', paymentId: p.paymentId, reason };
}

/** Only a refusal about the deposit itself lets the payment post without it. */
async function canPostUndeposited(ctx: CommandCtx, error: AppError, p: NewPayment): Promise<boolean> {
  const field = error.details?.field;
  if (error.code === 'PERIOD_CLOSED' || error.code === 'FORBIDDEN' || field === 'occurredAt' || field === 'paymentDate' || field === 'accountId') return false;
  const acct = await ctx.db.selectFrom('accounts').select('status').where('id', '=', p.accountId).executeTakeFirst();
  if (acct?.status !== 'active') return false;
  const period = await ctx.db.selectFrom('periods').select('status').where('period', '=', periodOf(p.paymentDate)).executeTakeFirst();
  return period?.status !== 'closed';
}

function holdReason(error: AppError, p: NewPayment): string {
  if (error.code === 'PERIOD_CLOSED') return `${periodOf(p.paymentDate)} was closed before this payment reached the server, so it was not posted.`;
  if (error.code === 'FORBIDDEN') return 'The server says your role may not record this payment.';
  return error.message;
}
