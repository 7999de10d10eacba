import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { openServerStore } from '../db/open';

/**
 * `npm run server -- copy-to-postgres [--from DATA_DIR] [--to postgres://…]`: the way to grow from
 * one SQLite server to PostgreSQL. Copies every table of a (stopped) SQLite server into an EMPTY
 * PostgreSQL database that it first migrates exactly as the server would, then verifies row counts
 * and money totals (every *_cents column) table by table, and prints them. A non-empty target is
 * refused before anything is written. Exit 0 verified, 1 refused or not verified, 2 usage.
 */

export interface TableCheck {
  table: string;
  rowsFrom: number;
  rowsTo: number;
  centsFrom: number;
  centsTo: number;
  ok: boolean;
}

/** Written by the target's own migrations (not copied). */
const SKIP = new Set(['ledger_migrations', 'server_migrations', 'srv_txn']);

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

export class CopyRefused extends Error {}

// long: one ordered operator procedure (refuse, create, copy each table, compare counts), read top to bottom
export async function copyToPostgres(opts: { dataDir: string; databaseUrl: string; log?: (line: string) => void }): Promise<TableCheck[]> {
  const log = opts.log ?? (() => undefined);
  const path = join(resolve(opts.dataDir), 'server.sqlite');
  if (!existsSync(path)) throw new CopyRefused(`No SQLite server database at ${path}.`);
  const src = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  const client = new pg.Client({ connectionString: opts.databaseUrl });
  await client.connect();
  try {
    const hasServer = src.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'server_migrations'`).get();
    if (!hasServer) throw new CopyRefused(`${path} is not a Ledgerdesk server database.`);
    const existing = (await client.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`)).rows.map((r) => r.table_name);
    if (existing.length > 0) {
      throw new CopyRefused(
        `The target database is not empty (it has ${existing.length} table(s): ${existing.slice(0, 5).join(', ')}${existing.length > 5 ? ', …' : ''}). Nothing was copied. Create a new, empty database and copy into it.`,
      );
    }
    // The target gets the schema, server tables and change capture exactly as the server makes them.
    const store = await openServerStore({ dataDir: opts.dataDir, databaseUrl: opts.databaseUrl });
    await store.close();
    const migrations = (db: 'ledger_migrations' | 'server_migrations') => src.prepare(`SELECT name FROM ${db} ORDER BY name`).all() as { name: string }[];
    for (const m of ['ledger_migrations', 'server_migrations'] as const) {
      const have = new Set((await client.query<{ name: string }>(`SELECT name FROM ${m}`)).rows.map((r) => String(r.name)));
      const missing = migrations(m).filter((r) => !have.has(String(r.name)));
      if (missing.length > 0) throw new CopyRefused(`The SQLite database has migrations this server version does not know (${missing.map((r) => r.name).join(', ')}): use the same server version.`);
    }

    // SQLite's full-text indexes (virtual tables and their shadow tables) are SQLite-only, rebuilt from rows.
    const virtual = (src.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'`).all() as { name: string }[]).map((r) => r.name);
    const tables = (src.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[])
      .map((r) => r.name)
      .filter((n) => !SKIP.has(n) && !virtual.some((v) => n === v || n.startsWith(`${v}_`)));
    const targetCols = new Map<string, { name: string; type: string }[]>();
    for (const r of (await client.query<{ table_name: string; column_name: string; data_type: string }>(`SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY ordinal_position`)).rows) {
      targetCols.set(r.table_name, [...(targetCols.get(r.table_name) ?? []), { name: r.column_name, type: r.data_type }]);
    }
    const unknown = tables.filter((t) => !targetCols.has(t));
    if (unknown.length > 0) throw new CopyRefused(`Tables missing on the target after migration: ${unknown.join(', ')}.`);

    await client.query('BEGIN');
    try {
      // No change-capture or other triggers while copying (srv_changes itself is copied as it is).
      await client.query('SET LOCAL session_replication_role = replica');
      for (const t of tables) {
        const srcCols = new Set((src.prepare(`SELECT name FROM pragma_table_info(?)`).all(t) as { name: string }[]).map((r) => r.name));
        const cols = targetCols.get(t)!.filter((c) => srcCols.has(c.name));
        // Rows the target's migrations seeded (defaults) are replaced by the source's own.
        await client.query(`DELETE FROM ${q(t)}`);
        const per = Math.max(1, Math.floor(30_000 / cols.length));
        const rows = src.prepare(`SELECT ${cols.map((c) => q(c.name)).join(', ')} FROM ${q(t)}`).raw(true).iterate() as IterableIterator<unknown[]>;
        let batch: unknown[][] = [];
        let n = 0;
        const flush = async () => {
          if (batch.length === 0) return;
          const params: unknown[] = [];
          const values = batch.map((r) => `(${r.map((v, i) => (params.push(convert(t, cols[i]!, v)), `$${params.length}`)).join(', ')})`).join(', ');
          await client.query(`INSERT INTO ${q(t)} (${cols.map((c) => q(c.name)).join(', ')}) VALUES ${values}`, params);
          n += batch.length;
          batch = [];
        };
        for (const r of rows) {
          batch.push(r);
          if (batch.length >= per) await flush();
        }
        await flush();
        log(`copied ${t}: ${n} rows`);
      }
      // Serial columns continue after the copied values.
      const serials = (await client.query<{ table_name: string; column_name: string }>(`SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%'`)).rows;
      for (const s of serials) {
        await client.query(`SELECT setval(pg_get_serial_sequence($1, $2), GREATEST((SELECT COALESCE(MAX(${q(s.column_name)}), 0) FROM ${q(s.table_name)}), 1))`, [s.table_name, s.column_name]);
      }
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    }

    const checks: TableCheck[] = [];
    for (const t of tables) {
      const cents = targetCols.get(t)!.filter((c) => c.name.endsWith('_cents')).map((c) => c.name);
      const sumExpr = cents.length > 0 ? cents.map((c) => `COALESCE(SUM(${q(c)}), 0)`).join(' + ') : '0';
      const a = src.prepare(`SELECT COUNT(*) AS n, ${sumExpr} AS c FROM ${q(t)}`).get() as { n: number; c: number };
      const b = (await client.query<{ n: string; c: string }>(`SELECT COUNT(*) AS n, ${sumExpr} AS c FROM ${q(t)}`)).rows[0]!;
      const check = { table: t, rowsFrom: Number(a.n), rowsTo: Number(b.n), centsFrom: Number(a.c), centsTo: Number(b.c), ok: Number(a.n) === Number(b.n) && Number(a.c) === Number(b.c) };
      checks.push(check);
    }
    return checks;
  } finally {
    src.close();
    await client.end().catch(() => undefined);
  }
}

