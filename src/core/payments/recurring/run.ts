import type { Kysely } from 'kysely';
import { RecurringFrequencyLabels, recurringContract, type RecurringRunDTO } from '../../../shared/contract/recurring';
import { addDays, periodOf } from '../../../shared/dates';
import { referenceFromId } from '../../../shared/ids';
import { formatMoney } from '../../../shared/money';
import { fail, type Result } from '../../../shared/result';
import { ANY_ROLE } from '../../../shared/roles';
import { Executor } from '../../commands/executor';
import { defineCommand, type Actor, type Clock, type CommandCtx } from '../../commands/types';
import type { Database, Dialect } from '../../db/schema';
import type { RecurringPaymentsTable } from '../../db/schema-credits';
import { applyOldestDueFirst } from '../../ledger/allocation';
import { postEntry } from '../../ledger/journal';
import { cancelPaymentRecord } from '../refunds/refunds';
import { deriveId } from '../../util/canonical-json';
import { queueReceipt } from '../receipt';
import { nextAfter, type Cadence } from './schedule';

/** How far ahead scheduled payments are created (they show as Scheduled until their date). */
export const LOOKAHEAD_DAYS = 7;
/** A run never looks further ahead than this. */
export const MAX_AHEAD_DAYS = 62;
/** Who runs the schedule when no person does (desktop timer, server scheduler). */
export const SYSTEM_ACTOR: Actor = { userId: 'system', role: 'admin' };

export const cadenceOf = (p: Pick<RecurringPaymentsTable, 'frequency' | 'start_date' | 'day_of_month'>): Cadence => ({
  frequency: p.frequency,
  startDate: p.start_date,
  dayOfMonth: p.day_of_month,
});

/**
 * The payment a recurring payment creates for one due date. Its id depends only on (recurring id,
 * due date), so every run, on the desktop or the server, names the same payment and none is ever
 * created twice.
 */
export const scheduledPaymentId = (recurringId: string, dueDate: string): string => deriveId(`recurring/${recurringId}`, `due/${dueDate}`);

const METHOD_LABEL = { card: 'Card', ach: 'ACH' } as const;

async function stopPlan(ctx: CommandCtx, plan: RecurringPaymentsTable, status: 'stopped' | 'ended' | 'cancelled', reason: string): Promise<number> {
  await ctx.db.updateTable('recurring_payments').set({ status, status_reason: reason, next_date: null, updated_at: ctx.now }).where('id', '=', plan.id).execute();
  await ctx.audit({ action: status === 'cancelled' ? 'cancel' : status === 'ended' ? 'end' : 'stop', entity: 'recurring_payment', entityId: plan.id, before: { status: plan.status }, after: { status, reason } });
  let cancelled = 0;
  if (status !== 'ended') {
    // Payments already scheduled for later dates go too; ended plans keep those before their end.
    const waiting = await ctx.db
      .selectFrom('payments')
      .innerJoin('scheduled_payments', 'scheduled_payments.payment_id', 'payments.id')
      .selectAll('payments')
      .where('scheduled_payments.recurring_id', '=', plan.id)
      .where('payments.status', '=', 'scheduled')
      .orderBy('payments.payment_date')
      .execute();
    for (const p of waiting) {
      await cancelPaymentRecord(ctx, p, reason);
      cancelled++;
    }
  }
  ctx.changed('recurring', 'payments');
  return cancelled;
}

/**
 * Runs the schedule through `throughDate`: creates a Scheduled payment for each due date of each
 * active recurring payment (once: ids derive from recurring id + date), turns Scheduled payments
 * whose date has come into Pending ones (journal entry, applied oldest due first), stops the
 * recurring payments of inactive accounts and ends those past their end date.
 */
