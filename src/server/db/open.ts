import { existsSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
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
    const named = namedStatements();
    const db = new Kysely<ServerDatabase>({ dialect: new PostgresDialect({ pool: named.wrap(pool) }) });
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
    // Only once the schema is settled: a statement prepared before an ALTER could no longer run.
    named.enable();
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
  const cache = new Map<string, BetterSqlite3.Statement>();
  let bump: BetterSqlite3.Statement | null = null;
  const numbered = (stmt: BetterSqlite3.Statement): BetterSqlite3.Statement =>
    new Proxy(stmt, {
      get(st, p) {
        if (p === 'run') {
          return (...args: unknown[]) => {
            const r = st.run(...(args as []));
            try {
              bump ??= raw.prepare('UPDATE srv_txn SET n = n + 1 WHERE id = 1');
              bump.run();
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
  return new Proxy(raw, {
    get(target, prop, receiver) {
      if (prop !== 'prepare') {
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      }
      return (source: string) => {
        // Kysely prepares every query it runs: SQLite compiling the same text again and again was a
        // third of a pushed command's time. A statement still being iterated is never handed out twice.
        const hit = cache.get(source);
        if (hit && !hit.busy) return hit;
        const plain = target.prepare(source);
        const stmt = /^\s*begin\b/i.test(source) ? numbered(plain) : plain;
        if (cache.size >= STATEMENT_CACHE) cache.clear();
        cache.set(source, stmt);
        return stmt;
      };
    },
  });
}

const STATEMENT_CACHE = 1000;

/**
 * PostgreSQL: each query Kysely sends with parameters becomes a named prepared statement on its
 * connection (parsed and planned once per connection, not once per run). Texts with many
 * parameters (long IN lists) stay unnamed, and so does everything before `enable()`.
 */
function namedStatements(): { wrap(pool: pg.Pool): pg.Pool; enable(): void } {
  let on = false;
  const names = new Map<string, string>();
  const nameOf = (text: string, n: number): string | undefined => {
    if (!on || n === 0 || n > 64 || text.includes(';')) return undefined;
    let name = names.get(text);
    if (!name && names.size < 5000) names.set(text, (name = `ld_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`));
    return name;
  };
  const wrapClient = (client: pg.PoolClient): pg.PoolClient => {
    const query = client.query.bind(client) as (...a: unknown[]) => unknown;
    return new Proxy(client, {
      get(target, prop, receiver) {
        if (prop !== 'query') return Reflect.get(target, prop, receiver);
        return (text: unknown, values?: unknown[]) => {
          const name = typeof text === 'string' && Array.isArray(values) ? nameOf(text, values.length) : undefined;
          return name ? query({ name, text, values }) : query(text, values);
        };
      },
    });
  };
  return {
    enable: () => {
      on = true;
    },
    wrap: (pool) =>
      new Proxy(pool, {
        get(target, prop, receiver) {
          if (prop !== 'connect') {
            const v = Reflect.get(target, prop, receiver);
            return typeof v === 'function' ? v.bind(target) : v;
          }
          return async () => wrapClient(await target.connect());
        },
      }),
  };
}
