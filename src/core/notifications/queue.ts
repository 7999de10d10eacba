import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { LevelDTO, NotificationStatus, ProfileDTO } from '../../shared/contract/notifications';
import { formatMoney } from '../../shared/money';
import { newId } from '../../shared/ids';
import type { CommandCtx } from '../commands/types';
import type { Database } from '../db/schema';
import { prepared } from '../db/prepared';
import { readSettings } from '../settings/settings';
import { readOfficeTimeZone } from '../commands/business-time';
import { instantInZone } from '../../shared/dates';
import { buildSnapshot, mergeValues, type AccountFacts } from './statement-data';
import { renderTemplate, withPayLink } from './templates';
import { notificationPayLink } from '../payment-links/notification-link';

type NotificationRow = Database['notifications'];
type HistoryRow = Database['notification_history'];

/** Notifications that have not gone out and may still be cancelled, retried or superseded. */
export const PENDING: NotificationStatus[] = ['queued', 'error'];

const emailSchema = z.string().email();
export const isValidEmail = (s: string): boolean => emailSchema.safeParse(s).success;

/** The deterministic Message-ID of a notification: a resend carries the same one. */
export const messageIdFor = (notificationId: string): string => `<${notificationId}@notifications.ledgerdesk>`;

export function templateLabel(profile: Pick<ProfileDTO, 'name' | 'version'>, level: Pick<LevelDTO, 'level' | 'name'>, channel: string): string {
  return `${profile.name} v${profile.version} · level ${level.level} ${level.name} · ${channel}`;
}

/** When a notification goes out: at the profile's time of day on the level's date, never before now. */
export function scheduleAt(triggerDate: string, sendTime: string, now: string, officeTimeZone: string | null): string {
  // The send time is the office's wall clock (never this machine's zone); UTC until a zone is chosen.
  const at = instantInZone(triggerDate, sendTime, officeTimeZone ?? 'UTC');
  return at && at.toISOString() > now ? at.toISOString() : now;
}

export function resolveChannel(
  mode: string,
  email: string | null,
  requested: 'auto' | 'email' | 'letter' = 'auto',
): { channel: 'email' | 'letter'; toAddress: string | null; error: string | null } {
  const e = email?.trim() || null;
  const want = requested !== 'auto' ? requested : mode === 'letter' ? 'letter' : mode === 'email' ? 'email' : e ? 'email' : 'letter';
  if (want === 'letter') return { channel: 'letter', toAddress: null, error: null };
  if (!e) return { channel: 'email', toAddress: null, error: 'The payer has no email address.' };
  if (!isValidEmail(e)) return { channel: 'email', toAddress: e, error: `"${e}" is not a valid email address.` };
  return { channel: 'email', toAddress: e, error: null };
}

async function insertChunked<T extends keyof Database & string>(db: Kysely<Database>, table: T, rows: readonly object[], cols: number): Promise<void> {
  const per = Math.max(1, Math.floor(30_000 / cols / 2));
  for (let i = 0; i < rows.length; i += per) {
    await db.insertInto(table).values(rows.slice(i, i + per) as never).execute();
  }
}

export interface Candidate {
  facts: AccountFacts;
  level: LevelDTO;
  /** For uploaded files: the file's amount due and due date. */
  override?: { amountDueCents: number; dueDate: string };
  /** The date the level is reached (due date + offset); the notification is scheduled then. */
  triggerDate: string;
}

export interface QueueResult {
  statements: number;
  /** Notifications queued (pending) by this call. */
  notifications: number;
  /** Requests below what was already queued for their account: recorded, cancelled as superseded. */
  superseded: number;
  skipped: number;
  notes: { accountNumber?: string; message: string }[];
  notificationIds: string[];
}

/**
 * Creates one statement and one notification per candidate account inside the command's
 * transaction, merging the level's template now (the Status History names it). The highest
 * dunning level wins, whatever the source (run, file, on-demand): a request at the same or a higher
 * level supersedes the account's pending notifications (cancelled, with a history line); a request
 * below what is pending is recorded (its statement and notification) but cancelled at once as
 * superseded by the higher one, which stays queued untouched. So an account has at most one pending
 * notification and nothing lowers it. Opted-out payers are skipped; with `dedupe`, so is an account
 * already notified at this level for the same oldest due date.
 */
