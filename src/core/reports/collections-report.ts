import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { ReportCell, ReportDTO } from '../../shared/contract/reports';
import { collectionsReportFilter } from '../../shared/contract/reports';
import { SUPERVISORS } from '../../shared/roles';
import { defineQuery } from '../commands/types';
import type { Database } from '../db/schema';
import { METHOD_WORDS, STANDING } from './payments-report';
import { col, commonFilters, filterWords, money, sum, totalledTable, weekOf } from './report-model';

export type CollectionsFilter = z.output<typeof collectionsReportFilter>;

/** Credit transfers move money between accounts; nothing is collected by them. */
const TRANSFERS = ['transfer_in', 'transfer_out'];

/**
 * Money collected per day, week or month: payments received, less returned payments (NSF, stop
 * payment) and refunds given back, by the business date each was recorded on.
 */
export async function collectionsReport(db: Kysely<Database>, f: CollectionsFilter): Promise<ReportDTO> {
  const every = f.every ?? 'day';
  const bucket = (d: string) => (every === 'month' ? d.slice(0, 7) : every === 'week' ? weekOf(d) : d);
  let pq = db
    .selectFrom('payments')
    .select(['payment_date as date', 'amount_cents', 'kind'])
    .where('status', 'in', [...STANDING])
    .where('kind', 'not in', TRANSFERS);
  pq = commonFilters(pq, { date: 'payment_date', division: 'division_id' }, f);
  if (f.method) pq = pq.where('method', '=', f.method);
  let rq = db.selectFrom('refunds').innerJoin('accounts', 'accounts.id', 'refunds.account_id').select(['refunds.refund_date as date', 'refunds.amount_cents']);
  rq = commonFilters(rq, { date: 'refunds.refund_date', division: 'accounts.division_id' }, f);
  if (f.method) rq = rq.where('refunds.method', '=', f.method);
  const [payments, refunds] = await Promise.all([pq.execute(), rq.execute()]);

  const per = new Map<string, { count: number; received: number; returned: number; refunded: number }>();
  const at = (d: string) => {
    const k = bucket(d);
    let p = per.get(k);
    if (!p) per.set(k, (p = { count: 0, received: 0, returned: 0, refunded: 0 }));
    return p;
  };
  for (const p of payments) {
    const cents = Number(p.amount_cents);
    const b = at(p.date);
    if (cents < 0) b.returned += cents;
    else {
      b.received += cents;
      b.count++;
    }
  }
  for (const r of refunds) at(r.date).refunded -= Number(r.amount_cents);
  const periods = [...per.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => ({ key: k, ...v, net: v.received + v.returned + v.refunded }));
  const label = every === 'month' ? 'Month' : every === 'week' ? 'Week of' : 'Day';
  const columns = [col('period', label, every === 'month' ? 'text' : 'date'), col('count', 'Payments', 'count'), col('received', 'Received', 'money'), col('returned', 'Returned', 'money'), col('refunded', 'Refunded', 'money'), col('net', 'Net collected', 'money')];
  const cells: ReportCell[][] = periods.map((p) => [p.key, p.count, p.received, p.returned, p.refunded, p.net]);
  return {
    report: 'collections',
    title: 'Collections over time',
    filterText: await filterWords(db, f, [f.method ? METHOD_WORDS[f.method] : 'All methods', `Per ${every}`]),
    scopeNote: null,
    totals: [
      money('Received', sum(periods, (p) => p.received)),
      money('Returned and refunded', sum(periods, (p) => p.returned + p.refunded)),
      money('Net collected', sum(periods, (p) => p.net)),
    ],
    tables: [totalledTable('collections', `Collected per ${every}`, columns, cells)],
    chart: { title: `Net collected per ${every}`, kind: 'line', xLabel: label, points: periods.map((p) => ({ label: p.key, cents: p.net, count: p.count })) },
    truncated: false,
  };
}

export const collectionsReportQuery = defineQuery({
  name: 'reports.collections',
  roles: SUPERVISORS,
  input: collectionsReportFilter,
  run: ({ db }, f) => collectionsReport(db, f),
});
