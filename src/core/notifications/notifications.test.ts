import { afterEach, describe, expect, it } from 'vitest';
import { expectError, makeLedger, seedAccount, type TestLedger } from '../../../test/helpers/ledger';
import { LEVELS, profileInput, saveProfile } from '../../../test/notifications/fixtures';
import { verifyLedger } from '../ledger/checks';
import { runDeliveryBatch } from './delivery/runner';
import type { MailTransport, OutgoingMail } from './delivery/smtp';
import { highestLevelForItems, levelOffset, selectLevel } from './levels';
import { renderStatementPdf } from './statement-pdf';
import { unknownMergeFields, renderTemplate } from './templates';
import { loadSnapshot } from './runs';

const L = LEVELS.map((l, i) => ({ ...l, level: i + 1 }));

describe('dunning levels', () => {
  it('selects the highest level reached by days past due', () => {
    expect(levelOffset({ timing: 'before', days: 5 })).toBe(-5);
    expect(levelOffset({ timing: 'on', days: 9 })).toBe(0);
    expect(levelOffset({ timing: 'after', days: 30 })).toBe(30);
    expect(selectLevel(L, -1)).toBeNull();
    expect(selectLevel(L, 0)?.name).toBe('Statement');
    expect(selectLevel(L, 29)?.name).toBe('Statement');
    expect(selectLevel(L, 30)?.name).toBe('Reminder');
    expect(selectLevel(L, 59)?.name).toBe('Reminder');
    expect(selectLevel(L, 60)?.name).toBe('Final notice');
    expect(selectLevel(L, 400)?.name).toBe('Final notice');
    const early = [{ level: 1, name: 'Courtesy', timing: 'before' as const, days: 7 }, ...L.slice(1).map((l) => ({ ...l, level: l.level }))];
    expect(selectLevel(early, -7)?.name).toBe('Courtesy');
    expect(selectLevel(early, -8)).toBeNull();
  });

  it('an account with several overdue items follows its highest level', () => {
    expect(highestLevelForItems(L, [3, 65, 31])?.name).toBe('Final notice');
    expect(highestLevelForItems(L, [-10, 31])?.name).toBe('Reminder');
    expect(highestLevelForItems(L, [-10, -2])).toBeNull();
  });

  it('merge fields: unknown ones are found, known ones filled', () => {
    expect(unknownMergeFields('Hi {{payer_name}} {{ payer_nmae }} {{balance}} {{x y}} {{payer_nmae}}')).toEqual(['payer_nmae', 'x y']);
    expect(renderTemplate('Hi {{ payer_name }}, {{balance}}', { payer_name: 'Ann', balance: '$1.00' } as never)).toBe('Hi Ann, $1.00');
  });
});

let t: TestLedger;
afterEach(async () => {
  if (t) {
    expect(await verifyLedger(t.core.db)).toEqual([]);
    await t.cleanup();
  }
});

/** Today is 2026-03-15 (the test clock). */
async function scenario() {
  t = await makeLedger();
  await t.run(t.admin, 'settings.update', { officeName: 'North Clinic Billing', officeContact: '12 Main St · 555-0100' });
  const a1 = await seedAccount(t, 'A1001', [
    { number: 'I-1', due: '2026-01-10', lines: ['100.00'] },
    { number: 'I-2', due: '2026-03-05', lines: ['50.00', '25.50'] },
  ], 'Ann Able');
  const a2 = await seedAccount(t, 'A1002', [{ number: 'I-3', due: '2026-02-10', lines: ['80.00'] }], 'Bob Baker');
  const a3 = await seedAccount(t, 'A1003', [{ number: 'I-4', due: '2026-03-15', lines: ['40.00'] }], 'Cy Cole');
  const a4 = await seedAccount(t, 'A1004', [{ number: 'I-5', due: '2026-04-01', lines: ['60.00'] }], 'Di Dunn');
  const a5 = await seedAccount(t, 'A1005', [{ number: 'I-6', due: '2026-01-01', lines: ['30.00'] }], 'Ed Eve');
  await t.run(t.csr, 'payments.record', { accountId: a5.id, amount: '30.00', method: 'cash' });
  const profile = await saveProfile(t);
  return { a1, a2, a3, a4, a5, profile };
}

