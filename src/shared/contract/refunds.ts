import { z } from 'zod';
import { channel } from './define';
import type { PaymentDetailDTO, PaymentMethod } from './dto';
import { id, isoDate, optionalEmail, positiveMoneyText, required } from './fields';

/** Cancel a pending payment; refund a deposited one, in full or in several parts. */

export interface RefundDTO {
  id: string;
  reference: string;
  paymentId: string;
  paymentReference: string;
  paymentAmountCents: number;
  paymentDate: string;
  accountId: string;
  accountNumber: string;
  accountName: string;
  divisionName: string;
  amountCents: number;
  refundDate: string;
  method: PaymentMethod;
  reason: string;
  receiptEmail: string | null;
  createdAt: string;
  createdByName: string;
  /** Applications this refund undid (charge lines opened again). */
  unappliedCents: number;
  /** Of the payment, after this refund and the ones before it. */
  refundedToDateCents: number;
  accountBalanceCents: number;
  unsynced: boolean;
}

export interface PaymentRefundsDTO {
  paymentId: string;
  status: PaymentDetailDTO['status'];
  amountCents: number;
  refundedCents: number;
  /** What can still be refunded (0 unless deposited). */
  refundableCents: number;
  /** Pending and scheduled payments can be cancelled instead. */
  cancellable: boolean;
  /** Why it can be neither cancelled nor refunded, or null. */
  blockedReason: string | null;
  cancelReason: string | null;
  cancelledAt: string | null;
  refunds: RefundDTO[];
}

export const refundInput = z
  .object({
    refundId: id.optional(),
    paymentId: id,
    amount: positiveMoneyText,
    reason: required(300, 'Reason'),
    receiptEmail: optionalEmail,
    refundDate: isoDate.optional(),
  })
  .strict();

export const refundsContract = {
  'refunds.create': channel<RefundDTO>()(refundInput),
  'refunds.get': channel<RefundDTO>()(z.object({ refundId: id }).strict()),
  'refunds.forPayment': channel<PaymentRefundsDTO>()(z.object({ paymentId: id }).strict()),
  'payments.cancel': channel<PaymentRefundsDTO>()(z.object({ paymentId: id, reason: required(300, 'Reason') }).strict()),
} as const;
