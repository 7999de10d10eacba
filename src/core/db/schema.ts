import type { Generated } from 'kysely';
import type { ImportTables } from './schema-imports';
import type { SyncTables } from './schema-sync';
import type { DepositTables } from './schema-deposits';
import type { NotificationTables } from './schema-notifications';
import type { CreditTables } from './schema-credits';
import type { RefundRequestTables } from './schema-refund-requests';
import type { SecurityTables } from './schema-security';
import type { PaymentLinkTables } from './schema-payment-links';


/**
 * The ledger's tables, as Kysely sees them. Money columns are integer cents (SQLite INTEGER,
 * PostgreSQL BIGINT); booleans are 0/1 integers so the same queries run on both; dates are ISO text.
 * Each workflow's migration adds its tables; add their interfaces to `Database` below.
 */

export interface DivisionsTable {
  id: string;
  name: string;
  created_at: string;
}

export interface AccountsTable {
  id: string;
  division_id: string;
  account_number: string;
  name: string;
  email: string | null;
  portal_user_id: string | null;
  /** Migration 0018; optional so rows built before it (imports) stay valid. */
  phone?: string | null;
  /** Several lines ("\n"), printed in the letters' address window. */
  postal_address?: string | null;
  status: 'active' | 'inactive';
  /** Cache of SUM(account_entries.amount_cents); checked by ledger/checks.ts. */
  balance_cents: number;
  created_at: string;
  updated_at: string;
}

export interface InvoicesTable {
  id: string;
  account_id: string;
  invoice_number: string;
  invoice_date: string;
  due_date: string;
  status: 'open' | 'superseded';
  superseded_by: string | null;
  created_at: string;
}

export interface ChargeLinesTable {
  id: string;
  invoice_id: string;
  account_id: string;
  line_no: number;
  category: string;
  description: string;
  amount_cents: number;
  /** Cache of amount - SUM(applications); checked by ledger/checks.ts. */
  open_cents: number;
  due_date: string;
  created_at: string;
}

export interface PaymentsTable {
  id: string;
  account_id: string;
  division_id: string;
  reference: string;
  payment_date: string;
  /** Positive for money received; negative for returned payments (NSF, take-backs). */
  amount_cents: number;
  method: 'cash' | 'check' | 'card' | 'ach';
  check_number: string | null;
  /** 'on_hold': kept after the server refused it (closed month, implausible date): not posted, waiting for a decision. */
  status: 'scheduled' | 'pending' | 'on_hold' | 'deposited' | 'cancelled' | 'voided';
  /** Why an on-hold payment is held, in a clerk's words (0007). */
  hold_reason: string | null;
  kind: string;
  related_payment_id: string | null;
  receipt_email: string | null;
  memo: string | null;
  deposit_id: string | null;
  created_by: string;
  created_at: string;
  void_reason: string | null;
  voided_by: string | null;
  voided_at: string | null;
}

/** Append-only: an un-apply is a new row with a negative amount that names the row it reverses. */
export interface ApplicationsTable {
  id: string;
  payment_id: string;
  charge_line_id: string;
  amount_cents: number;
  reverses_id: string | null;
  created_by: string;
  created_at: string;
}

/**
 * The account journal: every money record adds one signed entry (+ raises what the payer owes,
 * − lowers it). The balance is their sum; the activity history is their list.
 */
export interface AccountEntriesTable {
  id: string;
  account_id: string;
  entry_date: string;
  kind: string;
  amount_cents: number;
  source_type: string;
  source_id: string;
  description: string;
  created_at: string;
}

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  role: 'csr' | 'supervisor' | 'admin';
  password_hash: string;
  active: number;
  failed_attempts: number;
  locked_until: string | null;
  created_at: string;
  updated_at: string;
  /** Changes with every password set (migration 0011); a desk's offline verifier must carry the same. */
  credential_id?: string | null;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface AuditLogTable {
  seq: number;
  id: string;
  at: string;
  user_id: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before_json: string | null;
  after_json: string | null;
  prev_hash: string;
  hash: string;
  /** HMAC-SHA-256 of `hash` under the machine's audit key (migration 0012); null before it. */
  mac: string | null;
}

/** Receipts and notices waiting for the server to send them. */
export interface EmailOutboxTable {
  id: string;
  kind: string;
  to_address: string;
  subject: string;
  body_text: string;
  related_id: string | null;
  created_at: string;
  sent_at: string | null;
}

/** Every command run, by its id: a repeated id returns the stored result (nothing applied twice). */
export interface CommandLogTable {
  id: string;
  name: string;
  version: number;
  input_hash: string;
  result_json: string;
  actor_id: string | null;
  created_at: string;
}

/** Commands waiting to be pushed to the central server, written with their local effect. */
export interface SyncOutboxTable {
  seq: Generated<number>;
  command_id: string;
  name: string;
  version: number;
  input_json: string;
  actor_id: string | null;
  /** The record the command is about (a payment, a deposit), so screens can mark it unsynced. */
  subject_id: string | null;
  /** The instant the clerk acted (the command's occurredAt). */
  created_at: string;
  /** The command's business date in the office's zone (0007); null on rows written before it. */
  business_date: string | null;
  /** 'pending' (not yet answered), 'accepted' (dropped once pulled past server_seq), 'rejected' (Needs Attention). */
  state: 'pending' | 'accepted' | 'rejected';
  /** 0005: the per-client sequence it is pushed with, the server's answer. */
  client_seq: number | null;
  server_seq: number | null;
  error_json: string | null;
  answered_at: string | null;
}

export interface PeriodsTable {
  /** 'YYYY-MM' */
  period: string;
  status: 'open' | 'closed';
  first_closed_at: string | null;
  closed_at: string | null;
  closed_by: string | null;
  reopened_at: string | null;
  reopened_by: string | null;
  reopen_reason: string | null;
}

export interface MigrationsTable {
  name: string;
  applied_at: string;
}

/** The foundation's tables. */
export interface FoundationTables {
  divisions: DivisionsTable;
  accounts: AccountsTable;
  invoices: InvoicesTable;
  charge_lines: ChargeLinesTable;
  payments: PaymentsTable;
  applications: ApplicationsTable;
  account_entries: AccountEntriesTable;
  users: UsersTable;
  settings: SettingsTable;
  audit_log: AuditLogTable;
  email_outbox: EmailOutboxTable;
  command_log: CommandLogTable;
  sync_outbox: SyncOutboxTable;
  periods: PeriodsTable;
  ledger_migrations: MigrationsTable;
}

/**
 * The whole ledger: the foundation's tables plus each workflow's own (declared in its
 * schema-<workflow>.ts beside this file). Add one `&` line per workflow.
 */
export type Database = FoundationTables &
  SyncTables &
  ImportTables &
  DepositTables &
  CreditTables &
  NotificationTables &
  RefundRequestTables &
  SecurityTables &
  PaymentLinkTables;

export type Dialect = 'sqlite' | 'postgres';
