/** Tables of Statements and Balance Notifications (migration 0006). */

export type NotificationChannel = 'email' | 'letter';
export type NotificationStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'error' | 'cancelled';

export interface StatementProfilesTable {
  id: string;
  name: string;
  /** null: every division. */
  division_id: string | null;
  min_balance_cents: number;
  min_days_past_due: number;
  /** Local time of day 'HH:MM' the notifications are scheduled for. */
  send_time: string;
  /** 'email' | 'letter' | 'email-else-letter' (a payer without an email address gets a letter). */
  channel_mode: string;
  active: number;
  /** Bumped on every save; the Status History names the version of the template used. */
  version: number;
  /** The dunning levels with their templates, as JSON (see ProfileLevel in notifications/profiles.ts). */
  levels_json: string;
  /** 1: emails carry a one-time payment link (migration 0017). */
  include_pay_link?: number;
  created_at: string;
  updated_at: string;
}

export interface StatementBatchesTable {
  id: string;
  /** 'STB-…' shown to people. */
  number: string;
  profile_id: string;
  source: 'run' | 'file' | 'on-demand';
  file_name: string | null;
  as_of: string;
  statements: number;
  notifications: number;
  skipped: number;
  /** Unknown accounts of an uploaded file and other remarks, as JSON. */
  issues_json: string;
  created_by: string;
  created_at: string;
}

/**
 * One statement: a frozen snapshot of what it shows (balance forward, activity, aging). Its PDF is
 * a pure function of the snapshot (render/statement-pdf.ts), so it is byte-for-byte reproducible.
 */
export interface StatementsTable {
  id: string;
  batch_id: string;
  account_id: string;
  as_of: string;
  period_start: string;
  opening_cents: number;
  closing_cents: number;
  amount_due_cents: number;
  oldest_due_date: string | null;
  days_past_due: number;
  snapshot_json: string;
  created_at: string;
}

export interface NotificationsTable {
  id: string;
  batch_id: string;
  statement_id: string;
  account_id: string;
  profile_id: string;
  profile_version: number;
  level: number;
  level_name: string;
  channel: NotificationChannel;
  to_address: string | null;
  scheduled_at: string;
  status: NotificationStatus;
  error_kind: 'retryable' | 'permanent' | null;
  error_message: string | null;
  /** True when the sender stopped between handing the message over and hearing the answer. */
  outcome_unknown: number;
  attempts: number;
  next_attempt_at: string | null;
  claim_token: string | null;
  claimed_at: string | null;
  /** Set just before the message is handed to the SMTP server (see docs/notifications.md). */
  send_started_at: string | null;
  message_id: string;
  /** Merged when queued: the message follows the level and template of that moment. */
  subject: string | null;
  body_text: string;
  /** Which template made it, e.g. "Monthly v3 · level 2 Reminder · email". */
  template: string;
  smtp_response: string | null;
  pdf_sha256: string | null;
  letter_file_id: string | null;
  sent_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface NotificationHistoryTable {
  id: string;
  notification_id: string;
  /** 1, 2, 3… per notification: the order of its changes. */
  seq: number;
  at: string;
  status: NotificationStatus;
  detail: string;
  /** The message template used, e.g. "Monthly v3 · level 2 Reminder · email". */
  template: string | null;
  /** A user id, or 'delivery' for the server's sender. */
  actor: string;
}

export interface NotificationOptOutsTable {
  account_id: string;
  reason: string;
  created_by: string;
  created_at: string;
}

/** Letters collected into one PDF per batch (and per delivery run) for mailing. */
export interface LetterFilesTable {
  id: string;
  batch_id: string;
  letters: number;
  sha256: string;
  pdf: Uint8Array;
  created_at: string;
}

/** Delivery options people may see (test mode, sender); SMTP credentials stay with the server. */
export interface NotificationSettingsTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface NotificationTables {
  statement_profiles: StatementProfilesTable;
  statement_batches: StatementBatchesTable;
  statements: StatementsTable;
  notifications: NotificationsTable;
  notification_history: NotificationHistoryTable;
  notification_opt_outs: NotificationOptOutsTable;
  letter_files: LetterFilesTable;
  notification_settings: NotificationSettingsTable;
}
