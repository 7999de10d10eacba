import { paymentsContract } from '../../shared/contract/payments';
import { formatMoney } from '../../shared/money';
import { newId, referenceFromId } from '../../shared/ids';
import { fail } from '../../shared/result';
import { ANY_ROLE } from '../../shared/roles';
import { defineCommand, type CommandCtx } from '../commands/types';
import { applyOldestDueFirst } from '../ledger/apply';
import { assertEntryDate } from '../periods/business-date';
import { assertPeriodOpen, getActiveAccount, postEntry } from '../ledger/journal';
import { cancelPendingNotificationsIfPaid } from '../notifications/queue';
import { loadPaymentDetail } from './payment-views';

const METHOD_LABEL = { cash: 'Cash', check: 'Check', card: 'Card', ach: 'ACH' } as const;

export interface NewPayment {
  paymentId: string;
  accountId: string;
  amountCents: number;
  method: 'cash' | 'check' | 'card' | 'ach';
  checkNumber?: string;
  paymentDate: string;
  receiptEmail?: string;
  memo?: string;
  kind?: string;
  relatedPaymentId?: string;
  depositId?: string;
  /** Spread over open charges oldest-due first (the default), or leave unapplied. */
  autoApply?: boolean;
}

/**
 * Records a payment: the payment row, its journal entry, its applications (oldest due first; the
 * excess stays on the account as a credit), an email receipt queued for the server, and the audit.
 * Shared by Make Payment, batch entry in a deposit, returns and transfers.
 */
export async function insertPayment(ctx: CommandCtx, p: NewPayment): Promise<void> {
  const acct = await getActiveAccount(ctx, p.accountId);
  await assertPeriodOpen(ctx, p.paymentDate, 'paymentDate');
  const clash = await ctx.db.selectFrom('payments').select('id').where('id', '=', p.paymentId).executeTakeFirst();
  if (clash) fail('CONFLICT', 'This payment was already recorded.', { field: 'paymentId', paymentId: p.paymentId });
  const row = {
    id: p.paymentId,
    account_id: acct.id,
    division_id: acct.division_id,
    reference: referenceFromId(p.paymentId),
    payment_date: p.paymentDate,
    amount_cents: p.amountCents,
    method: p.method,
    check_number: p.checkNumber || null,
    status: 'pending' as const,
    kind: p.kind ?? 'payment',
    related_payment_id: p.relatedPaymentId ?? null,
    receipt_email: p.receiptEmail || null,
    memo: p.memo || null,
    deposit_id: p.depositId ?? null,
    created_by: ctx.actor.userId,
    created_at: ctx.now,
    void_reason: null,
    voided_by: null,
    voided_at: null,
  };
  await ctx.db.insertInto('payments').values(row).execute();
  await postEntry(ctx, {
    accountId: acct.id,
    entryDate: p.paymentDate,
    kind: row.kind,
    amountCents: -p.amountCents,
    sourceType: 'payment',
    sourceId: row.id,
    description: `${METHOD_LABEL[p.method]} payment ${row.reference}${row.check_number ? ` (check ${row.check_number})` : ''}`,
    label: `payment/${row.id}`,
  });
  if (p.autoApply !== false && p.amountCents > 0) await applyOldestDueFirst(ctx, row.id, acct.id, p.amountCents);
  if (row.receipt_email) {
    await ctx.db
      .insertInto('email_outbox')
      .values({
        id: ctx.id(`receipt/${row.id}`),
        kind: 'payment-receipt',
        to_address: row.receipt_email,
        subject: `Payment receipt ${row.reference}`,
        body_text: [
          `Thank you for your payment.`,
          ``,
          `Reference: ${row.reference}`,
          `Account: ${acct.account_number} (${acct.name})`,
          `Date: ${row.payment_date}`,
          `Amount: ${formatMoney(row.amount_cents)}`,
          `Method: ${METHOD_LABEL[row.method]}${row.check_number ? ` ${row.check_number}` : ''}`,
        ].join('\n'),
        related_id: row.id,
        created_at: ctx.now,
        sent_at: null,
      })
      .execute();
  }
  await cancelPendingNotificationsIfPaid(ctx, acct.id, `payment ${row.reference}`);
  await ctx.audit({ action: 'create', entity: 'payment', entityId: row.id, after: row });
  ctx.changed('payments', 'accounts');
}

export const recordPayment = defineCommand({
  name: 'payments.record',
  version: 1,
  roles: ANY_ROLE,
  input: paymentsContract['payments.record'].input,
  synced: true,
  prepare: (i) => (i.paymentId ? {} : { paymentId: newId() }),
  subject: (i) => i.paymentId,
  run: async (ctx, i) => {
    const paymentId = i.paymentId!;
    await assertEntryDate(ctx, i.paymentDate ?? ctx.today, 'paymentDate', i.postDated);
    await insertPayment(ctx, {
      paymentId,
      accountId: i.accountId,
      amountCents: i.amount,
      method: i.method,
      checkNumber: i.checkNumber,
      paymentDate: i.paymentDate ?? ctx.today,
      receiptEmail: i.receiptEmail,
      memo: i.memo,
    });
    return loadPaymentDetail(ctx.db, paymentId);
  },
});
