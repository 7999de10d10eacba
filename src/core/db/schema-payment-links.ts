/** One-time payment links (migration 0017). */

export type PaymentLinkStatus = 'open' | 'paid' | 'revoked';

export interface PaymentLinksTable {
  id: string;
  account_id: string;
  division_id: string;
  /** SHA-256 (hex) of the token in the link's URL; the token itself is never stored. */
  token_hash: string;
  /** The balance when the link was sent (the page suggests the balance as it is when opened). */
  amount_cents: number;
  email: string | null;
  /** Last business date the link may be paid on; after it the link reads as expired. */
  expires_on: string;
  status: PaymentLinkStatus;
  created_by: string;
  created_at: string;
  revoked_by: string | null;
  revoked_at: string | null;
  revoke_reason: string | null;
  paid_payment_id: string | null;
  paid_at: string | null;
}

export interface PaymentLinkTables {
  payment_links: PaymentLinksTable;
}
