import { z } from 'zod';
import { channel } from './define';
import type { AgingFigures } from './periods';
import type { PaymentMethod } from './dto';
import type { FileDownloadDTO } from './imports';
import { id, isoDate } from './fields';

/** One line of the Home page's "Needs your attention" list; `page` is where to fix it. */
export interface AttentionItemDTO {
  kind: 'undeposited' | 'stale-deposit' | 'notification-errors';
  count: number;
  amountCents: number | null;
  text: string;
}

/** The Home page: the business day at a glance for the signed-in user's role. */
export interface HomeSummaryDTO {
  date: string;
  payments: { count: number; totalCents: number; mine: number; byMethod: { method: PaymentMethod; count: number; totalCents: number }[] };
  openDeposits: { id: string; number: string; depositDate: string; divisionName: string; payments: number; totalCents: number }[] | null;
  attention: AttentionItemDTO[];
  /** Supervisors and Admins only (null for CSRs, who do not see aging). */
  aging: AgingFigures | null;
}

/** One audit entry in plain language: who did what to which record, and each field before/after. */
export interface ReadableAuditDTO {
  seq: number;
  at: string;
  userName: string | null;
  action: string;
  entity: string;
  record: string | null;
  description: string;
  changes: { field: string; before: string | null; after: string | null }[];
}

const auditFilter = {
  userId: id.optional(),
  action: z.string().trim().max(60).optional(),
  entity: z.string().trim().max(60).optional(),
  /** Matches the record's id or its human number (DEP-…, PMT-…, an account number) anywhere in the entry. */
  record: z.string().trim().max(80).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
};

export const reportsContract = {
  'reports.audit': channel<{ rows: ReadableAuditDTO[]; actions: string[]; entities: string[] }>()(
    z.object({ ...auditFilter, limit: z.number().int().min(1).max(2000).optional() }).strict(),
  ),
  'reports.auditExport': channel<FileDownloadDTO>()(z.object({ ...auditFilter, format: z.enum(['csv', 'xlsx']) }).strict()),
  'reports.home': channel<HomeSummaryDTO>()(z.object({ date: isoDate.optional(), divisionId: id.nullable().optional() }).strict()),
} as const;
