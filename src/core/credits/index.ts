import type { CommandDef, QueryDef } from '../commands/types';
import { createCreditItem, listCreditItemsQuery, restoreCreditItem, retireCreditItem, updateCreditItem } from './credit-items';
import { deleteGiftCard, editGiftCard } from './gift-cards';
import { getCredit, listCreditsForAccount, postCredit, reverseCredit } from './post-credit';

/** Credits, gift cards and the credit items they are posted with. */
export const creditCommands = [postCredit, reverseCredit, editGiftCard, deleteGiftCard, createCreditItem, updateCreditItem, retireCreditItem, restoreCreditItem] as CommandDef[];

export const creditQueries = [getCredit, listCreditsForAccount, listCreditItemsQuery] as QueryDef[];
