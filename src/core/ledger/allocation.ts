import { sql, type Kysely } from 'kysely';
import { fail } from '../../shared/result';
import type { CommandCtx } from '../commands/types';
import type { Database } from '../db/schema';
import { insertRow, prepared } from '../db/prepared';

/**
 * The one allocation engine. Payments, credits and deposit corrections order an account's charge
 * lines with `openLinesByDue` and spread money over them with `spreadInOrder`, so every command,
 * on the desk and on the server, puts the same cents on the same lines. Each caller writes the
 * result to its own table (payment `applications`, `credit_applications`).
 */

export interface Applied {
  chargeLineId: string;
  amountCents: number;
}

export interface AllocLine {
  id: string;
  invoiceId: string;
  openCents: number;
  amountCents: number;
}

/**
 * The charge lines of the account's open (not replaced) invoices: oldest due first ('desc': newest
 * first), then invoice number, line number and id, so the order is total and the same everywhere.
 * `withPaid` keeps fully paid lines (a correction may move money already on them); `category` keeps
 * the lines of one payment category (case-insensitive).
 */
export async function openLinesByDue(db: Kysely<Database>, accountId: string, opts: LineChoice = {}): Promise<AllocLine[]> {
  // Every payment reads the default lines (compiled once, prepared.ts); the other choices are rarer.
  const rows = opts.due === undefined && !opts.withPaid && opts.category === undefined ? await defaultLines.rows(db, accountId) : await linesQuery(db, accountId, opts).execute();
  return rows.map((r) => ({ id: r.id, invoiceId: r.invoice_id, openCents: Number(r.open_cents), amountCents: Number(r.amount_cents) }));
}

type LineChoice = { due?: 'asc' | 'desc'; withPaid?: boolean; category?: string };

function linesQuery(db: Kysely<Database>, accountId: string, opts: LineChoice) {
  return db
    .selectFrom('charge_lines')
    .innerJoin('invoices', 'invoices.id', 'charge_lines.invoice_id')
    .select(['charge_lines.id', 'charge_lines.invoice_id', 'charge_lines.open_cents', 'charge_lines.amount_cents'])
    .where('charge_lines.account_id', '=', accountId)
    .$if(!opts.withPaid, (q) => q.where('charge_lines.open_cents', '>', 0))
    .where('invoices.status', '=', 'open')
    .$if(opts.category !== undefined, (q) => q.where(sql<string>`lower(charge_lines.category)`, '=', (opts.category ?? '').toLowerCase()))
    .orderBy('charge_lines.due_date', opts.due ?? 'asc')
    .orderBy('invoices.invoice_number')
    .orderBy('charge_lines.line_no')
    .orderBy('charge_lines.id');
}

const defaultLines = prepared((db, accountId: string) => linesQuery(db, accountId, {}));

/** The lines of one invoice first (a credit posted against it), the others after, each group in its order. */
export function invoiceFirst(lines: AllocLine[], invoiceId: string | null): AllocLine[] {
  if (!invoiceId) return lines;
  return [...lines.filter((l) => l.invoiceId === invoiceId), ...lines.filter((l) => l.invoiceId !== invoiceId)];
}

/**
 * Spreads `amountCents` over the lines in the order given, each taking at most `room(line)` (by
 * default what is still open on it). Whole cents only; lines that get nothing are left out and
 * what does not fit is `leftCents` (it stays on the account as a credit).
 */
export function spreadInOrder(lines: readonly AllocLine[], amountCents: number, room: (l: AllocLine) => number = (l) => l.openCents): { applied: Applied[]; leftCents: number } {
  if (!Number.isSafeInteger(amountCents)) throw new Error(`Allocation amounts are whole cents, not ${amountCents}.`);
  let left = Math.max(0, amountCents);
  const applied: Applied[] = [];
  for (const l of lines) {
    if (left === 0) break;
    const a = Math.min(left, room(l));
    if (a > 0) {
      applied.push({ chargeLineId: l.id, amountCents: a });
      left -= a;
    }
  }
  return { applied, leftCents: left };
}

/**
 * Applies up to `amountCents` of a payment to one charge line. Never more than the line's open
 * amount, and the caller guarantees never more than the payment's unapplied amount.
 */
export async function applyToLine(ctx: CommandCtx, paymentId: string, chargeLineId: string, amountCents: number, label: string): Promise<void> {
  if (amountCents <= 0) fail('VALIDATION', 'Applied amounts must be more than $0.00.', { field: 'amount' });
  const line = await lineOpen.first(ctx.db, chargeLineId);
  if (!line) fail('NOT_FOUND', 'That charge line does not exist.', { field: 'chargeLineId' });
  if (amountCents > line.open_cents) {
    fail('CONFLICT', 'The amount is more than the charge line still has open.', { field: 'amount', openCents: line.open_cents });
  }
  await insertRow(ctx.db, 'applications', {
    id: ctx.id(`application/${label}`),
    payment_id: paymentId,
    charge_line_id: chargeLineId,
    amount_cents: amountCents,
    reverses_id: null,
    created_by: ctx.actor.userId,
    created_at: ctx.now,
  });
  await lowerOpen.run(ctx.db, amountCents, chargeLineId);
}

// Run for every line a payment pays: compiled once (prepared.ts).
const lineOpen = prepared((db, id: string) => db.selectFrom('charge_lines').select(['open_cents', 'account_id']).where('id', '=', id));
const lowerOpen = prepared((db, by: number, id: string) => db.updateTable('charge_lines').set({ open_cents: sql<number>`open_cents - ${by}` }).where('id', '=', id));

/**
 * Spreads an amount of a payment over the account's open charge lines, oldest due first. Returns
 * what was applied; the rest stays on the account as a credit.
 */
export async function applyOldestDueFirst(ctx: CommandCtx, paymentId: string, accountId: string, amountCents: number, labelPrefix = paymentId): Promise<Applied[]> {
  if (amountCents <= 0) return [];
  const { applied } = spreadInOrder(await openLinesByDue(ctx.db, accountId), amountCents);
  for (const [i, a] of applied.entries()) await applyToLine(ctx, paymentId, a.chargeLineId, a.amountCents, `${labelPrefix}/${i}`);
  return applied;
}

/** Net amount of a payment applied to charge lines (un-applies are negative rows). */
export async function appliedTotal(ctx: Pick<CommandCtx, 'db'>, paymentId: string): Promise<number> {
  const r = await ctx.db
    .selectFrom('applications')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_cents'), sql<number>`0`).as('total'))
    .where('payment_id', '=', paymentId)
    .executeTakeFirst();
  return Number(r?.total ?? 0);
}
