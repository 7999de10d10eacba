import { z } from 'zod';
import { isIsoDate } from '../dates';
import { channel } from './define';
import { id, isoDate, optionalEmail, positiveMoneyText, trimmed } from './fields';

/** Recurring payments: set up for an account, listed, paused, resumed, cancelled; run by the scheduler. */

export const RecurringFrequencies = ['weekly', 'monthly', 'day_of_month'] as const;
export type RecurringFrequency = (typeof RecurringFrequencies)[number];
export const RecurringFrequencyLabels: Record<RecurringFrequency, string> = { weekly: 'Weekly', monthly: 'Monthly', day_of_month: 'On a day of the month' };
export const RecurringMethods = ['card', 'ach'] as const;
export type RecurringStatus = 'active' | 'paused' | 'cancelled' | 'stopped' | 'ended';

export interface ScheduledPaymentDTO {
  paymentId: string;
  reference: string;
  dueDate: string;
  amountCents: number;
  status: string;
  note: string | null;
}

export interface RecurringDTO {
  id: string;
  accountId: string;
  accountNumber: string;
  accountName: string;
  accountStatus: 'active' | 'inactive';
  amountMode: 'fixed' | 'balance';
  amountCents: number | null;
  method: (typeof RecurringMethods)[number];
  frequency: RecurringFrequency;
  dayOfMonth: number | null;
  startDate: string;
  endDate: string | null;
  nextDate: string | null;
  status: RecurringStatus;
  /** Why it is paused, cancelled, stopped or ended; for an active one on an inactive account, why it will stop. */
  statusReason: string | null;
  receiptEmail: string | null;
  createdAt: string;
  createdByName: string;
  /** The payments it has created, newest first (at most 24). */
  payments: ScheduledPaymentDTO[];
}

export interface RecurringRunDTO {
  throughDate: string;
  /** Scheduled payments created by this run. */
  created: number;
  /** Scheduled payments that became Pending. */
  activated: number;
  /** Scheduled payments cancelled (paused plan, inactive account, nothing owed). */
  cancelled: number;
  /** Recurring payments stopped (inactive account) or ended (past the end date). */
  stopped: number;
  ended: number;
}

export const createRecurringInput = z
  .object({
    recurringId: id.optional(),
    accountId: id,
    amountMode: z.enum(['fixed', 'balance'], { message: 'Choose a fixed amount or the current balance.' }),
    amount: positiveMoneyText.optional(),
    method: z.enum(RecurringMethods, { message: 'Recurring payments are by card or ACH.' }),
    frequency: z.enum(RecurringFrequencies, { message: 'Choose how often.' }),
    dayOfMonth: z.number().int().min(1, 'Days of the month are 1 to 31.').max(31, 'Days of the month are 1 to 31.').optional(),
    startDate: isoDate,
    endDate: z
      .string()
      .optional()
      .refine((s) => s === undefined || s === '' || isIsoDate(s), { message: 'Enter a date as YYYY-MM-DD.' })
      .transform((s) => (s ? s : undefined)),
    receiptEmail: optionalEmail,
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.amountMode === 'fixed' && v.amount === undefined) ctx.addIssue({ code: 'custom', path: ['amount'], message: 'Enter the amount.' });
    if (v.frequency === 'day_of_month' && v.dayOfMonth === undefined) ctx.addIssue({ code: 'custom', path: ['dayOfMonth'], message: 'Choose the day of the month.' });
    if (v.endDate && v.endDate < v.startDate) ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'The end date is before the start date.' });
  });

const change = z.object({ recurringId: id, reason: trimmed(300, 'Reason').optional() }).strict();

export const recurringContract = {
  'recurring.create': channel<RecurringDTO>()(createRecurringInput),
  'recurring.list': channel<RecurringDTO[]>()(z.object({ accountId: id.optional(), status: z.enum(['active', 'paused', 'cancelled', 'stopped', 'ended']).optional() }).strict()),
  'recurring.get': channel<RecurringDTO>()(z.object({ recurringId: id }).strict()),
  'recurring.pause': channel<RecurringDTO>()(change),
  'recurring.resume': channel<RecurringDTO>()(change),
  'recurring.cancel': channel<RecurringDTO>()(change),
  /** Creates the payments that fell due through `throughDate` (default: a week ahead). Idempotent. */
  'recurring.run': channel<RecurringRunDTO>()(z.object({ throughDate: isoDate.optional() }).strict()),
} as const;
