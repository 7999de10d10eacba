import type { Kysely } from 'kysely';
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
}

export function createCore(
  db: Kysely<Database>,
  dialect: Dialect,
  opts: CoreOptions = {},
  close = async () => db.destroy(),
  rawSqlite?: import('better-sqlite3').Database,
): LedgerCore {
  const clock = opts.clock ?? systemClock;
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

/** The desktop's ledger: one SQLite file, migrated, with the core on top. */
export async function openDesktopCore(path: string, opts: CoreOptions = {}): Promise<LedgerCore & { ledger: OpenedLedger }> {
  const ledger = await openSqliteLedger(path);
  return { ...createCore(ledger.db, 'sqlite', opts, ledger.close, ledger.raw), ledger };
}
