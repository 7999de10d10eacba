import { sql, type Kysely } from 'kysely';
import { periodOf } from '../../shared/dates';
import { formatMoney } from '../../shared/money';
import { fail } from '../../shared/result';
import type { CommandCtx } from '../commands/types';
import type { Database } from '../db/schema';
import type { DepositsTable } from '../db/schema-deposits';
import { openLinesByDue, spreadInOrder } from '../ledger/allocation';
import { assertPeriodOpen } from '../ledger/journal';

/**
 * The rules every deposit and payment correction goes through: a closed deposit and a closed month
 * refuse every change; applications stay within the payment's amount and the line's amount.
 */

/** Payments that count in a deposit's total (a deleted payment stays listed as a voided record). */
export const COUNTED = sql<boolean>`payments.status NOT IN ('voided', 'cancelled')`;

export type PaymentRow = Database['payments'];

export async function loadDeposit(db: Kysely<Database>, depositId: string): Promise<DepositsTable> {
  const d = await db.selectFrom('deposits').selectAll().where('id', '=', depositId).executeTakeFirst();
  if (!d) fail('NOT_FOUND', 'That deposit does not exist.', { field: 'depositId' });
  return d;
}

export async function isPeriodClosed(db: Kysely<Database>, date: string): Promise<boolean> {
  const p = await db.selectFrom('periods').select('status').where('period', '=', periodOf(date)).executeTakeFirst();
  return p?.status === 'closed';
}

/** A deposit can change only while it is open and its month is open. */
export async function assertDepositEditable(ctx: CommandCtx, d: DepositsTable): Promise<void> {
  await assertPeriodOpen(ctx, d.deposit_date, 'depositId');
  if (d.status !== 'open') fail('CONFLICT', `Deposit ${d.number} is closed: reopen it before changing it.`, { field: 'depositId', depositId: d.id });
}

export async function loadPayment(db: Kysely<Database>, paymentId: string, field = 'paymentId'): Promise<PaymentRow> {
  const p = await db.selectFrom('payments').selectAll().where('id', '=', paymentId).executeTakeFirst();
  if (!p) fail('NOT_FOUND', 'That payment does not exist.', { field });
  return p;
}

/** Why a payment's applications cannot change now, or null. Shared by the command guard and the UI. */
export async function paymentLockedReason(db: Kysely<Database>, p: PaymentRow): Promise<{ code: 'CONFLICT' | 'PERIOD_CLOSED'; message: string } | null> {
  if (p.status === 'voided') return { code: 'CONFLICT', message: `Payment ${p.reference} was deleted (voided); it cannot change.` };
  if (p.status === 'cancelled') return { code: 'CONFLICT', message: `Payment ${p.reference} was cancelled; it cannot change.` };
  if (await isPeriodClosed(db, p.payment_date)) {
    return { code: 'PERIOD_CLOSED', message: `${periodOf(p.payment_date)} is closed: payment ${p.reference} is dated in it and cannot change.` };
  }
  if (p.deposit_id) {
    const d = await db.selectFrom('deposits').select(['number', 'status', 'deposit_date']).where('id', '=', p.deposit_id).executeTakeFirst();
    if (d?.status === 'closed') return { code: 'CONFLICT', message: `Payment ${p.reference} is in deposit ${d.number}, which is closed: reopen the deposit first.` };
    if (d && (await isPeriodClosed(db, d.deposit_date))) {
      return { code: 'PERIOD_CLOSED', message: `${periodOf(d.deposit_date)} is closed: deposit ${d.number} cannot change.` };
    }
  }
  return null;
}

export async function assertPaymentEditable(ctx: CommandCtx, p: PaymentRow, field = 'paymentId'): Promise<void> {
  const why = await paymentLockedReason(ctx.db, p);
  if (why) fail(why.code, why.message, { field, paymentId: p.id });
}

