import { sql } from 'kysely';
import { referenceFromSequentialId } from '../../shared/ids';
import { formatMoney } from '../../shared/money';
import { insertMany, type CommandCtx } from '../commands/types';
import type { Database } from '../db/schema';
import { sequentialId } from '../util/canonical-json';
import { applyCredit } from '../credits/apply-credits';
import { newCreditRow } from '../credits/credit-row';
import { postCorrectionCharge } from './correction-charge';
import { postEntry } from './journal';

export interface BalanceAdjustment {
  /** The balance_adjustments row this posting carries out. */
  adjustmentId: string;
  accountId: string;
  /** + raises the balance, − lowers it. */
  amountCents: number;
  newBalanceCents: number;
  date: string;
  reason: string;
}

/** The invoice number an adjustment charge is shown with (stable: derived from the adjustment's id, one of its file's sequential ids). */
export const adjustmentInvoiceNumber = (adjustmentId: string) => referenceFromSequentialId(adjustmentId, 'ADJ');

const adjustmentDescription = (newBalanceCents: number, reason: string) => `Balance set to ${(newBalanceCents / 100).toFixed(2)} by ${reason}`;

/** The credit a balance cut posts (left open: applying it is the caller's step). */
function adjustmentCredit(ctx: CommandCtx, c: { id: string; accountId: string; divisionId: string; amountCents: number; date: string; reason: string }): Database['credits'] {
  return newCreditRow(ctx, { ...c, kind: 'credit', classification: 'Balance adjustment', privateComment: `${c.reason}: ${formatMoney(c.amountCents)} off` });
}

/**
 * Posts a balance adjustment so the one balance rule holds (ledger/tie-out.ts): a raise is an
 * adjustment CHARGE (an invoice with one line, open for the amount, due on the adjustment date,
 * which waiting credits are applied to like any new invoice); a cut is an adjustment CREDIT applied
 * to the open charges oldest due first, the rest left on the account. Either way aging, statements
 * and the balance move together.
 */
export async function postBalanceAdjustment(ctx: CommandCtx, a: BalanceAdjustment): Promise<void> {
  if (a.amountCents === 0) return;
  const description = adjustmentDescription(a.newBalanceCents, a.reason);
  if (a.amountCents > 0) {
    await postCorrectionCharge(ctx, {
      label: `adjustment/${a.adjustmentId}`,
      accountId: a.accountId,
      invoiceNumber: adjustmentInvoiceNumber(a.adjustmentId),
      date: a.date,
      kind: 'adjustment',
      lines: [{ category: 'Adjustment', description, amountCents: a.amountCents, dueDate: a.date }],
    });
    return;
  }
  const creditId = ctx.id(`adjustment/${a.adjustmentId}/credit`);
  const amount = -a.amountCents;
  const acct = await ctx.db.selectFrom('accounts').select('division_id').where('id', '=', a.accountId).executeTakeFirstOrThrow();
  await ctx.db.insertInto('credits').values(adjustmentCredit(ctx, { id: creditId, accountId: a.accountId, divisionId: acct.division_id, amountCents: amount, date: a.date, reason: a.reason })).execute();
  await postEntry(ctx, { accountId: a.accountId, entryDate: a.date, kind: 'adjustment', amountCents: a.amountCents, sourceType: 'credit', sourceId: creditId, description, label: `adjustment/${a.adjustmentId}` });
  await applyCredit(ctx, creditId, `adjustment/${a.adjustmentId}`);
}

