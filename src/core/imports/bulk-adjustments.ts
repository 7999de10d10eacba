/**
 * A balance file's adjustments posted set-wise: the rows `postBalanceAdjustment` would write one
 * query at a time (100,000 accounts = half a million statements), written with a few bulk inserts
 * and one balance update. Only the cases whose outcome needs no per-account reading are done here;
 * every other adjustment still goes through `postBalanceAdjustment`.
 */
import { sql } from 'kysely';
import { formatMoney } from '../../shared/money';
import { insertMany, type CommandCtx } from '../commands/types';
import type { Database } from '../db/schema';
import { adjustmentInvoiceNumber, postBalanceAdjustment } from '../ledger/adjustments';
import { sequentialId } from '../util/canonical-json';

export interface AdjustmentToPost {
  id: string;
  accountId: string;
  /** Set for new accounts (their credit names the division); null otherwise. */
  divisionId: string | null;
  /** + raises the balance, − lowers it. */
  amountCents: number;
  newBalanceCents: number;
  /** Created by this upload: it has no charges and no credits yet. */
  isNew: boolean;
}

const REASON = 'file upload';
const describe = (newBalanceCents: number) => `Balance set to ${(newBalanceCents / 100).toFixed(2)} by ${REASON}`;

/** Accounts among `ids` that have any credit (a raise must then meet those credits one by one). */
async function accountsWithCredits(ctx: CommandCtx, ids: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await ctx.db.selectFrom('credits').select('account_id').distinct().where('account_id', 'in', ids.slice(i, i + 500)).execute();
    for (const r of rows) out.add(r.account_id);
  }
  return out;
}

/**
 * Posts every adjustment of an upload. Set-wise:
 * - a raise on an account without credits: an adjustment charge (invoice, line, journal entry) that
 *   no credit can meet, exactly what the one-by-one path writes;
 * - a cut on a new account: a credit with nothing open to apply to, so it stays on the account.
 * The rest (cuts on existing accounts, raises meeting credits) go one by one: they apply money
 * oldest due first. Balances end as the file says: each account's cached balance moves by the
 * entries posted for it, checked by verifyLedger like any other posting.
 */
export async function postAdjustments(ctx: CommandCtx, list: AdjustmentToPost[]): Promise<void> {
  const existingRaises = list.filter((a) => a.amountCents > 0 && !a.isNew).map((a) => a.accountId);
  const credited = await accountsWithCredits(ctx, existingRaises);
  const bulk: AdjustmentToPost[] = [];
  const oneByOne: AdjustmentToPost[] = [];
  for (const a of list) {
    if (a.amountCents === 0) continue;
    if (a.amountCents > 0 ? !credited.has(a.accountId) : a.isNew && a.divisionId !== null) bulk.push(a);
    else oneByOne.push(a);
  }

  const invoices: Database['invoices'][] = [];
  const lines: Database['charge_lines'][] = [];
  const credits: Database['credits'][] = [];
  const entries: Database['account_entries'][] = [];
  // Ascending ids (deterministic like ctx.id) keep 100k inserts in primary-key order.
  const invBase = ctx.id('bulk-adjustment/invoices');
  const lineBase = ctx.id('bulk-adjustment/lines');
  const creditBase = ctx.id('bulk-adjustment/credits');
  const entryBase = ctx.id('bulk-adjustment/entries');
  for (const a of bulk) {
    const description = describe(a.newBalanceCents);
    const entryId = sequentialId(entryBase, entries.length);
    if (a.amountCents > 0) {
      const invoiceId = sequentialId(invBase, invoices.length);
      const lineId = sequentialId(lineBase, lines.length);
      invoices.push({ id: invoiceId, account_id: a.accountId, invoice_number: adjustmentInvoiceNumber(a.id), invoice_date: ctx.today, due_date: ctx.today, status: 'open', superseded_by: null, created_at: ctx.now });
      lines.push({ id: lineId, invoice_id: invoiceId, account_id: a.accountId, line_no: 1, category: 'Adjustment', description, amount_cents: a.amountCents, open_cents: a.amountCents, due_date: ctx.today, created_at: ctx.now });
      entries.push({ id: entryId, account_id: a.accountId, entry_date: ctx.today, kind: 'adjustment', amount_cents: a.amountCents, source_type: 'charge_line', source_id: lineId, description, created_at: ctx.now });
    } else {
      const creditId = sequentialId(creditBase, credits.length);
      const amount = -a.amountCents;
      credits.push({
        id: creditId,
        account_id: a.accountId,
        division_id: a.divisionId!,
        kind: 'credit',
        credit_item_id: null,
        amount_cents: amount,
        open_cents: amount,
        credit_date: ctx.today,
        classification: 'Balance adjustment',
        public_comment: '',
        private_comment: `${REASON}: ${formatMoney(amount)} off`,
        invoice_id: null,
        batch_id: null,
        status: 'active',
        replaces_id: null,
        replaced_by: null,
        reversal_reason: null,
        reversed_by: null,
        reversed_at: null,
        created_by: ctx.actor.userId,
        created_at: ctx.now,
      });
      entries.push({ id: entryId, account_id: a.accountId, entry_date: ctx.today, kind: 'adjustment', amount_cents: a.amountCents, source_type: 'credit', source_id: creditId, description, created_at: ctx.now });
    }
  }
  await insertMany(ctx, 'invoices', invoices);
  await insertMany(ctx, 'charge_lines', lines);
  await insertMany(ctx, 'credits', credits);
  await insertMany(ctx, 'account_entries', entries);
  if (entries.length > 0) {
    // One statement moves every bulk-posted account's cached balance by its entry (the entry ids are
    // one ascending range of this command).
    const first = entries[0]!.id;
    const last = entries.at(-1)!.id;
    await sql`UPDATE accounts SET
        balance_cents = balance_cents + (SELECT e.amount_cents FROM account_entries e WHERE e.account_id = accounts.id AND e.id BETWEEN ${first} AND ${last}),
        updated_at = ${ctx.now}
      WHERE id IN (SELECT account_id FROM account_entries WHERE id BETWEEN ${first} AND ${last})`.execute(ctx.db);
  }
  for (const a of oneByOne) {
    await postBalanceAdjustment(ctx, { adjustmentId: a.id, accountId: a.accountId, amountCents: a.amountCents, newBalanceCents: a.newBalanceCents, date: ctx.today, reason: REASON });
  }
}
