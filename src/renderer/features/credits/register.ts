import { CategoryPaymentButton } from '../categories/CategoriesPage';
import { accountActions, accountSections, paymentActions } from '../payer-support/account-slots';
import { RecurringSection } from '../recurring/RecurringSection';
import { PaymentRefundActions } from '../refunds/PaymentRefundActions';
import { CreditsSection, GiftCardsSection } from './GiftCardsSection';
import { PostTransactionButton } from './PostTransactionButton';

/**
 * Issue 6's additions to the account and payment pages, without editing them: Post Transaction and
 * Category payment in the account header; Credits, Gift Cards & Prepayments and Recurring payments
 * tabs; Cancel / Refund on the payment page.
 */
const addOnce = <T,>(list: T[], item: T, same: (a: T) => boolean) => {
  if (!list.some(same)) list.push(item);
};
addOnce(accountActions, PostTransactionButton, (a) => a === PostTransactionButton);
addOnce(accountActions, CategoryPaymentButton, (a) => a === CategoryPaymentButton);
addOnce(accountSections, { key: 'credits', label: 'Credits', component: CreditsSection }, (s) => s.key === 'credits');
addOnce(accountSections, { key: 'gift-cards', label: 'Gift Cards & Prepayments', component: GiftCardsSection }, (s) => s.key === 'gift-cards');
addOnce(accountSections, { key: 'recurring', label: 'Recurring payments', component: RecurringSection }, (s) => s.key === 'recurring');
addOnce(paymentActions, PaymentRefundActions, (a) => a === PaymentRefundActions);
