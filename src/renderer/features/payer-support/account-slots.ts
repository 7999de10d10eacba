import type { ComponentType } from 'react';
import type { AccountDetailDTO, PaymentDetailDTO } from '../../../shared/contract/dto';

/**
 * Other workflows add to the account page and the payment page without editing them: buttons in
 * the header (e.g. Post Transaction), extra tabs/sections (e.g. Gift Cards & Prepayments), and
 * actions on a payment (e.g. Refund, Return payment).
 */
export const accountActions: ComponentType<{ detail: AccountDetailDTO }>[] = [];
export const accountSections: { key: string; label: string; component: ComponentType<{ detail: AccountDetailDTO }> }[] = [];
export const paymentActions: ComponentType<{ payment: PaymentDetailDTO }>[] = [];
