import { sql, type Kysely } from 'kysely';
import type { Database, Dialect } from '../db/schema';
import type { Role } from '../../shared/roles';

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
  // The audit chain's sealed head and a desk's offline sign-in verifiers (migration 0011).
  'audit_head',
  'local_user_verifiers',
  // Alerts a machine raised about its own start-up audit check (migration 0012).
  'local_security_alerts',
]);

/** Columns that stay per machine (never sent, never overwritten by a pull). */
export const LOCAL_COLUMNS: Record<string, readonly string[]> = {
  users: ['failed_attempts', 'locked_until'],
  // Acknowledging an alert is an Admin's note on that machine (migration 0012).
  security_alerts: ['acknowledged_at', 'acknowledged_by'],
};

/**
 * Columns that sync, but only as a fixed blank: the value never leaves the machine that holds it.
 * The server's change stream and snapshot carry the blank (so the stream itself holds no secret),
 * and a desk stores the blank. `users.password_hash` is the server's stored form of a password:
 * desks sign in offline with their own purpose-made verifier (src/core/auth/offline-verifiers.ts).
 */
export const SECRET_COLUMNS: Record<string, Record<string, string>> = {
  users: { password_hash: '' },
};

/**
 * What each role receives from the server (pull and snapshot): "sync rules". Every synced table
 * goes to every role, in every synced column, except what is listed here. Rows of a table listed
 * in `rows` go only to the roles named; a column listed in `columns` goes to the roles named and
 * reaches the others as the blank given. Kept small on purpose: a table other rows point at by
 * foreign key cannot be withheld (desks check foreign keys), so such data is blanked by column.
 * The same table is in docs/sync.md ("What each role receives"); a test compares the two.
 */
export interface RoleScope {
  rows?: readonly Role[];
  columns?: Record<string, { roles: readonly Role[]; blank: unknown }>;
}
export const ROLE_SCOPES: Record<string, RoleScope> = {
  // Printed statement letters (names and addresses of every payer in a run): Supervisors and Admins.
  letter_files: { rows: ['supervisor', 'admin'] },
  // Import results list every row of an uploaded file: Admins (who run imports) only.
  uploads: { columns: { result_json: { roles: ['admin'], blank: '{}' } } },
  // Raised by the server to Admins (an audit entry that differs from the one it holds, and similar).
  security_alerts: { rows: ['admin'] },
};

/** The row as `role` may receive it, or null when the row is not theirs to receive. */
export function scopeRow(table: string, role: Role, row: Record<string, unknown>): Record<string, unknown> | null {
  const s = ROLE_SCOPES[table];
  if (!s) return row;
  if (s.rows && !s.rows.includes(role)) return null;
  if (!s.columns) return row;
  const out = { ...row };
  for (const [col, rule] of Object.entries(s.columns)) if (col in out && !rule.roles.includes(role)) out[col] = rule.blank;
  return out;
}

export interface SyncTable {
  name: string;
  pk: string[];
  /** Every column, in table order. */
  columns: string[];
  /** The columns that sync (columns minus LOCAL_COLUMNS). */
  synced: string[];
  /** Synced columns sent only as their blank (SECRET_COLUMNS). */
  secret: Record<string, string>;
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
  const secret = Object.fromEntries(Object.entries(SECRET_COLUMNS[name] ?? {}).filter(([c]) => columns.includes(c)));
  return { name, pk, columns, synced: columns.filter((c) => !local.includes(c)), secret };
}

/** Only [A-Za-z0-9_] names are ever put into generated SQL. */
export function ident(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`Unsafe identifier: ${name}`);
  return `"${name}"`;
}
