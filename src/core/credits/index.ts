import type { CommandDef, QueryDef } from '../commands/types';
import { createCategory, deleteCategory, listCategoriesQuery, payCategory, restoreCategory, retireCategory, updateCategory } from '../payments/categories/categories';
import { cancelRecurring, createRecurring, getRecurringQuery, listRecurringQuery, pauseRecurring, resumeRecurring } from '../payments/recurring/recurring';
import { runRecurringCommand } from '../payments/recurring/run';
import { approveRefundRequest, declineRefundRequest, listRefundRequestsQuery, requestRefund } from '../payments/refunds/refund-requests';
import { cancelPayment, createRefund, getRefund, refundsForPayment } from '../payments/refunds/refunds';
import { createCreditItem, listCreditItemsQuery, restoreCreditItem, retireCreditItem, updateCreditItem } from './credit-items';
import { deleteGiftCard, editGiftCard } from './gift-cards';
import { getCredit, listCreditsForAccount, postCredit, reverseCredit } from './post-credit';

/** Issue 6's commands and queries: credits, gift cards, credit items, refunds, recurring payments, categories. */
export const creditCommands = [
  postCredit,
  reverseCredit,
  editGiftCard,
  deleteGiftCard,
  createCreditItem,
  updateCreditItem,
  retireCreditItem,
  restoreCreditItem,
  createRefund,
  requestRefund,
  approveRefundRequest,
  declineRefundRequest,
  cancelPayment,
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

export const creditQueries = [getCredit, listCreditsForAccount, listCreditItemsQuery, getRefund, refundsForPayment, listRefundRequestsQuery, listRecurringQuery, getRecurringQuery, listCategoriesQuery] as QueryDef[];
