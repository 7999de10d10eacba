import Stripe from 'stripe';
import { AppFailure } from '../../shared/result';

/** What the payer page needs of a payment gateway. Stripe Checkout is the one there is. */
export interface Gateway {
  name: string;
  /** Where the payer's browser is sent to pay (the page's CSP form-action lets the redirect through). */
  checkoutOrigins: string[];
  createCheckout(r: CheckoutRequest): Promise<{ id: string; url: string }>;
  /** Verifies the signature on the raw body; a bad or missing one is a VALIDATION failure (HTTP 400). */
  parseWebhook(rawBody: Buffer, signature: string | undefined): WebhookEvent;
}

export interface CheckoutRequest {
  linkId: string;
  amountCents: number;
  currency: string;
  description: string;
  successUrl: string;
  cancelUrl: string;
  customerEmail?: string | null;
}

export interface WebhookEvent {
  eventId: string;
  type: string;
  /** Set for an event that says money was taken for a checkout session. */
  paid: { sessionId: string; linkId: string | null; amountCents: number; currency: string; email: string | null } | null;
}

export interface StripeConfig {
  secretKey: string;
  webhookSecret: string;
  /** Tests point the client at a local stand-in (http://127.0.0.1:PORT): the real gateway cannot be reached from here. */
  apiBase?: string;
}

/** Reads STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET and STRIPE_API_BASE; null when no gateway is configured. */
export function stripeConfigFromEnv(env: NodeJS.ProcessEnv): StripeConfig | null {
  if (!env.STRIPE_SECRET_KEY || !env.STRIPE_WEBHOOK_SECRET) return null;
  return { secretKey: env.STRIPE_SECRET_KEY, webhookSecret: env.STRIPE_WEBHOOK_SECRET, apiBase: env.STRIPE_API_BASE || undefined };
}

// Events that mean the session's money was taken (a delayed method succeeds later).
const PAID_EVENTS = new Set(['checkout.session.completed', 'checkout.session.async_payment_succeeded']);

export function stripeGateway(cfg: StripeConfig): Gateway {
  const base = cfg.apiBase ? new URL(cfg.apiBase) : null;
  const stripe = new Stripe(cfg.secretKey, {
    maxNetworkRetries: 2,
    timeout: 20_000,
    telemetry: false,
    ...(base
      ? {
          host: base.hostname,
          port: base.port || (base.protocol === 'https:' ? 443 : 80),
          protocol: base.protocol === 'http:' ? 'http' : 'https',
        }
      : {}),
  });
  return {
    name: 'stripe',
    checkoutOrigins: ['https://checkout.stripe.com', ...(base ? [base.origin] : [])],
    async createCheckout(r) {
      const s = await stripe.checkout.sessions.create(
        {
          mode: 'payment',
          line_items: [{ quantity: 1, price_data: { currency: r.currency, unit_amount: r.amountCents, product_data: { name: r.description } } }],
          metadata: { link_id: r.linkId },
          payment_intent_data: { metadata: { link_id: r.linkId } },
          client_reference_id: r.linkId,
          success_url: r.successUrl,
          cancel_url: r.cancelUrl,
          ...(r.customerEmail ? { customer_email: r.customerEmail } : {}),
        },
      );
      if (!s.url) throw new AppFailure('UNAVAILABLE', 'The payment service did not give a checkout page. Nothing was charged; try again in a few minutes.');
      return { id: s.id, url: s.url };
    },
    parseWebhook(rawBody, signature) {
      if (!signature) throw new AppFailure('VALIDATION', 'Missing Stripe-Signature header.');
      let event: Stripe.Event;
      try {
        event = stripe.webhooks.constructEvent(rawBody, signature, cfg.webhookSecret);
      } catch {
        throw new AppFailure('VALIDATION', 'The webhook signature does not verify.');
      }
      if (!PAID_EVENTS.has(event.type)) return { eventId: event.id, type: event.type, paid: null };
      const s = event.data.object as Stripe.Checkout.Session;
      if (s.payment_status !== 'paid' || typeof s.amount_total !== 'number') return { eventId: event.id, type: event.type, paid: null };
      return {
        eventId: event.id,
        type: event.type,
        paid: {
          sessionId: s.id,
          linkId: s.metadata?.link_id ?? s.client_reference_id ?? null,
          amountCents: s.amount_total,
          currency: s.currency ?? '',
          email: s.customer_details?.email ?? null,
        },
      };
    },
  };
}
