import { listAudit, verifyAudit } from './audit/audit-queries';
import { createUser, listUsers, resetPassword, updateUser } from './auth/users';
import type { CommandDef, QueryDef } from './commands/types';
import { applyImportRows } from './imports/apply-rows';
import { getUpload, listUploads } from './imports/uploads';
import { createInvoice } from './invoices/create-invoice';
import { getAccountDetail } from './payers/account-detail';
import { createAccount, setAccountStatus } from './payers/accounts';
import { createDivision, listDivisions } from './payers/divisions';
import { searchPayersQuery } from './payers/search';
import { getPayment, getPaymentByReference } from './payments/payment-queries';
import { recordPayment } from './payments/record-payment';
import { getSettings, updateSettings } from './settings/settings';

/**
 * Every command and query of the ledger. Each workflow exports its definitions from its own
 * folder; list them here. The desktop router and the server both run exactly this list.
 */
export const allCommands: CommandDef[] = [
  createUser,
  updateUser,
  resetPassword,
  createDivision,
  createAccount,
  setAccountStatus,
  createInvoice,
  recordPayment,
  updateSettings,
  applyImportRows,
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
  listUploads,
  getUpload,
] as QueryDef[];
