import { createServer, type Server } from 'node:http';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPayLinkToken, payLinkUrl } from '../../src/shared/contract/payment-links';
import { ADMIN, drain, freePort, ledgerProblems, makeDesk, serverDb, startServer, type Desk, type RunningServer } from './helpers';
import type { RunInput, RunName, RunOutput } from '../helpers/channels';
import type { Actor } from '../../src/core/commands/types';

/**
 * Issue 14 item 4 against the real server process: a link made on a desk, synced; the payer page
 * served by the server; a Stripe Checkout session created through the `stripe` package against a
 * LOCAL STAND-IN of Stripe's API (the real gateway cannot be reached from here); the webhook signed
 * with the library's own test signatures and verified by the server; the payment recorded once and
 * arriving on the desk as a card payment.
 */
const WEBHOOK_SECRET = 'whsec_test_paylink_secret';
const stripe = new Stripe('sk_test_paylink');

interface StandIn {
  url: string;
  sessions: Array<Record<string, string>>;
  close(): Promise<void>;
}

/** A tiny stand-in for Stripe's API: POST /v1/checkout/sessions answers a session with a checkout URL. */
async function startStripeStandIn(): Promise<StandIn> {
  const sessions: Array<Record<string, string>> = [];
  let base = '';
  const srv: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/checkout/sessions') {
        if (req.headers.authorization !== 'Bearer sk_test_paylink') {
          res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { type: 'invalid_request_error', message: 'bad key' } }));
          return;
        }
        const form = Object.fromEntries(new URLSearchParams(body));
        sessions.push(form);
        const id = `cs_test_${sessions.length}`;
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            id,
            object: 'checkout.session',
            url: `${base}/checkout/${id}`,
            amount_total: Number(form['line_items[0][price_data][unit_amount]']),
            currency: form['line_items[0][price_data][currency]'],
            metadata: { link_id: form['metadata[link_id]'] },
            payment_status: 'unpaid',
            status: 'open',
          }),
        );
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `no ${req.method} ${req.url}` } }));
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(srv.address() as { port: number }).port}`;
  return { url: base, sessions, close: () => new Promise((r) => srv.close(() => r())) };
}

function completedEvent(eventId: string, sessionId: string, linkId: string, amountCents: number): string {
  return JSON.stringify({
    id: eventId,
    object: 'event',
    type: 'checkout.session.completed',
    api_version: '2025-01-27',
    created: 1_790_000_000,
    data: {
      object: {
        id: sessionId,
        object: 'checkout.session',
        amount_total: amountCents,
        currency: 'usd',
        payment_status: 'paid',
        status: 'complete',
        client_reference_id: linkId,
        metadata: { link_id: linkId },
        customer_details: { email: 'payer@example.org' },
      },
    },
  });
}

async function query<K extends RunName>(d: Desk, actor: Actor, name: K, input: RunInput<K>): Promise<RunOutput<K>> {
  const r = await d.core.executor.query<RunOutput<K>>(actor, name, input);
  if (!r.ok) throw new Error(`${name} failed: ${r.error.message}`);
  return r.value;
}

const post = (url: string, body: string, headers: Record<string, string>) => fetch(url, { method: 'POST', body, headers, redirect: 'manual' });
const sign = (payload: string, secret = WEBHOOK_SECRET) => stripe.webhooks.generateTestHeaderString({ payload, secret });

describe('payment links through the real server and a stand-in gateway', () => {
  let server: RunningServer;
  let standIn: StandIn;
  let publicUrl: string;
  const desks: Desk[] = [];
  let desk: Desk;
  let accountId = '';
  let admin: Actor;

  beforeAll(async () => {
    standIn = await startStripeStandIn();
    const port = await freePort();
    publicUrl = `http://127.0.0.1:${port}`;
    server = await startServer({
      env: { PORT: String(port), PUBLIC_URL: publicUrl, STRIPE_SECRET_KEY: 'sk_test_paylink', STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_BASE: standIn.url, SCHEDULE_EVERY_MS: '0' },
    });
    desk = await makeDesk('paylink', server.url);
    desks.push(desk);
    admin = await desk.signIn(ADMIN.username, ADMIN.password);
    const div = await desk.run(admin, 'divisions.create', { name: 'North' });
    const acct = await desk.run(admin, 'accounts.create', { divisionId: div.id, accountNumber: 'PL-1', name: 'Pat Payer', email: 'pat@example.org' });
    accountId = acct.id;
    await desk.run(admin, 'invoices.create', { accountId, invoiceNumber: 'INV-77', invoiceDate: '2026-01-10', dueDate: '2026-02-10', lines: [{ category: 'Tuition', description: 'Spring', amount: '100.00' }] });
    await drain(desk);
  }, 120_000);

  afterAll(async () => {
    for (const d of desks) await d.close();
    await server?.kill();
    await standIn?.close();
  });

  it('a link made on a desk is paid once through the gateway and arrives on the desk as a card payment', async () => {
    const avail = await query(desk, admin, 'paymentLinks.availability', {});
    expect(avail).toMatchObject({ available: true, publicUrl, gateway: true });
    const token = newPayLinkToken();
    const link = await desk.run(admin, 'paymentLinks.create', { accountId, token, email: 'pat@example.org' });
    expect(link).toMatchObject({ state: 'open', amountCents: 10000, emailed: true });
    // Only the token's hash is kept; the email carries the link.
    const stored = await desk.core.db.selectFrom('payment_links').selectAll().where('id', '=', link.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(token);
    const mail = await desk.core.db.selectFrom('email_outbox').selectAll().where('related_id', '=', link.id).executeTakeFirstOrThrow();
    expect(mail.body_text).toContain(payLinkUrl(publicUrl, token));
    await drain(desk);

    const url = payLinkUrl(publicUrl, token);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await page.text();
    expect(html).toContain('Pay account PL-1');
    expect(html).toContain('$100.00');
    expect(html).toContain('INV-77');
    expect(html).not.toContain('<script');

    // More than the balance is refused, and no session is created.
    const over = await post(url, 'amount=150.00', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(over.status).toBe(400);
    expect(await over.text()).toContain('cannot be more than the balance of $100.00');
    const zero = await post(url, 'amount=0', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(zero.status).toBe(400);
    expect(standIn.sessions).toHaveLength(0);

    // Another amount: the server creates the checkout session and sends the payer there.
    const go = await post(url, 'amount=40.00', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(go.status).toBe(303);
    expect(go.headers.get('location')).toBe(`${standIn.url}/checkout/cs_test_1`);
    expect(standIn.sessions[0]).toMatchObject({
      mode: 'payment',
      'line_items[0][price_data][unit_amount]': '4000',
      'line_items[0][price_data][currency]': 'usd',
      'metadata[link_id]': link.id,
      success_url: `${publicUrl}/pay/thanks`,
    });
    expect(JSON.stringify(standIn.sessions[0])).not.toContain(token);

    const hook = `${publicUrl}/v1/gateway/stripe/webhook`;
    const payload = completedEvent('evt_paylink_1', 'cs_test_1', link.id, 4000);
    // A bad signature: 400, nothing recorded.
    const forged = await post(hook, payload, { 'content-type': 'application/json', 'stripe-signature': sign(payload, 'whsec_wrong') });
    expect(forged.status).toBe(400);
    const unsigned = await post(hook, payload, { 'content-type': 'application/json' });
    expect(unsigned.status).toBe(400);
    const s = serverDb(server);
    expect(await s.db.selectFrom('payments').select('id').where('account_id', '=', accountId).execute()).toHaveLength(0);

    const first = await post(hook, payload, { 'content-type': 'application/json', 'stripe-signature': sign(payload) });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ received: true, outcome: 'recorded' });
    // The gateway retries: the same event again records nothing.
    const replay = await post(hook, payload, { 'content-type': 'application/json', 'stripe-signature': sign(payload) });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ outcome: 'duplicate' });
    // Another event for the same session (async success after completed) records nothing either.
    const again = completedEvent('evt_paylink_2', 'cs_test_1', link.id, 4000);
    expect(await (await post(hook, again, { 'content-type': 'application/json', 'stripe-signature': sign(again) })).json()).toMatchObject({ outcome: 'already-recorded' });

    const onServer = await s.db.selectFrom('payments').selectAll().where('account_id', '=', accountId).execute();
    expect(onServer).toHaveLength(1);
    expect(onServer[0]).toMatchObject({ method: 'card', amount_cents: 4000, status: 'pending' });
    expect(await ledgerProblems(s.db)).toEqual([]);
    await s.close();

    // Single use: the page now says so, and another checkout is refused.
    const used = await fetch(url);
    expect(used.status).toBe(410);
    expect(await used.text()).toContain('This link has been used');
    expect((await post(url, 'amount=10.00', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(410);
    expect(standIn.sessions).toHaveLength(1);

    await drain(desk);
    const onDesk = await desk.core.db.selectFrom('payments').selectAll().where('account_id', '=', accountId).execute();
    expect(onDesk).toHaveLength(1);
    expect(onDesk[0]).toMatchObject({ method: 'card', amount_cents: 4000 });
    const acct = await desk.core.db.selectFrom('accounts').select('balance_cents').where('id', '=', accountId).executeTakeFirstOrThrow();
    expect(acct.balance_cents).toBe(6000);
    const links = await query(desk, admin, 'paymentLinks.list', { accountId });
    expect(links[0]).toMatchObject({ id: link.id, state: 'paid', paidPaymentId: onDesk[0]!.id });
    expect(await ledgerProblems(desk.core.db)).toEqual([]);
  }, 120_000);

  it('revoked, expired and unknown links are refused plainly', async () => {
    const token = newPayLinkToken();
    const link = await desk.run(admin, 'paymentLinks.create', { accountId, token });
    expect(link.emailed).toBe(false);
    await drain(desk);
    expect((await fetch(payLinkUrl(publicUrl, token))).status).toBe(200);
    await desk.run(admin, 'paymentLinks.revoke', { linkId: link.id, reason: 'Sent to the wrong address' });
    await drain(desk);
    const revoked = await fetch(payLinkUrl(publicUrl, token));
    expect(revoked.status).toBe(410);
    expect(await revoked.text()).toContain('This link was withdrawn');
    expect((await post(payLinkUrl(publicUrl, token), 'amount=10.00', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(410);

    // A desk whose business date is three weeks back makes a 14-day link: past its last day now.
    const old = await makeDesk('paylink-old', server.url, { clock: { now: () => new Date(Date.now() - 21 * 86_400_000), today: () => new Date(Date.now() - 21 * 86_400_000).toISOString().slice(0, 10) } });
    desks.push(old);
    const a2 = await old.signIn(ADMIN.username, ADMIN.password);
    await drain(old);
    const oldToken = newPayLinkToken();
    await old.run(a2, 'paymentLinks.create', { accountId, token: oldToken });
    await drain(old);
    const expired = await fetch(payLinkUrl(publicUrl, oldToken));
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('This link has expired');

    // Money the gateway took for an account made inactive meanwhile is kept On Hold, never dropped.
    const acct2 = await desk.run(admin, 'accounts.create', { divisionId: (await desk.core.db.selectFrom('divisions').select('id').executeTakeFirstOrThrow()).id, accountNumber: 'PL-2', name: 'Quinn Closed' });
    await desk.run(admin, 'invoices.create', { accountId: acct2.id, invoiceNumber: 'INV-88', invoiceDate: '2026-01-10', dueDate: '2026-01-10', lines: [{ category: 'Fees', description: 'x', amount: '30.00' }] });
    const l2Token = newPayLinkToken();
    const l2 = await desk.run(admin, 'paymentLinks.create', { accountId: acct2.id, token: l2Token });
    await drain(desk);
    expect((await post(payLinkUrl(publicUrl, l2Token), 'amount=30.00', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(303);
    await desk.run(admin, 'accounts.setStatus', { accountId: acct2.id, status: 'inactive', reason: 'Moved away' });
    await drain(desk);
    const ev = completedEvent('evt_paylink_inactive', `cs_test_${standIn.sessions.length}`, l2.id, 3000);
    const kept = await post(`${publicUrl}/v1/gateway/stripe/webhook`, ev, { 'content-type': 'application/json', 'stripe-signature': sign(ev) });
    expect(await kept.json()).toMatchObject({ outcome: 'kept' });
    await drain(desk);
    const held = await desk.core.db.selectFrom('payments').selectAll().where('account_id', '=', acct2.id).execute();
    expect(held).toHaveLength(1);
    expect(held[0]).toMatchObject({ method: 'card', amount_cents: 3000, status: 'on_hold' });
    expect(held[0]!.hold_reason).toContain('inactive');
    expect(await ledgerProblems(desk.core.db)).toEqual([]);

    const unknown = await fetch(payLinkUrl(publicUrl, newPayLinkToken()));
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('Link not found');
    expect((await fetch(`${publicUrl}/pay/not-a-token`)).status).toBe(404);
  }, 120_000);
});

describe('payment links on a server with no gateway', () => {
  let server: RunningServer;
  let desk: Desk;
  beforeAll(async () => {
    const port = await freePort();
    server = await startServer({ env: { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, SCHEDULE_EVERY_MS: '0', PAY_PAGES_PER_MINUTE: '4' } });
    desk = await makeDesk('paylink-nogw', server.url);
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
    await server?.kill();
  });

  it('the page says how to pay by check or transfer, with the reference', async () => {
    const admin = await desk.signIn(ADMIN.username, ADMIN.password);
    const div = await desk.run(admin, 'divisions.create', { name: 'South' });
    const acct = await desk.run(admin, 'accounts.create', { divisionId: div.id, accountNumber: 'NG-9', name: 'No Gateway' });
    await desk.run(admin, 'invoices.create', { accountId: acct.id, invoiceNumber: 'I-9', invoiceDate: '2026-01-10', dueDate: '2026-01-10', lines: [{ category: 'Fees', description: 'x', amount: '25.00' }] });
    await desk.run(admin, 'paymentLinks.configure', { payInstructions: 'Mail a check to 1 Main St, Springfield.' });
    await drain(desk);
    expect(await query(desk, admin, 'paymentLinks.availability', {})).toMatchObject({ available: true, gateway: false });
    const token = newPayLinkToken();
    await desk.run(admin, 'paymentLinks.create', { accountId: acct.id, token });
    await drain(desk);
    const res = await fetch(payLinkUrl(server.url, token));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('How to pay');
    expect(html).toContain('Mail a check to 1 Main St, Springfield.');
    expect(html).toMatch(/reference <strong>NG-9-[0-9A-F]{6}<\/strong>/);
    expect(html).not.toContain('<form');
    // No gateway: the webhook does not exist here.
    expect((await post(`${server.url}/v1/gateway/stripe/webhook`, '{}', { 'content-type': 'application/json' })).status).toBe(404);
    // Payer pages are rate-limited per address (PAY_PAGES_PER_MINUTE=4 here).
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push((await fetch(payLinkUrl(server.url, token))).status);
    expect(codes.filter((c) => c === 429).length).toBeGreaterThan(0);
  }, 120_000);
});
