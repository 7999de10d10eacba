import { sql, type Kysely } from 'kysely';
import type { Database, Dialect } from '../db/schema';

/**
 * Which tables sync, found from the live schema so a workflow's new table syncs without anyone
 * touching sync: every table with a primary key syncs (server -> desktop, row by row), except the
 * ones named here. To keep a new table on one machine only, add it to LOCAL_TABLES (or name it
 * `sync_*` / `srv_*`); to keep a column per machine, add it to LOCAL_COLUMNS.
 */
export const LOCAL_TABLES = new Set<string>([
  'ledger_migrations',
  'server_migrations',
  // The command log is each machine's own idempotency record; the server keeps srv_commands.
  'command_log',
  // Each machine's audit chain is its own; desktops push theirs to the server (srv_client_audit).
  'audit_log',
]);

/** Columns that stay per machine (never sent, never overwritten by a pull). */
export const LOCAL_COLUMNS: Record<string, readonly string[]> = {
  users: ['failed_attempts', 'locked_until'],
};

export interface SyncTable {
  name: string;
  pk: string[];
  /** Every column, in table order. */
  columns: string[];
  /** The columns that sync (columns minus LOCAL_COLUMNS). */
  synced: string[];
}

const isLocalName = (n: string) => LOCAL_TABLES.has(n) || n.startsWith('sync_') || n.startsWith('srv_') || n.startsWith('sqlite_');

export async function discoverSyncTables(db: Kysely<Database>, dialect: Dialect): Promise<SyncTable[]> {
  const out: SyncTable[] = [];
  if (dialect === 'sqlite') {
    const all = (await sql<{ name: string; sql: string | null }>`SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name`.execute(db)).rows;
    const virtual = all.filter((t) => /^CREATE VIRTUAL TABLE/i.test(t.sql ?? '')).map((t) => t.name);
    for (const t of all) {
      if (isLocalName(t.name) || virtual.includes(t.name) || virtual.some((v) => t.name.startsWith(`${v}_`))) continue;
      const cols = (await sql<{ name: string; pk: number }>`SELECT name, pk FROM pragma_table_info(${t.name})`.execute(db)).rows;
      const pk = cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
      if (pk.length === 0) continue;
      out.push(table(t.name, pk, cols.map((c) => c.name)));
    }
  } else {
    const cols = (
      await sql<{ table_name: string; column_name: string }>`
        SELECT c.table_name, c.column_name FROM information_schema.columns c
        JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
        WHERE c.table_schema = current_schema() ORDER BY c.table_name, c.ordinal_position`.execute(db)
    ).rows;
    const pks = (
      await sql<{ table_name: string; column_name: string }>`
        SELECT tc.table_name, kcu.column_name FROM information_schema.table_constraints tc
        JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
        WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = current_schema() ORDER BY tc.table_name, kcu.ordinal_position`.execute(db)
    ).rows;
    const byTable = new Map<string, string[]>();
    for (const c of cols) byTable.set(c.table_name, [...(byTable.get(c.table_name) ?? []), c.column_name]);
    for (const [name, columns] of [...byTable.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      if (isLocalName(name)) continue;
      const pk = pks.filter((p) => p.table_name === name).map((p) => p.column_name);
      if (pk.length === 0) continue;
      out.push(table(name, pk, columns));
    }
  }
  return out;
}

function table(name: string, pk: string[], columns: string[]): SyncTable {
  const local = LOCAL_COLUMNS[name] ?? [];
  return { name, pk, columns, synced: columns.filter((c) => !local.includes(c)) };
}

/** Only [A-Za-z0-9_] names are ever put into generated SQL. */
export function ident(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`Unsafe identifier: ${name}`);
  return `"${name}"`;
}
