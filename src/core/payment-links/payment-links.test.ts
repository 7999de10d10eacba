import { afterEach, describe, expect, it } from 'vitest';
import { expectError, makeLedger, manualClock, seedAccount, type TestLedger } from '../../../test/helpers/ledger';
import { newPayLinkToken } from '../../shared/contract/payment-links';
import { verifyLedger } from '../ledger/checks';
import { checkPayAmount } from './pay-amount';
import { loadPayerView } from './payer-view';
import { hashLinkToken } from './token';
import { LEVELS, saveProfile } from '../../../test/notifications/fixtures';

let t: TestLedger;
afterEach(async () => t?.cleanup());

const publish = (t: TestLedger, publicUrl: string | null, gateway = true) => t.run(t.admin, 'paymentLinks.publish', { publicUrl, gateway });

describe('payment links in core', () => {
  it('a standalone desk explains why links are not available and makes none', async () => {
    t = await makeLedger();
    const acct = await seedAccount(t, 'A-1', [{ number: 'I-1', due: '2026-03-01', lines: ['50.00'] }]);
    const avail = await t.run(t.csr, 'paymentLinks.availability', {});
    expect(avail.available).toBe(false);
    expect(avail.reason).toMatch(/central server/);
    expectError(await t.attempt(t.csr, 'paymentLinks.create', { accountId: acct.id, token: newPayLinkToken() }), 'UNAVAILABLE');
    expect(await t.core.db.selectFrom('payment_links').selectAll().execute()).toEqual([]);
  });

  it('records the hash, the balance, a business-date expiry, an audit entry without the token, and the email', async () => {
    t = await makeLedger({ clock: manualClock('2026-03-15T15:00:00Z') });
    await publish(t, 'https://pay.example.org');
    const acct = await seedAccount(t, 'A-2', [{ number: 'I-1', due: '2026-03-01', lines: ['50.00', '25.50'] }]);
    const token = newPayLinkToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const link = await t.run(t.csr, 'paymentLinks.create', { accountId: acct.id, token, email: 'payer@example.org' });
    expect(link).toMatchObject({ state: 'open', amountCents: 7550, expiresOn: '2026-03-29', emailed: true, createdByName: 'Carla CSR' });
    const row = await t.core.db.selectFrom('payment_links').selectAll().executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(hashLinkToken(token));
    const audit = await t.core.db.selectFrom('audit_log').selectAll().where('entity', '=', 'payment_link').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(token);
    expect(JSON.stringify(audit)).not.toContain(row.token_hash);
    const mail = await t.core.db.selectFrom('email_outbox').selectAll().where('kind', '=', 'payment-link').executeTakeFirstOrThrow();
    expect(mail.body_text).toContain(`https://pay.example.org/pay/${token}`);
    // A link good for 3 days, and bad input refused with the field.
    expect((await t.run(t.csr, 'paymentLinks.create', { accountId: acct.id, token: newPayLinkToken(), expiresInDays: 3 })).expiresOn).toBe('2026-03-18');
    expectError(await t.attempt(t.csr, 'paymentLinks.create', { accountId: acct.id, token: 'short' }), 'VALIDATION', 'token');
    expectError(await t.attempt(t.csr, 'paymentLinks.create', { accountId: acct.id, token, email: 'x@example.org' }), 'CONFLICT', 'token');
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });

  it('the page view: open, then expired after its last day; revoked by its author or a supervisor only', async () => {
    const clock = manualClock('2026-03-15T15:00:00Z');
    t = await makeLedger({ clock });
    await publish(t, 'https://pay.example.org');
    const acct = await seedAccount(t, 'A-3', [{ number: 'I-1', due: '2026-03-01', lines: ['80.00'] }]);
    const token = newPayLinkToken();
    const link = await t.run(t.csr, 'paymentLinks.create', { accountId: acct.id, token });
    const open = await loadPayerView(t.core.db, token, '2026-03-29');
    expect(open).toMatchObject({ kind: 'open', accountNumber: 'A-3', balanceCents: 8000, invoices: [{ invoiceNumber: 'I-1', openCents: 8000 }] });
    expect((await loadPayerView(t.core.db, token, '2026-03-30')).kind).toBe('expired');
    expect((await loadPayerView(t.core.db, newPayLinkToken(), '2026-03-15')).kind).toBe('unknown');
    clock.set('2026-03-31T15:00:00Z');
    expect((await t.run(t.csr, 'paymentLinks.list', { accountId: acct.id }))[0].state).toBe('expired');

    const other = await t.run(t.admin, 'users.create', { username: 'cora', displayName: 'Cora CSR', role: 'csr', password: 'csr-password-2' });
    expectError(await t.attempt({ userId: other.id, role: 'csr' }, 'paymentLinks.revoke', { linkId: link.id, reason: 'x' }), 'FORBIDDEN', 'linkId');
    expectError(await t.attempt(t.csr, 'paymentLinks.revoke', { linkId: link.id, reason: '' }), 'VALIDATION', 'reason');
    const revoked = await t.run(t.supervisor, 'paymentLinks.revoke', { linkId: link.id, reason: 'Wrong payer' });
    expect(revoked).toMatchObject({ state: 'revoked', revokeReason: 'Wrong payer' });
    expect((await loadPayerView(t.core.db, token, '2026-03-16')).kind).toBe('revoked');
    expectError(await t.attempt(t.csr, 'paymentLinks.revoke', { linkId: link.id, reason: 'again' }), 'CONFLICT');
  });

  it('only the server publishes its address; the desk router has no channel for it', async () => {
    t = await makeLedger();
    expectError(await t.attempt(t.csr, 'paymentLinks.publish', { publicUrl: 'https://evil.example', gateway: true }), 'FORBIDDEN');
    const { channels } = await import('../../shared/contract');
    expect(channels).not.toContain('paymentLinks.publish');
    expect(channels).not.toContain('paymentLinks.markPaid');
  });
});

