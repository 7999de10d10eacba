/** The contract's words for payment methods, under the name the payer screens use. */
export { PaymentMethodLabels as METHOD_LABELS } from '../../../shared/contract/payment-methods';
