import type { Kysely } from 'kysely';
import { recurringContract, type RecurringDTO } from '../../../shared/contract/recurring';
import { formatDate } from '../../../shared/dates';
import { newId } from '../../../shared/ids';
import { fail } from '../../../shared/result';
import { ANY_ROLE } from '../../../shared/roles';
import { defineCommand, defineQuery, type CommandCtx } from '../../commands/types';
import type { Database } from '../../db/schema';
import type { RecurringPaymentsTable } from '../../db/schema-credits';
import { getActiveAccount } from '../../ledger/journal';
import { cancelPaymentRecord } from '../refunds/refunds';
import { cadenceOf, defaultThrough, runRecurring } from './run';
import { firstOnOrAfter } from './schedule';

/** Recurring payments: set up (fixed amount or the current balance), list, pause, resume, cancel. */

async function loadRows(db: Kysely<Database>, where: { recurringId?: string; accountId?: string; status?: string }) {
  let q = db
    .selectFrom('recurring_payments')
    .innerJoin('accounts', 'accounts.id', 'recurring_payments.account_id')
    .leftJoin('users', 'users.id', 'recurring_payments.created_by')
    .selectAll('recurring_payments')
    .select(['accounts.account_number', 'accounts.name as account_name', 'accounts.status as account_status', 'users.display_name as creator_name']);
  if (where.recurringId) q = q.where('recurring_payments.id', '=', where.recurringId);
  if (where.accountId) q = q.where('recurring_payments.account_id', '=', where.accountId);
  if (where.status) q = q.where('recurring_payments.status', '=', where.status as RecurringPaymentsTable['status']);
  return q.orderBy('recurring_payments.created_at', 'desc').orderBy('recurring_payments.id', 'desc').limit(1000).execute();
}

