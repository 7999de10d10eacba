/**
 * `npm run web`: serves the desktop UI from the browser host on 127.0.0.1 and prints the address
 * (with its per-launch token) to open. Options: --data DIR (default: the desktop app's data folder,
 * or LEDGERDESK_DATA), --port N (default: PORT or a free port), --static DIR (default: dist-web),
 * --demo (a ledger filled with demo data, made on first use: in DIR/demo, or in --data DIR when given).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../../core/ledger-core';
import { DEMO_USERS, prepareDemoLedger } from '../../core/demo/demo-ledger';
import { startAppServices } from '../app-services';
import { defaultDataDir, ledgerPath } from '../paths';
import { startBrowserHost } from './host';

const { values } = parseArgs({
  options: { data: { type: 'string' }, port: { type: 'string' }, static: { type: 'string' }, demo: { type: 'boolean' } },
});
// The demo never lands in the office's real ledger: its own folder unless --data names one.
const dataDir = resolve(values.data ?? (values.demo ? join(defaultDataDir(), 'demo') : defaultDataDir()));
const staticDir = resolve(values.static ?? 'dist-web');
if (!existsSync(resolve(staticDir, 'index.html'))) {
  console.error(`The UI is not built in ${staticDir}. Run "npm run build:web" first (npm run web does it for you).`);
  process.exit(2);
}
if (values.demo) {
  mkdirSync(dataDir, { recursive: true });
  const { created } = await prepareDemoLedger(ledgerPath(dataDir), systemClock, { officeTimeZone: Intl.DateTimeFormat().resolvedOptions().timeZone });
  console.log(`${created ? 'Demo ledger created' : 'Demo ledger reopened'}. Sign in as one of: ${DEMO_USERS.map((u) => `${u.username} / ${u.password} (${u.role})`).join(', ')}`);
}
const services = await startAppServices(dataDir);
const host = await startBrowserHost(services.router, { staticDir, port: Number(values.port ?? process.env.PORT ?? 0) });
console.log(`Ledgerdesk ledger: ${services.core.ledger.path}`);
console.log(`Ledgerdesk is ready. Open this address in your browser (it holds this launch's access token):`);
console.log(`LEDGERDESK_URL=${host.url}`);

const stop = async () => {
  await host.close();
  await services.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
