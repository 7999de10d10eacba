import { pageSecurityHeaders } from './routes/http-setup';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { businessTimeAt, readOfficeTimeZone } from '../core/commands/business-time';
import { recordCommand, runCommand } from '../core/commands/runner';
import type { CommandDef } from '../core/commands/types';
import type { Database } from '../core/db/schema';
import { checkPayAmount, linkReference, loadPayerView, publishPaymentLinkServer, readPublication, type PayerView } from '../core/payment-links';
import { SYSTEM_ACTOR } from '../core/payments/recurring/run';
import { readSettings } from '../core/settings/settings';
import { payLinkToken } from '../shared/contract/payment-links';
import { newId } from '../shared/ids';
import { AppFailure } from '../shared/result';
import type { ServerStore } from './db/open';
import { takeGatewayEvent } from './gateway/record-payment';
import type { Gateway } from './gateway/stripe';
import { closedPage, messagePage, openPage, PAGE_STYLE_HASH } from './payment-links-page';

export interface PaymentLinkOptions {
  /** Where payers reach this server (PUBLIC_URL); null: links cannot be made. */
  publicUrl: string | null;
  gateway: Gateway | null;
  /** Page views per address per minute (payer pages are public: no login). */
  perMinute?: number;
}

/** A fixed-window counter per client address. */
class RateLimit {
  private hits = new Map<string, { start: number; n: number }>();
  constructor(private readonly max: number) {}
  take(key: string): boolean {
    const now = Date.now();
    const h = this.hits.get(key);
    if (!h || now - h.start >= 60_000) {
      if (this.hits.size > 50_000) this.hits.clear();
      this.hits.set(key, { start: now, n: 1 });
      return true;
    }
    h.n++;
    return h.n <= this.max;
  }
}

/**
 * The server publishes its payer-facing address and whether it has a gateway, through the one
 * runner (a settings row, so desks learn it by pull and can make links). Only when it changed.
 */
export async function publishPaymentLinkSettings(store: ServerStore, opts: PaymentLinkOptions, announce: (seq: number) => void): Promise<void> {
  const next = { publicUrl: opts.publicUrl, gateway: !!opts.gateway };
  const seq = await store.core.executor.serial(() =>
    store.db.transaction().execute(async (trx) => {
      const db = trx as unknown as Kysely<Database>;
      const cur = await readPublication(db);
      if (cur.publicUrl === next.publicUrl && cur.gateway === next.gateway) return 0;
      const at = businessTimeAt(store.core.clock.now(), await readOfficeTimeZone(db), store.core.clock.today());
      const commandId = newId();
      const def = publishPaymentLinkServer as unknown as CommandDef;
      const result = await runCommand({ db, dialect: store.dialect, mode: 'server', def, actor: SYSTEM_ACTOR, commandId, at }, next);
      await recordCommand(db, def, { commandId, inputHash: '', result, actor: SYSTEM_ACTOR, at });
      return Number((await trx.selectFrom('srv_changes').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirst())?.m ?? 0);
    }),
  );
  if (seq) announce(seq);
}