/** Net amount of a payment on each charge line (un-applies and supersedes netted out), non-zero only. */
export async function netByLine(db: Kysely<Database>, paymentId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('applications')
    .select(['charge_line_id', (eb) => eb.fn.sum<number>('amount_cents').as('net')])
    .where('payment_id', '=', paymentId)
    .groupBy('charge_line_id')
    .orderBy('charge_line_id')
    .execute();
  const m = new Map<string, number>();
  for (const r of rows) if (Number(r.net) !== 0) m.set(r.charge_line_id, Number(r.net));
  return m;
}

const sum = (m: Map<string, number>) => [...m.values()].reduce((s, x) => s + x, 0);

interface LineRow {
  id: string;
  account_id: string;
  amount_cents: number;
  open_cents: number;
  line_no: number;
  invoice_number: string;
  invoice_status: string;
}

async function loadLine(db: Kysely<Database>, lineId: string): Promise<LineRow> {
  const l = await db
    .selectFrom('charge_lines')
    .innerJoin('invoices', 'invoices.id', 'charge_lines.invoice_id')
    .select(['charge_lines.id', 'charge_lines.account_id', 'charge_lines.amount_cents', 'charge_lines.open_cents', 'charge_lines.line_no', 'invoices.invoice_number', 'invoices.status as invoice_status'])
    .where('charge_lines.id', '=', lineId)
    .executeTakeFirst();
  if (!l) fail('NOT_FOUND', 'That charge line does not exist.', { field: 'chargeLineId', chargeLineId: lineId });
  return l;
}

/**
 * Moves a payment's net amount on one line by `delta` (same sign as the payment: applying more;
 * opposite sign: un-applying). The line's open amount stays within 0..amount.
 */
async function moveOnLine(ctx: CommandCtx, p: PaymentRow, lineId: string, delta: number, label: string, reversesId: string | null): Promise<void> {
  if (delta === 0) return;
  const l = await loadLine(ctx.db, lineId);
  const name = `invoice ${l.invoice_number} line ${l.line_no}`;
  if (l.account_id !== p.account_id) fail('VALIDATION', `Charge ${name} belongs to another account.`, { field: 'chargeLineId', chargeLineId: lineId });
  const growing = Math.sign(delta) === Math.sign(Number(p.amount_cents));
  if (growing && l.invoice_status !== 'open') fail('CONFLICT', `Invoice ${l.invoice_number} was replaced by a newer version; apply to the new one.`, { field: 'chargeLineId', chargeLineId: lineId });
  const open = Number(l.open_cents);
  const amount = Number(l.amount_cents);
  const newOpen = open - delta;
  if (newOpen < 0) {
    fail('CONFLICT', `Only ${formatMoney(open)} is still open on ${name}; ${formatMoney(delta)} cannot be applied to it.`, { field: 'amount', chargeLineId: lineId, openCents: open });
  }
  if (newOpen > amount) {
    fail('CONFLICT', `Only ${formatMoney(amount - open)} of ${name} is paid; it cannot be reopened by ${formatMoney(-delta)}.`, { field: 'amount', chargeLineId: lineId, paidCents: amount - open });
  }
  await ctx.db
    .insertInto('applications')
    .values({
      id: ctx.id(`application/${label}`),
      payment_id: p.id,
      charge_line_id: lineId,
      amount_cents: delta,
      reverses_id: reversesId,
      created_by: ctx.actor.userId,
      created_at: ctx.now,
    })
    .execute();
  await ctx.db.updateTable('charge_lines').set({ open_cents: sql<number>`open_cents - ${delta}` }).where('id', '=', lineId).execute();
}

/** The latest application of the payment on the line in the payment's direction: what an un-apply reverses. */
async function lastApplicationId(db: Kysely<Database>, paymentId: string, lineId: string, positive: boolean): Promise<string | null> {
  const r = await db
    .selectFrom('applications')
    .select('id')
    .where('payment_id', '=', paymentId)
    .where('charge_line_id', '=', lineId)
    .where('amount_cents', positive ? '>' : '<', 0)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r?.id ?? null;
}

