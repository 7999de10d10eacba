import { paymentActions } from '../payer-support/account-slots';
import { PaymentCorrectionsButton } from './PaymentCorrectionsButton';

/** Adds "Correct / return…" to the payment page (supervisors), without editing it. */
if (!paymentActions.includes(PaymentCorrectionsButton)) paymentActions.push(PaymentCorrectionsButton);
