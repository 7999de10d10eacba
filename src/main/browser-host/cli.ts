/**
 * `npm run web`: serves the desktop UI from the browser host on 127.0.0.1 and prints the address
 * (with its per-launch token) to open. Options: --data DIR (default: the desktop app's data folder,
 * or LEDGERDESK_DATA), --port N (default: PORT or a free port), --static DIR (default: dist-web).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startAppServices } from '../app-services';
import { defaultDataDir } from '../paths';
import { startBrowserHost } from './host';

const { values } = parseArgs({
  options: { data: { type: 'string' }, port: { type: 'string' }, static: { type: 'string' } },
});
const dataDir = resolve(values.data ?? defaultDataDir());
const staticDir = resolve(values.static ?? 'dist-web');
if (!existsSync(resolve(staticDir, 'index.html'))) {
  console.error(`The UI is not built in ${staticDir}. Run "npm run build:web" first (npm run web does it for you).`);
  process.exit(2);
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
