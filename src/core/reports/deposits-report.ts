import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { ReportCell, ReportDTO } from '../../shared/contract/reports';
import { depositsReportFilter } from '../../shared/contract/reports';
import { SUPERVISORS } from '../../shared/roles';
import { defineQuery } from '../commands/types';
import type { Database } from '../db/schema';
import { listDeposits, loadDepositDetail } from '../deposits/deposit-views';
import { col, count, filterWords, money, sum, totalledTable } from './report-model';

export type DepositsFilter = z.output<typeof depositsReportFilter>;

/** More deposits than this in one report is a year of a busy office: narrow the dates. */
const DEPOSIT_LIMIT = 1000;

/**
 * Daily cash: each deposit with its checks (number, payer, amount) and cash, open or closed. The
 * figures are the deposit slip's (deposits/deposit-views.ts), so the report and the slip agree.
 */
export async function depositsReport(db: Kysely<Database>, f: DepositsFilter): Promise<ReportDTO> {
  const list = await listDeposits(db, { ...f, limit: DEPOSIT_LIMIT + 1 });
  const truncated = list.length > DEPOSIT_LIMIT;
  const deposits = [];
  // Oldest first, as a cash book reads.
  for (const d of list.slice(0, DEPOSIT_LIMIT).reverse()) deposits.push(await loadDepositDetail(db, d.id));

  const depCols = [
    col('number', 'Deposit'),
    col('date', 'Date', 'date'),
    col('division', 'Division'),
    col('status', 'Status'),
    col('checks', 'Checks', 'count'),
    col('checkTotal', 'Checks amount', 'money'),
    col('cashCount', 'Cash payments', 'count'),
    col('cash', 'Cash', 'money'),
    col('electronic', 'Card and ACH', 'money'),
    col('other', 'Returns and transfers', 'money'),
    col('total', 'Deposit total', 'money'),
  ];
  const depRows: ReportCell[][] = deposits.map((d) => [
    d.number,
    d.depositDate,
    d.divisionName,
    d.status === 'open' ? 'Open' : 'Closed',
    d.slip.checks.length,
    d.slip.checkTotalCents,
    d.slip.cashCount,
    d.slip.cashTotalCents,
    d.slip.electronicTotalCents,
    d.slip.returnsTotalCents + d.slip.transfersNetCents,
    d.slip.grandTotalCents,
  ]);
  const checkCols = [col('deposit', 'Deposit'), col('date', 'Date', 'date'), col('check', 'Check no.'), col('account', 'Account'), col('payer', 'Payer'), col('reference', 'Reference'), col('amount', 'Amount', 'money')];
  const checkRows: ReportCell[][] = deposits.flatMap((d) => d.slip.checks.map((c) => [d.number, d.depositDate, c.checkNumber, c.accountNumber, c.accountName, c.reference, c.amountCents]));
  const cashCols = [col('deposit', 'Deposit'), col('date', 'Date', 'date'), col('count', 'Cash payments', 'count'), col('amount', 'Cash', 'money')];
  const cashRows: ReportCell[][] = deposits.filter((d) => d.slip.cashCount > 0).map((d) => [d.number, d.depositDate, d.slip.cashCount, d.slip.cashTotalCents]);
  return {
    report: 'deposits',
    title: 'Deposits (daily cash)',
    filterText: await filterWords(db, f, [f.status === 'open' ? 'Open deposits' : f.status === 'closed' ? 'Closed deposits' : 'Open and closed']),
    scopeNote: null,
    totals: [
      count('Deposits', deposits.length),
      count('Open', deposits.filter((d) => d.status === 'open').length),
      money('Checks', sum(deposits, (d) => d.slip.checkTotalCents)),
      money('Cash', sum(deposits, (d) => d.slip.cashTotalCents)),
      money('Total deposited', sum(deposits, (d) => d.slip.grandTotalCents)),
    ],
    tables: [
      totalledTable('deposits', 'Deposits', depCols, depRows),
      totalledTable('checks', 'Checks', checkCols, checkRows),
      totalledTable('cash', 'Cash', cashCols, cashRows),
    ],
    chart: null,
    truncated,
  };
}

export const depositsReportQuery = defineQuery({
  name: 'reports.deposits',
  roles: SUPERVISORS,
  input: depositsReportFilter,
  run: ({ db }, f) => depositsReport(db, f),
});
