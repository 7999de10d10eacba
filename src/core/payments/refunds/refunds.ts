import { sql } from 'kysely';
import { refundsContract } from '../../../shared/contract/refunds';
import { paymentsContract } from '../../../shared/contract/payments';
import { periodOf } from '../../../shared/dates';
import { newId, referenceFromId } from '../../../shared/ids';
import { formatMoney } from '../../../shared/money';
import { fail } from '../../../shared/result';
import { ANY_ROLE } from '../../../shared/roles';
import { defineCommand, defineQuery, type CommandCtx } from '../../commands/types';
import type { Database } from '../../db/schema';
import { applyAccountCredits } from '../../credits/apply-credits';
import { paymentLockedReason } from '../../deposits/rules';
import { lockedPayments } from '../../invoices/supersede';
import { postCorrectionCharge } from '../../ledger/correction-charge';
import { assertPeriodOpen, getActiveAccount, postEntry } from '../../ledger/journal';
import { readSettings } from '../../settings/settings';
import { mayDo } from '../../settings/role-rules';
import { refundApprovalNeeded } from './refund-approval';
import { reversePayment } from '../reverse-payment';
import { queueReceipt } from '../receipt';
import { blockedReason, loadPaymentRefunds, loadRefund, REFUNDABLE_KINDS, refundedTotal, returnedTotal } from './refund-views';

const METHOD_LABEL = { cash: 'Cash', check: 'Check', card: 'Card', ach: 'ACH' } as const;

async function loadPaymentRow(ctx: Pick<CommandCtx, 'db'>, paymentId: string): Promise<Database['payments']> {
  const p = await ctx.db.selectFrom('payments').selectAll().where('id', '=', paymentId).executeTakeFirst();
  if (!p) fail('NOT_FOUND', 'That payment does not exist.', { field: 'paymentId' });
  return p;
}

/** One step of un-applying newest first: how much of which application's line comes back. */
interface TakeBack {
  applicationId: string;
  chargeLineId: string;
  amountCents: number;
  invoiceNumber: string;
  category: string;
  description: string;
  dueDate: string;
}

/**
 * What un-applying up to `amountCents` of a payment's applications takes back, newest first (latest
 * applied, then latest due), line by line. Reads only: see unapplyPlanned and chargeAgain.
 */
async function planUnapplyNewestFirst(db: CommandCtx['db'], paymentId: string, amountCents: number): Promise<TakeBack[]> {
  if (amountCents <= 0) return [];
  const rows = await db
    .selectFrom('applications')
    .innerJoin('charge_lines', 'charge_lines.id', 'applications.charge_line_id')
    .innerJoin('invoices', 'invoices.id', 'charge_lines.invoice_id')
    .select(['applications.id', 'applications.charge_line_id', 'applications.amount_cents', 'applications.created_at', 'invoices.invoice_number', 'charge_lines.category', 'charge_lines.description', 'charge_lines.due_date'])
    .where('applications.payment_id', '=', paymentId)
    .orderBy('applications.created_at', 'desc')
    .orderBy('charge_lines.due_date', 'desc')
    .orderBy('invoices.invoice_number', 'desc')
    .orderBy('charge_lines.line_no', 'desc')
    .orderBy('applications.id', 'desc')
    .execute();
  const net = new Map<string, number>();
  for (const r of rows) net.set(r.charge_line_id, (net.get(r.charge_line_id) ?? 0) + Number(r.amount_cents));
  let left = amountCents;
  const plan: TakeBack[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    if (left === 0) break;
    if (Number(r.amount_cents) <= 0 || seen.has(r.charge_line_id)) continue;
    seen.add(r.charge_line_id);
    const amt = Math.min(left, net.get(r.charge_line_id) ?? 0);
    if (amt <= 0) continue;
    plan.push({ applicationId: r.id, chargeLineId: r.charge_line_id, amountCents: amt, invoiceNumber: r.invoice_number, category: r.category, description: r.description, dueDate: r.due_date });
    left -= amt;
  }
  return plan;
}

/** The plan without its first `cents` (newest first): what earlier refunds already charged again. */
function skipCents(plan: TakeBack[], cents: number): TakeBack[] {
  let skip = cents;
  const out: TakeBack[] = [];
  for (const u of plan) {
    const drop = Math.min(skip, u.amountCents);
    skip -= drop;
    if (u.amountCents > drop) out.push({ ...u, amountCents: u.amountCents - drop });
  }
  return out;
}

async function chargedAgainTotal(db: CommandCtx['db'], paymentId: string): Promise<number> {
  const r = await db
    .selectFrom('refunds')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('charged_again_cents'), sql<number>`0`).as('t'))
    .where('payment_id', '=', paymentId)
    .executeTakeFirst();
  return Number(r?.t ?? 0);
}

