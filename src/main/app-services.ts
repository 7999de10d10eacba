import { openDesktopCore, type CoreOptions } from '../core/ledger-core';
import { ledgerPath } from './paths';
import { Router } from './router/router';

/**
 * Everything main runs, whichever binding shows it: the ledger, the core and the router. Electron's
 * main and the browser host both start here, so neither holds logic of its own.
 */
export async function startAppServices(dataDir: string, opts: CoreOptions = {}) {
  // The router exists only after the core; changes announced before that have no listener anyway.
  const ref: { router?: Router } = {};
  const core = await openDesktopCore(ledgerPath(dataDir), {
    ...opts,
    onChanged: (entities) => ref.router?.broadcast('ledger.changed', { entities }),
  });
  const router = (ref.router = new Router(core));
  return {
    core,
    router,
    dataDir,
    close: async () => {
      await core.close();
    },
  };
}
export type AppServices = Awaited<ReturnType<typeof startAppServices>>;
