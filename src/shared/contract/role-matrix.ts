import type { Channel } from './index';
import { ADMINS, ANY_ROLE as ANY, SUPERVISORS, type Role } from '../roles';

/** Who may call a channel: 'public' (before signing in), or the roles allowed once signed in. */
export type ChannelAccess = 'public' | readonly Role[];

/**
 * The role-by-channel table: for every contract channel, which roles may call it. A plain table,
 * kept by hand on purpose: the commands' own `roles` (core) and main's checks are what decide;
 * this is what we mean them to decide, and test/security/role-matrix.test.ts calls every channel
 * as each role through the router (and the synced commands through the server's push) and
 * compares. A new channel missing here fails that test, so each new channel gets classified.
 */
export const ROLE_MATRIX: Record<Channel, ChannelAccess> = {
  'auth.status': 'public',
  'auth.setupFirstAdmin': 'public',
  'auth.signIn': 'public',
  'auth.touch': ANY,

  'users.list': ADMINS,
  'users.create': ADMINS,
  'users.update': ADMINS,
  'users.resetPassword': ADMINS,

  'divisions.list': ANY,
  'divisions.create': ADMINS,
  'divisions.rename': ADMINS,

  'payers.search': ANY,
  'payers.get': ANY,

  'accounts.update': ANY,
  // Settings decide (roles as settings); the table holds the defaults.
  'accounts.create': SUPERVISORS,
  'accounts.setStatus': SUPERVISORS,

  'invoices.create': SUPERVISORS,
  'invoices.edit': SUPERVISORS,

  'payments.record': ANY,
  'payments.get': ANY,
  'payments.getByReference': ANY,
  'payments.release': ANY,
  'payments.voidHeld': ANY,

  'credits.post': ANY,
  'credits.reverse': SUPERVISORS,
  'credits.get': ANY,
  'credits.listForAccount': ANY,

  'giftCards.edit': ADMINS,
  'giftCards.delete': ADMINS,

  'creditItems.list': ANY,
  'creditItems.create': ANY,
  'creditItems.update': ADMINS,
  'creditItems.retire': ADMINS,
  'creditItems.restore': ADMINS,

  'refunds.create': ANY,
  'refunds.get': ANY,
  'refunds.forPayment': ANY,
  'refunds.request': ANY,
  'refunds.requests': SUPERVISORS,
  'refunds.approveRequest': SUPERVISORS,
  'refunds.declineRequest': SUPERVISORS,

  'payments.cancel': ANY,

  'recurring.create': ANY,
  'recurring.list': ANY,
  'recurring.get': ANY,
  'recurring.pause': ANY,
  'recurring.resume': ANY,
  'recurring.cancel': ANY,
  'recurring.run': ANY,

  'categories.list': ANY,
  'categories.create': ADMINS,
  'categories.update': ADMINS,
  'categories.delete': ADMINS,
  'categories.retire': ADMINS,
  'categories.restore': ADMINS,
  'categories.pay': ANY,

  'settings.get': ANY,
  'settings.update': ADMINS,

  'audit.list': SUPERVISORS,
  'audit.verify': ADMINS,

  'security.alerts.list': ADMINS,
  'security.alerts.acknowledge': ADMINS,

  // By default every role uploads balance files and Admins bill files (Settings); the kind is checked inside.
  'imports.preview': ANY,
  'imports.cancel': ANY,
  'imports.decide': ANY,
  'imports.apply': ANY,
  'imports.list': ANY,
  'imports.get': ANY,
  'imports.export': ANY,
  'imports.template': ANY,

  'deposits.list': SUPERVISORS,
  'deposits.get': SUPERVISORS,
  'deposits.undeposited': SUPERVISORS,
  'deposits.create': SUPERVISORS,
  'deposits.update': SUPERVISORS,
  'deposits.delete': SUPERVISORS,
  'deposits.addPayments': SUPERVISORS,
  'deposits.removePayment': SUPERVISORS,
  'deposits.enterPayment': SUPERVISORS,
  'deposits.complete': SUPERVISORS,
  'deposits.reopen': SUPERVISORS,

  'payments.corrections': SUPERVISORS,
  'payments.unapply': SUPERVISORS,
  'payments.reapply': SUPERVISORS,
  'payments.delete': SUPERVISORS,
  'payments.return': SUPERVISORS,
  'payments.transferCredit': SUPERVISORS,

  'periods.list': SUPERVISORS,
  'periods.closePreview': SUPERVISORS,
  'periods.close': SUPERVISORS,
  'periods.reopen': ADMINS,

  'reports.aging': SUPERVISORS,
  'reports.agingAccounts': SUPERVISORS,
  'reports.afterClose': SUPERVISORS,

  'statementProfiles.list': SUPERVISORS,
  'statementProfiles.save': ADMINS,

  'statements.run': SUPERVISORS,
  'statements.previewRun': SUPERVISORS,
  'statements.previewFile': SUPERVISORS,
  'statements.uploadFile': SUPERVISORS,
  'statements.batches': SUPERVISORS,
  'statements.batch': SUPERVISORS,
  'statements.pdf': SUPERVISORS,
  'statements.lettersPdf': SUPERVISORS,

  'notifications.list': SUPERVISORS,
  'notifications.get': SUPERVISORS,
  'notifications.retry': SUPERVISORS,
  'notifications.cancel': SUPERVISORS,
  'notifications.onDemand': ANY,
  'notifications.setOptOut': SUPERVISORS,
  'notifications.forAccount': ANY,
  'notifications.getSettings': SUPERVISORS,
  'notifications.updateSettings': ADMINS,

  'reports.audit': SUPERVISORS,
  'reports.auditExport': SUPERVISORS,
  'reports.home': ANY,

  'sync.status': ANY,
  'sync.now': ANY,
  'sync.signIn': ANY,
  'sync.needsAttention.list': ANY,
  'sync.needsAttention.resolve': ANY,

  'ledger.backup': ADMINS,

  'sync.configure': ADMINS,

  'auth.signOut': ANY,

  // Reports: a CSR sees the catalog and their own payments today; the rest is for supervisors.
  'reports.catalog': ANY,
  'reports.payments': ANY,
  'reports.export': ANY,
  'reports.deposits': SUPERVISORS,
  'reports.reversals': SUPERVISORS,
  'reports.credits': SUPERVISORS,
  'reports.uploads': SUPERVISORS,
  'reports.agingTable': SUPERVISORS,
  'reports.collections': SUPERVISORS,

  // One-time payment links: any desk role sends one (revoking someone else's is checked in core).
  'paymentLinks.create': ANY,
  'paymentLinks.revoke': ANY,
  'paymentLinks.list': ANY,
  'paymentLinks.availability': ANY,
  'paymentLinks.configure': ADMINS,

  // Joining an office's server: first run (before any user exists here), then Admin-only.
  'auth.joinServer': 'public',
  'sync.joinInfo': ANY,
  'sync.joinServer': ADMINS,
  'sync.desks.list': ADMINS,
  'sync.desks.revoke': ADMINS,
  'sync.desks.rename': ADMINS,
};

/** Synced commands with no channel of their own (main calls them), pushed to the server like any other. */
export const PUSH_ONLY_COMMANDS: Record<string, ChannelAccess> = {
  // A file import's rows, applied by main's import service after a preview. Settings decide by file
  // kind (default: every role balance files, Admins bill files); the kind is checked inside.
  'imports.applyRows': ANY,
};
