import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Kysely } from 'kysely';
import { bindAuditKey, fileAuditKey } from './audit/audit-key';
import { localDate } from '../shared/dates';
import { Executor } from './commands/executor';
import type { Clock } from './commands/types';
import { openSqliteLedger, type OpenedLedger } from './db/open-sqlite';
import type { Database, Dialect } from './db/schema';
import { allCommands, allQueries } from './registry';

// eslint-disable-next-line no-restricted-syntax -- this is the clock everything else is given
export const systemClock: Clock = { now: () => new Date(), today: () => localDate() };

export interface LedgerCore {
  db: Kysely<Database>;
  dialect: Dialect;
  clock: Clock;
  executor: Executor;
  close(): Promise<void>;
}

export interface CoreOptions {
  clock?: Clock;
  /** Desktop: true (commands are queued for the server). Server: false. */
  writeOutbox?: boolean;
  onChanged?: (entities: string[]) => void;
  /**
   * The machine's audit key (src/core/audit/audit-key.ts): seals the audit chain. A desk opened
   * without one uses a user-only file `audit.key` beside the ledger (browser host, CLI, tests).
   */
  auditKey?: Buffer;
}

export function createCore(
  db: Kysely<Database>,
  dialect: Dialect,
  opts: CoreOptions = {},
  close = async () => db.destroy(),
  rawSqlite?: import('better-sqlite3').Database,
): LedgerCore {
  const clock = opts.clock ?? systemClock;
  if (opts.auditKey) bindAuditKey(db, opts.auditKey);
  const executor = new Executor({
    db,
    dialect,
    clock,
    writeOutbox: opts.writeOutbox ?? true,
    commands: allCommands,
    rawSqlite,
    queries: allQueries,
    onChanged: opts.onChanged,
  });
  return { db, dialect, clock, executor, close };
}

/**
 * The browser host's and the CLI's key: `audit.key` beside the ledger. A ledger whose key the
 * desktop app keeps in the OS key store (audit-key.bin) is refused here rather than re-keyed, which
 * would break its seal.
 */
async function defaultAuditKey(ledgerFile: string): Promise<Buffer> {
  const dir = dirname(ledgerFile);
  if (existsSync(join(dir, 'audit-key.bin')) && !existsSync(join(dir, 'audit.key'))) {
    throw new Error(`This ledger's audit key is kept in the operating system key store by the Ledgerdesk desktop app (${join(dir, 'audit-key.bin')}); open it with the desktop app.`);
  }
  return fileAuditKey(join(dir, 'audit.key')).load();
}

/** The desktop's ledger: one SQLite file, migrated, with the core on top. */
export async function openDesktopCore(path: string, opts: CoreOptions = {}): Promise<LedgerCore & { ledger: OpenedLedger }> {
  const auditKey = opts.auditKey ?? (await defaultAuditKey(path));
  const ledger = await openSqliteLedger(path);
  return { ...createCore(ledger.db, 'sqlite', { ...opts, auditKey }, ledger.close, ledger.raw), ledger };
}