// long: one transaction per request: the highest-level-wins rule needs every candidate's pending state in the same loop
export async function queueStatements(
  ctx: CommandCtx,
  profile: ProfileDTO,
  batch: { id: string; number: string; asOf: string },
  candidates: Candidate[],
  opts: { dedupe: boolean; channel?: 'auto' | 'email' | 'letter'; immediate?: boolean },
): Promise<QueueResult> {
  const settings = await readSettings(ctx.db);
  const office = { name: settings.officeName, contact: settings.officeContact };
  const officeTimeZone = await readOfficeTimeZone(ctx.db);
  const ids = candidates.map((c) => c.facts.id);
  const { optedOut, already, pendingByAccount } = await queueContext(ctx.db, profile.id, ids, opts.dedupe);

  const out: QueueResult = { statements: 0, notifications: 0, superseded: 0, skipped: 0, notes: [], notificationIds: [] };
  const statements: Database['statements'][] = [];
  const notifications: NotificationRow[] = [];
  const history: HistoryRow[] = [];
  const superseded: { id: string; by: string; level: number; levelName: string }[] = [];
  for (const c of candidates) {
    const f = c.facts;
    if (optedOut.has(f.id)) {
      out.skipped++;
      out.notes.push({ accountNumber: f.number, message: `Account ${f.number}: the payer opted out of notifications.` });
      continue;
    }
    const statementId = ctx.id(`statement/${f.id}`);
    const snapshot = buildSnapshot(statementId, f, batch.asOf, office, c.override);
    if (opts.dedupe && already.has(`${f.id}|${c.level.level}|${snapshot.oldestDueDate}`)) {
      out.skipped++;
      continue;
    }
    const notificationId = ctx.id(`notification/${f.id}`);
    // The highest pending level of the account; a lower request never replaces it.
    const higher = higherPending(pendingByAccount.get(f.id), c.level.level);
    const ch = resolveChannel(profile.channelMode, f.email, opts.channel);
    const values = mergeValues(snapshot, c.level.name);
    // A profile that asks for it: the email carries a one-time payment link (issue 14 item 4).
    const payLink = profile.includePayLink && ch.channel === 'email' && !higher && !ch.error ? await notificationPayLink(ctx, f.id, notificationId, ch.toAddress) : null;
    if (payLink) values.pay_link = payLink;
    const template = templateLabel(profile, c.level, ch.channel);
    statements.push({
      id: statementId,
      batch_id: batch.id,
      account_id: f.id,
      as_of: batch.asOf,
      period_start: snapshot.periodStart,
      opening_cents: snapshot.openingCents,
      closing_cents: snapshot.closingCents,
      amount_due_cents: snapshot.amountDueCents,
      oldest_due_date: snapshot.oldestDueDate,
      days_past_due: snapshot.daysPastDue,
      snapshot_json: JSON.stringify(snapshot),
      created_at: ctx.now,
    });
    const scheduled = opts.immediate ? ctx.now : scheduleAt(c.triggerDate, profile.sendTime, ctx.now, officeTimeZone);
    notifications.push({
      id: notificationId,
      batch_id: batch.id,
      statement_id: statementId,
      account_id: f.id,
      profile_id: profile.id,
      profile_version: profile.version,
      level: c.level.level,
      level_name: c.level.name,
      channel: ch.channel,
      to_address: ch.toAddress,
      scheduled_at: scheduled,
      status: higher ? 'cancelled' : ch.error ? 'error' : 'queued',
      error_kind: ch.error && !higher ? 'permanent' : null,
      error_message: higher ? null : ch.error,
      outcome_unknown: 0,
      attempts: 0,
      next_attempt_at: null,
      claim_token: null,
      claimed_at: null,
      send_started_at: null,
      message_id: messageIdFor(notificationId),
      subject: ch.channel === 'email' ? renderTemplate(c.level.emailSubject, values) : null,
      body_text: withPayLink(renderTemplate(ch.channel === 'email' ? c.level.emailBody : c.level.letterBody, values), ch.channel === 'email' ? c.level.emailBody : '', payLink),
      template,
      smtp_response: null,
      pdf_sha256: null,
      letter_file_id: null,
      sent_at: null,
      created_at: ctx.now,
      updated_at: ctx.now,
    });
    history.push({
      id: ctx.id(`history/${notificationId}/queued`),
      notification_id: notificationId,
      seq: 1,
      at: ctx.now,
      status: 'queued',
      detail: `${higher ? 'Requested' : 'Queued'} in batch ${batch.number} for ${new Date(scheduled).toISOString().slice(0, 16).replace('T', ' ')} UTC: ${c.level.name} (level ${c.level.level}) by ${ch.channel}, amount due ${formatMoney(snapshot.amountDueCents)}.`,
      template,
      actor: ctx.actor.userId,
    });
    if (higher) {
      const why = `Superseded by the ${higher.level_name} (level ${higher.level}) already queued for this account: the highest dunning level wins, so this ${c.level.name} (level ${c.level.level}) was not queued.`;
      history.push({ id: ctx.id(`history/${notificationId}/superseded`), notification_id: notificationId, seq: 2, at: ctx.now, status: 'cancelled', detail: why, template, actor: ctx.actor.userId });
      out.notes.push({ accountNumber: f.number, message: `Account ${f.number}: ${why}` });
      out.statements++;
      out.superseded++;
      out.notificationIds.push(notificationId);
      continue;
    }
    if (ch.error) {
      history.push({
        id: ctx.id(`history/${notificationId}/error`),
        notification_id: notificationId,
        seq: 2,
        at: ctx.now,
        status: 'error',
        detail: `Error (permanent): ${ch.error}`,
        template,
        actor: ctx.actor.userId,
      });
    }
    for (const p of pendingByAccount.get(f.id) ?? []) superseded.push({ id: p.id, by: notificationId, level: c.level.level, levelName: c.level.name });
    out.statements++;
    out.notifications++;
    out.notificationIds.push(notificationId);
  }
  await insertChunked(ctx.db, 'statements', statements, 12);
  await insertChunked(ctx.db, 'notifications', notifications, 34);
  for (let i = 0; i < superseded.length; i += 500) {
    const part = superseded.slice(i, i + 500);
    await ctx.db
      .updateTable('notifications')
      .set({ status: 'cancelled', updated_at: ctx.now, next_attempt_at: null })
      .where('id', 'in', part.map((s) => s.id))
      .where('status', 'in', PENDING)
      .execute();
    for (const s of part) {
      await addHistory(ctx.db, {
        id: ctx.id(`history/${s.id}/superseded`),
        notification_id: s.id,
        at: ctx.now,
        status: 'cancelled',
        detail: `Cancelled: superseded by a ${s.levelName} (level ${s.level}) notification in batch ${batch.number}. An account gets one notification, at its highest level.`,
        template: null,
        actor: ctx.actor.userId,
      });
    }
  }
  await insertChunked(ctx.db, 'notification_history', history, 8);
  return out;
}