describe('statement emails with a payment link', () => {
  it('a profile that asks for it: each email carries its own link (placed by {{pay_link}} or added at the end); letters and other profiles do not', async () => {
    t = await makeLedger();
    await publish(t, 'https://pay.example.org');
    const a1 = await seedAccount(t, 'N-1', [{ number: 'I-1', due: '2026-03-10', lines: ['60.00'] }]);
    await seedAccount(t, 'N-2', [{ number: 'I-2', due: '2026-03-10', lines: ['20.00'] }]);
    await t.run(t.admin, 'accounts.update', { accountId: (await t.core.db.selectFrom('accounts').select('id').where('account_number', '=', 'N-2').executeTakeFirstOrThrow()).id, email: '' });
    const levels = [{ ...LEVELS[0]!, emailBody: 'Dear {{payer_name}}, pay here: {{pay_link}}' }, LEVELS[1]!, LEVELS[2]!];
    const withLink = await saveProfile(t, { includePayLink: true, levels });
    expect((await t.run(t.supervisor, 'statementProfiles.list', {}))[0].includePayLink).toBe(true);
    await t.run(t.supervisor, 'statements.run', { profileId: withLink.id });
    const ns = await t.core.db.selectFrom('notifications').innerJoin('accounts', 'accounts.id', 'notifications.account_id').select(['account_number', 'channel', 'body_text']).execute();
    const email = ns.find((n) => n.account_number === 'N-1')!;
    expect(email.channel).toBe('email');
    const url = /https:\/\/pay\.example\.org\/pay\/([A-Za-z0-9_-]{43})/.exec(email.body_text)?.[1];
    expect(url).toBeDefined();
    expect(email.body_text).toMatch(/^Dear .*, pay here: https:/);
    const view = await loadPayerView(t.core.db, url!, t.clock.today());
    expect(view).toMatchObject({ kind: 'open', accountNumber: 'N-1', balanceCents: 6000 });
    // The letter (no email address) has no link, and no link was made for it.
    expect(ns.find((n) => n.account_number === 'N-2')!.channel).toBe('letter');
    const links = await t.core.db.selectFrom('payment_links').selectAll().execute();
    expect(links.map((l) => l.account_id)).toEqual([a1.id]);

    // A template that does not place it: the link goes at the end. A profile without the option: none.
    t.clock.set('2026-04-20T15:00:00Z');
    const plain = await saveProfile(t, { name: 'No links' });
    await t.run(t.supervisor, 'statements.run', { profileId: plain.id });
    expect(await t.core.db.selectFrom('payment_links').selectAll().execute()).toHaveLength(1);
    const atEnd = await saveProfile(t, { name: 'Links at the end', includePayLink: true });
    t.clock.set('2026-05-25T15:00:00Z');
    await t.run(t.supervisor, 'statements.run', { profileId: atEnd.id });
    const last = await t.core.db.selectFrom('notifications').select(['body_text', 'status']).where('profile_id', '=', atEnd.id).where('channel', '=', 'email').executeTakeFirstOrThrow();
    expect(last.body_text).toMatch(/Pay online \(no login needed\): https:\/\/pay\.example\.org\/pay\/[A-Za-z0-9_-]{43}\n$/);
  });
});

