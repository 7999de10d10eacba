import { z } from 'zod';
import { channel } from './define';
import type { AgingFigures } from './periods';
import type { PaymentMethod } from './dto';
import type { FileDownloadDTO } from './imports';
import { id, isoDate } from './fields';
import { PaymentMethods } from './payments';
import { CreditKinds } from './credits';
import { ImportKinds } from './imports';

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

/** The office's reports (issue 14 item 3). Which of them a role may open is decided in core. */
export const ReportNames = ['payments', 'deposits', 'reversals', 'credits', 'uploads', 'aging', 'collections'] as const;
export type ReportName = (typeof ReportNames)[number];

export type ReportCell = string | number | null;
/** `money` cells are integer cents; exports turn them into dollars, the screen formats them. */
export type ReportColumnType = 'text' | 'money' | 'count' | 'date' | 'datetime';
export interface ReportColumnDTO {
  key: string;
  label: string;
  type: ReportColumnType;
}
/** One table of a report: its rows and, when it has one, a total row (same columns). */
export interface ReportTableDTO {
  key: string;
  title: string;
  columns: ReportColumnDTO[];
  rows: ReportCell[][];
  total: ReportCell[] | null;
}
/** A chart for people who look rather than read; `points` are also shown as a table. */
export interface ReportChartDTO {
  title: string;
  kind: 'bar' | 'line';
  xLabel: string;
  points: { label: string; cents: number; count: number }[];
}
/** A report as the screen, the printout and the exported file show it (one shape for all three). */
export interface ReportDTO {
  report: ReportName;
  title: string;
  /** The filters in words ("1 Nov 2026 – 29 Nov 2026 · North Clinic · Check"), printed under the title. */
  filterText: string;
  /** What the signed-in role sees of it, when not everything ("CSRs see only their own payments, today"). */
  scopeNote: string | null;
  totals: { label: string; value: number; type: 'money' | 'count' }[];
  tables: ReportTableDTO[];
  chart: ReportChartDTO | null;
  /** More rows matched than a report shows; narrow the filters. */
  truncated: boolean;
}

const dateRange = {
  from: isoDate.optional(),
  to: isoDate.optional(),
  divisionId: id.nullable().optional(),
};
const rangeOrder = <T extends { from?: string; to?: string }>(v: T, ctx: z.RefinementCtx) => {
  if (v.from && v.to && v.from > v.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'The end date is before the start date.' });
};
export const PaymentReportStatuses = ['standing', 'pending', 'deposited', 'on_hold', 'scheduled', 'cancelled', 'voided'] as const;
export const paymentsReportFilter = z
  .object({ ...dateRange, method: z.enum(PaymentMethods).optional(), userId: id.optional(), status: z.enum(PaymentReportStatuses).optional() })
  .strict()
  .superRefine(rangeOrder);
export const depositsReportFilter = z
  .object({ ...dateRange, status: z.enum(['open', 'closed']).optional() })
  .strict()
  .superRefine(rangeOrder);
export const ReversalKinds = ['refund', 'void', 'cancel', 'return'] as const;
export const reversalsReportFilter = z
  .object({ ...dateRange, userId: id.optional(), kind: z.enum(ReversalKinds).optional() })
  .strict()
  .superRefine(rangeOrder);
export const creditsReportFilter = z
  .object({ ...dateRange, userId: id.optional(), kind: z.enum(CreditKinds).optional() })
  .strict()
  .superRefine(rangeOrder);
export const uploadsReportFilter = z
  .object({ ...dateRange, userId: id.optional(), kind: z.enum(ImportKinds).optional() })
  .strict()
  .superRefine(rangeOrder);
export const agingReportFilter = z.object({ asOf: isoDate.optional(), divisionId: id.nullable().optional() }).strict();
export const CollectionIntervals = ['day', 'week', 'month'] as const;
export const collectionsReportFilter = z
  .object({ ...dateRange, method: z.enum(PaymentMethods).optional(), every: z.enum(CollectionIntervals).optional() })
  .strict()
  .superRefine(rangeOrder);

const exportFormat = z.enum(['csv', 'xlsx']);
export const reportExportInput = z.discriminatedUnion('report', [
  z.object({ report: z.literal('payments'), filter: paymentsReportFilter, format: exportFormat }).strict(),
  z.object({ report: z.literal('deposits'), filter: depositsReportFilter, format: exportFormat }).strict(),
  z.object({ report: z.literal('reversals'), filter: reversalsReportFilter, format: exportFormat }).strict(),
  z.object({ report: z.literal('credits'), filter: creditsReportFilter, format: exportFormat }).strict(),
  z.object({ report: z.literal('uploads'), filter: uploadsReportFilter, format: exportFormat }).strict(),
  z.object({ report: z.literal('aging'), filter: agingReportFilter, format: exportFormat }).strict(),
  z.object({ report: z.literal('collections'), filter: collectionsReportFilter, format: exportFormat }).strict(),
]);

/** The reports the signed-in role may open, and the people its user filter offers. */
export interface ReportCatalogDTO {
  reports: { name: ReportName; title: string; description: string; scopeNote: string | null }[];
  users: { id: string; name: string }[];
}

export const reportsContract = {
  'reports.catalog': channel<ReportCatalogDTO>()(z.object({}).strict()),
  'reports.payments': channel<ReportDTO>()(paymentsReportFilter),
  'reports.deposits': channel<ReportDTO>()(depositsReportFilter),
  'reports.reversals': channel<ReportDTO>()(reversalsReportFilter),
  'reports.credits': channel<ReportDTO>()(creditsReportFilter),
  'reports.uploads': channel<ReportDTO>()(uploadsReportFilter),
  'reports.agingTable': channel<ReportDTO>()(agingReportFilter),
  'reports.collections': channel<ReportDTO>()(collectionsReportFilter),
  'reports.export': channel<FileDownloadDTO>()(reportExportInput),
  'reports.audit': channel<{ rows: ReadableAuditDTO[]; actions: string[]; entities: string[] }>()(
    z.object({ ...auditFilter, limit: z.number().int().min(1).max(2000).optional() }).strict(),
  ),
  'reports.auditExport': channel<FileDownloadDTO>()(z.object({ ...auditFilter, format: z.enum(['csv', 'xlsx']) }).strict()),
  'reports.home': channel<HomeSummaryDTO>()(z.object({ date: isoDate.optional(), divisionId: id.nullable().optional() }).strict()),
} as const;
