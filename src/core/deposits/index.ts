import type { CommandDef, QueryDef } from '../commands/types';
import {
  addPaymentsToDeposit,
  completeDeposit,
  createDeposit,
  deleteDeposit,
  enterDepositPayment,
  getDeposit,
  listDepositsQuery,
  listUndepositedQuery,
  removePaymentFromDeposit,
  reopenDeposit,
  updateDeposit,
} from './deposits';

/** Deposits: bank deposit batches and batch entry. */
export const depositCommands = [createDeposit, updateDeposit, deleteDeposit, addPaymentsToDeposit, removePaymentFromDeposit, enterDepositPayment, completeDeposit, reopenDeposit] as CommandDef[];

export const depositQueries = [listDepositsQuery, getDeposit, listUndepositedQuery] as QueryDef[];
