import type { Kysely } from 'kysely';
import { z } from 'zod';
import { paymentLinksContract, payLinkUrl, type PaymentLinkDTO, type PaymentLinkState } from '../../shared/contract/payment-links';
import { addDays, formatDate } from '../../shared/dates';
import { newId } from '../../shared/ids';
import { formatMoney } from '../../shared/money';
import { fail } from '../../shared/result';
import { ADMINS, ANY_ROLE, SUPERVISORS } from '../../shared/roles';
import { defineCommand, defineQuery, type CommandCtx } from '../commands/types';
import type { Database } from '../db/schema';
import type { PaymentLinksTable } from '../db/schema-payment-links';
import { getActiveAccount } from '../ledger/journal';
import { readSettings } from '../settings/settings';
import { OPTIONS_KEY, PUBLICATION_KEY, readLinkOptions, readPublication, writeSetting } from './options';
import { hashLinkToken } from './token';

/** An open link past its last day reads as expired (nothing has to run at midnight to expire it). */
export const linkState = (l: Pick<PaymentLinksTable, 'status' | 'expires_on'>, today: string): PaymentLinkState =>
  l.status === 'open' && today > l.expires_on ? 'expired' : l.status;

const NO_SERVER =
  'Payment links are served by the central server, so the payer can reach them: this desk has no server address for them yet. An Admin connects this desk to the office server (Needs Attention → server address), and the server must be started with PUBLIC_URL set to the address payers can reach.';

async function toDto(db: Kysely<Database>, l: PaymentLinksTable, today: string): Promise<PaymentLinkDTO> {
  const by = await db.selectFrom('users').select('display_name').where('id', '=', l.created_by).executeTakeFirst();
  const emailed = await db.selectFrom('email_outbox').select('id').where('related_id', '=', l.id).where('kind', '=', 'payment-link').executeTakeFirst();
  return {
    id: l.id,
    accountId: l.account_id,
    amountCents: l.amount_cents,
    email: l.email,
    expiresOn: l.expires_on,
    state: linkState(l, today),
    createdAt: l.created_at,
    createdBy: l.created_by,
    createdByName: by?.display_name ?? l.created_by,
    revokedAt: l.revoked_at,
    revokeReason: l.revoke_reason,
    paidPaymentId: l.paid_payment_id,
    paidAt: l.paid_at,
    emailed: !!emailed,
  };
}

async function getLink(ctx: Pick<CommandCtx, 'db'>, linkId: string): Promise<PaymentLinksTable> {
  const l = await ctx.db.selectFrom('payment_links').selectAll().where('id', '=', linkId).executeTakeFirst();
  if (!l) fail('NOT_FOUND', 'That payment link does not exist.', { field: 'linkId' });
  return l;
}

