import { listAudit, verifyAudit } from './audit/audit-queries';
import { acknowledgeSecurityAlert, listSecurityAlerts } from './audit/security-alerts';
import { createUser, listUsers, resetPassword, updateUser } from './auth/users';
import type { CommandDef, QueryDef } from './commands/types';
import { applyImportRows } from './imports/apply-rows';
import { getUpload, listUploads } from './imports/uploads';
import { createInvoice } from './invoices/create-invoice';
import { editInvoice } from './invoices/edit-invoice';
import { getAccountDetail } from './payers/account-detail';
import { createAccount, setAccountStatus } from './payers/accounts';
import { createDivision, listDivisions, renameDivision } from './payers/divisions';
import { updateAccount } from './payers/update-account';
import { searchPayersQuery } from './payers/search';
import { getSettings, updateSettings } from './settings/settings';
import { creditCommands, creditQueries } from './credits';
import { depositCommands, depositQueries } from './deposits';
import { paymentCommands, paymentQueries } from './payments';
import { notificationCommands, notificationQueries } from './notifications';
import { closePeriod, closePreviewQuery, listPeriodsQuery, reopenPeriod } from './periods/periods';
import { afterCloseReport } from './reports/after-close';
import { agingAccountsQuery, agingReportQuery } from './reports/aging';
import { homeSummaryQuery } from './reports/home';
import { auditExportQuery, readableAuditQuery } from './reports/audit-readable';
import { reportQueries } from './reports/report-queries';
import { paymentLinkCommands, paymentLinkQueries } from './payment-links';

/**
 * Every command and query of the ledger. Each domain registers its definitions in its folder's
 * index.ts (payments, credits, deposits, notifications, payment links); list the domains here. The desktop router and the server both run exactly this list.
 */
export const allCommands: CommandDef[] = [
  createUser,
  updateUser,
  resetPassword,
  createDivision,
  renameDivision,
  createAccount,
  setAccountStatus,
  updateAccount,
  createInvoice,
  editInvoice,
  ...paymentCommands,
  updateSettings,
  applyImportRows,
  ...depositCommands,
  closePeriod,
  reopenPeriod,
  ...notificationCommands,
  ...creditCommands,
  acknowledgeSecurityAlert,
  ...paymentLinkCommands,
] as CommandDef[];

export const allQueries: QueryDef[] = [
  listUsers,
  listDivisions,
  searchPayersQuery,
  getAccountDetail,
  ...paymentQueries,
  getSettings,
  listAudit,
  verifyAudit,
  listSecurityAlerts,
  listUploads,
  getUpload,
  ...depositQueries,
  listPeriodsQuery, closePreviewQuery, agingReportQuery, agingAccountsQuery, afterCloseReport,
  ...notificationQueries,
  ...creditQueries,
  homeSummaryQuery,
  readableAuditQuery,
  auditExportQuery,
  ...reportQueries,
  ...paymentLinkQueries,
] as QueryDef[];
