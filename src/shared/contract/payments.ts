import { z } from 'zod';
import { channel } from './define';
import type { PaymentDetailDTO, PaymentStatus } from './dto';
import { id, isoDate, optionalEmail, optionalMoney, positiveMoneyText, required, trimmed } from './fields';
import type { PaymentRefundsDTO } from './refunds';

/** Every payments.* channel: record, look up, held payments, cancel, and the corrections supervisors make. */

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

/** A payment with its relations, for the payment details dialog (un-apply / re-apply, return). */
export interface PaymentCorrectionsDTO {
  payment: PaymentDetailDTO;
  /** Net applied per charge line (un-applies netted out), with the line's current open amount. */
  allocation: { chargeLineId: string; invoiceNumber: string; description: string; dueDate: string; appliedCents: number; lineAmountCents: number; lineOpenCents: number }[];
  /** Every charge line of the account, paid ones included, newest invoice first. */
  lines: { chargeLineId: string; invoiceId: string; invoiceNumber: string; invoiceStatus: string; lineNo: number; description: string; dueDate: string; amountCents: number; openCents: number }[];
  related: { id: string; reference: string; kind: string; amountCents: number; status: PaymentStatus; accountNumber: string; paymentDate: string }[];
  /** How much of it can still be returned (positive payments only). */
  returnableCents: number;
  /** Why it cannot be changed now (closed deposit, closed month, voided), or null. */
  lockedReason: string | null;
}

export const lineAmounts = z
  .array(z.object({ chargeLineId: id, amount: positiveMoneyText }).strict())
  .max(500, 'At most 500 charge lines at once.');

/** How a payment is spread: per-line amounts, oldest-due first, or left unapplied (a credit). */
export const applyMode = z.enum(['lines', 'auto', 'none'], { message: 'Choose how to apply the payment.' });

export const ReturnReasons = ['nsf', 'stop_payment', 'ach_takeback', 'other'] as const;
export const ReturnReasonLabels: Record<(typeof ReturnReasons)[number], string> = {
  nsf: 'Non-sufficient funds (NSF)',
  stop_payment: 'Stop payment',
  ach_takeback: 'ACH / EFT take-back',
  other: 'Other',
};

export const paymentsContract = {
  'payments.record': channel<PaymentDetailDTO>()(recordPaymentInput),
  'payments.get': channel<PaymentDetailDTO>()(z.object({ paymentId: id }).strict()),
  'payments.getByReference': channel<PaymentDetailDTO>()(z.object({ reference: z.string().trim().min(1).max(40) }).strict()),
  /** Posts an On Hold payment (kept after a refusal) with a date in an open month. Its author or a Supervisor/Admin. */
  'payments.release': channel<PaymentDetailDTO>()(z.object({ paymentId: id, paymentDate: isoDate }).strict()),
  /** Voids an On Hold payment: explicit, with a reason, audited with its amount, account and reference. Its author or a Supervisor/Admin. */
  'payments.voidHeld': channel<PaymentDetailDTO>()(z.object({ paymentId: id, reason: required(300, 'Reason') }).strict()),
  /** Cancels a payment that is not deposited yet (its applications are undone). */
  'payments.cancel': channel<PaymentRefundsDTO>()(z.object({ paymentId: id, reason: required(300, 'Reason') }).strict()),

  'payments.corrections': channel<PaymentCorrectionsDTO>()(z.object({ paymentId: id }).strict()),
  /** Un-apply from the chosen charge lines (all when none are named); the amount becomes unapplied. */
  'payments.unapply': channel<PaymentCorrectionsDTO>()(z.object({ paymentId: id, chargeLineIds: z.array(id).max(500).optional() }).strict()),
  /** Sets where the payment is applied: per-line amounts, oldest-due first, or nowhere (a credit). */
  'payments.reapply': channel<PaymentCorrectionsDTO>()(
    z
      .object({ paymentId: id, mode: applyMode, lines: lineAmounts.optional() })
      .strict()
      .superRefine((v, ctx) => {
        if (v.mode === 'lines' && !v.lines) ctx.addIssue({ code: 'custom', path: ['lines'], message: 'Enter the amount for each charge line.' });
      }),
  ),
  /** Deletes a payment: kept as a voided record with who, when and why. */
  'payments.delete': channel<PaymentCorrectionsDTO>()(z.object({ paymentId: id, reason: required(300, 'Reason') }).strict()),
  /** A returned payment (NSF, stop payment, ACH take-back): a new negative payment. */
  'payments.return': channel<PaymentCorrectionsDTO>()(
    z
      .object({
        returnPaymentId: id.optional(),
        feeInvoiceId: id.optional(),
        paymentId: id,
        reason: z.enum(ReturnReasons, { message: 'Choose why the payment came back.' }),
        note: trimmed(300, 'Note').optional(),
        returnDate: isoDate.optional(),
        depositId: id.optional(),
        /** Defaults to everything not yet returned. */
        amount: positiveMoneyText.optional(),
        /** 'auto' reopens the lines the returned payment paid; 'lines' the ones given; 'none' none. */
        mode: applyMode.optional(),
        lines: lineAmounts.optional(),
        fee: optionalMoney,
      })
      .strict(),
  ),
  /** Moves a credit: a negative payment on one account and the equal positive one on another. */
  'payments.transferCredit': channel<{ out: PaymentCorrectionsDTO; in: PaymentCorrectionsDTO }>()(
    z
      .object({
        outPaymentId: id.optional(),
        inPaymentId: id.optional(),
        fromAccountId: id,
        toAccountId: id,
        amount: positiveMoneyText,
        depositId: id,
        transferDate: isoDate.optional(),
        memo: trimmed(300, 'Memo').optional(),
        /** On the source: leave unapplied (removes its credit), or reopen the lines given. */
        fromMode: z.enum(['none', 'lines']).optional(),
        fromLines: lineAmounts.optional(),
        /** On the target: oldest-due first (default), the lines given, or leave as a credit. */
        toMode: applyMode.optional(),
        toLines: lineAmounts.optional(),
      })
      .strict()
      .refine((v) => v.fromAccountId !== v.toAccountId, { path: ['toAccountId'], message: 'Choose a different account to receive the credit.' }),
  ),
} as const;