/** Payer pages (`/pay/:token`, no login) and the gateway's webhook. */
export async function registerPaymentLinkRoutes(app: FastifyInstance, store: ServerStore, opts: PaymentLinkOptions, announce: (seq: number) => void): Promise<void> {
  const views = new RateLimit(opts.perMinute ?? 60);
  const posts = new RateLimit(Math.max(1, Math.floor((opts.perMinute ?? 60) / 6)));
  const formAction = ["'self'", ...(opts.gateway?.checkoutOrigins ?? [])].join(' ');
  const csp = `default-src 'none'; style-src ${PAGE_STYLE_HASH}; img-src 'none'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`;
  const html = (reply: FastifyReply, code: number, body: string) =>
    reply.code(code).header('content-type', 'text/html; charset=utf-8').headers(pageSecurityHeaders(csp)).send(body);
  const log = app.log as unknown as Logger;

  const today = async () => {
    const db = store.db as unknown as Kysely<Database>;
    return businessTimeAt(store.core.clock.now(), await readOfficeTimeZone(db), store.core.clock.today()).businessDate;
  };
  const office = async () => {
    const s = await readSettings(store.db as unknown as Kysely<Database>);
    return { officeName: s.officeName, officeContact: s.officeContact };
  };
  const tokenOf = (req: FastifyRequest): string | null => {
    const t = (req.params as { token?: string }).token ?? '';
    return payLinkToken.safeParse(t).success ? t : null;
  };
  const load = async (token: string | null): Promise<PayerView> => (token ? loadPayerView(store.db as unknown as Kysely<Database>, token, await today()) : { kind: 'unknown' });
  const tooMany = (reply: FastifyReply) => html(reply.header('retry-after', '60'), 429, messagePage('Please wait a minute', 'Too many requests came from your address. Wait a minute, then open the link again.'));

  await app.register(async (sub) => {
    // Forms post urlencoded; the webhook needs the raw bytes the gateway signed.
    sub.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_req, body, done) => done(null, new URLSearchParams(String(body))));
    sub.removeContentTypeParser('application/json');
    sub.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 512 * 1024 }, (_req, body, done) => done(null, body));

    sub.get('/pay/thanks', async (_req, reply) => html(reply, 200, messagePage('Thank you', 'Your card payment was received by our card processor and is being recorded on your account. You will get a receipt by email.')));
    sub.get('/pay/cancelled', async (_req, reply) => html(reply, 200, messagePage('No payment was made', 'You left the card page before paying. Nothing was charged. Open the link in your email again to pay.')));

    sub.get('/pay/:token', async (req, reply) => {
      if (!views.take(req.ip)) return tooMany(reply);
      const view = await load(tokenOf(req));
      if (view.kind !== 'open') return html(reply, view.kind === 'unknown' ? 404 : 410, closedPage(view, await office()));
      return html(reply, 200, openPage(view, { ...(await office()), action: req.url.split('?')[0]!, reference: linkReference(view.accountNumber, view.link.id) }));
    });

    sub.post('/pay/:token', async (req, reply) => {
      if (!views.take(req.ip) || !posts.take(req.ip)) return tooMany(reply);
      const view = await load(tokenOf(req));
      if (view.kind !== 'open') return html(reply, view.kind === 'unknown' ? 404 : 410, closedPage(view, await office()));
      const ctx = { ...(await office()), action: req.url.split('?')[0]!, reference: linkReference(view.accountNumber, view.link.id) };
      const amountText = req.body instanceof URLSearchParams ? (req.body.get('amount') ?? '') : '';
      if (!opts.gateway || !opts.publicUrl) return html(reply, 409, openPage(view, ctx));
      const amount = checkPayAmount(amountText, view.balanceCents, view.options.allowOverpay);
      if (!amount.ok) return html(reply, 400, openPage(view, ctx, { amount: amountText.slice(0, 40), error: amount.message }));
      try {
        const base = opts.publicUrl.replace(/\/+$/, '');
        const session = await opts.gateway.createCheckout({
          linkId: view.link.id,
          amountCents: amount.cents,
          currency: view.options.currency,
          description: `${ctx.officeName}: account ${view.accountNumber}`,
          // The token never goes to the gateway: these pages need none.
          successUrl: `${base}/pay/thanks`,
          cancelUrl: `${base}/pay/cancelled`,
          customerEmail: view.link.email,
        });
        req.log.info({ linkId: view.link.id, sessionId: session.id, amountCents: amount.cents }, 'checkout session created');
        return reply.code(303).header('location', session.url).header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').send();
      } catch (e) {
        req.log.error({ err: e, linkId: view.link.id }, 'checkout session could not be created');
        const msg = e instanceof AppFailure ? e.message : 'The card payment service could not be reached. Nothing was charged; please try again in a few minutes.';
        return html(reply, 502, openPage(view, ctx, { amount: amountText.slice(0, 40), error: msg }));
      }
    });

    registerGatewayWebhook(sub, store, opts, log, announce);
  });
}

/** The gateway's webhook: signed events, verified on the raw bytes, then taken once each. */
function registerGatewayWebhook(sub: FastifyInstance, store: ServerStore, opts: PaymentLinkOptions, log: Logger, announce: (seq: number) => void): void {
  sub.post('/v1/gateway/stripe/webhook', async (req, reply) => {
    if (!opts.gateway) return reply.code(404).send({ ok: false, error: { code: 'NOT_FOUND', message: 'No payment gateway is configured on this server.' } });
    if (!Buffer.isBuffer(req.body)) return reply.code(400).send({ ok: false, error: { code: 'VALIDATION', message: 'Send the event as application/json.' } });
    let ev;
    try {
      const sig = req.headers['stripe-signature'];
      ev = opts.gateway.parseWebhook(req.body, Array.isArray(sig) ? sig[0] : sig);
    } catch (e) {
      req.log.warn({ ip: req.ip }, 'gateway webhook refused: signature does not verify');
      const message = e instanceof AppFailure ? e.message : 'The webhook signature does not verify.';
      return reply.code(400).send({ ok: false, error: { code: 'VALIDATION', message } });
    }
    const out = await takeGatewayEvent(store, opts.gateway.name, ev, log, announce);
    return reply.send({ received: true, ...out });
  });
}