/**
 * Makes the payment's net applications equal `target` (line -> signed amount, same sign as the
 * payment). Un-applies first (new negative rows naming what they reverse), then applies. Refuses a
 * target beyond the payment's amount or any line's open / paid amount. Returns before and after.
 */
export async function setAllocation(ctx: CommandCtx, p: PaymentRow, target: Map<string, number>, labelPrefix: string): Promise<{ before: Record<string, number>; after: Record<string, number> }> {
  const amount = Number(p.amount_cents);
  const sign = Math.sign(amount);
  for (const [lineId, v] of target) {
    if (v === 0) target.delete(lineId);
    else if (Math.sign(v) !== sign) fail('VALIDATION', 'Applied amounts must have the sign of the payment.', { field: 'amount', chargeLineId: lineId });
  }
  const total = sum(target);
  if (Math.abs(total) > Math.abs(amount)) {
    fail('CONFLICT', `The amounts add up to ${formatMoney(Math.abs(total))}, more than the payment's ${formatMoney(Math.abs(amount))}.`, { field: 'amount' });
  }
  const current = await netByLine(ctx.db, p.id);
  const lines = [...new Set([...current.keys(), ...target.keys()])].sort();
  let n = 0;
  // Reductions first, so a move from one line to another never passes through an over-applied state.
  for (const lineId of lines) {
    const delta = (target.get(lineId) ?? 0) - (current.get(lineId) ?? 0);
    if (delta !== 0 && Math.sign(delta) !== sign) {
      const rev = await lastApplicationId(ctx.db, p.id, lineId, sign > 0);
      await moveOnLine(ctx, p, lineId, delta, `${labelPrefix}/${n++}`, rev);
    }
  }
  for (const lineId of lines) {
    const delta = (target.get(lineId) ?? 0) - (current.get(lineId) ?? 0);
    if (delta !== 0 && Math.sign(delta) === sign) await moveOnLine(ctx, p, lineId, delta, `${labelPrefix}/${n++}`, null);
  }
  return { before: Object.fromEntries(current), after: Object.fromEntries(target) };
}

/**
 * The target of "apply automatically": a positive payment goes oldest-due first over the account's
 * open charges (counting what it already covers); a negative one (a return) reopens what the payment
 * it returns had paid, newest due first; the rest stays unapplied (it removes the payment's credit).
 */
export async function autoAllocation(db: Kysely<Database>, p: PaymentRow, amountCents = Number(p.amount_cents)): Promise<Map<string, number>> {
  const current = await netByLine(db, p.id);
  const target = new Map<string, number>();
  let left = Math.abs(amountCents);
  if (left === 0) return target;
  const lines = await openLinesByDue(db, p.account_id, { due: amountCents > 0 ? 'asc' : 'desc', withPaid: true });
  if (amountCents > 0) {
    // What a line can take is its open amount plus what this payment already has on it.
    for (const a of spreadInOrder(lines, left, (l) => l.openCents + (current.get(l.id) ?? 0)).applied) target.set(a.chargeLineId, a.amountCents);
    return target;
  }
  // Negative: what can be reopened on a line is what is paid on it, plus what this payment already reopened.
  const paid = new Map(lines.map((l) => [l.id, l.amountCents - l.openCents - (current.get(l.id) ?? 0)]));
  const take = (lineId: string, upTo: number) => {
    const a = Math.min(left, upTo, (paid.get(lineId) ?? 0) - -(target.get(lineId) ?? 0));
    if (a > 0) {
      target.set(lineId, (target.get(lineId) ?? 0) - a);
      left -= a;
    }
  };
  if (p.related_payment_id) {
    const related = await netByLine(db, p.related_payment_id);
    for (const l of lines) if (left > 0 && (related.get(l.id) ?? 0) > 0) take(l.id, related.get(l.id)!);
  }
  return target;
}

/** Sum of line amounts (positive cents) typed by a person, turned into a signed target. */
export function targetFromLines(lines: { chargeLineId: string; amount: number }[], sign: number): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of lines) m.set(l.chargeLineId, (m.get(l.chargeLineId) ?? 0) + sign * l.amount);
  return m;
}
