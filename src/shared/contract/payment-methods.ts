import type { PaymentMethod } from './dto';
import { PaymentMethods } from './payments';

/** The words for each payment method: one list for every screen, report and receipt. */
export const PaymentMethodLabels: Record<PaymentMethod, string> = { cash: 'Cash', check: 'Check', card: 'Card', ach: 'ACH' };

/** Select options for the methods a form takes (all of them, in the contract's order, unless narrowed). */
export function paymentMethodOptions(only: readonly PaymentMethod[] = PaymentMethods): { value: PaymentMethod; label: string }[] {
  return only.map((m) => ({ value: m, label: PaymentMethodLabels[m] }));
}
