import type { Role } from '../roles';

/** Shapes returned to the UI. Money in integer cents, dates as ISO strings. */

export interface UserDTO {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  active: boolean;
  lockedUntil: string | null;
  createdAt: string;
}

export interface SessionDTO {
  user: UserDTO;
  idleMinutes: number;
}

export interface AuthStatusDTO {
  needsSetup: boolean;
  session: SessionDTO | null;
}

export interface DivisionDTO {
  id: string;
  name: string;
}

export type AccountStatus = 'active' | 'inactive';

export interface AccountSummaryDTO {
  id: string;
  accountNumber: string;
  name: string;
  divisionId: string;
  divisionName: string;
  email: string | null;
  phone: string | null;
  /** Lines separated by "\n"; printed on letters and statements. */
  postalAddress: string | null;
  portalUserId: string | null;
  status: AccountStatus;
  balanceCents: number;
}

export type PaymentMethod = 'cash' | 'check' | 'card' | 'ach';
export type PaymentStatus = 'scheduled' | 'pending' | 'on_hold' | 'deposited' | 'cancelled' | 'voided';

export interface PaymentSummaryDTO {
  id: string;
  reference: string;
  paymentDate: string;
  accountId: string;
  accountNumber: string;
  accountName: string;
  amountCents: number;
  method: PaymentMethod;
  status: PaymentStatus;
  kind: string;
  depositId: string | null;
  /** True until the central server has accepted the command that made it. */
  unsynced: boolean;
}

export interface ChargeLineDTO {
  id: string;
  lineNo: number;
  category: string;
  description: string;
  amountCents: number;
  openCents: number;
  dueDate: string;
}

export interface InvoiceDTO {
  id: string;
  invoiceNumber: string;
  invoiceDate: string;
  dueDate: string;
  status: string;
  totalCents: number;
  openCents: number;
  lines: ChargeLineDTO[];
}

export interface ActivityDTO {
  id: string;
  entryDate: string;
  kind: string;
  description: string;
  amountCents: number;
  runningBalanceCents: number;
  createdAt: string;
}

export interface AccountDetailDTO {
  account: AccountSummaryDTO;
  invoices: InvoiceDTO[];
  payments: PaymentSummaryDTO[];
  /** Newest first, in the order the entries were posted; each with the balance right after it. */
  activity: ActivityDTO[];
  /** Open amounts of the current invoices' charge lines. */
  openChargesCents: number;
  /** Payments and credits not yet applied to a charge: balance = openChargesCents − unappliedCents. */
  unappliedCents: number;
}

export interface ApplicationDTO {
  id: string;
  chargeLineId: string;
  invoiceNumber: string;
  description: string;
  amountCents: number;
  createdAt: string;
}

export interface PaymentDetailDTO extends PaymentSummaryDTO {
  checkNumber: string | null;
  receiptEmail: string | null;
  memo: string | null;
  divisionName: string;
  createdAt: string;
  createdBy: string;
  appliedCents: number;
  /** Returned to the payer by refunds of this payment. */
  refundedCents: number;
  /** Neither applied nor refunded: a credit on the account. */
  unappliedCents: number;
  applications: ApplicationDTO[];
  accountBalanceCents: number;
}

export interface SearchResultDTO {
  accounts: AccountSummaryDTO[];
  payments: PaymentSummaryDTO[];
  /** Accounts matching in total (the list is capped). */
  accountsTotal: number;
}

export interface AuditEntryDTO {
  seq: number;
  at: string;
  userName: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
}

/** The audit chain's check (issue 12): `keyed` when this machine's audit key sealed and checked it. */
export interface AuditCheckDTO {
  ok: boolean;
  entries: number;
  brokenAt: number | null;
  reason: string | null;
  keyed: boolean;
  /** The last entry the server acknowledged holding (a synced desk). */
  acknowledgedThrough: number | null;
}

/** A security alert for Admins: raised by the server (synced to Admins) or by this desk's own start-up check. */
export interface SecurityAlertDTO {
  id: string;
  at: string;
  kind: string;
  source: 'server' | 'this desk';
  /** In words, for an Admin. */
  description: string;
  clientId: string | null;
  userName: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}

export interface SettingsDTO {
  idleMinutes: number;
  strictClose: boolean;
  officeName: string;
  officeContact: string;
  /** The office's IANA time zone; '' until chosen (the desk's own zone is used meanwhile). */
  officeTimeZone: string;
  /** A payment or deposit dated more than this many days after today needs an explicit "post-dated" confirmation. */
  postDatedAfterDays: number;
  /** Refunds above this amount (cents) need a Supervisor or Admin; null: no amount limit (closed months always need one). */
  refundApprovalAboveCents: number | null;
  /** Roles as settings (issue 14 item 9): who may do each; an Admin always may. Enforced in core. */
  balanceFileRoles: Role[];
  billFileRoles: Role[];
  refundApproverRoles: Role[];
  /** Email, phone, postal address of a payer. */
  payerContactRoles: Role[];
  /** Add a payer; change its name, account number, portal user ID or status. */
  payerIdentityRoles: Role[];
}

export type RoleRule = 'balanceFileRoles' | 'billFileRoles' | 'refundApproverRoles' | 'payerContactRoles' | 'payerIdentityRoles';
