import type { Kysely } from 'kysely';
import type { PaymentLinkOptions } from '../../shared/contract/payment-links';
import type { Database } from '../db/schema';
import type { PaymentLinksTable } from '../db/schema-payment-links';
import { linkState } from './links';
import { readLinkOptions, readPublication } from './options';
import { hashLinkToken } from './token';

export interface PayerInvoice {
  invoiceNumber: string;
  dueDate: string;
  openCents: number;
}

/** What the payer page may show: one account, nothing else of the ledger. */
export type PayerView =
  | { kind: 'unknown' }
  | { kind: 'paid' | 'revoked' | 'expired'; link: PaymentLinksTable; accountNumber: string }
  | {
      kind: 'open';
      link: PaymentLinksTable;
      accountNumber: string;
      accountName: string;
      balanceCents: number;
      invoices: PayerInvoice[];
      options: PaymentLinkOptions;
      gateway: boolean;
    };

/** The reference a payer quotes when paying by check or transfer: the account number and the link's short id. */
export const linkReference = (accountNumber: string, linkId: string): string => `${accountNumber}-${linkId.replace(/-/g, '').slice(-6).toUpperCase()}`;

export async function loadPayerView(db: Kysely<Database>, token: string, today: string): Promise<PayerView> {
  const link = await db.selectFrom('payment_links').selectAll().where('token_hash', '=', hashLinkToken(token)).executeTakeFirst();
  if (!link) return { kind: 'unknown' };
  const acct = await db.selectFrom('accounts').select(['account_number', 'name', 'balance_cents', 'status']).where('id', '=', link.account_id).executeTakeFirst();
  if (!acct) return { kind: 'unknown' };
  const state = linkState(link, today);
  // An inactive account takes no payment: the link reads as withdrawn.
  if (state !== 'open' || acct.status !== 'active') return { kind: state === 'open' ? 'revoked' : state, link, accountNumber: acct.account_number };
  const invoices = await db
    .selectFrom('invoices')
    .innerJoin('charge_lines', 'charge_lines.invoice_id', 'invoices.id')
    .select(['invoices.invoice_number', 'invoices.due_date'])
    .select((eb) => eb.fn.sum<number>('charge_lines.open_cents').as('open'))
    .where('invoices.account_id', '=', link.account_id)
    .where('invoices.status', '=', 'open')
    .groupBy(['invoices.id', 'invoices.invoice_number', 'invoices.due_date'])
    .having((eb) => eb.fn.sum('charge_lines.open_cents'), '>', 0)
    .orderBy('invoices.due_date')
    .limit(100)
    .execute();
  return {
    kind: 'open',
    link,
    accountNumber: acct.account_number,
    accountName: acct.name,
    balanceCents: acct.balance_cents,
    invoices: invoices.map((r) => ({ invoiceNumber: r.invoice_number, dueDate: r.due_date, openCents: Number(r.open) })),
    options: await readLinkOptions(db),
    gateway: (await readPublication(db)).gateway,
  };
}
