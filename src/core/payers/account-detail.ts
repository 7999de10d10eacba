import { sql, type Kysely } from 'kysely';
import type { AccountDetailDTO, InvoiceDTO } from '../../shared/contract/dto';
import { payersContract } from '../../shared/contract/payers';
import { fail } from '../../shared/result';
import { ANY_ROLE } from '../../shared/roles';
import { defineQuery } from '../commands/types';
import type { Database } from '../db/schema';
import { paymentSummarySelect, toPaymentSummary } from '../payments/payment-views';
import { accountsQuery, toAccountSummary } from './search';
import { accountFigures } from '../ledger/tie-out';

/** The account page: balance, invoices with their charge lines and open amounts, payments, history. */
export async function loadAccountDetail(db: Kysely<Database>, accountId: string): Promise<AccountDetailDTO> {
  const acct = await accountsQuery(db).where('accounts.id', '=', accountId).executeTakeFirst();
  if (!acct) fail('NOT_FOUND', 'That account does not exist.', { field: 'accountId' });
  const [invoices, lines, payments, entries] = await Promise.all([
    db.selectFrom('invoices').selectAll().where('account_id', '=', accountId).orderBy('due_date', 'desc').orderBy('invoice_number').limit(500).execute(),
    db.selectFrom('charge_lines').selectAll().where('account_id', '=', accountId).orderBy('line_no').execute(),
    paymentSummarySelect(db).where('payments.account_id', '=', accountId).orderBy('payments.payment_date', 'desc').orderBy('payments.created_at', 'desc').limit(500).execute(),
    // In the order they were posted (took effect), so each running balance is the balance the
    // account had right then: a file's "Balance set to 250.00" shows 250.00 beside it. Within one
    // moment, SQLite's rowid is the order the rows were written (this query runs on the desktop).
    db.selectFrom('account_entries').selectAll().where('account_id', '=', accountId).orderBy('created_at').orderBy(sql`rowid`).execute(),
  ]);
  const figures = (await accountFigures(db, [accountId])).get(accountId);
  const byInvoice = new Map<string, InvoiceDTO['lines']>();
  // A superseded version's charges were reversed in the journal: nothing on it is owed any more,
  // whatever its lines' cached open amounts say (they keep amount − applications for verifyLedger).
  const superseded = new Set(invoices.filter((i) => i.status !== 'open').map((i) => i.id));
  for (const l of lines) {
    const list = byInvoice.get(l.invoice_id) ?? [];
    list.push({
      id: l.id,
      lineNo: l.line_no,
      category: l.category,
      description: l.description,
      amountCents: Number(l.amount_cents),
      openCents: superseded.has(l.invoice_id) ? 0 : Number(l.open_cents),
      dueDate: l.due_date,
    });
    byInvoice.set(l.invoice_id, list);
  }
  let running = 0;
  const activity = entries.map((e) => {
    running += Number(e.amount_cents);
    return {
      id: e.id,
      entryDate: e.entry_date,
      kind: e.kind,
      description: e.description,
      amountCents: Number(e.amount_cents),
      runningBalanceCents: running,
      createdAt: e.created_at,
    };
  });
  return {
    account: toAccountSummary(acct as never),
    invoices: invoices.map((inv) => {
      const ls = byInvoice.get(inv.id) ?? [];
      return {
        id: inv.id,
        invoiceNumber: inv.invoice_number,
        invoiceDate: inv.invoice_date,
        dueDate: inv.due_date,
        // 'paid' is derived for display: an open invoice with nothing left to pay.
        status: inv.status === 'open' && ls.length > 0 && ls.every((l) => l.openCents === 0) ? 'paid' : inv.status,
        totalCents: ls.reduce((s, l) => s + l.amountCents, 0),
        openCents: ls.reduce((s, l) => s + l.openCents, 0),
        lines: ls,
      };
    }),
    payments: payments.map(toPaymentSummary),
    activity: activity.reverse(),
    openChargesCents: figures?.openCents ?? 0,
    unappliedCents: figures?.unappliedCents ?? 0,
  };
}

export const getAccountDetail = defineQuery({
  name: 'payers.get',
  roles: ANY_ROLE,
  input: payersContract['payers.get'].input,
  run: ({ db }, i) => loadAccountDetail(db, i.accountId),
});