/** Writes the plan as new negative application rows naming the row they reverse. Returns the total. */
async function unapplyPlanned(ctx: CommandCtx, paymentId: string, plan: TakeBack[], labelPrefix: string): Promise<number> {
  let done = 0;
  for (const u of plan) {
    await ctx.db
      .insertInto('applications')
      .values({
        id: ctx.id(`application/${labelPrefix}/${u.chargeLineId}`),
        payment_id: paymentId,
        charge_line_id: u.chargeLineId,
        amount_cents: -u.amountCents,
        reverses_id: u.applicationId,
        created_by: ctx.actor.userId,
        created_at: ctx.now,
      })
      .execute();
    await ctx.db.updateTable('charge_lines').set({ open_cents: sql<number>`open_cents + ${u.amountCents}` }).where('id', '=', u.chargeLineId).execute();
    done += u.amountCents;
  }
  return done;
}

/**
 * Un-applies up to `amountCents` of a payment's applications, newest first (latest applied, then
 * latest due), as new negative application rows naming the row they reverse. Returns the total.
 */
export async function unapplyNewestFirst(ctx: CommandCtx, paymentId: string, amountCents: number, labelPrefix: string): Promise<number> {
  return unapplyPlanned(ctx, paymentId, await planUnapplyNewestFirst(ctx.db, paymentId, amountCents), labelPrefix);
}

/**
 * Closed is closed: a payment a closed deposit or closed month holds keeps its applications, so what
 * un-applying would have re-opened is charged again instead, on the refund's (open) date, as an
 * invoice numbered with the refund's reference, each line keeping the due date it had (aging ages it
 * as the re-opened line would have). Returns the amount charged and the invoice.
 */
async function chargeAgain(ctx: CommandCtx, refund: { id: string; reference: string; date: string }, p: Database['payments'], why: string, plan: TakeBack[]): Promise<{ cents: number; invoiceId: string | null }> {
  if (plan.length === 0) return { cents: 0, invoiceId: null };
  const invoiceId = await postCorrectionCharge(ctx, {
    label: `refund/${refund.id}/charge-again`,
    accountId: p.account_id,
    invoiceNumber: refund.reference,
    date: refund.date,
    kind: 'refund',
    lines: plan.map((u) => ({
      category: u.category,
      dueDate: u.dueDate,
      amountCents: u.amountCents,
      description: `Owed again after refund ${refund.reference} of payment ${p.reference} (${why}): invoice ${u.invoiceNumber}${u.description ? `, ${u.description}` : ''}`.slice(0, 200),
    })),
  });
  return { cents: plan.reduce((s, u) => s + u.amountCents, 0), invoiceId };
}

async function netApplied(ctx: CommandCtx, paymentId: string): Promise<number> {
  const r = await ctx.db
    .selectFrom('applications')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_cents'), sql<number>`0`).as('t'))
    .where('payment_id', '=', paymentId)
    .executeTakeFirst();
  return Number(r?.t ?? 0);
}

/** Net journal effect of the payment's own entries (−amount normally; 0 for a category outside the balance). */
async function paymentJournalNet(ctx: CommandCtx, paymentId: string): Promise<number> {
  const r = await ctx.db
    .selectFrom('account_entries')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_cents'), sql<number>`0`).as('t'))
    .where('source_type', '=', 'payment')
    .where('source_id', '=', paymentId)
    .executeTakeFirst();
  return Number(r?.t ?? 0);
}

/**
 * Refunds part or all of a deposited payment. Each refund is its own record linked to the payment;
 * the payer's balance goes back up by the refund (one journal entry); the payment's applications
 * are undone, newest first, only as far as the payment's unapplied money does not already cover
 * the refund; a refund receipt is queued when an email is given.
 */
export const createRefund = defineCommand({
  name: 'refunds.create',
  version: 1,
  roles: ANY_ROLE,
  input: refundsContract['refunds.create'].input,
  synced: true,
  prepare: (i) => (i.refundId ? {} : { refundId: newId() }),
  subject: (i) => i.refundId,
  run: async (ctx, i) => performRefund(ctx, { ...i, refundId: i.refundId! }, { approved: false }),
});

export interface RefundOrder {
  refundId: string;
  paymentId: string;
  amount: number;
  reason: string;
  receiptEmail?: string | undefined;
  refundDate?: string | undefined;
}

