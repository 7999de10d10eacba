/**
 * Ledgerdesk's command line, for administrators and automation:
 *   npm run cli -- import FILE --kind balance|bill --division NAME [--dry-run] [--json] [--db PATH]
 *   npm run cli -- backup FILE [--db PATH]      (online backup; safe while the app runs)
 *   npm run cli -- restore FILE [--db PATH]     (close the app first; the replaced ledger is kept)
 *   npm run cli -- demo-data [--db PATH] [--accounts 5000] [--months 12] [--seed 42] [--admin USER --password PW]
 * Other workflows add their subcommands to `commands` below.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDataDir, ledgerPath } from '../paths';
import { backupCommand, restoreCommand } from './backup';
import { demoDataCommand } from './demo-data';
import { importCommand } from './import';

export type CliCommand = (argv: string[], defaults: { db: string }) => Promise<number>;

const commands: Record<string, CliCommand> = {
  'demo-data': demoDataCommand,
  import: importCommand,
  backup: backupCommand,
  restore: restoreCommand,
};

const [name, ...rest] = process.argv.slice(2);
const cmd = name ? commands[name] : undefined;
if (!cmd) {
  console.error(`usage: npm run cli -- <${Object.keys(commands).join('|')}> [options]`);
  process.exit(2);
}
try {
  const { values } = parseArgs({ args: rest, options: { db: { type: 'string' } }, strict: false });
  const db = resolve(typeof values.db === 'string' ? values.db : ledgerPath(defaultDataDir()));
  // Every verb names the ledger it uses (on stderr, so --json output stays clean).
  console.error(`Ledger: ${db}`);
  process.exitCode = await cmd(rest, { db });
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 2;
}
