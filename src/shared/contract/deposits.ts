import { z } from 'zod';
import { channel } from './define';
import type { PaymentDetailDTO, PaymentMethod, PaymentStatus } from './dto';
import { id, isoDate, moneyText, positiveMoneyText, required, trimmed } from './fields';
import { PaymentMethods } from './payments';

/** Deposits (bank deposit batches) and the corrections supervisors make to payments. */

export type DepositStatus = 'open' | 'closed';

export interface DepositSummaryDTO {
  id: string;
  number: string;
  depositDate: string;
  divisionId: string;
  divisionName: string;
  bankAccount: string | null;
  controlTotalCents: number | null;
  status: DepositStatus;
  openedBy: string;
  createdAt: string;
  paymentCount: number;
  /** The sum of its payments that are not voided (returned payments count negative). */
  totalCents: number;
  completedAt: string | null;
  completedBy: string | null;
  reopenedAt: string | null;
  reopenedBy: string | null;
}

export interface DepositPaymentDTO {
  id: string;
  reference: string;
  paymentDate: string;
  accountId: string;
  accountNumber: string;
  accountName: string;
  amountCents: number;
  method: PaymentMethod;
  checkNumber: string | null;
  status: PaymentStatus;
  kind: string;
  relatedPaymentId: string | null;
  appliedCents: number;
  unappliedCents: number;
  voidReason: string | null;
  voidedAt: string | null;
  voidedBy: string | null;
  createdAt: string;
}

export interface DepositSlipDTO {
  checks: { reference: string; checkNumber: string | null; accountNumber: string; accountName: string; amountCents: number }[];
  checkTotalCents: number;
  cashCount: number;
  cashTotalCents: number;
  /** Card and ACH: settled by the processor, listed for the record. */
  electronicTotalCents: number;
  /** Returned payments (negative) entered in this deposit. */
  returnsTotalCents: number;
  /** Credit transfers net to zero; shown so the slip adds up to the deposit. */
  transfersNetCents: number;
  grandTotalCents: number;
}

export interface DepositDetailDTO extends DepositSummaryDTO {
  payments: DepositPaymentDTO[];
  slip: DepositSlipDTO;
  /** True when the deposit's month is closed: nothing in it can change. */
  periodClosed: boolean;
}

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

const lineAmounts = z
  .array(z.object({ chargeLineId: id, amount: positiveMoneyText }).strict())
  .max(500, 'At most 500 charge lines at once.');

/** How a payment is spread: per-line amounts, oldest-due first, or left unapplied (a credit). */
const applyMode = z.enum(['lines', 'auto', 'none'], { message: 'Choose how to apply the payment.' });

export const ReturnReasons = ['nsf', 'stop_payment', 'ach_takeback', 'other'] as const;
export const ReturnReasonLabels: Record<(typeof ReturnReasons)[number], string> = {
  nsf: 'Non-sufficient funds (NSF)',
  stop_payment: 'Stop payment',
  ach_takeback: 'ACH / EFT take-back',
  other: 'Other',
};

const optionalMoney = z
  .string()
  .optional()
  .transform((s, ctx) => {
    if (s === undefined) return undefined; // not given: unchanged
    if (s.trim() === '') return null; // blank: none
    const r = moneyText.safeParse(s);
    if (!r.success) {
      ctx.addIssue({ code: 'custom', message: r.error.issues[0]?.message ?? 'Not an amount.' });
      return z.NEVER;
    }
    return r.data;
  });

export const depositsContract = {
  'deposits.list': channel<DepositSummaryDTO[]>()(
    z
      .object({
        status: z.enum(['open', 'closed']).optional(),
        divisionId: id.nullable().optional(),
        from: isoDate.optional(),
        to: isoDate.optional(),
        limit: z.number().int().min(1).max(2000).optional(),
      })
      .strict(),
  ),
  'deposits.get': channel<DepositDetailDTO>()(z.object({ depositId: id }).strict()),
  'deposits.undeposited': channel<DepositPaymentDTO[]>()(
    z
      .object({
        divisionId: id,
        from: isoDate.optional(),
        to: isoDate.optional(),
        query: z.string().trim().max(100).optional(),
        limit: z.number().int().min(1).max(2000).optional(),
      })
      .strict(),
  ),
  'deposits.create': channel<DepositDetailDTO>()(
    z
      .object({
        depositId: id.optional(),
        depositDate: isoDate.optional(),
        divisionId: id,
        bankAccount: trimmed(80, 'Bank account').optional(),
        controlTotal: optionalMoney,
        /** The clerk confirmed a date more than the setting's days ahead is post-dated on purpose. */
        postDated: z.boolean().optional(),
      })
      .strict(),
  ),
  /** Bank account, control total, and the date of an open deposit (in an open month). */
  'deposits.update': channel<DepositDetailDTO>()(
    z
      .object({
        depositId: id,
        bankAccount: trimmed(80, 'Bank account').optional(),
        controlTotal: optionalMoney,
        depositDate: isoDate.optional(),
        postDated: z.boolean().optional(),
      })
      .strict(),
  ),
  /** Deletes an open deposit that never held a payment (audited). */
  'deposits.delete': channel<{ depositId: string; number: string; deleted: true }>()(
    z.object({ depositId: id, reason: trimmed(300, 'Reason').optional() }).strict(),
  ),
  'deposits.addPayments': channel<DepositDetailDTO>()(
    z.object({ depositId: id, paymentIds: z.array(id).min(1, 'Choose at least one payment.').max(5000) }).strict(),
  ),
  'deposits.removePayment': channel<DepositDetailDTO>()(z.object({ depositId: id, paymentId: id }).strict()),
  /** Batch entry: a new payment straight into the deposit. */
  'deposits.enterPayment': channel<DepositPaymentDTO>()(
    z
      .object({
        depositId: id,
        paymentId: id.optional(),
        accountId: id,
        /** Negative amounts are returned payments: core answers with the way to record one (payments.return). */
        amount: moneyText.refine((c) => c !== 0, { message: 'Enter an amount other than $0.00.' }),
        method: z.enum(PaymentMethods, { message: 'Choose a payment method.' }),
        checkNumber: trimmed(30, 'Check number').optional(),
        paymentDate: isoDate.optional(),
        postDated: z.boolean().optional(),
        memo: trimmed(500, 'Memo').optional(),
        apply: z.enum(['auto', 'none']).optional(),
      })
      .strict()
      .superRefine((v, ctx) => {
        if (v.method === 'check' && !v.checkNumber) ctx.addIssue({ code: 'custom', path: ['checkNumber'], message: 'Enter the check number.' });
      }),
  ),
  'deposits.complete': channel<DepositDetailDTO>()(z.object({ depositId: id }).strict()),
  'deposits.reopen': channel<DepositDetailDTO>()(z.object({ depositId: id, reason: trimmed(300, 'Reason').optional() }).strict()),

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
