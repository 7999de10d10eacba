import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { CreditKindLabels, type CreditKind } from '../../shared/contract/credits';
import type { ReportCell, ReportDTO } from '../../shared/contract/reports';
import { creditsReportFilter } from '../../shared/contract/reports';
import { SUPERVISORS } from '../../shared/roles';
import { defineQuery } from '../commands/types';
import type { Database } from '../db/schema';
import { col, commonFilters, filterWords, firstRows, money, sum, totalledTable } from './report-model';

export type CreditsFilter = z.output<typeof creditsReportFilter>;

/**
 * Credits posted and applied; gift cards and prepayments issued and redeemed (applied to charges).
 * Standing credits are the ones on the books; reversed and replaced ones are listed apart, with why.
 */
export async function creditsReport(db: Kysely<Database>, f: CreditsFilter): Promise<ReportDTO> {
  let q = db
    .selectFrom('credits')
    .innerJoin('accounts', 'accounts.id', 'credits.account_id')
    .innerJoin('divisions', 'divisions.id', 'credits.division_id')
    .leftJoin('credit_items', 'credit_items.id', 'credits.credit_item_id')
    .leftJoin('users', 'users.id', 'credits.created_by')
    .select([
      'credits.credit_date',
      'credits.kind',
      'credit_items.name as item',
      'credits.classification',
      'accounts.account_number',
      'accounts.name as account_name',
      'divisions.name as division',
      'users.display_name as user',
      'credits.status',
      'credits.reversal_reason',
      'credits.amount_cents',
      'credits.open_cents',
    ]);
  q = commonFilters(q, { date: 'credits.credit_date', division: 'credits.division_id', user: 'credits.created_by' }, f);
  if (f.kind) q = q.where('credits.kind', '=', f.kind);
  const page = await firstRows(q.orderBy('credits.credit_date').orderBy('credits.created_at').orderBy('credits.id'));
  const truncated = page.truncated;
  const rows = page.rows.map((c) => ({ ...c, amount: Number(c.amount_cents), open: Number(c.open_cents) }));
  const standing = rows.filter((c) => c.status === 'active');
  const gone = rows.filter((c) => c.status !== 'active');
  const what = (c: (typeof rows)[number]) => c.item ?? c.classification ?? '';

  const columns = [
    col('date', 'Date', 'date'),
    col('kind', 'Kind'),
    col('item', 'Item or classification'),
    col('account', 'Account'),
    col('payer', 'Payer'),
    col('division', 'Division'),
    col('user', 'Posted by'),
    col('amount', 'Posted', 'money'),
    col('applied', 'Applied (redeemed)', 'money'),
    col('open', 'Not yet applied', 'money'),
  ];
  const cells: ReportCell[][] = standing.map((c) => [c.credit_date, CreditKindLabels[c.kind], what(c), c.account_number, c.account_name, c.division, c.user, c.amount, c.amount - c.open, c.open]);
  const kindCols = [col('kind', 'Kind'), col('count', 'Count', 'count'), col('amount', 'Posted (issued)', 'money'), col('applied', 'Applied (redeemed)', 'money'), col('open', 'Not yet applied', 'money')];
  const kinds = (['credit', 'gift_card', 'prepayment'] as CreditKind[]).filter((k) => standing.some((c) => c.kind === k));
  const byKind: ReportCell[][] = kinds.map((k) => {
    const xs = standing.filter((c) => c.kind === k);
    return [CreditKindLabels[k], xs.length, sum(xs, (c) => c.amount), sum(xs, (c) => c.amount - c.open), sum(xs, (c) => c.open)];
  });
  const goneCols = [col('date', 'Date', 'date'), col('kind', 'Kind'), col('account', 'Account'), col('status', 'Status'), col('reason', 'Reason'), col('amount', 'Amount', 'money')];
  const goneCells: ReportCell[][] = gone.map((c) => [c.credit_date, CreditKindLabels[c.kind], c.account_number, c.status === 'replaced' ? 'Replaced (corrected)' : 'Reversed', c.reversal_reason, c.amount]);
  const gifts = standing.filter((c) => c.kind !== 'credit');
  return {
    report: 'credits',
    title: 'Credits and gift cards',
    filterText: await filterWords(db, f, [f.kind ? CreditKindLabels[f.kind] : 'Credits, gift cards and prepayments']),
    scopeNote: null,
    totals: [
      money('Credits posted', sum(standing.filter((c) => c.kind === 'credit'), (c) => c.amount)),
      money('Credits applied', sum(standing.filter((c) => c.kind === 'credit'), (c) => c.amount - c.open)),
      money('Gift cards and prepayments issued', sum(gifts, (c) => c.amount)),
      money('Gift cards and prepayments redeemed', sum(gifts, (c) => c.amount - c.open)),
    ],
    tables: [
      totalledTable('credits', 'Credits, gift cards and prepayments', columns, cells),
      totalledTable('by-kind', 'Totals by kind', kindCols, byKind),
      totalledTable('reversed', 'Reversed or replaced', goneCols, goneCells),
    ],
    chart: null,
    truncated,
  };
}

export const creditsReportQuery = defineQuery({
  name: 'reports.credits',
  roles: SUPERVISORS,
  input: creditsReportFilter,
  run: ({ db }, f) => creditsReport(db, f),
});