/** Refuses a refund of more than is left, of a blocked payment, or one that needs an approval it lacks. Returns what was refunded before. */
async function assertRefundable(ctx: CommandCtx, p: Database['payments'], amount: number, approved: boolean): Promise<number> {
  const already = await refundedTotal(ctx.db, p.id);
  const returned = await returnedTotal(ctx.db, p.id);
  const left = Math.max(0, Number(p.amount_cents) - already - returned);
  const why = blockedReason(p, left);
  if (why) fail('CONFLICT', why, { field: 'paymentId' });
  if (amount > left) {
    fail(
      'CONFLICT',
      `Only ${formatMoney(left)} of payment ${p.reference} can still be refunded (${formatMoney(Number(p.amount_cents))} paid, ${formatMoney(already)} refunded already${returned ? `, ${formatMoney(returned)} returned` : ''}).`,
      { field: 'amount', refundableCents: left },
    );
  }
  // Roles that may approve refunds (Settings; default Supervisors and Admins) need no approval of their own.
  if (!approved && !(await mayDo(ctx.db, ctx.actor.role, 'refundApproverRoles'))) {
    const why = await refundApprovalNeeded(ctx.db, p, amount);
    if (why) fail('FORBIDDEN', `${why} A Supervisor or Admin must approve this refund: send it as a request.`, { field: 'amount', needsApproval: true, because: why });
  }
  return already;
}

async function queueRefundReceipt(ctx: CommandCtx, row: Database['refunds'], p: Database['payments'], acct: { account_number: string; name: string }, total: number): Promise<void> {
  await queueReceipt(ctx, {
    kind: 'refund-receipt',
    id: ctx.id(`refund-receipt/${row.id}`),
    relatedId: row.id,
    to: row.receipt_email!,
    subject: `Refund receipt ${row.reference}`,
    opening: 'A refund has been issued.',
    fields: [
      ['Refund', row.reference],
      ['Of payment', `${p.reference} dated ${p.payment_date} (${formatMoney(Number(p.amount_cents))})`],
      ['Account', `${acct.account_number} (${acct.name})`],
      ['Date', row.refund_date],
      ['Amount refunded', `${formatMoney(row.amount_cents)} by ${METHOD_LABEL[p.method]}`],
      ['Refunded of this payment so far', formatMoney(total)],
    ],
  });
}

/**
 * Refunds part or all of a deposited payment (see createRefund). A CSR's refund that needs approval
 * (closed month, above the Admin's limit) is refused unless it carries a supervisor's approval.
 */
export async function performRefund(ctx: CommandCtx, i: RefundOrder, opts: { approved: boolean }) {
  const refundId = i.refundId;
  const p = await loadPaymentRow(ctx, i.paymentId);
  if (p.status === 'pending' || p.status === 'scheduled') {
    fail('CONFLICT', `Payment ${p.reference} is ${p.status}: it has not been deposited, so cancel it instead of refunding it.`, { field: 'paymentId' });
  }
  const already = await assertRefundable(ctx, p, i.amount, opts.approved);
  const acct = await getActiveAccount(ctx, p.account_id);
  const refundDate = i.refundDate ?? ctx.today;
  await assertPeriodOpen(ctx, refundDate, 'refundDate');
  if (await ctx.db.selectFrom('refunds').select('id').where('id', '=', refundId).executeTakeFirst()) fail('CONFLICT', 'This refund was already recorded.', { field: 'refundId' });

  // Money of the payment that is neither applied nor refunded covers the refund first.
  // Earlier refunds that charged again took their part from applications that stay recorded: that
  // part is not free money, and the lines it covered newest first are not taken back twice.
  const chargedBefore = await chargedAgainTotal(ctx.db, p.id);
  const free = Number(p.amount_cents) - (await netApplied(ctx, p.id)) - (already - chargedBefore);
  const need = Math.max(0, i.amount - Math.max(0, free));
  const takeBack = skipCents(await planUnapplyNewestFirst(ctx.db, p.id, chargedBefore + need), chargedBefore);
  const locked = (await lockedPayments(ctx.db, [p.id])).get(p.id);
  // A category payment outside the balance never lowered it, so its refund does not raise it.
  const raisesBalance = (await paymentJournalNet(ctx, p.id)) !== 0;
  const reference = referenceFromId(refundId, 'RFD');
  const charged = locked ? (raisesBalance ? await chargeAgain(ctx, { id: refundId, reference, date: refundDate }, p, locked.why, takeBack) : { cents: 0, invoiceId: null }) : null;
  const unapplied = charged ? 0 : await unapplyPlanned(ctx, p.id, takeBack, `refund/${refundId}`);
  const row: Database['refunds'] = {
    id: refundId,
    payment_id: p.id,
    account_id: p.account_id,
    reference,
    amount_cents: i.amount,
    refund_date: refundDate,
    method: p.method,
    reason: i.reason,
    unapplied_cents: unapplied,
    charged_again_cents: charged?.cents ?? 0,
    receipt_email: i.receiptEmail || null,
    created_by: ctx.actor.userId,
    created_at: ctx.now,
  };
  await ctx.db.insertInto('refunds').values(row).execute();
  // What was charged again already raised the balance; the refund entry carries the rest.
  const refundEntry = i.amount - (charged?.cents ?? 0);
  if (raisesBalance && refundEntry > 0) {
    await postEntry(ctx, {
      accountId: p.account_id,
      entryDate: refundDate,
      kind: 'refund',
      amountCents: refundEntry,
      sourceType: 'refund',
      sourceId: refundId,
      description: `Refund ${row.reference} of payment ${p.reference} (${METHOD_LABEL[p.method]})`,
      label: `refund/${refundId}`,
    });
  }
  if (row.receipt_email) await queueRefundReceipt(ctx, row, p, acct, already + i.amount);
  const linked = charged && locked ? { paymentLocked: locked.why, chargedAgainInvoiceId: charged.invoiceId } : {};
  await ctx.audit({ action: 'create', entity: 'refund', entityId: refundId, after: { ...row, refundedBeforeCents: already, ...linked } });
  // Lines opened again are paid first by credits waiting on the account.
  await applyAccountCredits(ctx, p.account_id, `refund/${refundId}/credits`);
  ctx.changed('payments', 'accounts', 'invoices', 'refunds');
  return loadRefund(ctx.db, refundId);
}

