import type { DepositPaymentDTO } from '../../../shared/contract/deposits';

export const KIND_LABELS: Record<string, string> = {
  payment: 'Payment',
  return: 'Returned payment',
  transfer_out: 'Credit transfer (out)',
  transfer_in: 'Credit transfer (in)',
};

export const kindLabel = (k: string) => KIND_LABELS[k] ?? k;

export const isTransfer = (p: Pick<DepositPaymentDTO, 'kind'>) => p.kind === 'transfer_out' || p.kind === 'transfer_in';
