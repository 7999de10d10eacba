import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { formatDateTime } from '../../../shared/dates';
import { newId } from '../../../shared/ids';
import type { Clock } from '../../commands/types';
import type { Database } from '../../db/schema';
import { readSettings } from '../../settings/settings';
import { readNotificationSettings } from '../actions';
import { addHistory, isValidEmail } from '../queue';
import type { StatementSnapshot } from '../statement-data';
import { renderLettersPdf, renderStatementPdf } from '../statement-pdf';
import { classifySendError, type MailTransport } from './smtp';

export interface DeliveryOptions {
  /** At most this many notifications per run (default 500). */
  limit?: number;
  /** A claim older than this belongs to a sender that stopped (default 10 minutes). */
  leaseMs?: number;
  /** Notifications claimed per transaction (default 20). */
  chunk?: number;
  /** Retryable failures after which a notification is given up as permanent (default 8). */
  maxAttempts?: number;
  /** Backoff after the n-th failed attempt: base × 2^(n−1), at most max (default 1 min … 6 h). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Email From when the settings hold none. */
  defaultFrom?: string;
  /** Called after the SMTP server accepted a message and before it is recorded (tests use it). */
  afterAccepted?: (notificationId: string) => Promise<void> | void;
}

export interface DeliveryReport {
  recoveredRequeued: number;
  recoveredUnknown: number;
  claimed: number;
  sent: number;
  letters: number;
  letterFiles: number;
  cancelled: number;
  retryable: number;
  permanent: number;
  /** Set when the run stopped early because the SMTP server was unavailable. */
  stoppedBecause: string | null;
}

const ACTOR = 'delivery';
type N = Database['notifications'];

/**
 * A notification stuck in Sending belongs to a sender that stopped. If it never reached the SMTP
 * server (send_started_at empty) it goes back to the queue. If it may have (the sender stopped
 * between handing the message over and recording the answer), it is NOT sent again: it goes to
 * Error with "outcome unknown" for a person to check (at most once, see docs/notifications.md).
 */
export async function recoverStale(db: Kysely<Database>, now: Date, leaseMs: number): Promise<{ requeued: number; unknown: number }> {
  const cutoff = new Date(now.getTime() - leaseMs).toISOString();
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const stale = await trx.selectFrom('notifications').select(['id', 'send_started_at', 'template', 'message_id', 'attempts', 'channel']).where('status', '=', 'sending').where('claimed_at', '<=', cutoff).execute();
    let requeued = 0;
    let unknown = 0;
    for (const s of stale) {
      if (!s.send_started_at) {
        await trx
          .updateTable('notifications')
          .set({ status: 'queued', claim_token: null, claimed_at: null, attempts: Math.max(0, Number(s.attempts) - 1), updated_at: at })
          .where('id', '=', s.id)
          .where('status', '=', 'sending')
          .execute();
        requeued++;
      } else {
        const msg = `Outcome unknown: the sender stopped after handing the message to the mail server (${formatDateTime(s.send_started_at)}) and before hearing its answer. It was not sent again. Check the mail server's log for Message-ID ${s.message_id}, then Retry or Cancel.`;
        await trx
          .updateTable('notifications')
          .set({ status: 'error', error_kind: 'permanent', error_message: msg, outcome_unknown: 1, claim_token: null, next_attempt_at: null, updated_at: at })
          .where('id', '=', s.id)
          .where('status', '=', 'sending')
          .execute();
        await addHistory(trx, { notification_id: s.id, at, status: 'error', detail: msg, template: s.template, actor: ACTOR });
        unknown++;
      }
    }
    return { requeued, unknown };
  });
}

interface Claimed {
  n: N;
  token: string;
  address: string | null;
  accountEmail: string | null;
  accountNumber: string;
}

/**
 * Claims due notifications of one channel in one transaction: Queued (scheduled time reached) or
 * Error (retryable, backoff over) → Sending, with a claim token and the attempt counted. Each is
 * checked first: a paid balance or an opt-out cancels it, a bad address is a permanent error.
 */
