import BetterSqlite3 from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import { migrate } from './migrator';
import type { Database } from './schema';

export interface OpenedLedger {
  db: Kysely<Database>;
  raw: BetterSqlite3.Database;
  path: string;
  close(): Promise<void>;
}

/**
 * better-sqlite3 is rebuilt for Electron's ABI on machines with Electron; scripts/postinstall.mjs
 * keeps a copy of the Node build in .native/ so Node-side tools (tests, CLI, browser host) still load.
 */
function nodeBinding(): string | undefined {
  if (process.versions.electron) return undefined;
  const p = join(process.cwd(), '.native', 'node', 'better_sqlite3.node');
  return existsSync(p) ? p : undefined;
}

/**
 * Opens (creating if needed) a ledger file: WAL with synchronous FULL (a confirmed payment survives
 * a power cut), foreign keys on, migrated. The file is backed up before any migration runs on an
 * existing ledger.
 */
export async function openSqliteLedger(path: string, opts: { readonly?: boolean } = {}): Promise<OpenedLedger> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const raw = new BetterSqlite3(path, { readonly: opts.readonly ?? false, nativeBinding: nodeBinding() });
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  // 16 MB of page cache (8× SQLite's default). A 100,000-row import dirties ~200 MB, so it spills to
  // the WAL whatever the cache; measured against 64 MB: the same CPU, 50–60 MB less peak memory.
  raw.pragma('cache_size = -16384');
  raw.pragma('temp_store = MEMORY');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) });
  if (!opts.readonly) {
    await migrate(db, 'sqlite', async () => {
      if (path === ':memory:') return;
      // eslint-disable-next-line no-restricted-syntax -- names the backup file made before migrating
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      await raw.backup(`${path}.before-migration-${stamp}.bak`);
    });
  }
  return {
    db,
    raw,
    path,
    close: async () => {
      await db.destroy();
    },
  };
}
