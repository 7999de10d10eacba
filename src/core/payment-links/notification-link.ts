import { createHmac } from 'node:crypto';
import { payLinkUrl } from '../../shared/contract/payment-links';
import { addDays } from '../../shared/dates';
import type { CommandCtx } from '../commands/types';
import type { PaymentLinksTable } from '../db/schema-payment-links';
import { readLinkOptions, readPublication } from './options';
import { hashLinkToken } from './token';

/**
 * A one-time payment link for a queued statement email (a profile that includes one). The token must
 * come out the same when the server re-runs the queuing command, so it is derived from the command id
 * (never synced: each machine's command_log and the server's srv_commands) and the notification;
 * the ledger keeps only its hash, and the rendered email (like any queued email) carries the URL.
 * Null where links cannot be made (no central server with a public address).
 */
export async function notificationPayLink(ctx: CommandCtx, accountId: string, notificationId: string, email: string | null): Promise<string | null> {
  const pub = await readPublication(ctx.db);
  if (!pub.publicUrl) return null;
  const acct = await ctx.db.selectFrom('accounts').select(['id', 'division_id', 'balance_cents', 'status']).where('id', '=', accountId).executeTakeFirst();
  if (!acct || acct.status !== 'active') return null;
  const opts = await readLinkOptions(ctx.db);
  const token = createHmac('sha256', ctx.commandId).update(`paylink/${notificationId}`).digest('base64url');
  const row: PaymentLinksTable = {
    id: ctx.id(`paylink/${notificationId}`),
    account_id: acct.id,
    division_id: acct.division_id,
    token_hash: hashLinkToken(token),
    amount_cents: acct.balance_cents,
    email,
    expires_on: addDays(ctx.today, opts.expiryDays),
    status: 'open',
    created_by: ctx.actor.userId,
    created_at: ctx.now,
    revoked_by: null,
    revoked_at: null,
    revoke_reason: null,
    paid_payment_id: null,
    paid_at: null,
  };
  await ctx.db.insertInto('payment_links').values(row).execute();
  const { token_hash: _h, ...audited } = row;
  await ctx.audit({ action: 'create', entity: 'payment_link', entityId: row.id, after: { ...audited, notificationId } });
  return payLinkUrl(pub.publicUrl, token);
}