// long: one pass over each plan: stop, end, create and activate are steps of the same loop over the same plan row
export async function runRecurring(ctx: CommandCtx, throughDate: string, onlyPlanId?: string): Promise<RecurringRunDTO> {
  const out: RecurringRunDTO = { throughDate, created: 0, activated: 0, cancelled: 0, stopped: 0, ended: 0 };
  let plans = ctx.db.selectFrom('recurring_payments').selectAll().where('status', '=', 'active');
  if (onlyPlanId) plans = plans.where('id', '=', onlyPlanId);
  for (const plan of await plans.orderBy('id').execute()) {
    const acct = await ctx.db.selectFrom('accounts').select(['id', 'status', 'account_number', 'balance_cents', 'division_id']).where('id', '=', plan.account_id).executeTakeFirstOrThrow();
    if (acct.status !== 'active') {
      out.cancelled += await stopPlan(ctx, plan, 'stopped', `Account ${acct.account_number} is inactive, so its recurring payments stopped.`);
      out.stopped++;
      continue;
    }
    const cadence = cadenceOf(plan);
    let next = plan.next_date;
    let guard = 0;
    while (next && next <= throughDate && (!plan.end_date || next <= plan.end_date) && guard++ < 500) {
      const paymentId = scheduledPaymentId(plan.id, next);
      const exists = await ctx.db.selectFrom('scheduled_payments').select('payment_id').where('recurring_id', '=', plan.id).where('due_date', '=', next).executeTakeFirst();
      if (!exists) {
        const estimate = plan.amount_mode === 'fixed' ? Number(plan.amount_cents) : Math.max(0, Number(acct.balance_cents));
        const row: Database['payments'] = {
          id: paymentId,
          account_id: acct.id,
          division_id: acct.division_id,
          reference: referenceFromId(paymentId),
          payment_date: next,
          amount_cents: estimate,
          method: plan.method,
          check_number: null,
          status: 'scheduled',
          kind: 'recurring',
          related_payment_id: null,
          receipt_email: plan.receipt_email,
          memo: `Recurring payment (${RecurringFrequencyLabels[plan.frequency].toLowerCase()}${plan.amount_mode === 'balance' ? ', current balance' : ''})`,
          deposit_id: null,
          created_by: ctx.actor.userId,
          created_at: ctx.now,
          void_reason: null,
          voided_by: null,
          voided_at: null,
          hold_reason: null,
        };
        await ctx.db.insertInto('payments').values(row).execute();
        await ctx.db.insertInto('scheduled_payments').values({ payment_id: paymentId, recurring_id: plan.id, due_date: next, created_at: ctx.now }).execute();
        await ctx.audit({ action: 'schedule', entity: 'payment', entityId: paymentId, after: { ...row, recurringId: plan.id } });
        out.created++;
      }
      next = nextAfter(cadence, next);
    }
    if (plan.end_date && next && next > plan.end_date) {
      await stopPlan(ctx, plan, 'ended', `Ended: the last payment was due on or before ${plan.end_date}.`);
      out.ended++;
    } else if (next !== plan.next_date) {
      await ctx.db.updateTable('recurring_payments').set({ next_date: next, updated_at: ctx.now }).where('id', '=', plan.id).execute();
    }
  }

  // Scheduled payments whose date has come become Pending.
  let due = ctx.db
    .selectFrom('payments')
    .innerJoin('scheduled_payments', 'scheduled_payments.payment_id', 'payments.id')
    .innerJoin('recurring_payments', 'recurring_payments.id', 'scheduled_payments.recurring_id')
    .selectAll('payments')
    .select(['recurring_payments.status as plan_status', 'recurring_payments.amount_mode', 'recurring_payments.amount_cents as plan_amount', 'recurring_payments.frequency'])
    .where('payments.status', '=', 'scheduled')
    .where('payments.payment_date', '<=', ctx.today);
  if (onlyPlanId) due = due.where('recurring_payments.id', '=', onlyPlanId);
  for (const p of await due.orderBy('payments.payment_date').orderBy('payments.id').execute()) {
    const acct = await ctx.db.selectFrom('accounts').select(['status', 'account_number', 'name', 'balance_cents']).where('id', '=', p.account_id).executeTakeFirstOrThrow();
    const { plan_status, amount_mode, plan_amount, frequency, ...payment } = p;
    let skip: string | null = null;
    if (plan_status === 'paused' || plan_status === 'cancelled' || plan_status === 'stopped') skip = `The recurring payment was ${plan_status} on its date.`;
    else if (acct.status !== 'active') skip = `Account ${acct.account_number} is inactive.`;
    const amount = amount_mode === 'fixed' ? Number(plan_amount) : Math.max(0, Number(acct.balance_cents));
    if (!skip && amount <= 0) skip = `Nothing was owed on ${p.payment_date}.`;
    if (skip) {
      await cancelPaymentRecord(ctx, payment, skip);
      out.cancelled++;
      continue;
    }
    await activate(ctx, payment, amount, `${acct.account_number} (${acct.name})`, frequency);
    out.activated++;
  }
  if (out.created + out.activated + out.cancelled + out.stopped + out.ended > 0) ctx.changed('payments', 'recurring', 'accounts', 'invoices');
  return out;
}

