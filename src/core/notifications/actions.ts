import { sql, type Kysely } from 'kysely';
import {
  notificationsContract,
  type AccountNotificationsDTO,
  type NotificationDetailDTO,
  type NotificationListDTO,
  type NotificationRowDTO,
  type NotificationSettingsDTO,
  type NotificationStatus,
} from '../../shared/contract/notifications';
import { addDays } from '../../shared/dates';
import { newId } from '../../shared/ids';
import { fail } from '../../shared/result';
import { ADMINS, ANY_ROLE, SUPERVISORS } from '../../shared/roles';
import { defineCommand, defineQuery, type CommandCtx } from '../commands/types';
import type { Database } from '../db/schema';
import { daysPastDue, levelOffset, selectLevel } from './levels';
import { loadProfile } from './profiles';
import { addHistory, PENDING, queueStatements, statusCounts } from './queue';
import { createBatch, finishBatch } from './runs';
import { gatherAccountFacts } from './statement-data';

function rowSelect(db: Kysely<Database>) {
  return db
    .selectFrom('notifications')
    .innerJoin('accounts', 'accounts.id', 'notifications.account_id')
    .innerJoin('statement_batches', 'statement_batches.id', 'notifications.batch_id')
    .innerJoin('statement_profiles', 'statement_profiles.id', 'notifications.profile_id')
    .selectAll('notifications')
    .select(['accounts.account_number', 'accounts.name as account_name', 'statement_batches.number as batch_number', 'statement_profiles.name as profile_name']);
}
type Row = Database['notifications'] & { account_number: string; account_name: string; batch_number: string; profile_name: string };

function toRow(r: Row): NotificationRowDTO {
  return {
    id: r.id,
    accountId: r.account_id,
    accountNumber: r.account_number,
    accountName: r.account_name,
    batchId: r.batch_id,
    batchNumber: r.batch_number,
    profileId: r.profile_id,
    profileName: r.profile_name,
    level: Number(r.level),
    levelName: r.level_name,
    channel: r.channel,
    toAddress: r.to_address,
    scheduledAt: r.scheduled_at,
    status: r.status,
    errorKind: r.error_kind,
    errorMessage: r.error_message,
    outcomeUnknown: r.outcome_unknown === 1,
    attempts: Number(r.attempts),
    nextAttemptAt: r.next_attempt_at,
    sentAt: r.sent_at,
  };
}

export async function loadNotificationRow(db: Kysely<Database>, id: string): Promise<NotificationRowDTO> {
  const r = await rowSelect(db).where('notifications.id', '=', id).executeTakeFirst();
  if (!r) fail('NOT_FOUND', 'That notification does not exist.', { field: 'notificationId' });
  return toRow(r as Row);
}

/** The Notification Queue: the whole queue, one batch's, one profile's, one account's, or its errors. */
export const listNotifications = defineQuery({
  name: 'notifications.list',
  roles: SUPERVISORS,
  input: notificationsContract['notifications.list'].input,
  run: async ({ db }, i): Promise<NotificationListDTO> => {
    let q = rowSelect(db);
    let c = db.selectFrom('notifications').select(sql<number>`COUNT(*)`.as('n'));
    if (i.batchId) {
      q = q.where('notifications.batch_id', '=', i.batchId);
      c = c.where('batch_id', '=', i.batchId);
    }
    if (i.profileId) {
      q = q.where('notifications.profile_id', '=', i.profileId);
      c = c.where('profile_id', '=', i.profileId);
    }
    if (i.accountId) {
      q = q.where('notifications.account_id', '=', i.accountId);
      c = c.where('account_id', '=', i.accountId);
    }
    if (i.view === 'errors' || i.status) {
      q = q.where('notifications.status', '=', i.view === 'errors' ? 'error' : i.status!);
      c = c.where('status', '=', i.view === 'errors' ? 'error' : i.status!);
    }
    if (i.level) {
      q = q.where('notifications.level', '=', i.level);
      c = c.where('level', '=', i.level);
    }
    if (i.search) {
      // An account number (exact or its start) or a word of the payer's name.
      const like = i.search.toLowerCase().replace(/[!%_]/g, (ch) => `!${ch}`);
      const matching = db
        .selectFrom('accounts')
        .select('id')
        // % and _ typed in the box mean themselves (escaped), in SQLite and Postgres alike.
        .where(sql<boolean>`(lower(account_number) LIKE ${`${like}%`} ESCAPE '!' OR lower(name) LIKE ${`%${like}%`} ESCAPE '!')`);
      q = q.where('notifications.account_id', 'in', matching);
      c = c.where('account_id', 'in', matching);
    }
    const rows = await q.orderBy('notifications.created_at', 'desc').orderBy('accounts.account_number').limit(i.limit ?? 5000).execute();
    const total = Number((await c.executeTakeFirst())?.n ?? 0);
    return { rows: rows.map((r) => toRow(r as Row)), total, counts: await statusCounts(db, i) };
  },
});

