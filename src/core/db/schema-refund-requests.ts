/** Refund requests awaiting a Supervisor or Admin (migration 0009). */

export interface RefundRequestsTable {
  id: string;
  payment_id: string;
  account_id: string;
  amount_cents: number;
  reason: string;
  receipt_email: string | null;
  needs_approval_because: string;
  status: 'pending' | 'approved' | 'declined';
  requested_by: string;
  requested_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decline_reason: string | null;
  refund_id: string | null;
}

export interface RefundRequestTables {
  refund_requests: RefundRequestsTable;
}