/** A scheduled payment's date has come: it is now money received (Pending), like Make Payment. */
async function activate(ctx: CommandCtx, p: Database['payments'], amount: number, accountLabel: string, frequency: RecurringPaymentsTable['frequency']): Promise<void> {
  // Rows made here are named from the payment's id, not the run's, so any side that activates it
  // (this desktop, another, the server) writes the very same rows.
  const pctx: CommandCtx = { ...ctx, id: (label) => deriveId(p.id, label) };
  const closed = await ctx.db.selectFrom('periods').select('status').where('period', '=', periodOf(p.payment_date)).executeTakeFirst();
  const postedDate = closed?.status === 'closed' ? ctx.today : p.payment_date;
  const after = { status: 'pending' as const, amount_cents: amount, payment_date: postedDate };
  await ctx.db.updateTable('payments').set(after).where('id', '=', p.id).execute();
  await postEntry(pctx, {
    accountId: p.account_id,
    entryDate: postedDate,
    kind: 'recurring',
    amountCents: -amount,
    sourceType: 'payment',
    sourceId: p.id,
    description: `${METHOD_LABEL[p.method as 'card' | 'ach'] ?? p.method} recurring payment ${p.reference} (${RecurringFrequencyLabels[frequency].toLowerCase()})`,
    label: `payment/${p.id}`,
  });
  await applyOldestDueFirst(pctx, p.id, p.account_id, amount);
  if (p.receipt_email) {
    await queueReceipt(ctx, {
      kind: 'payment-receipt',
      id: pctx.id(`receipt/${p.id}`),
      relatedId: p.id,
      to: p.receipt_email,
      subject: `Payment receipt ${p.reference}`,
      opening: 'Your recurring payment was made.',
      fields: [
        ['Reference', p.reference],
        ['Account', accountLabel],
        ['Date', postedDate],
        ['Amount', formatMoney(amount)],
      ],
      onceOnly: true,
    });
  }
  await ctx.audit({ action: 'activate', entity: 'payment', entityId: p.id, before: { status: p.status, amount_cents: p.amount_cents }, after });
}

export function defaultThrough(today: string): string {
  return addDays(today, LOOKAHEAD_DAYS);
}

export const runRecurringCommand = defineCommand({
  name: 'recurring.run',
  version: 1,
  roles: ANY_ROLE,
  input: recurringContract['recurring.run'].input,
  // Not pushed: it runs where the schedule lives — on the server when there is one
  // (src/server/scheduler.ts), whose rows sync to desks; on a standalone desk otherwise. The ids
  // it creates derive from (recurring payment, date), so a second run creates nothing twice.
  synced: false,
  run: async (ctx, i) => {
    const through = i.throughDate ?? defaultThrough(ctx.today);
    if (through > addDays(ctx.today, MAX_AHEAD_DAYS)) fail('VALIDATION', `The schedule runs at most ${MAX_AHEAD_DAYS} days ahead.`, { field: 'throughDate' });
    return runRecurring(ctx, through);
  },
});

/**
 * Runs the schedule once, wherever the ledger runs: the desktop passes its executor (one writer);
 * the server may pass only its database and clock. Safe to call any number of times.
 */
export async function runRecurringSchedule(
  db: Kysely<Database>,
  clock: Clock,
  throughDate?: string,
  opts: { dialect?: Dialect; executor?: Executor; actor?: Actor } = {},
): Promise<Result<RecurringRunDTO>> {
  const ex = opts.executor ?? new Executor({ db, dialect: opts.dialect ?? 'sqlite', clock, writeOutbox: false, commands: [runRecurringCommand], queries: [] });
  return ex.execute<RecurringRunDTO>(opts.actor ?? SYSTEM_ACTOR, 'recurring.run', throughDate ? { throughDate } : {});
}

/** A standalone desk's timer: runs the schedule now and then every `intervalMs` (hourly), while `standalone()` holds. Returns stop(). */
export function startRecurringScheduler(core: { db: Kysely<Database>; clock: Clock; dialect: Dialect; executor: Executor }, intervalMs = 3_600_000, standalone: () => boolean = () => true): () => void {
  const tick = () =>
    standalone() &&
    void runRecurringSchedule(core.db, core.clock, undefined, { executor: core.executor, dialect: core.dialect }).then((r) => {
      if (!r.ok) console.error('[ledgerdesk] recurring schedule run failed:', r.error.message);
    });
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref?.();
  return () => clearInterval(timer);
}