async function claim(db: Kysely<Database>, now: Date, channel: 'email' | 'letter', max: number, testAddress: string | null, report: DeliveryReport): Promise<Claimed[]> {
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('notifications')
      .innerJoin('accounts', 'accounts.id', 'notifications.account_id')
      .leftJoin('notification_opt_outs', 'notification_opt_outs.account_id', 'notifications.account_id')
      .selectAll('notifications')
      .select(['accounts.balance_cents', 'accounts.email as account_email', 'accounts.status as account_status', 'accounts.account_number', 'notification_opt_outs.reason as opt_out_reason'])
      .where('notifications.channel', '=', channel)
      .where((eb) =>
        eb.or([
          eb.and([eb('notifications.status', '=', 'queued'), eb('notifications.scheduled_at', '<=', at)]),
          eb.and([eb('notifications.status', '=', 'error'), eb('notifications.error_kind', '=', 'retryable'), eb('notifications.next_attempt_at', '<=', at)]),
        ]),
      )
      .orderBy('notifications.scheduled_at')
      .orderBy('notifications.id')
      .limit(max)
      .execute();
    const out: Claimed[] = [];
    for (const d of due) {
      const cancel = async (detail: string) => {
        await trx.updateTable('notifications').set({ status: 'cancelled', next_attempt_at: null, updated_at: at }).where('id', '=', d.id).where('status', '=', d.status).execute();
        await addHistory(trx, { notification_id: d.id, at, status: 'cancelled', detail, template: d.template, actor: ACTOR });
        report.cancelled++;
      };
      if (d.opt_out_reason !== null) {
        await cancel(`Cancelled before sending: the payer opted out of notifications (${d.opt_out_reason}).`);
        continue;
      }
      if (Number(d.balance_cents) <= 0) {
        await cancel(`Cancelled before sending: the balance was paid (now ${(Number(d.balance_cents) / 100).toFixed(2)}).`);
        continue;
      }
      if (d.account_status !== 'active') {
        await cancel('Cancelled before sending: the account is inactive.');
        continue;
      }
      let address: string | null = null;
      if (channel === 'email') {
        const payer = d.account_email?.trim() || null;
        const problem = !payer ? 'The payer has no email address.' : !isValidEmail(payer) ? `"${payer}" is not a valid email address.` : null;
        if (problem) {
          await trx
            .updateTable('notifications')
            .set({ status: 'error', error_kind: 'permanent', error_message: problem, to_address: payer, next_attempt_at: null, updated_at: at })
            .where('id', '=', d.id)
            .execute();
          await addHistory(trx, { notification_id: d.id, at, status: 'error', detail: `Error (permanent): ${problem}`, template: d.template, actor: ACTOR });
          report.permanent++;
          continue;
        }
        address = testAddress ?? payer;
      }
      const token = randomUUID();
      const r = await trx
        .updateTable('notifications')
        .set({ status: 'sending', claim_token: token, claimed_at: at, send_started_at: null, attempts: Number(d.attempts) + 1, to_address: d.channel === 'email' ? d.account_email : null, updated_at: at })
        .where('id', '=', d.id)
        .where('status', '=', d.status)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) continue; // another sender took it
      const { balance_cents: _b, account_email, account_status: _s, account_number, opt_out_reason: _o, ...n } = d;
      out.push({ n: { ...n, attempts: Number(d.attempts) + 1, status: 'sending', claim_token: token }, token, address, accountEmail: account_email, accountNumber: account_number });
      report.claimed++;
    }
    return out;
  });
}

/** Puts claimed-but-never-attempted notifications back as they were (nothing happened to them). */
async function release(db: Kysely<Database>, items: Claimed[], now: Date): Promise<void> {
  if (items.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const c of items) {
      await trx
        .updateTable('notifications')
        .set({ status: c.n.error_kind === 'retryable' ? 'error' : 'queued', claim_token: null, claimed_at: null, attempts: c.n.attempts - 1, updated_at: now.toISOString() })
        .where('id', '=', c.n.id)
        .where('claim_token', '=', c.token)
        .where('send_started_at', 'is', null)
        .execute();
    }
  });
}