type PendingRow = { id: string; account_id: string; level: number; level_name: string; batch_id: string };

/**
 * What queueing for these accounts depends on: who opted out, who was already notified at a level
 * for an oldest due date (`account|level|oldestDue`, when deduplicating), and each account's
 * pending notifications. Shared by queueing and its preview, so the preview says what will happen.
 */
export async function queueContext(db: Kysely<Database>, profileId: string, ids: string[], dedupe: boolean) {
  const optedOut = new Set<string>();
  const already = new Set<string>();
  const pending: PendingRow[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    for (const o of await db.selectFrom('notification_opt_outs').select('account_id').where('account_id', 'in', part).execute()) optedOut.add(o.account_id);
    if (dedupe) {
      const rows = await db
        .selectFrom('notifications')
        .innerJoin('statements', 'statements.id', 'notifications.statement_id')
        .select(['notifications.account_id', 'notifications.level', 'statements.oldest_due_date'])
        .where('notifications.profile_id', '=', profileId)
        .where('notifications.account_id', 'in', part)
        .where('notifications.status', '!=', 'cancelled')
        .where((eb) => eb.or([eb('notifications.error_kind', 'is', null), eb('notifications.error_kind', '!=', 'permanent')]))
        .execute();
      for (const r of rows) already.add(`${r.account_id}|${r.level}|${r.oldest_due_date}`);
    }
    pending.push(...(await db.selectFrom('notifications').select(['id', 'account_id', 'level', 'level_name', 'batch_id']).where('account_id', 'in', part).where('status', 'in', PENDING).execute()));
  }
  const pendingByAccount = new Map<string, PendingRow[]>();
  for (const p of pending) pendingByAccount.set(p.account_id, [...(pendingByAccount.get(p.account_id) ?? []), p]);
  return { optedOut, already, pendingByAccount };
}

