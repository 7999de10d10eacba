/**
 * Delivery against a real SMTP server on loopback, run as a separate process (smtp-sink.ts): what
 * arrives (recipient, subject, merged body, the statement PDF), the server stopping mid-batch, and
 * the sender itself (the deliver-worker script) being killed mid-batch. Nothing lost, nothing twice.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createSmtpTransport, runDeliveryBatch, type MailTransport } from '../../src/core/notifications/delivery';
import { makeLedger, manualClock, seedAccount, type TestLedger } from '../helpers/ledger';
import { saveProfile } from './fixtures';
import { receivedCount, receivedMails, startSink, type Sink } from './sink';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

let t: TestLedger | null = null;
const sinks: Sink[] = [];
const transports: MailTransport[] = [];
afterEach(async () => {
  for (const s of sinks.splice(0)) await s.stop();
  for (const tr of transports.splice(0)) tr.close();
  if (t) await t.cleanup();
  t = null;
});

/** n accounts with one overdue invoice each (40 days → level 2), and a profile. Today 2026-03-15. */
async function ledgerWith(n: number, clock = manualClock()) {
  t = await makeLedger({ clock });
  await t.run(t.admin, 'settings.update', { officeName: 'North Clinic Billing', officeContact: '555-0100' });
  for (let i = 0; i < n; i++) {
    await seedAccount(t, `N${1000 + i}`, [{ number: `INV-${i}`, due: '2026-02-03', lines: [`${100 + i}.25`] }], `Payer Number${i}`);
  }
  const profile = await saveProfile(t);
  const batch = await t.run(t.supervisor, 'statements.run', { profileId: profile.id });
  expect(batch.notifications).toBe(n);
  return { profile, batch };
}

const smtp = (port: number) => {
  const tr = createSmtpTransport({ host: '127.0.0.1', port, tls: 'none', timeoutMs: 5000 });
  transports.push(tr);
  return tr;
};

async function notifications() {
  return t!.core.db.selectFrom('notifications').innerJoin('accounts', 'accounts.id', 'notifications.account_id').select(['notifications.id', 'notifications.status', 'notifications.message_id', 'notifications.pdf_sha256', 'notifications.outcome_unknown', 'accounts.account_number', 'accounts.email']).execute();
}

function expectEachOnce(dir: string, expectedIds: string[]) {
  const got = receivedMails(dir).map((m) => m.messageId);
  const counts = new Map<string, number>();
  for (const id of got) counts.set(id, (counts.get(id) ?? 0) + 1);
  expect([...counts.values()].filter((c) => c > 1)).toEqual([]); // nothing twice
  expect([...counts.keys()].sort()).toEqual([...expectedIds].sort()); // nothing lost
}

