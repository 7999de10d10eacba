import { useEffect, useReducer, useState } from 'react';
import type { AccountSummaryDTO } from '../../../../shared/contract/dto';
import { localDate } from '../../../../shared/dates';
import { newId } from '../../../../shared/ids';
import { dropDraft, keepDraft, readDraft } from './draft';
import { initialPaymentForm, paymentFormReducer } from './payment-form';

/**
 * The Make Payment form's reducer, with its draft: it starts from a kept draft of this tab, takes
 * the account's defaults once the account loads, and is kept until the payment is made.
 */
export function usePaymentForm(accountId: string, account: AccountSummaryDTO | undefined, finished: boolean) {
  const [draft] = useState(() => readDraft(accountId));
  // One id per payment attempt: a retry after a lost answer records the same payment, not two.
  const [paymentId] = useState(() => draft?.paymentId ?? newId());
  const [form, dispatch] = useReducer(paymentFormReducer, null, () => initialPaymentForm(draft?.values ?? null, localDate()));
  // Applied while rendering, so the amount field is focused (and selected) with the balance in it.
  if (account && !form.seeded) dispatch({ type: 'accountLoaded', balanceCents: account.balanceCents, email: account.email });
  useEffect(() => {
    if (finished) dropDraft(accountId);
    else if (form.seeded) keepDraft(accountId, { values: form.values, paymentId });
  }, [form.values, finished, form.seeded, accountId, paymentId]);
  return { form, dispatch, paymentId };
}