async function snapshotOf(db: Kysely<Database>, statementId: string): Promise<StatementSnapshot> {
  const s = await db.selectFrom('statements').select('snapshot_json').where('id', '=', statementId).executeTakeFirstOrThrow();
  return JSON.parse(s.snapshot_json) as StatementSnapshot;
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * One delivery run, as the server's scheduler calls it: recovers stale claims, prints the due
 * letters of each batch into one PDF, then claims, sends and records due emails one at a time.
 * Safe to run again after any crash: nothing is sent twice (see docs/notifications.md).
 */
// long: one delivery run in its crash-safe order (recover, print letters, claim, send, record); each step reads the previous one's report
export async function runDeliveryBatch(db: Kysely<Database>, clock: Clock, transport: MailTransport, opts: DeliveryOptions = {}): Promise<DeliveryReport> {
  const limit = opts.limit ?? 500;
  const chunk = opts.chunk ?? 20;
  const maxAttempts = opts.maxAttempts ?? 8;
  const base = opts.backoffBaseMs ?? 60_000;
  const maxBackoff = opts.backoffMaxMs ?? 6 * 3600_000;
  const report: DeliveryReport = { recoveredRequeued: 0, recoveredUnknown: 0, claimed: 0, sent: 0, letters: 0, letterFiles: 0, cancelled: 0, retryable: 0, permanent: 0, stoppedBecause: null };

  const rec = await recoverStale(db, clock.now(), opts.leaseMs ?? 10 * 60_000);
  report.recoveredRequeued = rec.requeued;
  report.recoveredUnknown = rec.unknown;

  const ns = await readNotificationSettings(db);
  const office = await readSettings(db);
  const fromAddress = ns.fromAddress || opts.defaultFrom || 'statements@ledgerdesk.invalid';
  const from = `"${(ns.fromName || office.officeName).replace(/"/g, "'")}" <${fromAddress}>`;
  const testAddress = ns.testMode && ns.testAddress ? ns.testAddress : null;

  await deliverLetters(db, clock, limit, report);

  let handled = 0;
  let reconnected = false;
  while (handled < limit && !report.stoppedBecause) {
    const claimed = await claim(db, clock.now(), 'email', Math.min(chunk, limit - handled), testAddress, report);
    if (claimed.length === 0) break;
    for (let i = 0; i < claimed.length; i++) {
      const c = claimed[i]!;
      handled++;
      const snapshot = await snapshotOf(db, c.n.statement_id);
      const pdf = await renderStatementPdf(snapshot);
      const pdfSha = sha(pdf);
      // The point of no return: from here the SMTP server may have the message.
      const startedAt = clock.now().toISOString();
      const to = c.address!;
      const testNote = testAddress ? ` (test mode: sent to ${testAddress} instead of ${c.accountEmail})` : '';
      const stillOurs = await db.transaction().execute(async (trx) => {
        const u = await trx
          .updateTable('notifications')
          .set({ send_started_at: startedAt })
          .where('id', '=', c.n.id)
          .where('claim_token', '=', c.token)
          .where('status', '=', 'sending')
          .executeTakeFirst();
        if (Number(u.numUpdatedRows) !== 1) return false;
        await addHistory(trx, { notification_id: c.n.id, at: startedAt, status: 'sending', detail: `Sending to ${to}${testNote}, attempt ${c.n.attempts}, Message-ID ${c.n.message_id}.`, template: c.n.template, actor: ACTOR });
        return true;
      });
      // Our claim expired and another sender took (or cancelled) it: it is theirs now.
      if (!stillOurs) continue;
      let accepted: Awaited<ReturnType<MailTransport['send']>> | null = null;
      let failure: unknown = null;
      const mail = {
        from,
        to,
        subject: testAddress ? `[TEST for ${c.accountEmail}] ${c.n.subject ?? ''}` : (c.n.subject ?? ''),
        text: c.n.body_text,
        messageId: c.n.message_id,
        date: clock.now(),
        headers: { 'X-Ledgerdesk-Notification': c.n.id, 'X-Ledgerdesk-Account': c.accountNumber },
        attachments: [{ filename: `statement-${snapshot.account.number}-${snapshot.statementDate}.pdf`, content: pdf, contentType: 'application/pdf' }],
      };
      for (let attempt = 1; attempt <= 2 && !accepted; attempt++) {
        try {
          const r = await transport.send(mail);
          if (r.accepted.length === 0) throw Object.assign(new Error(`recipient refused: ${r.response}`), { code: 'EENVELOPE', responseCode: 550, response: r.response });
          accepted = r;
          failure = null;
        } catch (e) {
          failure = e;
          // A mail server that accepted messages in this run and then dropped the connection (an
          // idle or per-connection limit) gets one more try on a fresh connection before the run
          // stops; a server that is down from the start stops the run at once.
          if (!(classifySendError(e).connection && report.sent > 0 && !reconnected)) break;
          reconnected = true;
        }
      }
      if (accepted) {
        const r = accepted;
        await opts.afterAccepted?.(c.n.id);
        const at = clock.now().toISOString();
        await db.transaction().execute(async (trx) => {
          await trx
            .updateTable('notifications')
            .set({ status: 'sent', sent_at: at, smtp_response: r.response.slice(0, 500), pdf_sha256: pdfSha, claim_token: null, error_kind: null, error_message: null, outcome_unknown: 0, next_attempt_at: null, updated_at: at })
            .where('id', '=', c.n.id)
            .where((eb) => eb.or([eb('claim_token', '=', c.token), eb('outcome_unknown', '=', 1)]))
            .execute();
          await addHistory(trx, { notification_id: c.n.id, at, status: 'sent', detail: `Sent to ${to}${testNote}, attempt ${c.n.attempts}, with the statement PDF attached. Mail server: ${r.response.slice(0, 200)}`, template: c.n.template, actor: ACTOR });
        });
        report.sent++;
      } else {
        const f = classifySendError(failure);
        const at = clock.now();
        const giveUp = f.kind === 'permanent' || c.n.attempts >= maxAttempts;
        const next = giveUp ? null : new Date(at.getTime() + Math.min(maxBackoff, base * 2 ** (c.n.attempts - 1))).toISOString();
        const message = giveUp && f.kind === 'retryable' ? `Gave up after ${c.n.attempts} attempts. ${f.message}` : f.message;
        await db.transaction().execute(async (trx) => {
          await trx
            .updateTable('notifications')
            .set({ status: 'error', error_kind: giveUp ? 'permanent' : 'retryable', error_message: message, next_attempt_at: next, claim_token: null, send_started_at: null, updated_at: at.toISOString() })
            .where('id', '=', c.n.id)
            .where('claim_token', '=', c.token)
            .execute();
          await addHistory(trx, {
            notification_id: c.n.id,
            at: at.toISOString(),
            status: 'error',
            detail: `Error (${giveUp ? 'permanent' : 'retryable'}), attempt ${c.n.attempts}: ${message}${next ? ` Next attempt after ${formatDateTime(next)}.` : ''}`,
            template: c.n.template,
            actor: ACTOR,
          });
        });
        if (giveUp) report.permanent++;
        else report.retryable++;
        if (f.connection) {
          report.stoppedBecause = f.message;
          await release(db, claimed.slice(i + 1), clock.now());
          break;
        }
      }
    }
  }
  return report;
}

/**
 * Letters are printed, not sent: the due letters of each batch go into one PDF kept with the batch,
 * and are marked Sent in the same transaction that stores the file, so each letter is printed once.
 */
async function deliverLetters(db: Kysely<Database>, clock: Clock, limit: number, report: DeliveryReport): Promise<void> {
  const claimed = await claim(db, clock.now(), 'letter', limit, null, report);
  const byBatch = new Map<string, Claimed[]>();
  for (const c of claimed) byBatch.set(c.n.batch_id, [...(byBatch.get(c.n.batch_id) ?? []), c]);
  for (const [batchId, items] of byBatch) {
    const batch = await db.selectFrom('statement_batches').select('number').where('id', '=', batchId).executeTakeFirstOrThrow();
    const letters = [];
    for (const c of items) letters.push({ body: c.n.body_text, levelName: c.n.level_name, snapshot: await snapshotOf(db, c.n.statement_id) });
    const at = clock.now().toISOString();
    const pdf = await renderLettersPdf(`Letters ${batch.number}`, at, letters);
    const fileId = newId();
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('letter_files').values({ id: fileId, batch_id: batchId, letters: items.length, sha256: sha(pdf), pdf, created_at: at }).execute();
      for (const c of items) {
        const r = await trx
          .updateTable('notifications')
          .set({ status: 'sent', sent_at: at, letter_file_id: fileId, claim_token: null, error_kind: null, error_message: null, updated_at: at })
          .where('id', '=', c.n.id)
          .where('claim_token', '=', c.token)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 1) {
          await addHistory(trx, { notification_id: c.n.id, at, status: 'sent', detail: `Printed: added to the letters PDF of batch ${batch.number} (${items.length} letters) for mailing.`, template: c.n.template, actor: ACTOR });
          report.letters++;
        }
      }
    });
    report.letterFiles++;
  }
}
