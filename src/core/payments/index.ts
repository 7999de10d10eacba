import type { CommandDef, QueryDef } from '../commands/types';
import { createCategory, deleteCategory, listCategoriesQuery, payCategory, restoreCategory, retireCategory, updateCategory } from './categories/categories';
import { deletePayment, paymentCorrections, reapplyPayment, returnPayment, transferCredit, unapplyPayment } from './corrections';
import { releaseHeldPayment, voidHeldPayment } from './held-payments';
import { getPayment, getPaymentByReference } from './payment-queries';
import { recordPayment } from './record-payment';
import { cancelRecurring, createRecurring, getRecurringQuery, listRecurringQuery, pauseRecurring, resumeRecurring } from './recurring/recurring';
import { runRecurringCommand } from './recurring/run';
import { approveRefundRequest, declineRefundRequest, listRefundRequestsQuery, requestRefund } from './refunds/refund-requests';
import { cancelPayment, createRefund, getRefund, refundsForPayment } from './refunds/refunds';

/** Every payment command: record, held payments, corrections, cancel, refunds, recurring payments, category payments. */
export const paymentCommands = [
  recordPayment,
  releaseHeldPayment,
  voidHeldPayment,
  unapplyPayment,
  reapplyPayment,
  deletePayment,
  returnPayment,
  transferCredit,
  cancelPayment,
  createRefund,
  requestRefund,
  approveRefundRequest,
  declineRefundRequest,
  createRecurring,
  pauseRecurring,
  resumeRecurring,
  cancelRecurring,
  runRecurringCommand,
  createCategory,
  updateCategory,
  deleteCategory,
  retireCategory,
  restoreCategory,
  payCategory,
] as CommandDef[];

export const paymentQueries = [
  getPayment,
  getPaymentByReference,
  paymentCorrections,
  getRefund,
  refundsForPayment,
  listRefundRequestsQuery,
  listRecurringQuery,
  getRecurringQuery,
  listCategoriesQuery,
] as QueryDef[];