export const createPaymentLink = defineCommand({
  name: 'paymentLinks.create',
  version: 1,
  roles: ANY_ROLE,
  input: paymentLinksContract['paymentLinks.create'].input,
  synced: true,
  prepare: (i) => (i.linkId ? {} : { linkId: newId() }),
  subject: (i) => i.linkId,
  run: async (ctx, i) => {
    const pub = await readPublication(ctx.db);
    if (!pub.publicUrl) fail('UNAVAILABLE', NO_SERVER);
    const acct = await getActiveAccount(ctx, i.accountId);
    const opts = await readLinkOptions(ctx.db);
    const tokenHash = hashLinkToken(i.token);
    const clash = await ctx.db.selectFrom('payment_links').select('id').where('token_hash', '=', tokenHash).executeTakeFirst();
    if (clash) fail('CONFLICT', 'This link token is already in use; make a new link.', { field: 'token' });
    const email = i.email ? i.email : null;
    const row: PaymentLinksTable = {
      id: i.linkId!,
      account_id: acct.id,
      division_id: acct.division_id,
      token_hash: tokenHash,
      amount_cents: acct.balance_cents,
      email,
      expires_on: addDays(ctx.today, i.expiresInDays ?? opts.expiryDays),
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
    if (email) {
      const office = await readSettings(ctx.db);
      const url = payLinkUrl(pub.publicUrl, i.token);
      // The link's only copy besides the payer's mailbox: the queued message (see README, Payment links).
      await ctx.db
        .insertInto('email_outbox')
        .values({
          id: ctx.id(`payment-link-email/${row.id}`),
          kind: 'payment-link',
          to_address: email,
          subject: `Pay your balance for account ${acct.account_number}`,
          body_text: [
            `Hello ${acct.name},`,
            ``,
            `You can pay your balance for account ${acct.account_number} online, without an account or password:`,
            ``,
            url,
            ``,
            `Balance today: ${formatMoney(acct.balance_cents)}`,
            `The link works until ${formatDate(row.expires_on)} and can be used for one payment.`,
            ``,
            office.officeName,
            ...(office.officeContact ? [office.officeContact] : []),
          ].join('\n'),
          related_id: row.id,
          created_at: ctx.now,
          sent_at: null,
        })
        .execute();
    }
    // The token hash is not audited: the audit log is read by more people than the links are.
    const { token_hash: _h, ...audited } = row;
    await ctx.audit({ action: 'create', entity: 'payment_link', entityId: row.id, after: { ...audited, emailed: !!email } });
    ctx.changed('paymentLinks');
    return toDto(ctx.db, row, ctx.today);
  },
});

export const revokePaymentLink = defineCommand({
  name: 'paymentLinks.revoke',
  version: 1,
  roles: ANY_ROLE,
  input: paymentLinksContract['paymentLinks.revoke'].input,
  synced: true,
  subject: (i) => i.linkId,
  run: async (ctx, i) => {
    const l = await getLink(ctx, i.linkId);
    if (l.created_by !== ctx.actor.userId && !SUPERVISORS.includes(ctx.actor.role)) {
      fail('FORBIDDEN', 'Only the person who sent this link, or a Supervisor or Admin, may revoke it.', { field: 'linkId' });
    }
    if (l.status === 'paid') fail('CONFLICT', 'This link was already paid; refund the payment instead.', { field: 'linkId' });
    if (l.status === 'revoked') fail('CONFLICT', 'This link was already revoked.', { field: 'linkId' });
    const after = { status: 'revoked' as const, revoked_by: ctx.actor.userId, revoked_at: ctx.now, revoke_reason: i.reason };
    await ctx.db.updateTable('payment_links').set(after).where('id', '=', l.id).execute();
    await ctx.audit({ action: 'revoke', entity: 'payment_link', entityId: l.id, before: { status: l.status }, after });
    ctx.changed('paymentLinks');
    return toDto(ctx.db, { ...l, ...after }, ctx.today);
  },
});

export const configurePaymentLinks = defineCommand({
  name: 'paymentLinks.configure',
  version: 1,
  roles: ADMINS,
  input: paymentLinksContract['paymentLinks.configure'].input,
  synced: true,
  run: async (ctx, patch) => {
    const before = await readLinkOptions(ctx.db);
    const after = { ...before, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
    await writeSetting(ctx.db, OPTIONS_KEY, after, ctx.now);
    await ctx.audit({ action: 'update', entity: 'settings', entityId: OPTIONS_KEY, before, after });
    ctx.changed('settings');
    return after;
  },
});

/**
 * The server publishes where payers reach it (PUBLIC_URL) and whether it has a gateway. Run by the
 * server itself at start (never pushed), so the setting reaches every desk by pull.
 */
export const publishPaymentLinkServer = defineCommand({
  name: 'paymentLinks.publish',
  version: 1,
  roles: ADMINS,
  input: z.object({ publicUrl: z.string().url().max(500).nullable(), gateway: z.boolean() }).strict(),
  synced: false,
  run: async (ctx, raw) => {
    const next = { publicUrl: raw.publicUrl, gateway: raw.gateway };
    const before = await readPublication(ctx.db);
    if (before.publicUrl === next.publicUrl && before.gateway === next.gateway) return before;
    await writeSetting(ctx.db, PUBLICATION_KEY, { publicUrl: next.publicUrl, gateway: next.gateway }, ctx.now);
    await ctx.audit({ action: 'update', entity: 'settings', entityId: PUBLICATION_KEY, before, after: next });
    return next;
  },
});

export const listPaymentLinks = defineQuery({
  name: 'paymentLinks.list',
  roles: ANY_ROLE,
  input: paymentLinksContract['paymentLinks.list'].input,
  run: async ({ db, clock }, i) => {
    const rows = await db.selectFrom('payment_links').selectAll().where('account_id', '=', i.accountId).orderBy('created_at', 'desc').limit(50).execute();
    const today = clock.today();
    return Promise.all(rows.map((r) => toDto(db, r, today)));
  },
});

export const paymentLinkAvailability = defineQuery({
  name: 'paymentLinks.availability',
  roles: ANY_ROLE,
  input: paymentLinksContract['paymentLinks.availability'].input,
  run: async ({ db }) => {
    const pub = await readPublication(db);
    const opts = await readLinkOptions(db);
    return { available: !!pub.publicUrl, publicUrl: pub.publicUrl, reason: pub.publicUrl ? null : NO_SERVER, gateway: pub.gateway, defaultExpiryDays: opts.expiryDays, options: opts };
  },
});
