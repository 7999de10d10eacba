import { z } from 'zod';
import { channel } from './define';
import type { PaymentDetailDTO } from './dto';
import { id, isoDate, optionalEmail, positiveMoneyText, required, trimmed } from './fields';

export const PaymentMethods = ['cash', 'check', 'card', 'ach'] as const;

export const recordPaymentInput = z
  .object({
    /** Client-generated; filled in by main when absent so a retry reuses it. */
    paymentId: id.optional(),
    accountId: id,
    amount: positiveMoneyText,
    method: z.enum(PaymentMethods, { message: 'Choose a payment method.' }),
    checkNumber: trimmed(30, 'Check number').optional(),
    paymentDate: isoDate.optional(),
    /** The clerk confirmed a date more than the setting's days ahead is post-dated on purpose. */
    postDated: z.boolean().optional(),
    receiptEmail: optionalEmail,
    memo: trimmed(500, 'Memo').optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.method === 'check' && !v.checkNumber) {
      ctx.addIssue({ code: 'custom', path: ['checkNumber'], message: 'Enter the check number.' });
    }
  });

export const paymentsContract = {
  'payments.record': channel<PaymentDetailDTO>()(recordPaymentInput),
  'payments.get': channel<PaymentDetailDTO>()(z.object({ paymentId: id }).strict()),
  'payments.getByReference': channel<PaymentDetailDTO>()(z.object({ reference: z.string().trim().min(1).max(40) }).strict()),
  /** Posts an On Hold payment (kept after a refusal) with a date in an open month. Its author or a Supervisor/Admin. */
  'payments.release': channel<PaymentDetailDTO>()(z.object({ paymentId: id, paymentDate: isoDate }).strict()),
  /** Voids an On Hold payment: explicit, with a reason, audited with its amount, account and reference. Its author or a Supervisor/Admin. */
  'payments.voidHeld': channel<PaymentDetailDTO>()(z.object({ paymentId: id, reason: required(300, 'Reason') }).strict()),
} as const;
