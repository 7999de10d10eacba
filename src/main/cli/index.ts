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
import { setFlagsFromString } from 'node:v8';
import { defaultDataDir, ledgerPath } from '../paths';

// A batch process: the heap grows by a quarter over what is live before a full collection, not by
// V8's default factor (up to 4×). A 100,000-row import plans its rows twice (preview, then the
// command) and that garbage piled up to ~250 MB before one collection; measured: peak RSS 420 ->
// ~320 MB (nightly 520 -> ~345 MB), CPU within noise. Set before any large allocation.
setFlagsFromString('--heap-growing-percent=25');

export type CliCommand = (argv: string[], defaults: { db: string }) => Promise<number>;

// Loaded on use, so `--help` (and each verb) reads only the code it needs.
const commands: Record<string, () => Promise<CliCommand>> = {
  'demo-data': async () => (await import('./demo-data')).demoDataCommand,
  import: async () => (await import('./import')).importCommand,
  backup: async () => (await import('./backup')).backupCommand,
  restore: async () => (await import('./backup')).restoreCommand,
};

const HELP = `usage: npm run cli -- <command> [options]
  import FILE --kind balance|bill --division NAME [--dry-run] [--json] [--db PATH]   (import --help for all options)
  backup FILE [--db PATH]      online backup; safe while the app runs
  restore FILE [--db PATH]     close the app first; the replaced ledger is kept
  demo-data [--db PATH] [--accounts 5000] [--months 12] [--seed 42] [--admin USER --password PW]`;

const [name, ...rest] = process.argv.slice(2);
const load = name ? commands[name] : undefined;
if (name === '--help' || name === '-h' || name === 'help') {
  console.log(HELP);
} else if (!load) {
  console.error(HELP);
  process.exitCode = 2;
} else {
  try {
    const { values } = parseArgs({ args: rest, options: { db: { type: 'string' } }, strict: false });
    const db = resolve(typeof values.db === 'string' ? values.db : ledgerPath(defaultDataDir()));
    const cmd = await load();
    // Every verb names the ledger it uses (on stderr, so --json output stays clean).
    console.error(`Ledger: ${db}`);
    process.exitCode = await cmd(rest, { db });
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 2;
  }
}
