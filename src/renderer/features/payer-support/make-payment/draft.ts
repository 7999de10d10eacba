import { DRAFT_PREFIX } from '../../../stores/per-user';
import type { PaymentValues } from './payment-form';

/** The form survives a reload of this tab (sessionStorage; cleared on sign-out and when finished). */
export interface PaymentDraft {
  values: PaymentValues;
  paymentId: string;
}

const draftKey = (accountId: string) => `${DRAFT_PREFIX}make-payment.${accountId}`;

export function readDraft(accountId: string): PaymentDraft | null {
  try {
    return JSON.parse(sessionStorage.getItem(draftKey(accountId)) ?? 'null') as PaymentDraft | null;
  } catch {
    return null;
  }
}

export const keepDraft = (accountId: string, draft: PaymentDraft): void => sessionStorage.setItem(draftKey(accountId), JSON.stringify(draft));
export const dropDraft = (accountId: string): void => sessionStorage.removeItem(draftKey(accountId));
