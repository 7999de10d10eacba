import { z } from 'zod';
import { channel } from './define';
import type { AuditEntryDTO } from './dto';
import { id, isoDate, required } from './fields';

/** Month close and the reports supervisors check before it. */

export interface PeriodDTO {
  /** 'YYYY-MM' */
  period: string;
  status: 'open' | 'closed';
  firstClosedAt: string | null;
  closedAt: string | null;
  closedBy: string | null;
  reopenedAt: string | null;
  reopenedBy: string | null;
  reopenReason: string | null;
  openDeposits: number;
  /** Changes made to records of this month after it was first closed. */
  changesAfterClose: number;
}

export interface ClosePreviewDTO {
  period: string;
  status: 'open' | 'closed';
  /** Open deposits dated in the month: they block the close (complete or move them first). */
  openDeposits: { id: string; number: string; depositDate: string; divisionName: string; paymentCount: number; totalCents: number; /** Never held a payment: it does not block, and closing deletes it (audited). */ empty: boolean }[];
  /** Payments dated in the month that are in no deposit yet. */
  pendingPayments: { id: string; reference: string; paymentDate: string; accountNumber: string; accountName: string; amountCents: number }[];
  /** Payments dated in the month with part of them not applied to any charge (a credit, or a return not yet applied). */
  unappliedPayments: { id: string; reference: string; paymentDate: string; accountNumber: string; accountName: string; amountCents: number; unappliedCents: number }[];
  canClose: boolean;
  blockers: string[];
}

export const AgingBuckets = ['current', 'd1_30', 'd31_60', 'd61_90', 'd90plus'] as const;
export type AgingBucket = (typeof AgingBuckets)[number];
export const AgingBucketLabels: Record<AgingBucket, string> = {
  current: 'Current',
  d1_30: '1–30 days',
  d31_60: '31–60 days',
  d61_90: '61–90 days',
  d90plus: '90+ days',
};

/**
 * `unapplied` is money on the accounts not yet applied to a charge (payments, credits), as a
 * negative amount: total = the buckets + unapplied, which is the sum of the accounts' balances.
 */
export type AgingFigures = Record<AgingBucket, number> & { unapplied: number; total: number; accounts: number };

export interface AgingReportDTO {
  asOf: string;
  divisions: ({ divisionId: string; divisionName: string } & AgingFigures)[];
  total: AgingFigures;
}

export interface AgingAccountDTO extends Record<AgingBucket, number> {
  accountId: string;
  accountNumber: string;
  accountName: string;
  divisionName: string;
  /** Money on the account not yet applied, negative; total = buckets + unapplied = the balance. */
  unapplied: number;
  total: number;
}

export interface AfterCloseChangeDTO extends AuditEntryDTO {
  /** The business date of the changed record (payment, deposit or invoice date). */
  recordDate: string | null;
}

const period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'Enter a month as YYYY-MM.' });

export const periodsContract = {
  'periods.list': channel<PeriodDTO[]>()(z.object({}).strict()),
  'periods.closePreview': channel<ClosePreviewDTO>()(z.object({ period }).strict()),
  'periods.close': channel<PeriodDTO>()(z.object({ period }).strict()),
  'periods.reopen': channel<PeriodDTO>()(z.object({ period, reason: required(300, 'Reason') }).strict()),
  'reports.aging': channel<AgingReportDTO>()(z.object({ asOf: isoDate.optional(), divisionId: id.nullable().optional() }).strict()),
  'reports.agingAccounts': channel<{ rows: AgingAccountDTO[]; totalAccounts: number }>()(
    z
      .object({
        asOf: isoDate.optional(),
        divisionId: id.nullable().optional(),
        bucket: z.enum(AgingBuckets).optional(),
        limit: z.number().int().min(1).max(5000).optional(),
      })
      .strict(),
  ),
  'reports.afterClose': channel<{ period: string; firstClosedAt: string | null; changes: AfterCloseChangeDTO[] }>()(z.object({ period }).strict()),
} as const;