export const getNotification = defineQuery({
  name: 'notifications.get',
  roles: SUPERVISORS,
  input: notificationsContract['notifications.get'].input,
  run: async ({ db }, i): Promise<NotificationDetailDTO> => {
    const r = (await rowSelect(db).where('notifications.id', '=', i.notificationId).executeTakeFirst()) as Row | undefined;
    if (!r) fail('NOT_FOUND', 'That notification does not exist.', { field: 'notificationId' });
    const history = await db
      .selectFrom('notification_history')
      .leftJoin('users', 'users.id', 'notification_history.actor')
      .select(['notification_history.at', 'notification_history.status', 'notification_history.detail', 'notification_history.template', 'notification_history.actor', 'users.display_name'])
      .where('notification_id', '=', i.notificationId)
      .orderBy('notification_history.seq')
      .execute();
    return {
      ...toRow(r),
      statementId: r.statement_id,
      subject: r.subject,
      body: r.body_text,
      messageId: r.message_id,
      smtpResponse: r.smtp_response,
      history: history.map((h) => ({
        at: h.at,
        status: h.status,
        detail: h.detail,
        template: h.template,
        actor: h.display_name ?? (h.actor === 'delivery' ? 'Delivery (server)' : h.actor),
      })),
    };
  },
});

async function changeStatus(ctx: CommandCtx, ids: string[], from: NotificationStatus[], to: NotificationStatus, detail: (r: { template: string }) => string, extra: Partial<Database['notifications']> = {}) {
  let n = 0;
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await ctx.db.selectFrom('notifications').select(['id', 'template', 'account_id']).where('id', 'in', ids.slice(i, i + 500)).where('status', 'in', from).execute();
    if (rows.length === 0) continue;
    await ctx.db
      .updateTable('notifications')
      .set({ status: to, updated_at: ctx.now, ...extra })
      .where('id', 'in', rows.map((r) => r.id))
      .execute();
    for (const r of rows) await addHistory(ctx.db, { id: ctx.id(`history/${r.id}/${to}`), notification_id: r.id, at: ctx.now, status: to, detail: detail(r), template: r.template, actor: ctx.actor.userId });
    n += rows.length;
  }
  return n;
}

/** Errors view: Retry puts notifications in Error back in the queue, due now (same Message-ID). */
export const retryNotifications = defineCommand({
  name: 'notifications.retry',
  version: 1,
  roles: SUPERVISORS,
  input: notificationsContract['notifications.retry'].input,
  synced: true,
  run: async (ctx, i) => {
    const n = await changeStatus(ctx, i.notificationIds, ['error'], 'queued', () => 'Queued again: retry requested.', {
      error_kind: null,
      error_message: null,
      outcome_unknown: 0,
      next_attempt_at: null,
      scheduled_at: ctx.now,
      claim_token: null,
      send_started_at: null,
    });
    if (n === 0) fail('CONFLICT', 'None of these notifications is in Error: nothing to retry.', { field: 'notificationIds' });
    await ctx.audit({ action: 'retry', entity: 'notification', entityId: null, after: { notificationIds: i.notificationIds, retried: n } });
    ctx.changed('notifications');
    return { retried: n };
  },
});

