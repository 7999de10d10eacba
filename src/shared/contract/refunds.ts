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
  /**
   * What this refund charged again (an invoice numbered with its reference) instead of undoing
   * applications, because a closed deposit or closed month holds the payment: closed is closed.
   */
  chargedAgainCents: number;
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
  /** Refund requests for this payment (waiting, approved or declined), newest first. */
  requests: RefundRequestDTO[];
}

export type RefundRequestStatus = 'pending' | 'approved' | 'declined';

/** A refund a CSR asked for that needs a Supervisor or Admin. */
export interface RefundRequestDTO {
  id: string;
  paymentId: string;
  paymentReference: string;
  paymentDate: string;
  paymentAmountCents: number;
  accountId: string;
  accountNumber: string;
  accountName: string;
  amountCents: number;
  reason: string;
  receiptEmail: string | null;
  /** Why it needs approval (closed month, above the limit). */
  needsApprovalBecause: string;
  status: RefundRequestStatus;
  requestedAt: string;
  requestedByName: string;
  decidedAt: string | null;
  decidedByName: string | null;
  declineReason: string | null;
  refundId: string | null;
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
  /** Asks a Supervisor or Admin for a refund the signed-in user may not make alone. */
  'refunds.request': channel<RefundRequestDTO>()(refundInput.omit({ refundId: true, refundDate: true }).extend({ requestId: id.optional() }).strict()),
  'refunds.requests': channel<RefundRequestDTO[]>()(z.object({ status: z.enum(['pending', 'approved', 'declined']).optional(), limit: z.number().int().min(1).max(1000).optional() }).strict()),
  /** Approves a request: the refund is made now, by the approver. */
  'refunds.approveRequest': channel<RefundRequestDTO>()(z.object({ requestId: id, refundId: id.optional() }).strict()),
  'refunds.declineRequest': channel<RefundRequestDTO>()(z.object({ requestId: id, reason: required(300, 'Reason') }).strict()),
} as const;
