import type { PaymentDetailDTO } from '../../shared/contract/dto';
import { paymentsContract } from '../../shared/contract/payments';
import { formatMoney } from '../../shared/money';
import { newId, referenceFromId } from '../../shared/ids';
import { fail } from '../../shared/result';
import { ANY_ROLE } from '../../shared/roles';
import { defineCommand, type CommandCtx } from '../commands/types';
import { applyOldestDueFirst } from '../ledger/allocation';
import type { Database } from '../db/schema';
import { isUniqueClash } from '../db/unique-clash';
import { insertRow } from '../db/prepared';
import { assertEntryDate } from '../periods/business-date';
import { assertPeriodOpen, getActiveAccount, postEntry } from '../ledger/journal';
import { keepRefusedPayment } from './keep-payment';
import { cancelPendingNotificationsIfPaid } from '../notifications/queue';
import { queueReceipt } from './receipt';
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
  /**
   * Keep the payment On Hold with this reason instead of posting it (a refused command's money,
   * see keep-payment.ts): the row and its receipt, but no journal entry or applications, so it
   * moves no balance and touches no closed month until someone re-dates or voids it.
   */
  hold?: string;
}

/**
 * Records a payment: the payment row, its journal entry, its applications (oldest due first; the
 * excess stays on the account as a credit), an email receipt queued for the server, and the audit.
 * Shared by Make Payment, batch entry in a deposit, returns and transfers.
 */
export async function insertPayment(ctx: CommandCtx, p: NewPayment): Promise<void> {
  const acct = p.hold ? await getAccount(ctx, p.accountId) : await getActiveAccount(ctx, p.accountId);
  if (!p.hold) await assertPeriodOpen(ctx, p.paymentDate, 'paymentDate');
  const row = {
    id: p.paymentId,
    account_id: acct.id,
    division_id: acct.division_id,
    reference: referenceFromId(p.paymentId),
    payment_date: p.paymentDate,
    amount_cents: p.amountCents,
    method: p.method,
    check_number: p.checkNumber || null,
    status: p.hold ? ('on_hold' as const) : ('pending' as const),
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
    hold_reason: p.hold ?? null,
  };
  // The keys answer "already recorded" (no read first: see unique-clash.ts); the reference derives from the id.
  try {
    await insertRow(ctx.db, 'payments', row);
  } catch (e) {
    if (isUniqueClash(e, 'payments', ['id', 'reference'])) fail('CONFLICT', 'This payment was already recorded.', { field: 'paymentId', paymentId: p.paymentId });
    throw e;
  }
  if (!p.hold) await postPayment(ctx, row, p.autoApply !== false);
  if (row.receipt_email) await queuePaymentReceipt(ctx, row, acct);
  if (!p.hold) await cancelPendingNotificationsIfPaid(ctx, acct.id, `payment ${row.reference}`);
  await ctx.audit({ action: p.hold ? 'hold' : 'create', entity: 'payment', entityId: row.id, after: row });
  ctx.changed('payments', 'accounts');
}

type PaymentRow = Pick<Database['payments'], 'id' | 'account_id' | 'reference' | 'payment_date' | 'amount_cents' | 'method' | 'check_number' | 'kind' | 'receipt_email'>;

/** Posts a payment to the account: its journal entry and, unless told not to, its applications oldest due first. */
export async function postPayment(ctx: CommandCtx, row: PaymentRow, autoApply: boolean): Promise<void> {
  await postEntry(ctx, {
    accountId: row.account_id,
    entryDate: row.payment_date,
    kind: row.kind,
    amountCents: -row.amount_cents,
    sourceType: 'payment',
    sourceId: row.id,
    description: `${METHOD_LABEL[row.method]} payment ${row.reference}${row.check_number ? ` (check ${row.check_number})` : ''}`,
    label: `payment/${row.id}`,
  });
  if (autoApply && row.amount_cents > 0) await applyOldestDueFirst(ctx, row.id, row.account_id, row.amount_cents);
}

async function queuePaymentReceipt(ctx: CommandCtx, row: PaymentRow, acct: { account_number: string; name: string }): Promise<void> {
  await queueReceipt(ctx, {
    kind: 'payment-receipt',
    id: ctx.id(`receipt/${row.id}`),
    relatedId: row.id,
    to: row.receipt_email!,
    subject: `Payment receipt ${row.reference}`,
    opening: 'Thank you for your payment.',
    fields: [
      ['Reference', row.reference],
      ['Account', `${acct.account_number} (${acct.name})`],
      ['Date', row.payment_date],
      ['Amount', formatMoney(row.amount_cents)],
      ['Method', `${METHOD_LABEL[row.method]}${row.check_number ? ` ${row.check_number}` : ''}`],
    ],
  });
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
    // The detail is for the clerk's screen; the server's re-run only records that it ran (four reads fewer per pushed payment).
    if (ctx.mode === 'server') return { id: paymentId } as unknown as PaymentDetailDTO;
    return loadPaymentDetail(ctx.db, paymentId);
  },
  keep: (ctx, i, error) =>
    keepRefusedPayment(ctx, error, {
      paymentId: i.paymentId!,
      accountId: i.accountId,
      amountCents: i.amount,
      method: i.method,
      checkNumber: i.checkNumber,
      paymentDate: i.paymentDate ?? ctx.today,
      receiptEmail: i.receiptEmail,
      memo: i.memo,
    }),
});

async function getAccount(ctx: CommandCtx, accountId: string) {
  const acct = await ctx.db.selectFrom('accounts').selectAll().where('id', '=', accountId).executeTakeFirst();
  if (!acct) fail('NOT_FOUND', 'That account does not exist.', { field: 'accountId' });
  return acct;
}
