import { z } from 'zod';
import { channel } from './define';
import type { PaymentMethod, PaymentStatus } from './dto';
import { id, isoDate, moneyText, optionalMoney, trimmed } from './fields';
import { PaymentMethods } from './payments';

/** Deposits (bank deposit batches). The corrections supervisors make to payments are in payments.ts. */

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

/** How many deposits `deposits.list` answers when no limit is asked: the newest first. */
export const DEPOSITS_LIST_LIMIT = 500;

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
} as const;
