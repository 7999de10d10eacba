import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { ImportChangeDTO } from '../../shared/contract/imports';
import type { ReportCell, ReportDTO } from '../../shared/contract/reports';
import { uploadsReportFilter } from '../../shared/contract/reports';
import { SUPERVISORS } from '../../shared/roles';
import { defineQuery } from '../commands/types';
import type { Database } from '../db/schema';
import { officeDays } from '../commands/office-days';
import { col, commonFilters, count, filterWords, firstRows, money, sum, totalledTable } from './report-model';

export type UploadsFilter = z.output<typeof uploadsReportFilter>;


/**
 * Balance and bill files imported: who, when, how many rows, what they changed and by how much
 * (the net change to balances: a file's new balances less the old ones, its new invoices' totals).
 */
export async function uploadsReport(db: Kysely<Database>, f: UploadsFilter): Promise<ReportDTO> {
  let q = db
    .selectFrom('uploads')
    .leftJoin('divisions', 'divisions.id', 'uploads.division_id')
    .leftJoin('users', 'users.id', 'uploads.uploaded_by')
    .selectAll('uploads')
    .select(['divisions.name as division', 'users.display_name as user']);
  // `uploaded_at` is an instant: the range is the office's days, bounded in its zone.
  q = commonFilters(q, { date: 'uploads.uploaded_at', instantDays: await officeDays(db), division: 'uploads.division_id', user: 'uploads.uploaded_by' }, f);
  if (f.kind) q = q.where('uploads.kind', '=', f.kind);
  const page = await firstRows(q.orderBy('uploads.uploaded_at').orderBy('uploads.id'));
  const truncated = page.truncated;
  const rows = page.rows.map((u) => {
    const changes = ((JSON.parse(u.result_json) as { changes?: ImportChangeDTO[] }).changes ?? []).filter((c) => c.action !== 'unchanged' && c.action !== 'invoice-unchanged');
    const netCents = sum(changes, (c) => Number(c.newCents) - Number(c.oldCents));
    const result = Number(u.errors) > 0 ? `${u.errors} row${Number(u.errors) === 1 ? '' : 's'} refused` : Number(u.warnings) > 0 ? `Applied with ${u.warnings} warning${Number(u.warnings) === 1 ? '' : 's'}` : 'Applied';
    return { ...u, netCents, result };
  });
  const columns = [
    col('when', 'Uploaded', 'datetime'),
    col('file', 'File'),
    col('kind', 'Kind'),
    col('division', 'Division'),
    col('user', 'Who'),
    col('rows', 'Rows read', 'count'),
    col('updated', 'Accounts updated', 'count'),
    col('created', 'Accounts created', 'count'),
    col('invoices', 'Invoices new or replaced', 'count'),
    col('warnings', 'Warnings', 'count'),
    col('errors', 'Errors', 'count'),
    col('result', 'Result'),
    col('net', 'Net change to balances', 'money'),
  ];
  const cells: ReportCell[][] = rows.map((u) => [
    u.uploaded_at,
    u.file_name,
    u.kind === 'balance' ? 'Balance file' : 'Bill file',
    u.division ?? 'From the file',
    u.user,
    Number(u.rows_read),
    Number(u.accounts_updated),
    Number(u.accounts_created),
    Number(u.invoices_created) + Number(u.invoices_replaced),
    Number(u.warnings),
    Number(u.errors),
    u.result,
    u.netCents,
  ]);
  return {
    report: 'uploads',
    title: 'Uploads',
    filterText: await filterWords(db, f, [f.kind === 'balance' ? 'Balance files' : f.kind === 'bill' ? 'Bill files' : 'Balance and bill files']),
    scopeNote: null,
    totals: [
      count('Files', rows.length),
      count('Rows read', sum(rows, (u) => Number(u.rows_read))),
      money('Net change to balances', sum(rows, (u) => u.netCents)),
    ],
    tables: [totalledTable('uploads', 'Files imported', columns, cells)],
    chart: null,
    truncated,
  };
}

export const uploadsReportQuery = defineQuery({
  name: 'reports.uploads',
  roles: SUPERVISORS,
  input: uploadsReportFilter,
  run: ({ db }, f) => uploadsReport(db, f),
});
