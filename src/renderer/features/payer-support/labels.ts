import type { PaymentMethod } from '../../../shared/contract/dto';

export const METHOD_LABELS: Record<PaymentMethod, string> = { cash: 'Cash', check: 'Check', card: 'Card', ach: 'ACH' };
