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
import { getPayment, getPaymentByReference } from './payments/payment-queries';
import { releaseHeldPayment, voidHeldPayment } from './payments/held-payments';
import { recordPayment } from './payments/record-payment';
import { getSettings, updateSettings } from './settings/settings';
import { creditCommands, creditQueries } from './credits';
import { notificationCommands, notificationQueries } from './notifications';
import { paymentCorrections, deletePayment, reapplyPayment, returnPayment, transferCredit, unapplyPayment } from './payments/corrections';
import { addPaymentsToDeposit, completeDeposit, createDeposit, deleteDeposit, enterDepositPayment, getDeposit, listDepositsQuery, listUndepositedQuery, removePaymentFromDeposit, reopenDeposit, updateDeposit } from './deposits/deposits';
import { closePeriod, closePreviewQuery, listPeriodsQuery, reopenPeriod } from './periods/periods';
import { afterCloseReport } from './reports/after-close';
import { agingAccountsQuery, agingReportQuery } from './reports/aging';
import { homeSummaryQuery } from './reports/home';
import { auditExportQuery, readableAuditQuery } from './reports/audit-readable';
import { reportQueries } from './reports/report-queries';
import { paymentLinkCommands, paymentLinkQueries } from './payment-links';

/**
 * Every command and query of the ledger. Each workflow exports its definitions from its own
 * folder; list them here. The desktop router and the server both run exactly this list.
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
  recordPayment,
  releaseHeldPayment,
  voidHeldPayment,
  updateSettings,
  applyImportRows,
  createDeposit, updateDeposit, deleteDeposit, addPaymentsToDeposit, removePaymentFromDeposit, enterDepositPayment, completeDeposit, reopenDeposit,
  unapplyPayment, reapplyPayment, deletePayment, returnPayment, transferCredit, closePeriod, reopenPeriod,
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
  getPayment,
  getPaymentByReference,
  getSettings,
  listAudit,
  verifyAudit,
  listSecurityAlerts,
  listUploads,
  getUpload,
  listDepositsQuery, getDeposit, listUndepositedQuery, paymentCorrections, listPeriodsQuery, closePreviewQuery, agingReportQuery, agingAccountsQuery, afterCloseReport,
  ...notificationQueries,
  ...creditQueries,
  homeSummaryQuery,
  readableAuditQuery,
  auditExportQuery,
  ...reportQueries,
  ...paymentLinkQueries,
] as QueryDef[];
