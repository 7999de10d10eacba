import { join } from 'node:path';
import { openDesktopCore, type CoreOptions } from '../core/ledger-core';
import { startRecurringScheduler } from '../core/recurring/run';
import { registerImportChannels } from './imports/channels';
import { ImportService } from './imports/import-service';
import { ledgerPath } from './paths';
import { Router } from './router/router';

export interface AppServicesOptions extends CoreOptions {
  /** Where resources/ lives: the repository in development, process.resourcesPath when packaged. */
  resourcesDir?: string;
}

/**
 * Everything main runs, whichever binding shows it: the ledger, the core, the router and the
 * main-side services. Electron's main and the browser host both start here, so neither holds logic.
 */
export async function startAppServices(dataDir: string, opts: AppServicesOptions = {}) {
  // The router exists only after the core; changes announced before that have no listener anyway.
  const ref: { router?: Router } = {};
  const core = await openDesktopCore(ledgerPath(dataDir), {
    ...opts,
    onChanged: (entities) => ref.router?.broadcast('ledger.changed', { entities }),
  });
  const router = (ref.router = new Router(core));
  const imports = new ImportService(core, { dataDir, templatesDir: join(opts.resourcesDir ?? join(process.cwd(), 'resources'), 'templates') });
  registerImportChannels(router, imports);
  // Recurring payments fall due wherever the ledger runs: now, then hourly (idempotent).
  const stopRecurring = startRecurringScheduler(core);
  return {
    core,
    router,
    imports,
    dataDir,
    close: async () => {
      stopRecurring();
      await core.close();
    },
  };
}
export type AppServices = Awaited<ReturnType<typeof startAppServices>>;
