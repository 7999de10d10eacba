import { formatMoney, parseMoney } from '../../shared/money';

export type PayAmountCheck = { ok: true; cents: number } | { ok: false; message: string };

/**
 * What a payer may pay through a link: more than zero, and no more than the balance unless the
 * office allows paying ahead (Settings → payment links). A money rule, so it lives in core.
 */
export function checkPayAmount(text: string, balanceCents: number, allowOverpay: boolean): PayAmountCheck {
  const r = parseMoney(text);
  if (!r.ok) return { ok: false, message: r.message };
  if (r.cents <= 0) return { ok: false, message: 'The amount must be more than $0.00.' };
  if (!allowOverpay && r.cents > balanceCents) {
    return {
      ok: false,
      message: balanceCents > 0 ? `The amount cannot be more than the balance of ${formatMoney(balanceCents)}.` : 'This account has no balance to pay.',
    };
  }
  return { ok: true, cents: r.cents };
}
