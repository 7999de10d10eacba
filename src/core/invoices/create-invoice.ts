import type { InvoiceDTO } from '../../shared/contract/dto';
import { invoicesContract } from '../../shared/contract/payers';
import { newId } from '../../shared/ids';
import { fail } from '../../shared/result';
import { SUPERVISORS } from '../../shared/roles';
import { defineCommand, type CommandCtx } from '../commands/types';
import { assertPeriodOpen, getActiveAccount, postEntry } from '../ledger/journal';
import { applyCreditsToNewInvoice } from '../credits/apply-credits';

export interface NewInvoice {
  invoiceId: string;
  accountId: string;
  invoiceNumber: string;
  invoiceDate: string;
  dueDate: string;
  lines: { category: string; description: string; amountCents: number }[];
}

/**
 * Inserts an invoice with its charge lines and one journal entry per line (shared with bill
 * imports and Edit Invoice). `postOn`: the date its charges post when the invoice's own date is in
 * a closed month (a new version of an invoice of a closed month posts today).
 */
export async function insertInvoice(ctx: CommandCtx, inv: NewInvoice, opts: { postOn?: string } = {}): Promise<InvoiceDTO> {
  const acct = await getActiveAccount(ctx, inv.accountId);
  const postOn = opts.postOn ?? inv.invoiceDate;
  await assertPeriodOpen(ctx, postOn, 'invoiceDate');
  const clash = await ctx.db
    .selectFrom('invoices')
    .select('id')
    .where('account_id', '=', acct.id)
    .where('invoice_number', '=', inv.invoiceNumber)
    .where('status', '=', 'open')
    .executeTakeFirst();
  if (clash) fail('CONFLICT', `Invoice ${inv.invoiceNumber} already exists on this account.`, { field: 'invoiceNumber' });
  await ctx.db
    .insertInto('invoices')
    .values({
      id: inv.invoiceId,
      account_id: acct.id,
      invoice_number: inv.invoiceNumber,
      invoice_date: inv.invoiceDate,
      due_date: inv.dueDate,
      status: 'open',
      superseded_by: null,
      created_at: ctx.now,
    })
    .execute();
  const lines: InvoiceDTO['lines'] = [];
  for (const [n, l] of inv.lines.entries()) {
    const lineId = ctx.id(`invoice/${inv.invoiceId}/line/${n + 1}`);
    await ctx.db
      .insertInto('charge_lines')
      .values({
        id: lineId,
        invoice_id: inv.invoiceId,
        account_id: acct.id,
        line_no: n + 1,
        category: l.category,
        description: l.description,
        amount_cents: l.amountCents,
        open_cents: l.amountCents,
        due_date: inv.dueDate,
        created_at: ctx.now,
      })
      .execute();
    await postEntry(ctx, {
      accountId: acct.id,
      entryDate: postOn,
      kind: 'charge',
      amountCents: l.amountCents,
      sourceType: 'charge_line',
      sourceId: lineId,
      description: `Invoice ${inv.invoiceNumber}: ${l.description || l.category}`,
      label: `charge/${lineId}`,
    });
    lines.push({ id: lineId, lineNo: n + 1, category: l.category, description: l.description, amountCents: l.amountCents, openCents: l.amountCents, dueDate: inv.dueDate });
  }
  // Credits waiting on the account are paid on the invoice as it comes due (credits/apply-credits.ts).
  const byCredits = await applyCreditsToNewInvoice(ctx, acct.id, inv.invoiceId);
  for (const l of lines) l.openCents -= byCredits.get(l.id) ?? 0;
  const total = lines.reduce((s, l) => s + l.amountCents, 0);
  await ctx.audit({ action: 'create', entity: 'invoice', entityId: inv.invoiceId, after: { ...inv, total } });
  ctx.changed('invoices', 'accounts');
  return { id: inv.invoiceId, invoiceNumber: inv.invoiceNumber, invoiceDate: inv.invoiceDate, dueDate: inv.dueDate, status: 'open', totalCents: total, openCents: lines.reduce((s, l) => s + l.openCents, 0), lines };
}

export const createInvoice = defineCommand({
  name: 'invoices.create',
  version: 1,
  roles: SUPERVISORS,
  input: invoicesContract['invoices.create'].input,
  synced: true,
  prepare: (i) => (i.invoiceId ? {} : { invoiceId: newId() }),
  subject: (i) => i.invoiceId,
  run: (ctx, i) =>
    insertInvoice(ctx, { ...i, invoiceId: i.invoiceId!, lines: i.lines.map((l) => ({ category: l.category, description: l.description, amountCents: l.amount })) }),
});