async function optOut(ctx: CommandCtx, accountId: string, reason: string): Promise<boolean> {
  const exists = await ctx.db.selectFrom('notification_opt_outs').select('account_id').where('account_id', '=', accountId).executeTakeFirst();
  if (exists) return false;
  await ctx.db.insertInto('notification_opt_outs').values({ account_id: accountId, reason, created_by: ctx.actor.userId, created_at: ctx.now }).execute();
  await ctx.audit({ action: 'opt-out', entity: 'account', entityId: accountId, after: { reason } });
  const pending = await ctx.db.selectFrom('notifications').select('id').where('account_id', '=', accountId).where('status', 'in', PENDING).execute();
  await changeStatus(ctx, pending.map((p) => p.id), PENDING, 'cancelled', () => `Cancelled: the payer opted out of notifications (${reason}).`, { next_attempt_at: null });
  return true;
}

/** Errors view: Cancel, or Cancel and opt the payer out (which also cancels their other pending ones). */
export const cancelNotifications = defineCommand({
  name: 'notifications.cancel',
  version: 1,
  roles: SUPERVISORS,
  input: notificationsContract['notifications.cancel'].input,
  synced: true,
  run: async (ctx, i) => {
    const reason = i.reason || (i.optOut ? 'Payer asked not to be contacted' : 'Cancelled by a person');
    const accounts = await ctx.db.selectFrom('notifications').select('account_id').distinct().where('id', 'in', i.notificationIds.slice(0, 10_000)).execute();
    const cancelled = await changeStatus(ctx, i.notificationIds, PENDING, 'cancelled', () => `Cancelled: ${reason}.`, { next_attempt_at: null });
    let optedOut = 0;
    if (i.optOut) for (const a of accounts) if (await optOut(ctx, a.account_id, reason)) optedOut++;
    if (cancelled === 0 && optedOut === 0) fail('CONFLICT', 'These notifications have already been sent or cancelled.', { field: 'notificationIds' });
    await ctx.audit({ action: 'cancel', entity: 'notification', entityId: null, after: { notificationIds: i.notificationIds, cancelled, optedOut, reason } });
    ctx.changed('notifications');
    return { cancelled, optedOut };
  },
});

async function accountNotifications(db: Kysely<Database>, accountId: string): Promise<AccountNotificationsDTO> {
  const acct = await db.selectFrom('accounts').select(['id', 'email', 'division_id']).where('id', '=', accountId).executeTakeFirst();
  if (!acct) fail('NOT_FOUND', 'That account does not exist.', { field: 'accountId' });
  const opt = await db.selectFrom('notification_opt_outs').select('reason').where('account_id', '=', accountId).executeTakeFirst();
  const profiles = await db
    .selectFrom('statement_profiles')
    .select(['id', 'name'])
    .where('active', '=', 1)
    .where((eb) => eb.or([eb('division_id', 'is', null), eb('division_id', '=', acct.division_id)]))
    .orderBy('name')
    .execute();
  const recent = await rowSelect(db).where('notifications.account_id', '=', accountId).orderBy('notifications.created_at', 'desc').limit(20).execute();
  return { optedOut: !!opt, optOutReason: opt?.reason ?? null, email: acct.email, profiles, recent: recent.map((r) => toRow(r as Row)) };
}

export const forAccount = defineQuery({
  name: 'notifications.forAccount',
  roles: ANY_ROLE,
  input: notificationsContract['notifications.forAccount'].input,
  run: ({ db }, i) => accountNotifications(db, i.accountId),
});

export const setOptOut = defineCommand({
  name: 'notifications.setOptOut',
  version: 1,
  roles: SUPERVISORS,
  input: notificationsContract['notifications.setOptOut'].input,
  synced: true,
  subject: (i) => i.accountId,
  run: async (ctx, i) => {
    await accountNotifications(ctx.db, i.accountId);
    if (i.optedOut) await optOut(ctx, i.accountId, i.reason || 'Payer asked not to be contacted');
    else {
      const r = await ctx.db.deleteFrom('notification_opt_outs').where('account_id', '=', i.accountId).executeTakeFirst();
      if (Number(r.numDeletedRows) > 0) await ctx.audit({ action: 'opt-in', entity: 'account', entityId: i.accountId, after: { reason: i.reason ?? null } });
    }
    ctx.changed('notifications');
    return accountNotifications(ctx.db, i.accountId);
  },
});

