import type { CommandDef, QueryDef } from '../commands/types';
import { configurePaymentLinks, createPaymentLink, listPaymentLinks, paymentLinkAvailability, publishPaymentLinkServer, revokePaymentLink } from './links';
import { markPaymentLinkPaid } from './settle';

export { checkPayAmount } from './pay-amount';
export { linkReference, loadPayerView, type PayerView } from './payer-view';
export { gatewayPaymentInput, markPaymentLinkPaid } from './settle';
export { hashLinkToken } from './token';
export { readLinkOptions, readPublication } from './options';
export { publishPaymentLinkServer } from './links';

export const paymentLinkCommands = [createPaymentLink, revokePaymentLink, configurePaymentLinks, publishPaymentLinkServer, markPaymentLinkPaid] as unknown as CommandDef[];
export const paymentLinkQueries = [listPaymentLinks, paymentLinkAvailability] as unknown as QueryDef[];
export { notificationPayLink } from './notification-link';