/** SQLite has no transaction ids: copied change rows get negative ones, never equal to PostgreSQL's own. */
function convert(table: string, col: { name: string; type: string }, v: unknown): unknown {
  if (table === 'srv_changes' && col.name === 'tx' && typeof v === 'number') return -1 - v;
  if (typeof v === 'bigint') return v.toString();
  if (col.type === 'boolean' && typeof v === 'number') return v !== 0;
  return v;
}

export function formatChecks(checks: TableCheck[]): string {
  const w = Math.max(5, ...checks.map((c) => c.table.length));
  const money = (c: number) => (c / 100).toFixed(2);
  const lines = [`${'table'.padEnd(w)}  ${'rows (SQLite)'.padStart(13)}  ${'rows (PostgreSQL)'.padStart(17)}  ${'money (SQLite)'.padStart(16)}  ${'money (PostgreSQL)'.padStart(18)}  check`];
  for (const c of checks) {
    lines.push(`${c.table.padEnd(w)}  ${String(c.rowsFrom).padStart(13)}  ${String(c.rowsTo).padStart(17)}  ${money(c.centsFrom).padStart(16)}  ${money(c.centsTo).padStart(18)}  ${c.ok ? 'ok' : 'DIFFERENT'}`);
  }
  return lines.join('\n');
}

export async function copyToPostgresCli(argv: string[]): Promise<number> {
  const { parseArgs } = await import('node:util');
  let values: { from?: string; to?: string };
  try {
    ({ values } = parseArgs({ args: argv, options: { from: { type: 'string' }, to: { type: 'string' } } }));
  } catch (e) {
    console.error(`${(e as Error).message}\nusage: npm run server -- copy-to-postgres [--from DATA_DIR] [--to postgres://user:pass@host/db]`);
    return 2;
  }
  const dataDir = values.from ?? process.env.DATA_DIR ?? 'server-data';
  const databaseUrl = values.to ?? process.env.DATABASE_URL;
  if (!databaseUrl || !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    console.error('usage: npm run server -- copy-to-postgres [--from DATA_DIR] --to postgres://user:pass@host/db   (or DATABASE_URL)');
    return 2;
  }
  try {
    console.log(`Copying ${join(resolve(dataDir), 'server.sqlite')} into ${new URL(databaseUrl).host}${new URL(databaseUrl).pathname} (stop the SQLite server first).`);
    const checks = await copyToPostgres({ dataDir, databaseUrl, log: (l) => console.log(l) });
    console.log(formatChecks(checks));
    const bad = checks.filter((c) => !c.ok);
    if (bad.length > 0) {
      console.error(`NOT verified: ${bad.map((c) => c.table).join(', ')} differ. Do not use the PostgreSQL database.`);
      return 1;
    }
    console.log(`Verified: ${checks.length} tables, row counts and money totals equal. Start the server with DATABASE_URL=${new URL(databaseUrl).protocol}//…${new URL(databaseUrl).pathname}.`);
    return 0;
  } catch (e) {
    console.error(e instanceof CopyRefused ? `Refused: ${e.message}` : `Copy failed (nothing was committed): ${(e as Error).message}`);
    return 1;
  }
}