/**
 * On-demand notification (a payer calls and wants their statement now): one statement and one
 * notification, due at once, at the level the account has reached (the first level if none yet).
 */
export const onDemandNotification = defineCommand({
  name: 'notifications.onDemand',
  version: 1,
  roles: ANY_ROLE,
  input: notificationsContract['notifications.onDemand'].input,
  synced: true,
  prepare: (i) => (i.batchId ? {} : { batchId: newId() }),
  subject: (i) => i.accountId,
  run: async (ctx, i) => {
    const profile = await loadProfile(ctx.db, i.profileId);
    if (!profile.active) fail('CONFLICT', `The profile "${profile.name}" is inactive.`, { field: 'profileId' });
    const facts = (await gatherAccountFacts(ctx.db, [i.accountId], ctx.today)).get(i.accountId);
    if (!facts) fail('NOT_FOUND', 'That account does not exist.', { field: 'accountId' });
    if (facts.status !== 'active') fail('CONFLICT', `Account ${facts.number} is inactive.`, { field: 'accountId' });
    if (profile.divisionId && profile.divisionId !== facts.divisionId) fail('VALIDATION', `"${profile.name}" covers another division.`, { field: 'profileId' });
    const opted = await ctx.db.selectFrom('notification_opt_outs').select('account_id').where('account_id', '=', i.accountId).executeTakeFirst();
    if (opted) fail('CONFLICT', 'This payer opted out of notifications. Opt them back in first if they ask for a statement.', { field: 'accountId' });
    if (facts.closingCents <= 0) fail('CONFLICT', `Nothing is owed on account ${facts.number}: there is no balance to notify.`, { field: 'accountId' });
    const days = facts.oldestDueDate ? daysPastDue(facts.oldestDueDate, ctx.today) : -1_000_000;
    const level = selectLevel(profile.levels, days) ?? profile.levels[0]!;
    const batch = await createBatch(ctx, i.batchId!, profile, 'on-demand', ctx.today, null);
    const r = await queueStatements(
      ctx,
      profile,
      batch,
      [{ facts, level, triggerDate: facts.oldestDueDate ? addDays(facts.oldestDueDate, levelOffset(level)) : ctx.today }],
      { dedupe: false, channel: i.channel, immediate: true },
    );
    await finishBatch(ctx, batch.id, r, r.notes);
    return loadNotificationRow(ctx.db, r.notificationIds[0]!);
  },
});

export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettingsDTO = { testMode: false, testAddress: '', fromAddress: 'statements@ledgerdesk.invalid', fromName: '' };

export async function readNotificationSettings(db: Kysely<Database>): Promise<NotificationSettingsDTO> {
  const rows = await db.selectFrom('notification_settings').select(['key', 'value']).execute();
  const out: Record<string, unknown> = { ...DEFAULT_NOTIFICATION_SETTINGS };
  for (const r of rows) if (r.key in DEFAULT_NOTIFICATION_SETTINGS) out[r.key] = JSON.parse(r.value);
  return out as unknown as NotificationSettingsDTO;
}

export const getNotificationSettings = defineQuery({
  name: 'notifications.getSettings',
  roles: SUPERVISORS,
  input: notificationsContract['notifications.getSettings'].input,
  run: ({ db }) => readNotificationSettings(db),
});

export const updateNotificationSettings = defineCommand({
  name: 'notifications.updateSettings',
  version: 1,
  roles: ADMINS,
  input: notificationsContract['notifications.updateSettings'].input,
  synced: true,
  run: async (ctx, patch) => {
    const before = await readNotificationSettings(ctx.db);
    for (const [key, value] of Object.entries(patch)) {
      const v = JSON.stringify(value);
      await ctx.db
        .insertInto('notification_settings')
        .values({ key, value: v, updated_at: ctx.now })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: v, updated_at: ctx.now }))
        .execute();
    }
    const after = await readNotificationSettings(ctx.db);
    await ctx.audit({ action: 'update', entity: 'notification_settings', entityId: null, before, after });
    ctx.changed('notification_settings');
    return after;
  },
});
