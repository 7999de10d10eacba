import { reportsContract } from '../../shared/contract/reports';
import { fail } from '../../shared/result';
import { ANY_ROLE } from '../../shared/roles';
import { defineQuery, type QueryDef } from '../commands/types';
import { agingTable, agingTableQuery } from './aging-table';
import { collectionsReport, collectionsReportQuery } from './collections-report';
import { creditsReport, creditsReportQuery } from './credits-report';
import { depositsReport, depositsReportQuery } from './deposits-report';
import { paymentsReport, paymentsReportQuery, scopePayments } from './payments-report';
import { businessToday, reportCatalog, reportsFor } from './report-access';
import { exportReport } from './report-export';
import { reversalsReport, reversalsReportQuery } from './reversals-report';
import { uploadsReport, uploadsReportQuery } from './uploads-report';

export const reportCatalogQuery = defineQuery({
  name: 'reports.catalog',
  roles: ANY_ROLE,
  input: reportsContract['reports.catalog'].input,
  run: ({ db, actor }) => reportCatalog(db, actor.role),
});

/** Any report as CSV or XLSX, with the same role rules and scope as on screen. */
export const reportExportQuery = defineQuery({
  name: 'reports.export',
  roles: ANY_ROLE,
  input: reportsContract['reports.export'].input,
  run: async ({ db, clock, actor }, i) => {
    if (!reportsFor(actor.role).includes(i.report)) fail('FORBIDDEN', 'This report is for supervisors and administrators.', { field: 'report' });
    const today = await businessToday(db, clock);
    const r = await (async () => {
      switch (i.report) {
        case 'payments': {
          const s = await scopePayments(db, i.filter, actor, async () => today);
          return paymentsReport(db, s.filter, s.scopeNote);
        }
        case 'deposits':
          return depositsReport(db, i.filter);
        case 'reversals':
          return reversalsReport(db, i.filter);
        case 'credits':
          return creditsReport(db, i.filter);
        case 'uploads':
          return uploadsReport(db, i.filter);
        case 'aging':
          return agingTable(db, i.filter.asOf ?? today, i.filter.divisionId);
        case 'collections':
          return collectionsReport(db, i.filter);
      }
    })();
    return exportReport(r, i.format, today);
  },
});

export const reportQueries = [
  reportCatalogQuery,
  paymentsReportQuery,
  depositsReportQuery,
  reversalsReportQuery,
  creditsReportQuery,
  uploadsReportQuery,
  agingTableQuery,
  collectionsReportQuery,
  reportExportQuery,
] as QueryDef[];
