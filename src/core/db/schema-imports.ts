/** Tables of File Transfers (migration 0002). */

export interface StoredFilesTable {
  sha256: string;
  size_bytes: number;
  file_name: string;
  stored_at: string;
}

export interface UploadsTable {
  id: string;
  sha256: string;
  file_name: string;
  kind: 'balance' | 'bill';
  division_id: string | null;
  uploaded_by: string;
  uploaded_at: string;
  rows_read: number;
  accounts_updated: number;
  accounts_created: number;
  invoices_created: number;
  invoices_replaced: number;
  warnings: number;
  errors: number;
  /** The whole result the upload page shows: issues with row/column/reason, and every change. */
  result_json: string;
  /** How the text was read ("comma/dmy"…, uploads.ts readKey); null before migration 0019. */
  read_as: string | null;
}

/**
 * Written by balance files up to this version, one row per changed account, and never read. Since,
 * a change's record is its journal entry (account_entries, kind 'adjustment') and the upload's
 * result (each row's old and new balance), which the upload's audit entry hashes. The table keeps
 * earlier rows: ledger history is never deleted.
 */
export interface BalanceAdjustmentsTable {
  id: string;
  account_id: string;
  upload_id: string | null;
  amount_cents: number;
  old_balance_cents: number;
  new_balance_cents: number;
  reason: string;
  adjustment_date: string;
  created_by: string;
  created_at: string;
}

export interface ImportTables {
  stored_files: StoredFilesTable;
  uploads: UploadsTable;
  balance_adjustments: BalanceAdjustmentsTable;
}
