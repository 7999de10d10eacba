import { sql } from 'kysely';
import type { CommandCtx } from '../commands/types';
import { invoiceFirst, openLinesByDue, spreadInOrder } from '../ledger/allocation';

/**
 * How credits meet charge lines. A credit's applications live in `credit_applications` (append-only
 * like payment `applications`: an un-apply is a negative row naming what it reverses); both move
 * `charge_lines.open_cents`, and `credits.open_cents` caches what is still unapplied. verifyLedger
 * proves all three caches.
 */

export interface CreditApplied {
  creditId: string;
  chargeLineId: string;
  amountCents: number;
}

async function moveCreditOnLine(ctx: CommandCtx, creditId: string, chargeLineId: string, delta: number, label: string, reversesId: string | null): Promise<void> {
  await ctx.db
    .insertInto('credit_applications')
    .values({
      id: ctx.id(`credit-application/${label}`),
      credit_id: creditId,
      charge_line_id: chargeLineId,
      amount_cents: delta,
      reverses_id: reversesId,
      created_by: ctx.actor.userId,
      created_at: ctx.now,
    })
    .execute();
  await ctx.db.updateTable('charge_lines').set({ open_cents: sql<number>`open_cents - ${delta}` }).where('id', '=', chargeLineId).execute();
  await ctx.db.updateTable('credits').set({ open_cents: sql<number>`open_cents - ${delta}` }).where('id', '=', creditId).execute();
}

/**
 * Applies what is left of one credit to its account's open charge lines: the lines of the invoice
 * it was posted against first, then oldest due first (the one allocation engine, ledger/allocation.ts).
 * What does not fit stays on the account.
 */
export async function applyCredit(ctx: CommandCtx, creditId: string, labelPrefix: string): Promise<CreditApplied[]> {
  const credit = await ctx.db.selectFrom('credits').select(['id', 'account_id', 'open_cents', 'invoice_id', 'status']).where('id', '=', creditId).executeTakeFirstOrThrow();
  const left = Number(credit.open_cents);
  const applied: CreditApplied[] = [];
  if (credit.status !== 'active' || left <= 0) return applied;
  const lines = invoiceFirst(await openLinesByDue(ctx.db, credit.account_id), credit.invoice_id);
  for (const a of spreadInOrder(lines, left).applied) {
    await moveCreditOnLine(ctx, credit.id, a.chargeLineId, a.amountCents, `${labelPrefix}/${credit.id}/${a.chargeLineId}`, null);
    applied.push({ creditId: credit.id, ...a });
  }
  return applied;
}

/**
 * "Credits are paid on invoices as they come due": every active credit of the account with
 * something unapplied, oldest credit first, goes to the open charge lines oldest due first. Called
 * when an invoice is created and when charge lines open again (a refund or cancellation).
 * Returns what was applied per charge line.
 */
export async function applyAccountCredits(ctx: CommandCtx, accountId: string, labelPrefix: string): Promise<Map<string, number>> {
  const perLine = new Map<string, number>();
  const credits = await ctx.db
    .selectFrom('credits')
    .select('id')
    .where('account_id', '=', accountId)
    .where('status', '=', 'active')
    .where('open_cents', '>', 0)
    .orderBy('credit_date')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  for (const c of credits) {
    for (const a of await applyCredit(ctx, c.id, labelPrefix)) perLine.set(a.chargeLineId, (perLine.get(a.chargeLineId) ?? 0) + a.amountCents);
  }
  if (perLine.size > 0) ctx.changed('credits', 'invoices');
  return perLine;
}

/** Net applied per charge line of one credit, lines with nothing net left out. */
async function creditNetByLine(ctx: CommandCtx, creditId: string) {
  const rows = await ctx.db
    .selectFrom('credit_applications')
    .select(['charge_line_id', (eb) => eb.fn.sum<number>('amount_cents').as('net')])
    .where('credit_id', '=', creditId)
    .groupBy('charge_line_id')
    .orderBy('charge_line_id')
    .execute();
  return rows.filter((r) => Number(r.net) > 0).map((r) => ({ chargeLineId: r.charge_line_id, net: Number(r.net) }));
}

async function lastPositive(ctx: CommandCtx, creditId: string, lineId: string): Promise<string | null> {
  const r = await ctx.db
    .selectFrom('credit_applications')
    .select('id')
    .where('credit_id', '=', creditId)
    .where('charge_line_id', '=', lineId)
    .where('amount_cents', '>', 0)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r?.id ?? null;
}

/** Undoes every application of a credit (before it is reversed or replaced). Returns the total. */
export async function unapplyCreditFully(ctx: CommandCtx, creditId: string, labelPrefix: string): Promise<number> {
  let total = 0;
  for (const r of await creditNetByLine(ctx, creditId)) {
    await moveCreditOnLine(ctx, creditId, r.chargeLineId, -r.net, `${labelPrefix}/${r.chargeLineId}`, await lastPositive(ctx, creditId, r.chargeLineId));
    total += r.net;
  }
  return total;
}

/**
 * A bill file replaced an invoice (imports mark it superseded and un-apply its payments): the
 * credits that sat on its lines are freed too, so they can go to the new version.
 */
export async function releaseSupersededCredits(ctx: CommandCtx, accountId: string, labelPrefix: string): Promise<number> {
  const rows = await ctx.db
    .selectFrom('credit_applications')
    .innerJoin('charge_lines', 'charge_lines.id', 'credit_applications.charge_line_id')
    .innerJoin('invoices', 'invoices.id', 'charge_lines.invoice_id')
    .select(['credit_applications.credit_id', 'credit_applications.charge_line_id', (eb) => eb.fn.sum<number>('credit_applications.amount_cents').as('net')])
    .where('invoices.account_id', '=', accountId)
    .where('invoices.status', '=', 'superseded')
    .groupBy(['credit_applications.credit_id', 'credit_applications.charge_line_id'])
    .orderBy('credit_applications.credit_id')
    .orderBy('credit_applications.charge_line_id')
    .execute();
  let total = 0;
  for (const r of rows) {
    const net = Number(r.net);
    if (net <= 0) continue;
    await moveCreditOnLine(ctx, r.credit_id, r.charge_line_id, -net, `${labelPrefix}/release/${r.credit_id}/${r.charge_line_id}`, await lastPositive(ctx, r.credit_id, r.charge_line_id));
    total += net;
  }
  return total;
}

/**
 * The hook `insertInvoice` calls after adding an invoice's lines: frees credits left on replaced
 * invoices and applies the account's unapplied credits, oldest credit first, oldest due first.
 * Cheap for accounts without credits (one indexed lookup), so bill imports stay fast.
 */
export async function applyCreditsToNewInvoice(ctx: CommandCtx, accountId: string, invoiceId: string): Promise<Map<string, number>> {
  const any = await ctx.db.selectFrom('credits').select('id').where('account_id', '=', accountId).limit(1).executeTakeFirst();
  if (!any) return new Map();
  await releaseSupersededCredits(ctx, accountId, `invoice/${invoiceId}`);
  return applyAccountCredits(ctx, accountId, `invoice/${invoiceId}`);
}