const byAccount = async (filter: Record<string, unknown> = {}) => {
  const list = await t.run(t.supervisor, 'notifications.list', { view: 'all', ...filter });
  return Object.fromEntries(list.rows.map((r) => [r.accountNumber, r]));
};

class FakeTransport implements MailTransport {
  sent: OutgoingMail[] = [];
  failWith: ((m: OutgoingMail) => Error | null) | null = null;
  async send(m: OutgoingMail) {
    const e = this.failWith?.(m);
    if (e) throw e;
    this.sent.push(m);
    return { accepted: [m.to], rejected: [], response: `250 OK ${this.sent.length}` };
  }
  close() {}
}

describe('statement profiles', () => {
  it('refuses a template with an unknown merge field, naming the field', async () => {
    t = await makeLedger();
    const levels = LEVELS.map((l) => ({ ...l }));
    levels[1] = { ...levels[1]!, emailBody: 'Dear {{payer_nmae}}, you owe {{balance}}.' };
    const r = await t.attempt(t.admin, 'statementProfiles.save', profileInput({ levels }));
    expectError(r, 'VALIDATION', 'levels.1.emailBody');
    if (!r.ok) expect(r.error.message).toContain('{{payer_nmae}}');
    expect((await t.run(t.supervisor, 'statementProfiles.list', {})).length).toBe(0);
  });

  it('refuses levels that do not escalate, and a CSR may not save profiles', async () => {
    t = await makeLedger();
    const levels = [LEVELS[0], { ...LEVELS[1]!, timing: 'on' }];
    expectError(await t.attempt(t.admin, 'statementProfiles.save', profileInput({ levels })), 'VALIDATION', 'levels.1.days');
    expectError(await t.attempt(t.csr, 'statementProfiles.save', profileInput()), 'FORBIDDEN');
    const p = await saveProfile(t);
    const p2 = await t.run(t.admin, 'statementProfiles.save', profileInput({ profileId: p.id, sendTime: '09:30' }));
    expect(p2.version).toBe(2);
    expect(p2.levels.map((l) => l.level)).toEqual([1, 2, 3]);
  });
});

