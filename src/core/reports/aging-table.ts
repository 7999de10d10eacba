import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { AgingBucketLabels, AgingBuckets } from '../../shared/contract/periods';
import type { ReportCell, ReportDTO } from '../../shared/contract/reports';
import { agingReportFilter } from '../../shared/contract/reports';
import { SUPERVISORS } from '../../shared/roles';
import { defineQuery } from '../commands/types';
import type { Database } from '../db/schema';
import { agingAccounts, agingReport } from './aging';
import { businessToday } from './report-access';
import { col, filterWords, table, totalRow } from './report-model';

export type AgingFilter = z.output<typeof agingReportFilter>;

/** A/R aging as a printable, exportable report: by division, then every account with its balance. */
export async function agingTable(db: Kysely<Database>, asOf: string, divisionId: string | null | undefined): Promise<ReportDTO> {
  const r = await agingReport(db, asOf, divisionId);
  const acc = await agingAccounts(db, asOf, { divisionId, limit: 100_000 });
  const figures = [...AgingBuckets.map((b) => col(b, AgingBucketLabels[b], 'money')), col('unapplied', 'Unapplied', 'money'), col('total', 'Total (balances)', 'money')];
  const divCols = [col('division', 'Division'), ...figures, col('accounts', 'Accounts', 'count')];
  const divRows: ReportCell[][] = r.divisions.map((d) => [d.divisionName, ...AgingBuckets.map((b) => d[b]), d.unapplied, d.total, d.accounts]);
  const accCols = [col('account', 'Account'), col('name', 'Name'), col('division', 'Division'), ...figures];
  const accRows: ReportCell[][] = [...acc.rows]
    .sort((a, b) => (a.accountNumber < b.accountNumber ? -1 : 1))
    .map((a) => [a.accountNumber, a.accountName, a.divisionName, ...AgingBuckets.map((b) => a[b]), a.unapplied, a.total]);
  return {
    report: 'aging',
    title: 'A/R Aging',
    filterText: await filterWords(db, { asOf, divisionId }),
    scopeNote: null,
    totals: [
      { label: 'Total (sum of balances)', value: r.total.total, type: 'money' },
      { label: 'Accounts', value: r.total.accounts, type: 'count' },
    ],
    tables: [table('divisions', 'Aging by division', divCols, divRows, totalRow(divCols, divRows)), table('accounts', 'Accounts', accCols, accRows, totalRow(accCols, accRows))],
    chart: { title: 'Open amounts by days past due', kind: 'bar', xLabel: 'Days past due', points: AgingBuckets.map((b) => ({ label: AgingBucketLabels[b], cents: r.total[b], count: 0 })) },
    truncated: false,
  };
}

export const agingTableQuery = defineQuery({
  name: 'reports.agingTable',
  roles: SUPERVISORS,
  input: agingReportFilter,
  run: async ({ db, clock }, f) => agingTable(db, f.asOf ?? (await businessToday(db, clock)), f.divisionId),
});
