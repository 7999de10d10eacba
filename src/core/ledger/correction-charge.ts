import type { CommandCtx } from '../commands/types';
import { applyCreditsToNewInvoice } from '../credits/apply-credits';
import { postEntry } from './journal';

export interface CorrectionCharge {
  /** Ids derive from it: `${label}/invoice`, `${label}/line` (then `/line/2`, ...), entries `${label}` (then `/2`, ...). */
  label: string;
  accountId: string;
  invoiceNumber: string;
  /** Invoice date and posting date: an open period's date (closed is closed). */
  date: string;
  /** Journal entry kind ('adjustment', 'refund', ...). */
  kind: string;
  lines: { category: string; description: string; amountCents: number; dueDate: string }[];
}

/**
 * Posts money the payer owes again as an ordinary charge: an invoice with open lines, each posted to
 * the journal, which waiting credits pay like any new invoice. Balance adjustments raise a balance
 * this way, and refunds of payments a closed deposit or month holds charge again what un-applying
 * would have re-opened. So aging, statements and the balance move together (ledger/tie-out.ts).
 */
export async function postCorrectionCharge(ctx: CommandCtx, c: CorrectionCharge): Promise<string> {
  const invoiceId = ctx.id(`${c.label}/invoice`);
  const dueDate = c.lines.reduce((min, l) => (l.dueDate < min ? l.dueDate : min), c.lines[0]!.dueDate);
  await ctx.db
    .insertInto('invoices')
    .values({ id: invoiceId, account_id: c.accountId, invoice_number: c.invoiceNumber, invoice_date: c.date, due_date: dueDate, status: 'open', superseded_by: null, created_at: ctx.now })
    .execute();
  for (const [n, l] of c.lines.entries()) {
    const suffix = n === 0 ? '' : `/${n + 1}`;
    const lineId = ctx.id(`${c.label}/line${suffix}`);
    await ctx.db
      .insertInto('charge_lines')
      .values({ id: lineId, invoice_id: invoiceId, account_id: c.accountId, line_no: n + 1, category: l.category, description: l.description, amount_cents: l.amountCents, open_cents: l.amountCents, due_date: l.dueDate, created_at: ctx.now })
      .execute();
    await postEntry(ctx, { accountId: c.accountId, entryDate: c.date, kind: c.kind, amountCents: l.amountCents, sourceType: 'charge_line', sourceId: lineId, description: l.description, label: `${c.label}${suffix}` });
  }
  await applyCreditsToNewInvoice(ctx, c.accountId, invoiceId);
  return invoiceId;
}
