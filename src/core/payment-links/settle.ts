import { z } from 'zod';
import { centsToPlain } from '../../shared/money';
import { fail } from '../../shared/result';
import { ADMINS } from '../../shared/roles';
import { id } from '../../shared/contract/fields';
import { defineCommand } from '../commands/types';
import { deriveId } from '../util/canonical-json';
import type { PaymentLinksTable } from '../db/schema-payment-links';

/**
 * A link paid through the gateway becomes single-use: run by the server (never pushed) right after
 * the card payment was recorded, in the same transaction. A payment for a link that was already
 * paid or revoked meanwhile (two tabs, a revocation during checkout) is still money received: it is
 * recorded, and the link keeps its first payment.
 */
export const markPaymentLinkPaid = defineCommand({
  name: 'paymentLinks.markPaid',
  version: 1,
  roles: ADMINS,
  input: z.object({ linkId: id, paymentId: id }).strict(),
  synced: false,
  run: async (ctx, i) => {
    const l = await ctx.db.selectFrom('payment_links').selectAll().where('id', '=', i.linkId).executeTakeFirst();
    if (!l) fail('NOT_FOUND', 'That payment link does not exist.', { field: 'linkId' });
    if (l.status === 'paid') {
      await ctx.audit({ action: 'paid-again', entity: 'payment_link', entityId: l.id, after: { paymentId: i.paymentId, firstPaymentId: l.paid_payment_id } });
      return { linkId: l.id, status: l.status };
    }
    const after = { status: 'paid' as const, paid_payment_id: i.paymentId, paid_at: ctx.now };
    await ctx.db.updateTable('payment_links').set(after).where('id', '=', l.id).execute();
    await ctx.audit({ action: 'paid', entity: 'payment_link', entityId: l.id, before: { status: l.status }, after });
    ctx.changed('paymentLinks');
    return { linkId: l.id, status: after.status };
  },
});

/** The gateway's payment as the raw input of `payments.record`: a card payment, its id fixed by the checkout session. */
export function gatewayPaymentInput(
  link: Pick<PaymentLinksTable, 'id' | 'account_id'>,
  p: { sessionId: string; amountCents: number; receiptEmail?: string | null; gateway: string },
): Record<string, unknown> {
  return {
    // One checkout session pays once, whichever of its events arrives (completed, async succeeded).
    paymentId: deriveId(`gateway/${p.gateway}/${p.sessionId}`, 'payment'),
    accountId: link.account_id,
    amount: centsToPlain(p.amountCents),
    method: 'card',
    memo: `Paid online through payment link (${p.gateway} ${p.sessionId})`.slice(0, 500),
    ...(p.receiptEmail ? { receiptEmail: p.receiptEmail } : {}),
  };
}