/** The highest pending notification of an account above `level`, if any: a request at `level` must not replace it. */
export function higherPending(pending: PendingRow[] | undefined, level: number): PendingRow | undefined {
  return (pending ?? []).filter((p) => Number(p.level) > level).sort((x, y) => Number(y.level) - Number(x.level))[0];
}

export async function addHistory(db: Kysely<Database>, h: Omit<HistoryRow, 'id' | 'seq'> & { id?: string }): Promise<void> {
  const last = await db
    .selectFrom('notification_history')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('notification_id', '=', h.notification_id)
    .executeTakeFirst();
  await db
    .insertInto('notification_history')
    .values({ ...h, id: h.id ?? newId(), seq: Number(last?.seq ?? 0) + 1 })
    .execute();
}

/**
 * Cancels an account's pending notifications when its balance is paid down to zero or less. Runs in
 * the transaction of the command that lowered the balance (payments call it), and again when the
 * sender claims a notification. Returns how many were cancelled.
 */
export async function cancelPendingIfPaidDb(db: Kysely<Database>, accountId: string, now: string, actor: string, why: string): Promise<number> {
  const acct = await accountBalance.first(db, accountId);
  if (!acct || Number(acct.balance_cents) > 0) return 0;
  const pending = await pendingOf.rows(db, accountId);
  if (pending.length === 0) return 0;
  await db
    .updateTable('notifications')
    .set({ status: 'cancelled', updated_at: now, next_attempt_at: null })
    .where('id', 'in', pending.map((p) => p.id))
    .execute();
  for (const p of pending) {
    await addHistory(db, {
      notification_id: p.id,
      at: now,
      status: 'cancelled',
      detail: `Cancelled: the balance was paid before sending (${why}; balance now ${formatMoney(Number(acct.balance_cents))}).`,
      template: p.template,
      actor,
    });
  }
  return pending.length;
}

// Every payment runs these two reads: compiled once (prepared.ts).
const accountBalance = prepared((db, accountId: string) => db.selectFrom('accounts').select('balance_cents').where('id', '=', accountId));
const pendingOf = prepared((db, accountId: string) => db.selectFrom('notifications').select(['id', 'template']).where('account_id', '=', accountId).where('status', 'in', PENDING));

/** The hook for money commands: call after a posting that may have cleared the balance. */
export async function cancelPendingNotificationsIfPaid(ctx: CommandCtx, accountId: string, why: string): Promise<void> {
  const n = await cancelPendingIfPaidDb(ctx.db, accountId, ctx.now, ctx.actor.userId, why);
  if (n > 0) ctx.changed('notifications');
}

export async function statusCounts(db: Kysely<Database>, where: { batchId?: string; profileId?: string; accountId?: string }) {
  let q = db.selectFrom('notifications').select(['status', sql<number>`COUNT(*)`.as('n')]).groupBy('status');
  if (where.batchId) q = q.where('batch_id', '=', where.batchId);
  if (where.profileId) q = q.where('profile_id', '=', where.profileId);
  if (where.accountId) q = q.where('account_id', '=', where.accountId);
  const rows = await q.execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])) as Partial<Record<NotificationStatus, number>>;
}
