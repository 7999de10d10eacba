import { paymentsContract } from '../../shared/contract/payments';
import { formatMoney } from '../../shared/money';
import { fail } from '../../shared/result';
import { ANY_ROLE, SUPERVISORS } from '../../shared/roles';
import { defineCommand, type CommandCtx } from '../commands/types';
import { assertEntryDate } from '../periods/business-date';
import { cancelPendingNotificationsIfPaid } from '../notifications/queue';
import { loadPaymentDetail } from './payment-views';
import { postPayment } from './record-payment';

/**
 * Payments kept On Hold after a refusal (keep-payment.ts) wait for one of two explicit decisions:
 * re-date into an open month (posted then, like any payment) or void (with a reason). Either may be
 * taken by the clerk who recorded it or by a Supervisor/Admin, and each is audited in full.
 */
async function loadHeld(ctx: CommandCtx, paymentId: string) {
  const p = await ctx.db.selectFrom('payments').innerJoin('accounts', 'accounts.id', 'payments.account_id').selectAll('payments').select(['accounts.account_number', 'accounts.status as account_status']).where('payments.id', '=', paymentId).executeTakeFirst();
  if (!p) fail('NOT_FOUND', 'That payment does not exist.', { field: 'paymentId' });
  if (p.status !== 'on_hold') fail('CONFLICT', `Payment ${p.reference} is ${p.status}, not on hold.`, { field: 'paymentId' });
  if (p.created_by !== ctx.actor.userId && !SUPERVISORS.includes(ctx.actor.role)) {
    fail('FORBIDDEN', `Only the clerk who recorded ${p.reference} or a supervisor may decide what happens to it.`, { field: 'paymentId' });
  }
  return p;
}

export const releaseHeldPayment = defineCommand({
  name: 'payments.release',
  version: 1,
  roles: ANY_ROLE,
  input: paymentsContract['payments.release'].input,
  synced: true,
  subject: (i) => i.paymentId,
  run: async (ctx, i) => {
    const p = await loadHeld(ctx, i.paymentId);
    if (p.account_status !== 'active') fail('CONFLICT', `Account ${p.account_number} is inactive; nothing can be posted to it. Void the payment or reactivate the account.`, { field: 'paymentId' });
    // The same date rules as entering a payment: an open month, not a typo year ahead.
    await assertEntryDate(ctx, i.paymentDate, 'paymentDate', undefined);
    const after = { status: 'pending' as const, payment_date: i.paymentDate, hold_reason: null };
    await ctx.db.updateTable('payments').set(after).where('id', '=', p.id).execute();
    await postPayment(ctx, { ...p, payment_date: i.paymentDate }, true);
    await cancelPendingNotificationsIfPaid(ctx, p.account_id, `payment ${p.reference}`);
    await ctx.audit({
      action: 'release-hold',
      entity: 'payment',
      entityId: p.id,
      before: { status: p.status, payment_date: p.payment_date, hold_reason: p.hold_reason },
      after: { ...after, reference: p.reference, account: p.account_number, amount: formatMoney(Number(p.amount_cents)) },
    });
    ctx.changed('payments', 'accounts');
    return loadPaymentDetail(ctx.db, p.id);
  },
});

export const voidHeldPayment = defineCommand({
  name: 'payments.voidHeld',
  version: 1,
  roles: ANY_ROLE,
  input: paymentsContract['payments.voidHeld'].input,
  synced: true,
  subject: (i) => i.paymentId,
  run: async (ctx, i) => {
    const p = await loadHeld(ctx, i.paymentId);
    const after = { status: 'voided' as const, void_reason: i.reason, voided_by: ctx.actor.userId, voided_at: ctx.now };
    await ctx.db.updateTable('payments').set(after).where('id', '=', p.id).execute();
    await ctx.audit({
      action: 'void-held',
      entity: 'payment',
      entityId: p.id,
      before: { status: p.status, hold_reason: p.hold_reason },
      after: { ...after, reference: p.reference, account: p.account_number, amount: formatMoney(Number(p.amount_cents)), amount_cents: Number(p.amount_cents), payment_date: p.payment_date },
    });
    ctx.changed('payments', 'accounts');
    return loadPaymentDetail(ctx.db, p.id);
  },
});