describe('delivery over SMTP (separate sink process)', () => {
  it('delivers each notification with recipient, subject, merged body and the statement PDF', async () => {
    await ledgerWith(4);
    const dir = join(t!.dir, 'mail');
    const sink = await startSink(dir);
    sinks.push(sink);
    const report = await runDeliveryBatch(t!.core.db, t!.clock, smtp(sink.port), { defaultFrom: 'billing@clinic.test' });
    expect(report).toMatchObject({ sent: 4, retryable: 0, permanent: 0, stoppedBecause: null });
    const mails = receivedMails(dir);
    expect(mails).toHaveLength(4);
    const rows = await notifications();
    for (const n of rows) {
      const m = mails.find((x) => x.messageId === n.message_id)!;
      expect(m, n.account_number).toBeTruthy();
      expect(m.to.toLowerCase()).toBe(n.email!.toLowerCase());
      expect(m.subject).toMatch(/^Reminder: \$1\d\d\.25 is 40 days past due$/);
      expect(m.text).toContain(`A reminder that $`);
      expect(m.text).toContain(`on account ${n.account_number} is past due since Feb 3, 2026`);
      expect(m.text).toMatch(/Quote STM-[0-9A-Z]{5}-[0-9A-Z]{5}\./);
      expect(m.headers['x-ledgerdesk-notification']).toBe(n.id);
      expect(m.attachments).toHaveLength(1);
      expect(m.attachments[0]!.contentType).toBe('application/pdf');
      expect(m.attachments[0]!.filename).toBe(`statement-${n.account_number}-2026-03-15.pdf`);
      expect(m.attachments[0]!.content.subarray(0, 5).toString()).toBe('%PDF-');
      expect(createHash('sha256').update(m.attachments[0]!.content).digest('hex')).toBe(n.pdf_sha256);
      expect(n.status).toBe('sent');
    }
    // A second run finds nothing due.
    expect((await runDeliveryBatch(t!.core.db, t!.clock, smtp(sink.port))).claimed).toBe(0);
    expect(receivedCount(dir)).toBe(4);
  });

  it('test mode sends every message to the test address', async () => {
    await ledgerWith(2);
    await t!.run(t!.admin, 'notifications.updateSettings', { testMode: true, testAddress: 'qa@clinic.test', fromAddress: 'billing@clinic.test', fromName: 'Clinic Billing' });
    const dir = join(t!.dir, 'mail');
    const sink = await startSink(dir);
    sinks.push(sink);
    await runDeliveryBatch(t!.core.db, t!.clock, smtp(sink.port));
    const mails = receivedMails(dir);
    expect(mails.map((m) => m.to)).toEqual(['qa@clinic.test', 'qa@clinic.test']);
    expect(mails[0]!.subject).toMatch(/^\[TEST for n10\d\d@example.com\] Reminder/i);
    expect(mails[0]!.headers['from']).toBe('Clinic Billing <billing@clinic.test>');
  });

  it('the SMTP server stopped mid-batch and restarted: nothing lost, nothing sent twice', async () => {
    await ledgerWith(12);
    const dir = join(t!.dir, 'mail');
    const first = await startSink(dir, { exitAfter: 5 });
    sinks.push(first);
    const r1 = await runDeliveryBatch(t!.core.db, t!.clock, smtp(first.port));
    expect(r1.sent).toBe(5);
    expect(r1.retryable).toBe(1);
    expect(r1.stoppedBecause).toMatch(/unavailable/);
    expect(await first.exited).toBe(0);
    let rows = await notifications();
    expect(rows.filter((n) => n.status === 'sent')).toHaveLength(5);
    expect(rows.filter((n) => n.status === 'error')).toHaveLength(1);
    expect(rows.filter((n) => n.status === 'queued')).toHaveLength(6);

    // While it is down, the failing one waits for its backoff and the run stops at the first refusal.
    const r2 = await runDeliveryBatch(t!.core.db, t!.clock, smtp(first.port));
    expect(r2.sent).toBe(0);
    expect(r2.retryable).toBe(1);

    const second = await startSink(dir, { port: first.port });
    sinks.push(second);
    t!.clock.advance(5 * 60_000); // past the backoff
    const r3 = await runDeliveryBatch(t!.core.db, t!.clock, smtp(second.port));
    expect(r3.sent).toBe(7);
    rows = await notifications();
    expect(rows.every((n) => n.status === 'sent')).toBe(true);
    expectEachOnce(dir, rows.map((n) => n.message_id));
    const err = await t!.core.db.selectFrom('notification_history').select('detail').where('status', '=', 'error').execute();
    expect(err[0]!.detail).toMatch(/Error \(retryable\), attempt 1: The mail server is unavailable/);
  });

  it('the deliver-worker killed mid-batch and restarted: at most once, the rest delivered', async () => {
    await ledgerWith(30, manualClock(new Date(Date.now() - 3600_000).toISOString()));
    const dir = join(t!.dir, 'mail');
    const sink = await startSink(dir, { delayMs: 25 });
    sinks.push(sink);
    const db = join(t!.dir, 'ledger.sqlite');
    const args = ['src/server/notifications/deliver-worker.ts', '--db', db, '--smtp-host', '127.0.0.1', '--smtp-port', String(sink.port), '--smtp-tls', 'none'];
    // Its own process group, so the kill reaches node under tsx: the whole sender dies at once.
    const worker = spawn(TSX, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const workerExit = new Promise((r) => worker.on('exit', r));
    const deadline = Date.now() + 30_000;
    while (receivedCount(dir) < 6 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    process.kill(-worker.pid!, 'SIGKILL');
    await workerExit;
    const before = receivedCount(dir);
    expect(before).toBeGreaterThanOrEqual(6);
    expect(before).toBeLessThan(30); // it really was mid-batch

    // The restarted worker (lease 0: the old process is known dead) finishes the batch.
    const out = await new Promise<string>((res, rej) => {
      const w = spawn(TSX, [...args, '--lease-ms', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      w.stdout.on('data', (d) => (text += String(d)));
      w.stderr.on('data', (d) => (text += String(d)));
      w.on('exit', (code) => (code === 0 ? res(text) : rej(new Error(text))));
    });
    const report = JSON.parse(/DELIVERY (.*)/.exec(out)![1]!);
    const rows = await notifications();
    const unknown = rows.filter((n) => n.status === 'error');
    expect(unknown.length).toBeLessThanOrEqual(1); // one message at a time is in flight
    expect(report.recoveredUnknown).toBe(unknown.length);
    for (const u of unknown) expect(u.outcome_unknown).toBe(1);
    expect(rows.filter((n) => n.status === 'sent')).toHaveLength(30 - unknown.length);
    // Nothing twice; everything that is Sent arrived.
    const got = receivedMails(dir).map((m) => m.messageId);
    expect(new Set(got).size).toBe(got.length);
    for (const n of rows.filter((x) => x.status === 'sent')) expect(got).toContain(n.message_id);
  });
});
