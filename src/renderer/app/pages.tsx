import type { ComponentType } from 'react';
import type { Role } from '../../shared/roles';
import { AuditPage } from '../features/admin/AuditPage';
import { SettingsPage } from '../features/admin/SettingsPage';
import { UsersPage } from '../features/admin/UsersPage';
import { FileTransfersPage } from '../features/file-transfers/FileTransfersPage';
import { UploadResultPage } from '../features/file-transfers/UploadResultPage';
import { AccountPage } from '../features/payer-support/AccountPage';
import { MakePaymentPage } from '../features/payer-support/MakePaymentPage';
import { PayerSupportPage } from '../features/payer-support/PayerSupportPage';
import { PaymentDetailPage } from '../features/payer-support/PaymentDetailPage';

export type PageProps = { params: Record<string, string> };

export interface PageDef {
  component: ComponentType<PageProps>;
  /** Shown in the sidebar when set; pages without it are reached from other pages. */
  nav?: { label: string; section: 'Front desk' | 'Billing' | 'Administration'; order: number };
  /** Who sees it in the sidebar. Core still checks every command. */
  roles: readonly Role[];
}

const ALL: readonly Role[] = ['csr', 'supervisor', 'admin'];
const SUP: readonly Role[] = ['supervisor', 'admin'];
const ADM: readonly Role[] = ['admin'];

/**
 * Every page of the app by key. A workflow adds its pages here (one line each) from its own
 * features/<workflow>/ folder.
 */
export const pages: Record<string, PageDef> = {
  'payer-support': { component: PayerSupportPage, roles: ALL, nav: { label: 'Payer Support', section: 'Front desk', order: 10 } },
  account: { component: AccountPage, roles: ALL },
  'make-payment': { component: MakePaymentPage, roles: ALL },
  payment: { component: PaymentDetailPage, roles: ALL },
  'file-transfers': { component: FileTransfersPage, roles: ADM, nav: { label: 'File Transfers', section: 'Administration', order: 5 } },
  upload: { component: UploadResultPage, roles: ADM },
  users: { component: UsersPage, roles: ADM, nav: { label: 'Users', section: 'Administration', order: 10 } },
  settings: { component: SettingsPage, roles: ADM, nav: { label: 'Settings', section: 'Administration', order: 90 } },
  audit: { component: AuditPage, roles: SUP, nav: { label: 'Audit Log', section: 'Administration', order: 80 } },
};
