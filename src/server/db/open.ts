import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { fileAuditKey } from '../../core/audit/audit-key';
import { createCore, type LedgerCore } from '../../core/ledger-core';
import type { Clock } from '../../core/commands/types';
import type { Database, Dialect } from '../../core/db/schema';
import { migrate } from '../../core/db/migrator';
import { installChangeCapture } from '../../core/sync/capture';
import type { SyncTable } from '../../core/sync/tables';
import { migrateServer } from './server-migrations';
import type { ServerDatabase } from './schema';

// Money is BIGINT on PostgreSQL and COUNT/SUM answer int8/numeric: integer cents stay well inside 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export interface ServerStore {
  db: Kysely<ServerDatabase>;
  dialect: Dialect;
  core: LedgerCore;
  tables: SyncTable[];
  /** PostgreSQL only: a dedicated connection for LISTEN. */
  pool?: pg.Pool;
  describe: string;
  close(): Promise<void>;
}

const MIGRATE_LOCK = 74_280_002;

/**
 * The server's audit key: `AUDIT_KEY_FILE`, or `audit.key` in the data folder, made at first start
 * (mode 0600). Every server process on one PostgreSQL database must read the same file.
 */
function serverAuditKey(dataDir: string): Promise<Buffer> {
  return fileAuditKey(process.env.AUDIT_KEY_FILE || join(dataDir, 'audit.key')).load();
}

export async function openServerStore(opts: { dataDir: string; databaseUrl?: string; clock?: Clock }): Promise<ServerStore> {
  const auditKey = await serverAuditKey(opts.dataDir);
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: Number(process.env.PG_POOL_MAX ?? 10) });
    const db = new Kysely<ServerDatabase>({ dialect: new PostgresDialect({ pool }) });
    // Several server processes may start at once: one migrates while the others wait.
    const lockConn = await pool.connect();
    let tables: SyncTable[];
    try {
      await lockConn.query('SELECT pg_advisory_lock($1)', [MIGRATE_LOCK]);
      await migrate(db as unknown as Kysely<Database>, 'postgres');
      await migrateServer(db, 'postgres');
      tables = await installChangeCapture(db as unknown as Kysely<Database>, 'postgres');
    } finally {
      await lockConn.query('SELECT pg_advisory_unlock($1)', [MIGRATE_LOCK]).catch(() => undefined);
      lockConn.release();
    }
    const core = createCore(db as unknown as Kysely<Database>, 'postgres', { writeOutbox: false, clock: opts.clock, auditKey });
    const u = new URL(opts.databaseUrl);
    return { db, dialect: 'postgres', core, tables, pool, describe: `postgres://${u.host}${u.pathname}`, close: () => db.destroy() };
  }
  const path = join(opts.dataDir, 'server.sqlite');
  mkdirSync(opts.dataDir, { recursive: true });
  const native = join(process.cwd(), '.native', 'node', 'better_sqlite3.node');
  const raw = new BetterSqlite3(path, { nativeBinding: existsSync(native) ? native : undefined });
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  const db = new Kysely<ServerDatabase>({ dialect: new SqliteDialect({ database: numberedTransactions(raw) }) });
  await migrate(db as unknown as Kysely<Database>, 'sqlite', async () => {
    await raw.backup(`${path}.before-migration-${new Date().toISOString().replace(/[:.]/g, '-')}.bak`);
  });
  await migrateServer(db, 'sqlite');
  const tables = await installChangeCapture(db as unknown as Kysely<Database>, 'sqlite');
  const close = async () => db.destroy();
  const core = createCore(db as unknown as Kysely<Database>, 'sqlite', { writeOutbox: false, clock: opts.clock, auditKey }, close);
  return { db, dialect: 'sqlite', core, tables, describe: `sqlite:${path}`, close };
}

/**
 * SQLite has no transaction id: every BEGIN on the server's one connection also bumps srv_txn.n
 * (inside the new transaction), and the change triggers stamp rows with it, so a pull page can end
 * on a whole transaction. (A lone autocommit statement joins the previous number: still whole.)
 */
function numberedTransactions(raw: BetterSqlite3.Database): BetterSqlite3.Database {
  return new Proxy(raw, {
    get(target, prop, receiver) {
      if (prop !== 'prepare') {
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      }
      return (source: string) => {
        const stmt = target.prepare(source);
        if (!/^\s*begin\b/i.test(source)) return stmt;
        return new Proxy(stmt, {
          get(st, p) {
            if (p === 'run') {
              return (...args: unknown[]) => {
                const r = st.run(...(args as []));
                try {
                  target.prepare('UPDATE srv_txn SET n = n + 1 WHERE id = 1').run();
                } catch {
                  // before the server migrations created srv_txn
                }
                return r;
              };
            }
            const v = Reflect.get(st, p);
            return typeof v === 'function' ? v.bind(st) : v;
          },
        });
      };
    },
  });
}
