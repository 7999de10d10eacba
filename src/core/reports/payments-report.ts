import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { ReportDTO } from '../../shared/contract/reports';
import { PaymentMethodLabels } from '../../shared/contract/payment-methods';
import { paymentsReportFilter } from '../../shared/contract/reports';
import { daysBetween } from '../../shared/dates';
import { ANY_ROLE, SUPERVISORS, type Role } from '../../shared/roles';
import { defineQuery } from '../commands/types';
import type { Database } from '../db/schema';
import { businessToday, CSR_PAYMENTS_SCOPE } from './report-access';
import { col, commonFilters, count, filterWords, firstRows, groupTotals, money, sum, totalledTable, weekOf } from './report-model';

export type PaymentsFilter = z.output<typeof paymentsReportFilter>;

export const METHOD_WORDS = PaymentMethodLabels;
const STATUS_WORDS: Record<string, string> = {
  standing: 'Received (pending or deposited)',
  pending: 'Pending',
  deposited: 'Deposited',
  on_hold: 'On hold',
  scheduled: 'Scheduled',
  cancelled: 'Cancelled',
  voided: 'Voided',
};
/** Money received and still standing: what "payments" means unless a status is chosen. */
export const STANDING = ['pending', 'deposited'] as const;

/** The payments matching a filter, as rows; shared with the ledger tie-out test. */
export function paymentsQuery(db: Kysely<Database>, f: PaymentsFilter) {
  let q = db
    .selectFrom('payments')
    .innerJoin('accounts', 'accounts.id', 'payments.account_id')
    .innerJoin('divisions', 'divisions.id', 'payments.division_id')
    .leftJoin('users', 'users.id', 'payments.created_by')
    .leftJoin('deposits', 'deposits.id', 'payments.deposit_id')
    .select([
      'payments.id',
      'payments.payment_date',
      'payments.reference',
      'accounts.account_number',
      'accounts.name as account_name',
      'divisions.name as division_name',
      'payments.method',
      'payments.check_number',
      'payments.status',
      'payments.kind',
      'payments.created_by',
      'users.display_name as user_name',
      'deposits.number as deposit_number',
      'payments.amount_cents',
    ]);
  q = commonFilters(q, { date: 'payments.payment_date', division: 'payments.division_id', user: 'payments.created_by' }, f);
  if (f.method) q = q.where('payments.method', '=', f.method);
  const status = f.status ?? 'standing';
  q = status === 'standing' ? q.where('payments.status', 'in', [...STANDING]) : q.where('payments.status', '=', status);
  return q.orderBy('payments.payment_date').orderBy('payments.created_at').orderBy('payments.id');
}

/** What a role may see of the payments report: a CSR only their own payments of the business day. */
export async function scopePayments(db: Kysely<Database>, f: PaymentsFilter, actor: { userId: string; role: Role }, today: () => Promise<string>): Promise<{ filter: PaymentsFilter; scopeNote: string | null }> {
  if (SUPERVISORS.includes(actor.role)) return { filter: f, scopeNote: null };
  const day = await today();
  return { filter: { ...f, userId: actor.userId, from: day, to: day }, scopeNote: CSR_PAYMENTS_SCOPE };
}

export async function paymentsReport(db: Kysely<Database>, f: PaymentsFilter, scopeNote: string | null = null): Promise<ReportDTO> {
  const page = await firstRows(paymentsQuery(db, f));
  const truncated = page.truncated;
  const rows = page.rows.map((p) => ({ ...p, amount_cents: Number(p.amount_cents) }));
  const columns = [
    col('date', 'Date', 'date'),
    col('reference', 'Reference'),
    col('account', 'Account'),
    col('payer', 'Payer'),
    col('division', 'Division'),
    col('method', 'Method'),
    col('check', 'Check no.'),
    col('status', 'Status'),
    col('user', 'Entered by'),
    col('deposit', 'Deposit'),
    col('amount', 'Amount', 'money'),
  ];
  const cells = rows.map((p) => [
    p.payment_date,
    p.reference,
    p.account_number,
    p.account_name,
    p.division_name,
    METHOD_WORDS[p.method],
    p.check_number,
    STATUS_WORDS[p.status] ?? p.status,
    p.user_name,
    p.deposit_number,
    p.amount_cents,
  ]);
  const groupCols = (first: string) => [col('key', first), col('count', 'Payments', 'count'), col('amount', 'Amount', 'money')];
  const byMethod = groupTotals(rows, (p) => METHOD_WORDS[p.method], (p) => p.amount_cents).map((g) => [g.key, g.count, g.cents]);
  const byUser = groupTotals(rows, (p) => p.user_name ?? 'Unknown user', (p) => p.amount_cents)
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((g) => [g.key, g.count, g.cents]);
  // Per day for a month or two; per week beyond, so the bars stay readable.
  const first = rows[0]?.payment_date;
  const last = rows[rows.length - 1]?.payment_date;
  const weekly = !!first && !!last && daysBetween(first, last) > 62;
  const perPeriod = groupTotals(rows, (p) => (weekly ? weekOf(p.payment_date) : p.payment_date), (p) => p.amount_cents);
  const total = sum(rows, (p) => p.amount_cents);
  return {
    report: 'payments',
    title: 'Payments',
    filterText: await filterWords(db, f, [f.method ? METHOD_WORDS[f.method] : 'All methods', STATUS_WORDS[f.status ?? 'standing']]),
    scopeNote,
    totals: [
      count('Payments', rows.length),
      money('Amount', total),
    ],
    tables: [
      totalledTable('payments', 'Payments', columns, cells),
      totalledTable('by-method', 'Totals by method', groupCols('Method'), byMethod),
      totalledTable('by-user', 'Totals by user', groupCols('Entered by'), byUser),
    ],
    chart: { title: weekly ? 'Payments per week' : 'Payments per day', kind: 'bar', xLabel: weekly ? 'Week of' : 'Day', points: perPeriod.map((g) => ({ label: g.key, cents: g.cents, count: g.count })) },
    truncated,
  };
}

export const paymentsReportQuery = defineQuery({
  name: 'reports.payments',
  roles: ANY_ROLE,
  input: paymentsReportFilter,
  run: async ({ db, clock, actor }, f) => {
    const s = await scopePayments(db, f, actor, () => businessToday(db, clock));
    return paymentsReport(db, s.filter, s.scopeNote);
  },
});
