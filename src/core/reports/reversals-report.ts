import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { ReportCell, ReportDTO } from '../../shared/contract/reports';
import { reversalsReportFilter } from '../../shared/contract/reports';
import { SUPERVISORS } from '../../shared/roles';
import { defineQuery } from '../commands/types';
import type { Database } from '../db/schema';
import { METHOD_WORDS } from './payments-report';
import { officeDays } from '../commands/office-days';
import { col, commonFilters, count, filterWords, groupTotals, money, ROW_LIMIT, sum, totalledTable } from './report-model';

export type ReversalsFilter = z.output<typeof reversalsReportFilter>;

export const REVERSAL_WORDS = { refund: 'Refund', void: 'Void (deleted payment)', cancel: 'Cancelled payment', return: 'Returned payment' } as const;

interface Reversal {
  kind: keyof typeof REVERSAL_WORDS;
  date: string;
  reference: string;
  payment: string | null;
  accountNumber: string;
  accountName: string;
  division: string;
  method: keyof typeof METHOD_WORDS;
  user: string | null;
  reason: string | null;
  /** What left the books, as a positive amount. */
  cents: number;
}

/**
 * Money given back or taken back: refunds (to the payer), payments deleted (voided) or cancelled,
 * and returned payments (NSF, stop payment), with what, when, who, why and how much.
 */
export async function reversalsReport(db: Kysely<Database>, f: ReversalsFilter): Promise<ReportDTO> {
  const want = (k: Reversal['kind']) => !f.kind || f.kind === k;
  // A void or cancel is dated by the office day it was done (its stored instant in the office's zone).
  const days = await officeDays(db);
  const out: Reversal[] = [];
  if (want('refund')) {
    let q = db
      .selectFrom('refunds')
      .innerJoin('payments', 'payments.id', 'refunds.payment_id')
      .innerJoin('accounts', 'accounts.id', 'refunds.account_id')
      .innerJoin('divisions', 'divisions.id', 'accounts.division_id')
      .leftJoin('users', 'users.id', 'refunds.created_by')
      .select(['refunds.refund_date as date', 'refunds.reference', 'payments.reference as payment', 'accounts.account_number', 'accounts.name', 'divisions.name as division', 'refunds.method', 'users.display_name as user', 'refunds.reason', 'refunds.amount_cents']);
    q = commonFilters(q, { date: 'refunds.refund_date', division: 'accounts.division_id', user: 'refunds.created_by' }, f);
    for (const r of await q.limit(ROW_LIMIT + 1).execute())
      out.push({ kind: 'refund', date: r.date, reference: r.reference, payment: r.payment, accountNumber: r.account_number, accountName: r.name, division: r.division, method: r.method, user: r.user, reason: r.reason, cents: Number(r.amount_cents) });
  }
  const payments = () =>
    db
      .selectFrom('payments')
      .innerJoin('accounts', 'accounts.id', 'payments.account_id')
      .innerJoin('divisions', 'divisions.id', 'payments.division_id')
      .leftJoin('payments as orig', 'orig.id', 'payments.related_payment_id');
  for (const [kind, status] of [['void', 'voided'], ['cancel', 'cancelled']] as const) {
    if (!want(kind)) continue;
    let q = payments()
      .leftJoin('users', 'users.id', 'payments.voided_by')
      .select(['payments.voided_at as actedAt', 'payments.reference', 'orig.reference as payment', 'accounts.account_number', 'accounts.name', 'divisions.name as division', 'payments.method', 'users.display_name as user', 'payments.void_reason as reason', 'payments.amount_cents'])
      .where('payments.status', '=', status);
    q = commonFilters(q, { date: 'payments.voided_at', instantDays: days, division: 'payments.division_id', user: 'payments.voided_by' }, f);
    for (const r of await q.limit(ROW_LIMIT + 1).execute())
      out.push({ kind, date: days.dayOf(r.actedAt!), reference: r.reference, payment: r.payment, accountNumber: r.account_number, accountName: r.name, division: r.division, method: r.method, user: r.user, reason: r.reason, cents: Math.abs(Number(r.amount_cents)) });
  }
  if (want('return')) {
    let q = payments()
      .leftJoin('users', 'users.id', 'payments.created_by')
      .select(['payments.payment_date as date', 'payments.reference', 'orig.reference as payment', 'accounts.account_number', 'accounts.name', 'divisions.name as division', 'payments.method', 'users.display_name as user', 'payments.memo as reason', 'payments.amount_cents'])
      .where('payments.kind', '=', 'return')
      .where('payments.status', 'not in', ['voided', 'cancelled']);
    q = commonFilters(q, { date: 'payments.payment_date', division: 'payments.division_id', user: 'payments.created_by' }, f);
    for (const r of await q.limit(ROW_LIMIT + 1).execute())
      out.push({ kind: 'return', date: r.date, reference: r.reference, payment: r.payment, accountNumber: r.account_number, accountName: r.name, division: r.division, method: r.method, user: r.user, reason: r.reason, cents: -Number(r.amount_cents) });
  }
  out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.reference < b.reference ? -1 : 1));
  const truncated = out.length > ROW_LIMIT;
  const rows = out.slice(0, ROW_LIMIT);
  const columns = [
    col('date', 'Date', 'date'),
    col('what', 'What'),
    col('reference', 'Reference'),
    col('payment', 'Of payment'),
    col('account', 'Account'),
    col('payer', 'Payer'),
    col('division', 'Division'),
    col('method', 'Method'),
    col('user', 'Who'),
    col('reason', 'Reason'),
    col('amount', 'Amount', 'money'),
  ];
  const cells: ReportCell[][] = rows.map((r) => [r.date, REVERSAL_WORDS[r.kind], r.reference, r.payment, r.accountNumber, r.accountName, r.division, METHOD_WORDS[r.method], r.user, r.reason, r.cents]);
  const kindCols = [col('what', 'What'), col('count', 'Count', 'count'), col('amount', 'Amount', 'money')];
  const byKind: ReportCell[][] = groupTotals(rows, (r) => REVERSAL_WORDS[r.kind], (r) => r.cents).map((g) => [g.key, g.count, g.cents]);
  return {
    report: 'reversals',
    title: 'Refunds, voids and returned payments',
    filterText: await filterWords(db, f, [f.kind ? REVERSAL_WORDS[f.kind] : 'Refunds, voids, cancellations and returns']),
    scopeNote: null,
    totals: [
      count('Items', rows.length),
      money('Amount', sum(rows, (r) => r.cents)),
    ],
    tables: [totalledTable('reversals', 'Refunds, voids and returns', columns, cells), totalledTable('by-kind', 'Totals by kind', kindCols, byKind)],
    chart: null,
    truncated,
  };
}

export const reversalsReportQuery = defineQuery({
  name: 'reports.reversals',
  roles: SUPERVISORS,
  input: reversalsReportFilter,
  run: ({ db }, f) => reversalsReport(db, f),
});