describe('what a payer may pay', () => {
  it('more than zero, at most the balance unless overpaying is allowed, exact text', () => {
    expect(checkPayAmount('40.00', 10000, false)).toEqual({ ok: true, cents: 4000 });
    expect(checkPayAmount('$100.00', 10000, false)).toEqual({ ok: true, cents: 10000 });
    expect(checkPayAmount('100.01', 10000, false)).toEqual({ ok: false, message: 'The amount cannot be more than the balance of $100.00.' });
    expect(checkPayAmount('100.01', 10000, true)).toEqual({ ok: true, cents: 10001 });
    expect(checkPayAmount('0', 10000, false).ok).toBe(false);
    expect(checkPayAmount('-5', 10000, true).ok).toBe(false);
    expect(checkPayAmount('12.345', 10000, false)).toEqual({ ok: false, message: 'Amounts have at most two decimal places.' });
    expect(checkPayAmount('5.00', 0, false)).toEqual({ ok: false, message: 'This account has no balance to pay.' });
  });
});

describe('paymentLinks.configure (Settings → Payment links)', () => {
  it('an Admin changes the options; bad input gets a precise message on its field and changes nothing', async () => {
    t = await makeLedger();
    const before = (await t.run(t.csr, 'paymentLinks.availability', {})).options;
    expect(before).toEqual({ currency: 'usd', allowOverpay: false, expiryDays: 14, payInstructions: '' });
    expectError(await t.attempt(t.supervisor, 'paymentLinks.configure', { expiryDays: 30 }), 'FORBIDDEN');
    for (const [input, field, message] of [
      [{ expiryDays: 0 }, 'expiryDays', 'A link must be good for at least one day.'],
      [{ expiryDays: 91 }, 'expiryDays', 'A link can be good for at most 90 days.'],
      [{ expiryDays: 2.5 }, 'expiryDays', 'Links are good for whole days.'],
      [{ expiryDays: null }, 'expiryDays', 'Enter the number of days a link stays good.'],
      [{ currency: 'USD' }, 'currency', 'A currency is three lower-case letters, e.g. usd.'],
      [{ payInstructions: 'x'.repeat(2001) }, 'payInstructions', 'How to pay is longer than 2000 characters.'],
    ] as const) {
      const r = await t.attempt(t.admin, 'paymentLinks.configure', input);
      expectError(r, 'VALIDATION', field);
      expect(JSON.stringify(r)).toContain(message);
    }
    expect((await t.run(t.csr, 'paymentLinks.availability', {})).options).toEqual(before);
    const after = await t.run(t.admin, 'paymentLinks.configure', { expiryDays: 30, payInstructions: '  Mail a check to 1 Main St.  ' });
    expect(after).toEqual({ ...before, expiryDays: 30, payInstructions: 'Mail a check to 1 Main St.' });
    expect((await t.run(t.csr, 'paymentLinks.availability', {})).defaultExpiryDays).toBe(30);
  });
});
