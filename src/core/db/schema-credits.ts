/** Tables of credits, refunds, recurring payments and payment categories (migration 0004). */

export type CreditKind = 'credit' | 'gift_card' | 'prepayment';

export interface CreditItemsTable {
  id: string;
  name: string;
  description: string;
  status: 'active' | 'retired';
  created_by: string;
  created_at: string;
  updated_at: string;
  retired_at: string | null;
}

/**
 * A credit on an account: lowers the balance by its amount (one journal entry) and is applied to
 * charge lines oldest due first. `open_cents` caches amount - SUM(credit_applications) (checked by
 * ledger/checks.ts). Corrections never edit the amount: the row becomes 'replaced' (an Admin's edit
 * of a gift card, by a new row that `replaces_id` it) or 'reversed' (deleted/reversed), with a
 * reversing journal entry and every application undone.
 */
export interface CreditsTable {
  id: string;
  account_id: string;
  division_id: string;
  kind: CreditKind;
  credit_item_id: string | null;
  amount_cents: number;
  open_cents: number;
  credit_date: string;
  classification: string;
  /** The payer sees it on statements and receipts. */
  public_comment: string;
  /** Office only. */
  private_comment: string;
  /** Posted against this invoice: applied to its lines first. */
  invoice_id: string | null;
  /** Credits posted together in one Post Credit run share it. */
  batch_id: string | null;
  status: 'active' | 'replaced' | 'reversed';
  replaces_id: string | null;
  replaced_by: string | null;
  reversal_reason: string | null;
  reversed_by: string | null;
  reversed_at: string | null;
  created_by: string;
  created_at: string;
}

export interface CreditApplicationsTable {
  id: string;
  credit_id: string;
  charge_line_id: string;
  amount_cents: number;
  reverses_id: string | null;
  created_by: string;
  created_at: string;
}

export interface RefundsTable {
  id: string;
  payment_id: string;
  account_id: string;
  reference: string;
  /** Positive: money returned to the payer (raises the balance by this much). */
  amount_cents: number;
  refund_date: string;
  method: 'cash' | 'check' | 'card' | 'ach';
  reason: string;
  /** How much of the payment's applications this refund undid (charge lines opened again). */
  unapplied_cents: number;
  /**
   * How much of the payment's applications this refund charged again instead of undoing, because a
   * closed deposit or closed month holds the payment (refunds.ts chargeAgain). Those lines are an
   * invoice numbered with the refund's reference; they carry that part of the balance's rise.
   */
  charged_again_cents: number;
  receipt_email: string | null;
  created_by: string;
  created_at: string;
}

export type RecurringStatus = 'active' | 'paused' | 'cancelled' | 'stopped' | 'ended';

export interface RecurringPaymentsTable {
  id: string;
  account_id: string;
  amount_mode: 'fixed' | 'balance';
  amount_cents: number | null;
  method: 'card' | 'ach';
  frequency: 'weekly' | 'monthly' | 'day_of_month';
  day_of_month: number | null;
  start_date: string;
  end_date: string | null;
  /** The next due date not yet given a scheduled payment; null once ended/cancelled. */
  next_date: string | null;
  status: RecurringStatus;
  /** Why it is paused, cancelled, stopped or ended, in words for the clerk. */
  status_reason: string | null;
  receipt_email: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface ScheduledPaymentsTable {
  payment_id: string;
  recurring_id: string;
  due_date: string;
  created_at: string;
}

export interface PaymentCategoriesTable {
  id: string;
  name: string;
  /** Null: offered for every payer; set: only for this payer. */
  account_id: string | null;
  counts_toward_balance: number;
  status: 'active' | 'retired';
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** A category payment; the category's balance setting as it was when the payment was made. */
export interface CategoryPaymentsTable {
  payment_id: string;
  category_id: string;
  counts_toward_balance: number;
}

export interface CreditTables {
  credit_items: CreditItemsTable;
  credits: CreditsTable;
  credit_applications: CreditApplicationsTable;
  refunds: RefundsTable;
  recurring_payments: RecurringPaymentsTable;
  scheduled_payments: ScheduledPaymentsTable;
  payment_categories: PaymentCategoriesTable;
  category_payments: CategoryPaymentsTable;
}
