import type { InputOf } from '../../../../shared/contract';
import type { PaymentMethod } from '../../../../shared/contract/dto';
import { recordPaymentInput } from '../../../../shared/contract/payments';
import { centsToPlain } from '../../../../shared/money';

/**
 * Make Payment's form state and its one reducer (pure: state + action → state). The step itself
 * lives in the address (`step=review`, `step=done`), so Back/Forward move between steps; this
 * holds what the clerk typed, the messages, and what counts as unsaved.
 */
export interface PaymentValues {
  receiptEmail: string;
  amount: string;
  method: PaymentMethod;
  checkNumber: string;
  paymentDate: string;
  /** The clerk confirmed a date far ahead is post-dated (core asks for it). */
  postDated: boolean;
  memo: string;
}
export type PaymentField = keyof PaymentValues;

export interface PaymentFormState {
  values: PaymentValues;
  /** The values as first shown (defaults, a kept draft, or the account's balance): not unsaved work. */
  baseline: PaymentValues;
  errors: Partial<Record<string, string>>;
  /** The defaults from the account were applied (or a kept draft made them unneeded). */
  seeded: boolean;
}

export type PaymentFormAction =
  | { [K in PaymentField]: { type: 'typed'; field: K; value: PaymentValues[K] } }[PaymentField]
  | { type: 'accountLoaded'; balanceCents: number; email: string | null }
  | { type: 'confirm'; accountId: string }
  | { type: 'refused'; field: string; message: string }
  | { type: 'cancelled' };

export const blankPayment = (today: string): PaymentValues => ({ receiptEmail: '', amount: '', method: 'cash', checkNumber: '', paymentDate: today, memo: '', postDated: false });

/** A kept draft starts as it was left; otherwise the blank form waits for the account's defaults. */
export function initialPaymentForm(draft: PaymentValues | null, today: string): PaymentFormState {
  const values = draft ?? blankPayment(today);
  return { values, baseline: values, errors: {}, seeded: draft !== null };
}

/** `payments.record`'s input from what was typed (the fields a method does not use are left out). */
export function paymentInput(v: PaymentValues, accountId: string): InputOf<'payments.record'> {
  return {
    accountId,
    amount: v.amount,
    method: v.method,
    ...(v.method === 'check' ? { checkNumber: v.checkNumber } : {}),
    paymentDate: v.paymentDate,
    ...(v.postDated ? { postDated: true } : {}),
    ...(v.receiptEmail.trim() ? { receiptEmail: v.receiptEmail.trim() } : {}),
    ...(v.memo.trim() ? { memo: v.memo.trim() } : {}),
  };
}

/** The same shared schema main parses with: one rule, checked early here for the clerk's sake. */
export function paymentErrors(v: PaymentValues, accountId: string): Record<string, string> {
  const r = recordPaymentInput.safeParse(paymentInput(v, accountId));
  if (r.success) return {};
  const errors: Record<string, string> = {};
  for (const i of r.error.issues) errors[String(i.path[0] ?? 'amount')] ??= i.message;
  return errors;
}

export const isDirty = (s: PaymentFormState): boolean => (Object.keys(s.values) as PaymentField[]).some((k) => s.values[k] !== s.baseline[k]);

export function paymentFormReducer(s: PaymentFormState, a: PaymentFormAction): PaymentFormState {
  switch (a.type) {
    case 'typed': {
      // Typing in a field clears its message (it is checked again on Confirm).
      const { [a.field]: _cleared, ...errors } = s.errors;
      return { ...s, values: { ...s.values, [a.field]: a.value }, errors };
    }
    case 'accountLoaded': {
      if (s.seeded) return s;
      const values = { ...s.values, amount: a.balanceCents > 0 ? centsToPlain(a.balanceCents) : '', receiptEmail: a.email ?? '' };
      return { ...s, values, baseline: values, seeded: true };
    }
    case 'confirm':
      return { ...s, errors: paymentErrors(s.values, a.accountId) };
    case 'refused':
      return { ...s, errors: { ...s.errors, [a.field]: a.message } };
    case 'cancelled':
      return { ...s, baseline: s.values };
    default:
      return s;
  }
}
