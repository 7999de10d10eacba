import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The same folder Electron's app.getPath('userData') gives for "Ledgerdesk", so the browser host and
 * the CLI open the desktop app's own ledger by default.
 */
export function defaultDataDir(): string {
  if (process.env.LEDGERDESK_DATA) return process.env.LEDGERDESK_DATA;
  const home = homedir();
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Ledgerdesk');
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'Ledgerdesk');
  return join(process.env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Ledgerdesk');
}

export const ledgerPath = (dataDir: string) => join(dataDir, 'ledger.sqlite');