export async function listRecurring(db: Kysely<Database>, where: { recurringId?: string; accountId?: string; status?: string }): Promise<RecurringDTO[]> {
  const rows = await loadRows(db, where);
  if (rows.length === 0) return [];
  const pays = await db
    .selectFrom('scheduled_payments')
    .innerJoin('payments', 'payments.id', 'scheduled_payments.payment_id')
    .select(['scheduled_payments.recurring_id', 'payments.id', 'payments.reference', 'scheduled_payments.due_date', 'payments.amount_cents', 'payments.status', 'payments.void_reason'])
    .where(
      'scheduled_payments.recurring_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('scheduled_payments.due_date', 'desc')
    .execute();
  return rows.map((r) => {
    let reason = r.status_reason;
    if (r.status === 'active' && r.account_status !== 'active') reason = `Account ${r.account_number} is inactive: this recurring payment stops at the next run.`;
    return {
      id: r.id,
      accountId: r.account_id,
      accountNumber: r.account_number,
      accountName: r.account_name,
      accountStatus: r.account_status,
      amountMode: r.amount_mode,
      amountCents: r.amount_cents === null ? null : Number(r.amount_cents),
      method: r.method,
      frequency: r.frequency,
      dayOfMonth: r.day_of_month,
      startDate: r.start_date,
      endDate: r.end_date,
      nextDate: r.next_date,
      status: r.status,
      statusReason: reason,
      receiptEmail: r.receipt_email,
      createdAt: r.created_at,
      createdByName: r.creator_name ?? r.created_by,
      payments: pays
        .filter((p) => p.recurring_id === r.id)
        .slice(0, 24)
        .map((p) => ({
          paymentId: p.id,
          reference: p.reference,
          dueDate: p.due_date,
          amountCents: Number(p.amount_cents),
          status: p.status,
          note: p.status === 'cancelled' ? p.void_reason : p.status === 'scheduled' && r.amount_mode === 'balance' ? 'Estimate: the balance on its date is charged.' : null,
        })),
    };
  });
}

async function loadOne(db: Kysely<Database>, recurringId: string): Promise<RecurringDTO> {
  const [r] = await listRecurring(db, { recurringId });
  if (!r) fail('NOT_FOUND', 'That recurring payment does not exist.', { field: 'recurringId' });
  return r;
}

async function loadPlan(ctx: CommandCtx, recurringId: string): Promise<RecurringPaymentsTable> {
  const p = await ctx.db.selectFrom('recurring_payments').selectAll().where('id', '=', recurringId).executeTakeFirst();
  if (!p) fail('NOT_FOUND', 'That recurring payment does not exist.', { field: 'recurringId' });
  return p;
}

export const createRecurring = defineCommand({
  name: 'recurring.create',
  version: 1,
  roles: ANY_ROLE,
  input: recurringContract['recurring.create'].input,
  synced: true,
  prepare: (i) => (i.recurringId ? {} : { recurringId: newId() }),
  subject: (i) => i.recurringId,
  run: async (ctx, i) => {
    const acct = await getActiveAccount(ctx, i.accountId);
    if (i.startDate < ctx.today) fail('VALIDATION', `The start date is in the past; choose ${formatDate(ctx.today)} or later.`, { field: 'startDate' });
    const cadence = { frequency: i.frequency, startDate: i.startDate, dayOfMonth: i.frequency === 'day_of_month' ? i.dayOfMonth! : null };
    const first = firstOnOrAfter(cadence, i.startDate);
    if (i.endDate && first > i.endDate) fail('VALIDATION', `No payment falls due before the end date (the first would be ${formatDate(first)}).`, { field: 'endDate' });
    if (await ctx.db.selectFrom('recurring_payments').select('id').where('id', '=', i.recurringId!).executeTakeFirst()) {
      fail('CONFLICT', 'This recurring payment already exists.', { field: 'recurringId' });
    }
    const row: RecurringPaymentsTable = {
      id: i.recurringId!,
      account_id: acct.id,
      amount_mode: i.amountMode,
      amount_cents: i.amountMode === 'fixed' ? i.amount! : null,
      method: i.method,
      frequency: i.frequency,
      day_of_month: cadence.dayOfMonth,
      start_date: i.startDate,
      end_date: i.endDate ?? null,
      next_date: first,
      status: 'active',
      status_reason: null,
      receipt_email: i.receiptEmail || acct.email || null,
      created_by: ctx.actor.userId,
      created_at: ctx.now,
      updated_at: ctx.now,
    };
    await ctx.db.insertInto('recurring_payments').values(row).execute();
    await ctx.audit({ action: 'create', entity: 'recurring_payment', entityId: row.id, after: row });
    // Its first payments show as Scheduled at once (and one due today becomes Pending).
    await runRecurring(ctx, defaultThrough(ctx.today), row.id);
    ctx.changed('recurring', 'payments');
    return loadOne(ctx.db, row.id);
  },
});

export const pauseRecurring = defineCommand({
  name: 'recurring.pause',
  version: 1,
  roles: ANY_ROLE,
  input: recurringContract['recurring.pause'].input,
  synced: true,
  subject: (i) => i.recurringId,
  run: async (ctx, i) => {
    const p = await loadPlan(ctx, i.recurringId);
    if (p.status !== 'active') fail('CONFLICT', `This recurring payment is ${p.status}; only an active one can be paused.`, { field: 'recurringId' });
    const reason = i.reason || 'Paused';
    await ctx.db.updateTable('recurring_payments').set({ status: 'paused', status_reason: reason, updated_at: ctx.now }).where('id', '=', p.id).execute();
    await ctx.audit({ action: 'pause', entity: 'recurring_payment', entityId: p.id, before: { status: p.status }, after: { status: 'paused', reason } });
    ctx.changed('recurring');
    return loadOne(ctx.db, p.id);
  },
});

export const resumeRecurring = defineCommand({
  name: 'recurring.resume',
  version: 1,
  roles: ANY_ROLE,
  input: recurringContract['recurring.resume'].input,
  synced: true,
  subject: (i) => i.recurringId,
  run: async (ctx, i) => {
    const p = await loadPlan(ctx, i.recurringId);
    if (p.status !== 'paused' && p.status !== 'stopped') fail('CONFLICT', `This recurring payment is ${p.status}; only a paused or stopped one can be resumed.`, { field: 'recurringId' });
    await getActiveAccount(ctx, p.account_id);
    // Dates missed while paused are skipped, not charged late.
    const from = p.next_date && p.next_date > ctx.today ? p.next_date : ctx.today;
    const next = firstOnOrAfter(cadenceOf(p), from);
    if (p.end_date && next > p.end_date) fail('CONFLICT', `No payment is left before its end date (${formatDate(p.end_date)}).`, { field: 'recurringId' });
    await ctx.db.updateTable('recurring_payments').set({ status: 'active', status_reason: null, next_date: next, updated_at: ctx.now }).where('id', '=', p.id).execute();
    await ctx.audit({ action: 'resume', entity: 'recurring_payment', entityId: p.id, before: { status: p.status, next_date: p.next_date }, after: { status: 'active', next_date: next, reason: i.reason ?? null } });
    await runRecurring(ctx, defaultThrough(ctx.today), p.id);
    ctx.changed('recurring', 'payments');
    return loadOne(ctx.db, p.id);
  },
});

export const cancelRecurring = defineCommand({
  name: 'recurring.cancel',
  version: 1,
  roles: ANY_ROLE,
  input: recurringContract['recurring.cancel'].input,
  synced: true,
  subject: (i) => i.recurringId,
  run: async (ctx, i) => {
    const p = await loadPlan(ctx, i.recurringId);
    if (p.status === 'cancelled' || p.status === 'ended') fail('CONFLICT', `This recurring payment is already ${p.status}.`, { field: 'recurringId' });
    const reason = i.reason || 'Cancelled';
    await ctx.db.updateTable('recurring_payments').set({ status: 'cancelled', status_reason: reason, next_date: null, updated_at: ctx.now }).where('id', '=', p.id).execute();
    await ctx.audit({ action: 'cancel', entity: 'recurring_payment', entityId: p.id, before: { status: p.status }, after: { status: 'cancelled', reason } });
    // Scheduled payments not yet due are cancelled with it; Pending ones were already made.
    const waiting = await ctx.db
      .selectFrom('payments')
      .innerJoin('scheduled_payments', 'scheduled_payments.payment_id', 'payments.id')
      .selectAll('payments')
      .where('scheduled_payments.recurring_id', '=', p.id)
      .where('payments.status', '=', 'scheduled')
      .orderBy('payments.payment_date')
      .execute();
    for (const w of waiting) await cancelPaymentRecord(ctx, w, `Recurring payment cancelled: ${reason}`);
    ctx.changed('recurring', 'payments');
    return loadOne(ctx.db, p.id);
  },
});

export const listRecurringQuery = defineQuery({
  name: 'recurring.list',
  roles: ANY_ROLE,
  input: recurringContract['recurring.list'].input,
  run: ({ db }, i) => listRecurring(db, { accountId: i.accountId, status: i.status }),
});

export const getRecurringQuery = defineQuery({
  name: 'recurring.get',
  roles: ANY_ROLE,
  input: recurringContract['recurring.get'].input,
  run: ({ db }, i) => loadOne(db, i.recurringId),
});
