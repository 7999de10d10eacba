import { join } from 'node:path';
import { checkAuditAtStart } from '../core/audit/audit-startup';
import { openDesktopCore, type CoreOptions } from '../core/ledger-core';
import { startRecurringScheduler } from '../core/payments/recurring/run';
import { registerBackupChannel } from './cli/backup-channel';
import { registerImportChannels } from './imports/channels';
import { ImportService } from './imports/import-service';
import { ledgerPath } from './paths';
import { Router } from './router/router';
import { registerSyncChannels } from './sync/channels';
import { JoinService } from './sync/join';
import { registerJoinChannels } from './sync/join-channels';
import { SyncClient } from './sync/sync-client';
import { FileTokenStore, type TokenStore } from './sync/token-store';

export interface AppServicesOptions extends CoreOptions {
  /** Where resources/ lives: the repository in development, process.resourcesPath when packaged. */
  resourcesDir?: string;
  /** Where server tokens are kept: the OS key store in Electron; a user-only file otherwise. */
  tokenStore?: TokenStore;
}

/**
 * Everything main runs, whichever binding shows it: the ledger, the core, the router and the
 * main-side services. Electron's main and the browser host both start here, so neither holds logic.
 */
export async function startAppServices(dataDir: string, opts: AppServicesOptions = {}) {
  // The router exists only after the core; changes announced before that have no listener anyway.
  const ref: { router?: Router; sync?: SyncClient } = {};
  const core = await openDesktopCore(ledgerPath(dataDir), {
    ...opts,
    onChanged: (entities) => {
      ref.router?.broadcast('ledger.changed', { entities });
      ref.sync?.notifyLocalChange(); // push at once when online
    },
  });
  // The audit chain is checked at every start: a failure becomes a security alert on the Audit Log
  // screen for Admins; the app still opens.
  const auditCheck = await core.executor.serial(() => checkAuditAtStart(core.db, core.clock.now().toISOString(), 'desk'));
  if (!auditCheck.ok) console.error(`[ledgerdesk] SECURITY: the audit log does not verify: ${auditCheck.reason}`);
  const router = (ref.router = new Router(core));
  const imports = new ImportService(core, { dataDir, templatesDir: join(opts.resourcesDir ?? join(process.cwd(), 'resources'), 'templates') });
  registerImportChannels(router, imports);
  registerBackupChannel(router, core, core.ledger.raw, dataDir);
  // Sync with the central server, once an administrator has set its address (Needs Attention, header).
  const tokens = opts.tokenStore ?? new FileTokenStore(join(dataDir, 'server-tokens.json'));
  const sync = (ref.sync = new SyncClient({ core, tokens, files: imports.files }));
  registerSyncChannels(router, sync);
  // Joining an office's server: at first run, or with the ledger this desk kept on its own (seeds an empty server).
  registerJoinChannels(router, new JoinService({ core, sync, files: imports.files, raw: core.ledger.raw, backupDir: join(dataDir, 'backups'), tokens }));
  // With a server, sign-in goes there first (it gives this desk the user's offline verifier); when
  // the server is unreachable the local check against that verifier decides.
  router.onlineSignIn = async (username, password) => {
    if (sync.status().serverUrl) await sync.signIn(username, password);
  };
  await sync.start();
  // Recurring payments fall due on the server when there is one (src/server/scheduler.ts), and the
  // results sync here; a standalone desk runs them itself: now, then hourly (idempotent).
  const stopRecurring = startRecurringScheduler(core, 3_600_000, () => !sync.status().configured);
  return {
    core,
    router,
    imports,
    sync,
    dataDir,
    close: async () => {
      stopRecurring();
      await sync.stop();
      await core.close();
    },
  };
}
export type AppServices = Awaited<ReturnType<typeof startAppServices>>;
