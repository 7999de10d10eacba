import type { ComponentType } from 'react';
import type { Role } from '../../shared/roles';
import { HomePage } from '../features/home/HomePage';
import '../features/payers/register';
import '../features/payment-links/register';
import { AuditPage } from '../features/admin/AuditPage';
import { SettingsPage } from '../features/admin/SettingsPage';
import { UsersPage } from '../features/admin/UsersPage';
import { DivisionsPage } from '../features/admin/DivisionsPage';
import { FileTransfersPage } from '../features/file-transfers/FileTransfersPage';
import { UploadResultPage } from '../features/file-transfers/UploadResultPage';
import { AccountPage } from '../features/payer-support/AccountPage';
import { MakePaymentPage } from '../features/payer-support/MakePaymentPage';
import { PayerSupportPage } from '../features/payer-support/PayerSupportPage';
import { PaymentDetailPage } from '../features/payer-support/PaymentDetailPage';
import { PostCreditPage } from '../features/credits/PostCreditPage';
import { CreditItemsPage } from '../features/credits/CreditItemsPage';
import { CategoriesPage } from '../features/categories/CategoriesPage';
import '../features/credits/register';
import { DepositPage } from '../features/deposits/DepositPage';
import { DepositsPage } from '../features/deposits/DepositsPage';
import '../features/deposits/register';
import { PeriodsPage } from '../features/periods/PeriodsPage';
import { RefundRequestsPage } from '../features/refunds/RefundRequestsPage';
import { AgingPage } from '../features/reports/AgingPage';
import { ReportsPage } from '../features/reports/ReportsPage';
import { NotificationQueuePage } from '../features/notifications/NotificationQueuePage';
import { StatementBatchPage } from '../features/notifications/StatementBatchPage';
import { StatementProfilesPage } from '../features/notifications/StatementProfilesPage';
import { StatementsPage } from '../features/notifications/StatementsPage';
import '../features/notifications/register';
import { NeedsAttentionPage } from '../features/sync/NeedsAttentionPage';
import '../features/sync/register';
import { BackupPage } from '../features/join/BackupPage';
import { DesksPage } from '../features/join/DesksPage';

export type PageProps = { params: Record<string, string> };

export interface PageDef {
  component: ComponentType<PageProps>;
  /** Shown in the sidebar when set; pages without it are reached from other pages. */
  nav?: { label: string; section: 'Front desk' | 'Billing' | 'Administration'; order: number };
  /** Who sees it in the sidebar. Core still checks every command. */
  roles: readonly Role[];
  /** Parameters that change the view, not the screen (a wizard step, search text): the page keeps its state. */
  viewParams?: readonly string[];
}

const ALL: readonly Role[] = ['csr', 'supervisor', 'admin'];
const SUP: readonly Role[] = ['supervisor', 'admin'];
const ADM: readonly Role[] = ['admin'];

/**
 * Every page of the app by key. A workflow adds its pages here (one line each) from its own
 * features/<workflow>/ folder.
 */
export const pages: Record<string, PageDef> = {
  home: { component: HomePage, roles: ALL, nav: { label: 'Home', section: 'Front desk', order: 1 } },
  'payer-support': { component: PayerSupportPage, roles: ALL, nav: { label: 'Payer Support', section: 'Front desk', order: 10 }, viewParams: ['q', 'paid'] },
  account: { component: AccountPage, roles: ALL },
  'make-payment': { component: MakePaymentPage, roles: ALL, viewParams: ['step'] },
  payment: { component: PaymentDetailPage, roles: ALL },
  'post-credit': { component: PostCreditPage, roles: ALL, nav: { label: 'Post Credit', section: 'Front desk', order: 20 } },
  'credit-items': { component: CreditItemsPage, roles: ADM, nav: { label: 'Credit Items', section: 'Administration', order: 30 } },
  'payment-categories': { component: CategoriesPage, roles: ADM, nav: { label: 'Payment Categories', section: 'Administration', order: 35 } },
  deposits: { component: DepositsPage, roles: SUP, nav: { label: 'Accounts Receivable', section: 'Billing', order: 20 } },
  deposit: { component: DepositPage, roles: SUP },
  periods: { component: PeriodsPage, roles: SUP, nav: { label: 'Periods', section: 'Billing', order: 40 } },
  'refund-requests': { component: RefundRequestsPage, roles: SUP, nav: { label: 'Refund Approvals', section: 'Billing', order: 45 } },
  reports: { component: ReportsPage, roles: ALL, nav: { label: 'Reports', section: 'Billing', order: 25 } },
  aging: { component: AgingPage, roles: SUP, nav: { label: 'A/R Aging', section: 'Billing', order: 30 } },
  // CSRs upload balance files (seed 000); which kinds each role may upload is on Settings.
  'file-transfers': { component: FileTransfersPage, roles: ALL, nav: { label: 'File Transfers', section: 'Administration', order: 5 } },
  upload: { component: UploadResultPage, roles: ALL },
  divisions: { component: DivisionsPage, roles: ADM, nav: { label: 'Divisions', section: 'Administration', order: 8 } },
  users: { component: UsersPage, roles: ADM, nav: { label: 'Users', section: 'Administration', order: 10 } },
  settings: { component: SettingsPage, roles: ADM, nav: { label: 'Settings', section: 'Administration', order: 90 } },
  backup: { component: BackupPage, roles: ADM, nav: { label: 'Backup', section: 'Administration', order: 92 } },
  desks: { component: DesksPage, roles: ADM, nav: { label: 'Desks', section: 'Administration', order: 94 } },
  audit: { component: AuditPage, roles: SUP, nav: { label: 'Audit Log', section: 'Administration', order: 80 } },
  statements: { component: StatementsPage, roles: SUP, nav: { label: 'Statements', section: 'Billing', order: 50 } },
  'statement-batch': { component: StatementBatchPage, roles: SUP },
  'notification-queue': { component: NotificationQueuePage, roles: SUP, nav: { label: 'Notification Queue', section: 'Billing', order: 55 } },
  'statement-profiles': { component: StatementProfilesPage, roles: ADM, nav: { label: 'Statement Profiles', section: 'Administration', order: 30 } },
  'needs-attention': { component: NeedsAttentionPage, roles: ALL, nav: { label: 'Needs Attention', section: 'Front desk', order: 90 } },
};
