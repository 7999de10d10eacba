import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import type { CliCommand } from './index';

export interface BackupResult {
  path: string;
  bytes: number;
}

/** Refuses a file that is not a whole, readable Ledgerdesk ledger (before anything is replaced). */
function checkLedgerFile(path: string): void {
  if (!existsSync(path)) throw new Error(`No such file: ${path}`);
  let db: BetterSqlite3.Database;
  try {
    db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new Error(`${path} is not a SQLite database (${(e as Error).message}).`);
  }
  try {
    const ok = db.pragma('integrity_check', { simple: true });
    if (ok !== 'ok') throw new Error(`${path} is damaged (integrity check: ${String(ok)}).`);
    const t = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'ledger_migrations'`).get();
    if (!t) throw new Error(`${path} is not a Ledgerdesk ledger (no ledger_migrations table).`);
  } catch (e) {
    if (e instanceof Error && /is (damaged|not a Ledgerdesk)/.test(e.message)) throw e;
    throw new Error(`${path} cannot be read as a ledger (${(e as Error).message}).`);
  } finally {
    db.close();
  }
}

/**
 * A consistent copy of the open ledger while it is in use: SQLite's online backup (better-sqlite3
 * `backup()`), written beside the target and renamed into place only once complete and verified.
 */
export async function backupLedger(source: BetterSqlite3.Database, target: string): Promise<BackupResult> {
  const dest = resolve(target);
  mkdirSync(dirname(dest), { recursive: true });
  const tmp = `${dest}.partial`;
  rmSync(tmp, { force: true });
  await source.backup(tmp);
  checkLedgerFile(tmp);
  renameSync(tmp, dest);
  return { path: dest, bytes: statSync(dest).size };
}

/**
 * Replaces the ledger at `ledger` with a backup (the app must not be running). The current ledger
 * is first folded into one file and kept as `<ledger>.before-restore-<stamp>`: nothing is deleted.
 * On its next sync the desk notices it is behind the server's record of it and re-registers
 * (src/main/sync/device-identity.ts), so work since the backup comes back and nothing is refused.
 */
export async function restoreLedger(backupFile: string, ledger: string, stamp: string): Promise<{ restored: string; previous: string | null }> {
  const from = resolve(backupFile);
  const to = resolve(ledger);
  checkLedgerFile(from);
  let previous: string | null = null;
  if (existsSync(to)) {
    const cur = new BetterSqlite3(to);
    try {
      cur.pragma('wal_checkpoint(TRUNCATE)');
      previous = `${to}.before-restore-${stamp}`;
      await cur.backup(previous);
    } finally {
      cur.close();
    }
  }
  for (const side of ['-wal', '-shm', '-journal']) rmSync(`${to}${side}`, { force: true });
  mkdirSync(dirname(to), { recursive: true });
  const tmp = `${to}.restoring`;
  copyFileSync(from, tmp);
  for (const side of ['-wal', '-shm']) if (existsSync(`${from}${side}`)) copyFileSync(`${from}${side}`, `${tmp}${side}`);
  // Fold any WAL of the backup into the file before it becomes the ledger.
  const t = new BetterSqlite3(tmp);
  t.pragma('wal_checkpoint(TRUNCATE)');
  t.close();
  for (const side of ['-wal', '-shm']) rmSync(`${tmp}${side}`, { force: true });
  renameSync(tmp, to);
  return { restored: to, previous };
}

const stampOf = (d: Date) => d.toISOString().replace(/[:.]/g, '-');

/** `npm run cli -- backup FILE [--db PATH]`: safe while the app is running. */
export const backupCommand: CliCommand = async (argv, defaults) => {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, options: { db: { type: 'string' } } });
  if (positionals.length !== 1) {
    console.error('usage: npm run cli -- backup FILE [--db PATH]');
    return 2;
  }
  checkLedgerFile(defaults.db);
  const src = new BetterSqlite3(defaults.db, { fileMustExist: true });
  try {
    const r = await backupLedger(src, positionals[0]!);
    console.log(`Backed up ${defaults.db} to ${r.path} (${r.bytes} bytes).`);
    return 0;
  } finally {
    src.close();
  }
};

/** `npm run cli -- restore FILE [--db PATH]`: close the app first. */
export const restoreCommand: CliCommand = async (argv, defaults) => {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, options: { db: { type: 'string' } } });
  if (positionals.length !== 1) {
    console.error('usage: npm run cli -- restore FILE [--db PATH]   (close Ledgerdesk first)');
    return 2;
  }
  const r = await restoreLedger(positionals[0]!, defaults.db, stampOf(new Date()));
  console.log(`Restored ${r.restored} from ${resolve(positionals[0]!)}.`);
  if (r.previous) console.log(`The ledger it replaced is kept as ${r.previous}.`);
  console.log('On its next sync this computer re-registers with the server, gets back what the server holds, and sends what the server lacks.');
  return 0;
};