/**
 * Cancels a payment that has not been deposited: Pending ones have their applications undone and
 * their journal entries reversed; Scheduled ones (from a recurring payment) never touched the
 * balance. The record stays, marked cancelled with who, when and why.
 */
export async function cancelPaymentRecord(ctx: CommandCtx, p: Database['payments'], reason: string): Promise<void> {
  if (p.status === 'pending') {
    await assertPeriodOpen(ctx, ctx.today, 'paymentId');
    const applied = await netApplied(ctx, p.id);
    await unapplyNewestFirst(ctx, p.id, applied, `cancel/${p.id}`);
  }
  const net = p.status === 'pending' ? await paymentJournalNet(ctx, p.id) : 0;
  await reversePayment(ctx, p, {
    status: 'cancelled',
    auditAction: 'cancel',
    reason,
    entry: net === 0 ? null : { kind: 'payment_cancelled', date: ctx.today, amountCents: -net, description: `Payment ${p.reference} cancelled: ${reason}`, label: `cancel/${p.id}` },
  });
  if (p.status === 'pending') await applyAccountCredits(ctx, p.account_id, `cancel/${p.id}/credits`);
  ctx.changed('payments', 'accounts', 'invoices');
}

export const cancelPayment = defineCommand({
  name: 'payments.cancel',
  version: 1,
  roles: ANY_ROLE,
  input: paymentsContract['payments.cancel'].input,
  synced: true,
  subject: (i) => i.paymentId,
  run: async (ctx, i) => {
    const p = await loadPaymentRow(ctx, i.paymentId);
    if (p.status === 'deposited') fail('CONFLICT', `Payment ${p.reference} was deposited: refund it instead of cancelling it.`, { field: 'paymentId' });
    const why = blockedReason(p, 1);
    if (why) fail('CONFLICT', why, { field: 'paymentId' });
    if (!REFUNDABLE_KINDS.has(p.kind)) fail('CONFLICT', `Payment ${p.reference} cannot be cancelled here.`, { field: 'paymentId' });
    const locked = await paymentLockedReason(ctx.db, p);
    if (locked) fail(locked.code, locked.message, { field: 'paymentId' });
    const settings = await readSettings(ctx.db);
    if (settings.strictClose && p.status === 'pending' && periodOf(p.payment_date) !== periodOf(ctx.today)) {
      fail('CONFLICT', `Strict Close is on: payment ${p.reference} is from ${periodOf(p.payment_date)} and only payments of the current month can be cancelled.`, { field: 'paymentId' });
    }
    await cancelPaymentRecord(ctx, p, i.reason);
    return loadPaymentRefunds(ctx.db, p.id);
  },
});

export const getRefund = defineQuery({
  name: 'refunds.get',
  roles: ANY_ROLE,
  input: refundsContract['refunds.get'].input,
  run: ({ db }, i) => loadRefund(db, i.refundId),
});

export const refundsForPayment = defineQuery({
  name: 'refunds.forPayment',
  roles: ANY_ROLE,
  input: refundsContract['refunds.forPayment'].input,
  run: ({ db }, i) => loadPaymentRefunds(db, i.paymentId),
});
