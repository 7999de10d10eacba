/** Tables of Deposits & Periods (migration 0003). `periods` is a foundation table. */

export interface DepositsTable {
  id: string;
  /** Human number derived from the id ("DEP-7K3M9-QX2D4"): offline offices never collide. */
  number: string;
  deposit_date: string;
  division_id: string;
  bank_account: string | null;
  /** What the supervisor counted; Complete Deposit requires the payments to add up to it. */
  control_total_cents: number | null;
  status: 'open' | 'closed';
  opened_by: string;
  created_at: string;
  completed_at: string | null;
  completed_by: string | null;
  reopened_at: string | null;
  reopened_by: string | null;
  reopen_count: number;
}

export interface DepositTables {
  deposits: DepositsTable;
}
