import type { Kysely } from 'kysely';
import { periodOf } from '../../../shared/dates';
import { formatMoney } from '../../../shared/money';
import type { Database } from '../../db/schema';
import { isPeriodClosed } from '../../deposits/rules';
import { readSettings } from '../../settings/settings';

/**
 * Why a refund needs a Supervisor or Admin, in words, or null: money leaving for a payment of a
 * closed month, or more than the amount an Admin set (settings.refundApprovalAboveCents).
 */
export async function refundApprovalNeeded(db: Kysely<Database>, p: Pick<Database['payments'], 'reference' | 'payment_date'>, amountCents: number): Promise<string | null> {
  const why: string[] = [];
  if (await isPeriodClosed(db, p.payment_date)) why.push(`Payment ${p.reference} is dated in ${periodOf(p.payment_date)}, which is closed.`);
  const { refundApprovalAboveCents: limit } = await readSettings(db);
  if (limit !== null && amountCents > limit) why.push(`${formatMoney(amountCents)} is above the ${formatMoney(limit)} that can be refunded without approval.`);
  return why.length ? why.join(' ') : null;
}