describe('statement runs', () => {
  it('one notification per account at its highest level; merged messages; not repeated on the next run', async () => {
    const { profile } = await scenario();
    const batch = await t.run(t.supervisor, 'statements.run', { profileId: profile.id });
    expect(batch.statements).toBe(3);
    expect(batch.notifications).toBe(3);
    const n = await byAccount();
    expect(Object.keys(n).sort()).toEqual(['A1001', 'A1002', 'A1003']);
    expect([n.A1001.level, n.A1001.levelName]).toEqual([3, 'Final notice']); // items 64 and 10 days past due
    expect([n.A1002.level, n.A1002.levelName]).toEqual([2, 'Reminder']);
    expect([n.A1003.level, n.A1003.levelName]).toEqual([1, 'Statement']);
    expect(n.A1001.status).toBe('queued');
    const d = await t.run(t.supervisor, 'notifications.get', { notificationId: n.A1003.id });
    expect(d.subject).toBe('Your statement from North Clinic Billing: $40.00 due');
    expect(d.body).toContain('Dear Cy Cole');
    expect(d.body).toContain('account A1003');
    expect(d.body).toMatch(/quote STM-[0-9A-Z]{5}-[0-9A-Z]{5}/);
    expect(d.body).toContain('12 Main St');
    expect(d.history).toHaveLength(1);
    expect(d.history[0].status).toBe('queued');
    expect(d.history[0].template).toBe('Monthly statements v1 · level 1 Statement · email');

    const again = await t.run(t.supervisor, 'statements.run', { profileId: profile.id });
    expect(again.notifications).toBe(0);
    expect(again.skipped).toBe(3);

    // 31 days later A1003 reaches Reminder: its new notification supersedes nothing (the first was
    // not sent yet → it is cancelled as superseded), so the account still has one pending.
    t.clock.set('2026-04-15T15:00:00Z');
    const later = await t.run(t.supervisor, 'statements.run', { profileId: profile.id });
    expect(later.notifications).toBeGreaterThan(0);
    const pending = (await t.run(t.supervisor, 'notifications.list', { view: 'all', accountId: (await byAccount()).A1003.accountId })).rows;
    expect(pending.filter((r) => r.status === 'queued')).toHaveLength(1);
    expect(pending.find((r) => r.status === 'queued')!.levelName).toBe('Reminder');
    const old = await t.run(t.supervisor, 'notifications.get', { notificationId: n.A1003.id });
    expect(old.status).toBe('cancelled');
    expect(old.history.at(-1)!.detail).toContain('superseded');
  });

  it('a payment that clears the balance cancels the pending notification, shown in its history', async () => {
    const { a2, profile } = await scenario();
    await t.run(t.supervisor, 'statements.run', { profileId: profile.id });
    // A partial payment leaves it pending.
    await t.run(t.csr, 'payments.record', { accountId: a2.id, amount: '30.00', method: 'cash' });
    expect((await byAccount()).A1002.status).toBe('queued');
    const pay = await t.run(t.csr, 'payments.record', { accountId: a2.id, amount: '50.00', method: 'card' });
    const n = (await byAccount()).A1002;
    expect(n.status).toBe('cancelled');
    const d = await t.run(t.supervisor, 'notifications.get', { notificationId: n.id });
    expect(d.history.at(-1)!.detail).toContain(`payment ${pay.reference}`);
    expect(d.history.at(-1)!.detail).toContain('paid before sending');
    // The sender never sends it.
    const tr = new FakeTransport();
    await runDeliveryBatch(t.core.db, t.clock, tr);
    expect(tr.sent.map((m) => m.to)).not.toContain('A1002@example.com');
  });

  it('a balance paid by other means is caught when the sender claims it', async () => {
    const { a3, profile } = await scenario();
    await t.run(t.supervisor, 'statements.run', { profileId: profile.id });
    // Paid by a credit: credits.post does not run the paid-before-sending hook that payments run,
    // so only the sender's check at claim time catches it.
    const item = await t.run(t.csr, 'creditItems.create', { name: 'Goodwill' });
    await t.run(t.csr, 'credits.post', { accountId: a3.id, amount: '40.00', creditItemId: item.id });
    expect((await t.run(t.csr, 'payers.get', { accountId: a3.id })).account.balanceCents).toBe(0);
    const tr = new FakeTransport();
    const r = await runDeliveryBatch(t.core.db, t.clock, tr);
    expect(r.cancelled).toBe(1);
    expect(r.sent).toBe(2);
    expect((await byAccount()).A1003.status).toBe('cancelled');
  });

  it('opt-outs are respected: pending cancelled, skipped by runs, refused on demand, caught at send time', async () => {
    const { a1, a3, profile } = await scenario();
    await t.run(t.supervisor, 'statements.run', { profileId: profile.id });
    await t.run(t.supervisor, 'notifications.setOptOut', { accountId: a3.id, optedOut: true, reason: 'Asked by phone' });
    expect((await byAccount()).A1003.status).toBe('cancelled');
    t.clock.set('2026-04-20T15:00:00Z');
    await t.run(t.supervisor, 'statements.run', { profileId: profile.id });
    const rows = (await t.run(t.supervisor, 'notifications.list', { view: 'all', accountId: a3.id })).rows;
    expect(rows.every((r) => r.status === 'cancelled')).toBe(true);
    expectError(await t.attempt(t.csr, 'notifications.onDemand', { accountId: a3.id, profileId: profile.id, channel: 'auto' }), 'CONFLICT', 'accountId');
    // Opted out behind the queue's back (a row arriving by sync, which runs no local command; forged
    // on purpose): the sender still refuses.
    await t.core.db.insertInto('notification_opt_outs').values({ account_id: a1.id, reason: 'synced', created_by: t.admin.userId, created_at: t.clock.now().toISOString() }).execute();
    const tr = new FakeTransport();
    await runDeliveryBatch(t.core.db, t.clock, tr);
    expect(tr.sent.map((m) => m.to.toLowerCase())).not.toContain('a1001@example.com');
    const a1rows = (await t.run(t.supervisor, 'notifications.list', { view: 'all', accountId: a1.id })).rows;
    expect(a1rows.filter((r) => r.status === 'sent')).toHaveLength(0);
  });

  it('an invalid email address puts the notification in Error (permanent) with the reason; no email → letter', async () => {
    const { a1, a2, profile } = await scenario();
    // Forged on purpose: accounts.update refuses a malformed address; this is one that came in
    // before validation (an old import), which the sender must still catch.
    await t.core.db.updateTable('accounts').set({ email: 'ann@@example' }).where('id', '=', a1.id).execute();
    await t.run(t.supervisor, 'accounts.update', { accountId: a2.id, email: '' });
    await t.run(t.supervisor, 'statements.run', { profileId: profile.id });
    const n = await byAccount();
    expect(n.A1001.status).toBe('error');
    expect(n.A1001.errorKind).toBe('permanent');
    expect(n.A1001.errorMessage).toContain('"ann@@example" is not a valid email address');
    expect(n.A1002.channel).toBe('letter');
    const errors = await t.run(t.supervisor, 'notifications.list', { view: 'errors' });
    expect(errors.rows.map((r) => r.accountNumber)).toEqual(['A1001']);

    // Letters go into one PDF per batch.
    const tr = new FakeTransport();
    const r = await runDeliveryBatch(t.core.db, t.clock, tr);
    expect(r.letters).toBe(1);
    expect(r.letterFiles).toBe(1);
    expect(tr.sent).toHaveLength(1);
    const batch = (await t.run(t.supervisor, 'statements.batches', {}))[0];
    expect(batch.letterFiles).toHaveLength(1);
    const file = await t.run(t.supervisor, 'statements.lettersPdf', { letterFileId: batch.letterFiles[0].id });
    expect(Buffer.from(file.contentBase64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');

    // Fix the address, retry from the Errors view: it goes out.
    await t.run(t.supervisor, 'accounts.update', { accountId: a1.id, email: 'ann@example.com' });
    await t.run(t.supervisor, 'notifications.retry', { notificationIds: [n.A1001.id] });
    await runDeliveryBatch(t.core.db, t.clock, tr);
    expect(tr.sent.at(-1)!.to).toBe('ann@example.com');
    const d = await t.run(t.supervisor, 'notifications.get', { notificationId: n.A1001.id });
    expect(d.history.map((h) => h.status)).toEqual(['queued', 'error', 'queued', 'sending', 'sent']);
  });

  it('the SMTP server going away: Error (retryable), backoff, the run stops; a refused recipient is permanent', async () => {
    const { profile } = await scenario();
    await t.run(t.supervisor, 'statements.run', { profileId: profile.id });
    const tr = new FakeTransport();
    tr.failWith = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2525'), { code: 'ECONNECTION' });
    const r1 = await runDeliveryBatch(t.core.db, t.clock, tr);
    expect(r1.retryable).toBe(1);
    expect(r1.stoppedBecause).toContain('unavailable');
    let n = await byAccount();
    expect(Object.values(n).map((x) => x.status).sort()).toEqual(['error', 'queued', 'queued']);
    const failed = Object.values(n).find((x) => x.status === 'error')!;
    expect(failed.errorKind).toBe('retryable');
    expect(failed.nextAttemptAt).toBe('2026-03-15T15:01:00.000Z');
    tr.failWith = (m) => (m.to === 'A1002@example.com' ? Object.assign(new Error('550 mailbox unavailable'), { code: 'EENVELOPE', responseCode: 550 }) : null);
    const r2 = await runDeliveryBatch(t.core.db, t.clock, tr); // the failed one waits for its backoff
    expect(r2.sent + r2.permanent).toBe(2);
    t.clock.advance(61_000);
    await runDeliveryBatch(t.core.db, t.clock, tr);
    n = await byAccount();
    expect(n.A1002.status).toBe('error');
    expect(n.A1002.errorKind).toBe('permanent');
    expect(n.A1002.errorMessage).toContain('refused the recipient');
    expect(tr.sent).toHaveLength(2);
    // Cancel and opt the payer out from the Errors view.
    const c = await t.run(t.supervisor, 'notifications.cancel', { notificationIds: [n.A1002.id], optOut: true });
    expect(c).toEqual({ cancelled: 1, optedOut: 1 });
    expect((await t.run(t.csr, 'notifications.forAccount', { accountId: n.A1002.accountId })).optedOut).toBe(true);
  });

  it('gives up after the maximum attempts', async () => {
    const { profile } = await scenario();
    await t.run(t.supervisor, 'statements.run', { profileId: profile.id });
    const tr = new FakeTransport();
    tr.failWith = () => Object.assign(new Error('451 try later'), { code: 'EMESSAGE', responseCode: 451 });
    for (let i = 0; i < 4; i++) {
      await runDeliveryBatch(t.core.db, t.clock, tr, { maxAttempts: 3, backoffBaseMs: 1000 });
      t.clock.advance(10_000);
    }
    const n = await byAccount();
    for (const x of Object.values(n)) {
      expect(x.status).toBe('error');
      expect(x.errorKind).toBe('permanent');
      expect(x.attempts).toBe(3);
      expect(x.errorMessage).toContain('Gave up after 3 attempts');
    }
  });

  it('a sender that stopped mid-send: never-started claims are re-queued, an in-flight one is not resent', async () => {
    const { profile } = await scenario();
    await t.run(t.supervisor, 'statements.run', { profileId: profile.id });
    const tr = new FakeTransport();
    // The "process" dies right after the SMTP server accepted the 2nd message.
    const crash = new Error('crash');
    await expect(
      runDeliveryBatch(t.core.db, t.clock, tr, {
        afterAccepted: () => {
          if (tr.sent.length === 2) throw crash;
        },
        chunk: 10,
      }),
    ).rejects.toBe(crash);
    const statuses = Object.values(await byAccount()).map((x) => x.status).sort();
    expect(statuses).toEqual(['sending', 'sending', 'sent']);
    // Restart after the lease.
    t.clock.advance(11 * 60_000);
    const r = await runDeliveryBatch(t.core.db, t.clock, tr);
    expect(r.recoveredRequeued).toBe(1);
    expect(r.recoveredUnknown).toBe(1);
    expect(r.sent).toBe(1);
    expect(tr.sent).toHaveLength(3);
    expect(new Set(tr.sent.map((m) => m.messageId)).size).toBe(3);
    const unknown = Object.values(await byAccount()).find((x) => x.status === 'error')!;
    expect(unknown.outcomeUnknown).toBe(true);
    expect(unknown.errorMessage).toContain('It was not sent again');
  });
});

describe('statement files and on-demand', () => {
  it('lists unknown accounts and queues nothing for them; several rows of one account make one notification', async () => {
    const { profile } = await scenario();
    const csv = ['Account Number,Amount Due,Due Date,Level', 'A1001,10.00,2026-03-01,', 'A1001,15.50,2026-01-01,', 'ZZ999,5.00,2026-03-01,', 'A1002,12.00,03/01/2026,3', 'A1003,abc,2026-03-01,', 'A1004,9.00,2026-03-20,'].join('\n');
    const preview = await t.run(t.supervisor, 'statements.previewFile', { fileName: 'notices.csv', contentBase64: Buffer.from(csv).toString('base64') });
    expect(preview.unknownAccounts).toEqual([{ row: 4, accountNumber: 'ZZ999' }]);
    expect(preview.issues).toEqual([{ row: 6, column: 'Amount Due', message: '"abc" is not an amount of money (for example 1234.56).' }]);
    expect(preview.notes).toEqual([]);
    expect(preview.rows).toHaveLength(5);
    const batch = await t.run(t.supervisor, 'statements.uploadFile', { profileId: profile.id, fileName: 'notices.csv', rows: preview.rows });
    expect(batch.source).toBe('file');
    expect(batch.notifications).toBe(3);
    expect(batch.issues.map((i) => i.message)).toContain('Unknown account ZZ999: nothing was queued for it.');
    const n = await byAccount({ batchId: batch.id });
    expect(Object.keys(n).sort()).toEqual(['A1001', 'A1002', 'A1004']);
    expect(n.A1001.levelName).toBe('Final notice'); // its rows are 14 and 73 days past due: the highest wins
    expect(n.A1002.levelName).toBe('Final notice'); // the file said level 3
    expect(n.A1004.levelName).toBe('Statement'); // not yet due: level 1, scheduled on its due date
    expect(n.A1004.scheduledAt >= '2026-03-20').toBe(true);
    const d = await t.run(t.supervisor, 'notifications.get', { notificationId: n.A1001.id });
    expect(d.body).toContain('$25.50 is 73 days past due');
  });

  it('refuses a file without the needed columns, naming them', async () => {
    t = await makeLedger();
    const r = await t.attempt(t.supervisor, 'statements.previewFile', { fileName: 'x.csv', contentBase64: Buffer.from('Account,Total\nA1,2').toString('base64') });
    expectError(r, 'VALIDATION', 'file');
    if (!r.ok) expect(r.error.message).toContain('Due Date');
  });

  it('on-demand: a CSR queues a statement for one account now', async () => {
    const { a3, profile } = await scenario();
    const n = await t.run(t.csr, 'notifications.onDemand', { accountId: a3.id, profileId: profile.id, channel: 'auto' });
    expect(n.status).toBe('queued');
    expect(n.levelName).toBe('Statement');
    expect(n.scheduledAt).toBe(t.clock.now().toISOString());
    const tr = new FakeTransport();
    await runDeliveryBatch(t.core.db, t.clock, tr);
    expect(tr.sent.map((m) => m.to)).toEqual(['A1003@example.com']);
  });

  it('statement PDF: balance forward with aging, and the same bytes every time', async () => {
    const { profile } = await scenario();
    const batch = await t.run(t.supervisor, 'statements.run', { profileId: profile.id });
    const detail = await t.run(t.supervisor, 'statements.batch', { batchId: batch.id });
    const row = detail.statementRows.find((s) => s.accountNumber === 'A1001')!;
    const snap = await loadSnapshot(t.core.db, row.id);
    expect(snap.closingCents).toBe(17550);
    expect(snap.aging).toEqual({ current: 0, d1_30: 7550, d31_60: 0, d61_90: 10000, over90: 0 });
    expect(snap.openingCents + snap.activity.reduce((s, a) => s + a.amountCents, 0)).toBe(snap.closingCents);
    const a = await renderStatementPdf(snap);
    const b = await renderStatementPdf(snap);
    expect(a.subarray(0, 5).toString()).toBe('%PDF-');
    expect(a.equals(b)).toBe(true);
    const dl = await t.run(t.supervisor, 'statements.pdf', { statementId: row.id });
    expect(dl.mime).toBe('application/pdf');
  });
});
