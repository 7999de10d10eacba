import type { InvoiceDTO } from '../../shared/contract/dto';
import { invoicesContract } from '../../shared/contract/payers';
import { newId } from '../../shared/ids';
import { formatMoney } from '../../shared/money';
import { fail } from '../../shared/result';
import { SUPERVISORS } from '../../shared/roles';
import { defineCommand } from '../commands/types';
import { applyOldestDueFirst } from '../ledger/allocation';
import { getActiveAccount } from '../ledger/journal';
import { isPeriodClosed } from '../deposits/rules';
import { insertInvoice } from './create-invoice';
import { creditClosedPayments, supersedeInvoice } from './supersede';

/**
 * Edit Invoice (issue 14 item 2): add, change or void charge lines of an open invoice. Done the way
 * a re-sent bill file does it (imports/apply-rows.ts), so there is one set of ledger rules:
 * the current version is superseded (payments un-applied, charges reversed today), the new version
 * is inserted, payments in a closed deposit or month keep their applications and what they paid is
 * credited today (linked), and the freed payments are applied again oldest due first. An invoice
 * dated in a closed month keeps its date; its new charges post today.
 */
export const editInvoice = defineCommand({
  name: 'invoices.edit',
  version: 1,
  roles: SUPERVISORS,
  input: invoicesContract['invoices.edit'].input,
  synced: true,
  prepare: (i) => (i.newInvoiceId ? {} : { newInvoiceId: newId() }),
  subject: (i) => i.invoiceId,
  run: async (ctx, i): Promise<InvoiceDTO> => {
    const inv = await ctx.db.selectFrom('invoices').selectAll().where('id', '=', i.invoiceId).executeTakeFirst();
    if (!inv) fail('NOT_FOUND', 'That invoice does not exist.', { field: 'invoiceId' });
    if (inv.status !== 'open') fail('CONFLICT', `Invoice ${inv.invoice_number} was replaced by a newer version; edit that one.`, { field: 'invoiceId' });
    const acct = await getActiveAccount(ctx, inv.account_id);
    const current = await ctx.db.selectFrom('charge_lines').selectAll().where('invoice_id', '=', inv.id).orderBy('line_no').execute();
    const byId = new Map(current.map((l) => [l.id, l]));
    const named = new Set<string>();
    for (const [n, l] of i.lines.entries()) {
      if (!l.lineId) continue;
      if (!byId.has(l.lineId)) fail('VALIDATION', `Line ${n + 1}: that charge line is not on invoice ${inv.invoice_number}.`, { field: `lines.${n}.lineId` });
      if (named.has(l.lineId)) fail('VALIDATION', `Line ${n + 1}: the same charge line is listed twice.`, { field: `lines.${n}.lineId` });
      named.add(l.lineId);
    }
    // Nothing disappears silently: a line is removed only by voiding it.
    const missing = current.find((l) => !named.has(l.id));
    if (missing) fail('VALIDATION', `Line ${missing.line_no} (${missing.description || missing.category}) is missing: keep it, or void it.`, { field: 'lines' });
    const kept = i.lines.filter((l) => !l.void);
    if (kept.length === 0) fail('VALIDATION', 'An invoice keeps at least one charge line that is not voided.', { field: 'lines' });
    if (i.lines.some((l) => l.void && !l.lineId)) fail('VALIDATION', 'Only a charge line already on the invoice can be voided.', { field: 'lines' });
    const dueDate = i.dueDate ?? inv.due_date;
    if (dueDate < inv.invoice_date) fail('VALIDATION', 'The due date is before the invoice date.', { field: 'dueDate' });
    const unchanged =
      dueDate === inv.due_date &&
      kept.length === current.length &&
      kept.every((l, n) => {
        const was = l.lineId ? byId.get(l.lineId)! : null;
        return was !== null && current[n]!.id === was.id && was.amount_cents === l.amount && was.description === l.description && was.category === l.category;
      });
    if (unchanged) fail('VALIDATION', 'Nothing to change.', { field: 'lines' });

    const newId = i.newInvoiceId!;
    const { freed, locked } = await supersedeInvoice(ctx, inv.id, newId);
    // Closed is closed: an invoice dated in a closed month keeps its date, and its new charges post today.
    const postOn = (await isPeriodClosed(ctx.db, inv.invoice_date)) ? ctx.today : undefined;
    const result = await insertInvoice(
      ctx,
      { invoiceId: newId, accountId: acct.id, invoiceNumber: inv.invoice_number, invoiceDate: inv.invoice_date, dueDate, lines: kept.map((l) => ({ category: l.category, description: l.description, amountCents: l.amount })) },
      { postOn },
    );
    if (locked.length) await creditClosedPayments(ctx, acct, { id: inv.id, number: inv.invoice_number }, newId, locked);
    for (const f of freed) await applyOldestDueFirst(ctx, f.paymentId, acct.id, f.amountCents, `reapply/${newId}/${f.paymentId}`);

    const show = (l: { description: string; category: string; amount: number }) => `${l.description || l.category}: ${formatMoney(l.amount)}`;
    await ctx.audit({
      action: 'edit',
      entity: 'invoice',
      entityId: inv.id,
      before: { invoice_number: inv.invoice_number, dueDate: inv.due_date, lines: current.map((l) => show({ ...l, amount: Number(l.amount_cents) })) },
      after: {
        invoice_number: inv.invoice_number,
        reason: i.reason,
        newVersion: newId,
        dueDate,
        lines: kept.map(show),
        voided: i.lines.filter((l) => l.void).map(show),
        ...(postOn ? { postedOn: postOn } : {}),
        ...(locked.length ? { creditedForClosedPayments: locked.map((l) => `${l.reference}: ${formatMoney(l.amountCents)}`) } : {}),
      },
    });
    ctx.changed('invoices', 'accounts', 'payments', 'credits');
    return loadInvoice(ctx, newId, result);
  },
});

/** The new version as it stands after re-applying payments. */
async function loadInvoice(ctx: Parameters<typeof editInvoice.run>[0], invoiceId: string, base: InvoiceDTO): Promise<InvoiceDTO> {
  const lines = await ctx.db.selectFrom('charge_lines').select(['id', 'open_cents']).where('invoice_id', '=', invoiceId).execute();
  const open = new Map(lines.map((l) => [l.id, Number(l.open_cents)]));
  const out = base.lines.map((l) => ({ ...l, openCents: open.get(l.id) ?? l.openCents }));
  return { ...base, lines: out, openCents: out.reduce((s, l) => s + l.openCents, 0) };
}
