import type { InputOf } from '../../../../shared/contract';
import type { AccountSummaryDTO } from '../../../../shared/contract/dto';
import { postsAgainstInvoice, type PostCreditState } from './wizard-reducer';

/** Ids made once per wizard, so "Retry failed" never posts an account (or its new invoice) twice. */
export interface RunIds {
  batchId: string;
  credits: Record<string, string>;
  invoices: Record<string, string>;
}

/** One account's `credits.post` input, as typed (main parses and checks it again). */
export function creditInput(s: PostCreditState, a: AccountSummaryDTO, ids: RunIds, newId: () => string): InputOf<'credits.post'> & { creditId: string } {
  const creditId = (ids.credits[a.id] ??= newId());
  const trimmedOrNone = (key: 'classification' | 'publicComment' | 'privateComment') => (s[key].trim() ? { [key]: s[key].trim() } : {});
  const n = s.newInvoice;
  return {
    creditId,
    batchId: ids.batchId,
    accountId: a.id,
    amount: s.amounts[a.id] ?? '',
    creditItemId: s.creditItemId,
    ...trimmedOrNone('classification'),
    ...trimmedOrNone('publicComment'),
    ...trimmedOrNone('privateComment'),
    ...(postsAgainstInvoice(s) && s.invoiceId ? { invoiceId: s.invoiceId } : {}),
    ...(s.withNewInvoice
      ? {
          newInvoice: {
            invoiceId: (ids.invoices[a.id] ??= newId()),
            invoiceNumber: n.invoiceNumber.trim(),
            ...(n.dueDate ? { dueDate: n.dueDate } : {}),
            lines: [{ category: n.category.trim(), description: n.description.trim(), amount: n.amount }],
          },
        }
      : {}),
  };
}
