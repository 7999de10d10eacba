import type { Channel } from './index';

/**
 * What each synced command was, in a clerk's words, beside the contract: Needs Attention tells a
 * refused command with these ("Payment of $12.50 for 100003 Jane Payer"), and only assembles them
 * (src/main/sync/needs-attention.ts). The input is the command's stored input as it was pushed.
 * A new synced command needs an entry here (src/shared/contract/describe.test.ts checks).
 */
export interface CommandSummary {
  /** What it was: "Payment", "New user sam". */
  what: string;
  /** The money it moved, as typed (money text) — the assembler formats it. */
  amount?: string | number;
  /** The payer account it was for: the assembler names it. */
  accountId?: string;
}

export type StoredInput = Readonly<Record<string, unknown>>;
export type Describe = (input: StoredInput) => CommandSummary;

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
const money = (v: unknown): string | number | undefined => (typeof v === 'string' || typeof v === 'number' ? v : undefined);

/** The usual shape: a label, and the input's `amount` and `accountId` when it has them. */
const said =
  (what: string): Describe =>
  (i) => ({ what, amount: money(i.amount), accountId: text(i.accountId) });

/** A label that names something from the input ("New user sam"), falling back to the bare label. */
const naming =
  (what: string, field: string): Describe =>
  (i) => ({ what: text(i[field]) ? `${what} ${text(i[field])}` : what, amount: money(i.amount), accountId: text(i.accountId) });

/** Synced commands are channels, but for import rows, which the import job applies. */
type SyncedName = Channel | 'imports.applyRows';

export const COMMAND_DESCRIPTIONS: Partial<Record<SyncedName, Describe>> = {
  // Users
  'users.create': naming('New user', 'username'),
  'users.update': said('Change to a user'),
  'users.resetPassword': said('Password reset'),
  // Payers, divisions, invoices
  'accounts.create': naming('New payer account', 'accountNumber'),
  'accounts.update': said('Change to a payer account'),
  'accounts.setStatus': said('Change of account status'),
  'divisions.create': naming('New division', 'name'),
  'divisions.rename': naming('Division renamed to', 'name'),
  'invoices.create': naming('Invoice', 'invoiceNumber'),
  'invoices.edit': said('Change to an invoice'),
  // Payments
  'payments.record': said('Payment'),
  'payments.release': said('Re-dating a payment On Hold'),
  'payments.voidHeld': said('Voiding a payment On Hold'),
  'payments.cancel': said('Cancelling a payment'),
  'payments.delete': said('Deleting a payment'),
  'payments.reapply': said('Re-applying a payment'),
  'payments.unapply': said('Un-applying a payment'),
  'payments.return': said('Returned payment'),
  'payments.transferCredit': said('Transfer of credit'),
  // Deposits and months
  'deposits.create': said('New deposit'),
  'deposits.update': said('Change to a deposit'),
  'deposits.delete': said('Deleting a deposit'),
  'deposits.addPayments': said('Adding payments to a deposit'),
  'deposits.removePayment': said('Taking a payment out of a deposit'),
  'deposits.enterPayment': said('Payment entered into a deposit'),
  'deposits.complete': said('Completing a deposit'),
  'deposits.reopen': said('Reopening a deposit'),
  'periods.close': naming('Closing the month', 'period'),
  'periods.reopen': naming('Reopening the month', 'period'),
  // Credits, refunds, categories, recurring, gift cards
  'credits.post': said('Credit'),
  'credits.reverse': said('Reversing a credit'),
  'creditItems.create': naming('New credit item', 'name'),
  'creditItems.update': said('Change to a credit item'),
  'creditItems.retire': said('Retiring a credit item'),
  'creditItems.restore': said('Restoring a credit item'),
  'giftCards.edit': said('Change to a gift card'),
  'giftCards.delete': said('Deleting a gift card'),
  'refunds.create': said('Refund'),
  'refunds.request': said('Refund request'),
  'refunds.approveRequest': said('Approving a refund request'),
  'refunds.declineRequest': said('Declining a refund request'),
  'categories.create': naming('New payment category', 'name'),
  'categories.update': said('Change to a payment category'),
  'categories.retire': said('Retiring a payment category'),
  'categories.restore': said('Restoring a payment category'),
  'categories.delete': said('Deleting a payment category'),
  'categories.pay': said('Category payment'),
  'recurring.create': said('New recurring payment'),
  'recurring.pause': said('Pausing a recurring payment'),
  'recurring.resume': said('Resuming a recurring payment'),
  'recurring.cancel': said('Cancelling a recurring payment'),
  // Payment links
  'paymentLinks.create': said('Payment link'),
  'paymentLinks.revoke': said('Revoking a payment link'),
  'paymentLinks.configure': said('Payment link settings'),
  // Notifications and statements
  'notifications.onDemand': said('Notification sent on demand'),
  'notifications.retry': said('Retrying a notification'),
  'notifications.cancel': said('Cancelling a notification'),
  'notifications.setOptOut': said('Notification opt-out'),
  'notifications.updateSettings': said('Notification settings'),
  'statementProfiles.save': naming('Statement profile', 'name'),
  'statements.run': said('Statement run'),
  'statements.uploadFile': said('Statement file upload'),
  // Office
  'settings.update': said('Change to the settings'),
  'imports.applyRows': said('Import'),
};

/** The command's summary; an unknown command (from a newer desk) is named as it is. */
export function describeCommand(name: string, input: StoredInput): CommandSummary {
  const d = COMMAND_DESCRIPTIONS[name as SyncedName];
  return d ? d(input) : { what: name };
}