export interface AdjustmentToPost {
  id: string;
  accountId: string;
  /** The account's division (a cut's credit names it); null when not known: the cut then goes one by one. */
  divisionId: string | null;
  /** + raises the balance, − lowers it. */
  amountCents: number;
  newBalanceCents: number;
  /**
   * Created by this batch with `newBalanceCents` already cached (apply-rows.ts createAccounts): it
   * has no charges and no credits yet, and its cached balance is not moved again.
   */
  isNew: boolean;
}

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
 * The same rule for a batch (a balance file: 100,000 accounts would be half a million statements one
 * by one). Set-wise, with a few bulk inserts and one balance update: a raise on an account without
 * credits (a charge no credit can meet) and every cut whose division is known (its credit and
 * entry). A cut on an existing account then has its credit applied by the one rule (applyCredit:
 * its own account's open charges, oldest due first), account by account: no account's outcome
 * depends on another's. Raises on accounts with credits go through postBalanceAdjustment. Rows are
 * exactly what the one-by-one path writes; ids ascend (deterministic like ctx.id) so 100k inserts
 * go in primary-key order.
 */
export async function postBalanceAdjustments(ctx: CommandCtx, list: AdjustmentToPost[], o: { reason: string; date: string }): Promise<void> {
  const credited = await accountsWithCredits(ctx, list.filter((a) => a.amountCents > 0 && !a.isNew).map((a) => a.accountId));
  const bulk: AdjustmentToPost[] = [];
  const oneByOne: AdjustmentToPost[] = [];
  for (const a of list) {
    if (a.amountCents === 0) continue;
    // A new account is always posted set-wise: its balance is cached already, and the one-by-one path would move it again.
    if (a.isNew && a.divisionId === null) throw new Error('A new account\'s adjustment needs its division');
    if (a.isNew || (a.amountCents > 0 ? !credited.has(a.accountId) : a.divisionId !== null)) bulk.push(a);
    else oneByOne.push(a);
  }
  const cutsToApply = await postSetWise(ctx, bulk, o);
  for (const c of cutsToApply) await applyCredit(ctx, c.creditId, `adjustment/${c.adjustmentId}`);
  for (const a of oneByOne) {
    await postBalanceAdjustment(ctx, { adjustmentId: a.id, accountId: a.accountId, amountCents: a.amountCents, newBalanceCents: a.newBalanceCents, date: o.date, reason: o.reason });
  }
}

/** Rows built and inserted this many postings at a time: 100,000 postings' rows never sit in memory together. */
const CHUNK = 512;

/** Posts `bulk` set-wise; answers the cuts on existing accounts, whose credits are still to apply. */
async function postSetWise(ctx: CommandCtx, bulk: AdjustmentToPost[], o: { reason: string; date: string }): Promise<{ creditId: string; adjustmentId: string }[]> {
  const cutsToApply: { creditId: string; adjustmentId: string }[] = [];
  const invoices: Database['invoices'][] = [];
  const lines: Database['charge_lines'][] = [];
  const credits: Database['credits'][] = [];
  const entries: Database['account_entries'][] = [];
  const [invBase, lineBase, creditBase, entryBase] = ['invoices', 'lines', 'credits', 'entries'].map((k) => ctx.id(`bulk-adjustment/${k}`)) as [string, string, string, string];
  const n = { invoices: 0, credits: 0, entries: 0 };
  // Parents before children (lines name their invoice), chunk by chunk.
  const flush = async () => {
    await insertMany(ctx, 'invoices', invoices);
    await insertMany(ctx, 'charge_lines', lines);
    await insertMany(ctx, 'credits', credits);
    await insertMany(ctx, 'account_entries', entries);
    invoices.length = lines.length = credits.length = entries.length = 0;
  };
  // New accounts first: their entries are one range, the existing accounts' the next (only those move a cached balance).
  const fresh = bulk.filter((a) => a.isNew);
  const firstExisting = fresh.length;
  for (const a of [...fresh, ...bulk.filter((a) => !a.isNew)]) {
    const description = adjustmentDescription(a.newBalanceCents, o.reason);
    const entry = { id: sequentialId(entryBase, n.entries++), account_id: a.accountId, entry_date: o.date, kind: 'adjustment', amount_cents: a.amountCents, description, created_at: ctx.now };
    if (a.amountCents > 0) {
      const invoiceId = sequentialId(invBase, n.invoices);
      const lineId = sequentialId(lineBase, n.invoices++);
      invoices.push({ id: invoiceId, account_id: a.accountId, invoice_number: adjustmentInvoiceNumber(a.id), invoice_date: o.date, due_date: o.date, status: 'open', superseded_by: null, created_at: ctx.now });
      lines.push({ id: lineId, invoice_id: invoiceId, account_id: a.accountId, line_no: 1, category: 'Adjustment', description, amount_cents: a.amountCents, open_cents: a.amountCents, due_date: o.date, created_at: ctx.now });
      entries.push({ ...entry, source_type: 'charge_line', source_id: lineId });
    } else {
      const creditId = sequentialId(creditBase, n.credits++);
      credits.push(adjustmentCredit(ctx, { id: creditId, accountId: a.accountId, divisionId: a.divisionId!, amountCents: -a.amountCents, date: o.date, reason: o.reason }));
      entries.push({ ...entry, source_type: 'credit', source_id: creditId });
      if (!a.isNew) cutsToApply.push({ creditId, adjustmentId: a.id });
    }
    if (entries.length === CHUNK) await flush();
  }
  await flush();
  if (n.entries === firstExisting) return cutsToApply;
  // One statement moves every existing bulk-posted account's cached balance by its entry (their
  // entry ids are one ascending range of this command). A join, not a subquery per account (SQLite
  // ≥ 3.33 and PostgreSQL both take UPDATE … FROM). New accounts were created with it: updating
  // 100,000 rows just written would write every accounts page again.
  const first = sequentialId(entryBase, firstExisting);
  const last = sequentialId(entryBase, n.entries - 1);
  await sql`UPDATE accounts SET balance_cents = accounts.balance_cents + e.amount_cents, updated_at = ${ctx.now}
    FROM account_entries e WHERE e.account_id = accounts.id AND e.id BETWEEN ${first} AND ${last}`.execute(ctx.db);
  return cutsToApply;
}
