import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { appendAudit } from '../core/audit/audit-log';
import type { Database } from '../core/db/schema';
import { verifyLedger } from '../core/ledger/checks';
import { ident, type SyncTable } from '../core/sync/tables';
import { newId } from '../shared/ids';
import { AppFailure } from '../shared/result';
import type { AuthedUser } from './auth';
import type { ServerStore } from './db/open';

/**
 * Seeding an EMPTY server from a standalone desk's ledger (issue 13, item 3): the desk that worked
 * alone sends its whole state (every synced table, synced columns) and the server applies it in one
 * transaction, through the change capture, so every other desk receives it by snapshot or pull.
 * Nothing is ever overwritten: a server that holds any office's work is refused before a row is
 * written. Users map by user name: a desk user named like a server user becomes that person, keeping
 * the desk's id (which every desk record names) and the server's password and role (given once).
 */

/** Tables whose rows mean "this server holds an office's work". */
const WORK_TABLES = ['divisions', 'accounts', 'payments', 'invoices', 'deposits', 'credits'];

export const seedRequest = z
  .object({
    tables: z.record(z.string().regex(/^[a-z_][a-z0-9_]*$/), z.array(z.record(z.string(), z.unknown()))),
  })
  .strict();

export interface SeedStatus {
  empty: boolean;
  /** Rows of the tables that hold an office's work, and commands the server has run. */
  holds: Record<string, number>;
}

export interface TableTotals {
  table: string;
  rows: number;
  /** Sum of every *_cents column (integer cents). */
  cents: number;
}

export interface SeedResult {
  /** The change stream's position after the seed: the seeding desk continues pulling from here. */
  cursor: number;
  totals: TableTotals[];
  /** Desk users that became an existing server user (same user name): desk id -> user name. */
  mapped: { userId: string; username: string }[];
  /** Rows of users / stored_files the desk did not send (the server's administrator, uploaded files), as desks receive them. */
  serverRows: Record<string, Record<string, unknown>[]>;
}

const count = async (db: Kysely<Database>, table: string) => Number((await sql<{ n: number }>`SELECT COUNT(*) AS n FROM ${sql.raw(ident(table))}`.execute(db)).rows[0]?.n ?? 0);

export async function seedStatus(store: ServerStore, db: Kysely<Database> = store.db as unknown as Kysely<Database>): Promise<SeedStatus> {
  const present = new Set(store.tables.map((t) => t.name));
  const holds: Record<string, number> = {};
  for (const t of WORK_TABLES) if (present.has(t)) holds[t] = await count(db, t);
  holds.commands = await count(db, 'srv_commands');
  return { empty: Object.values(holds).every((n) => n === 0), holds };
}

export async function tableTotals(db: Kysely<Database>, tables: SyncTable[]): Promise<TableTotals[]> {
  const out: TableTotals[] = [];
  for (const t of tables) {
    const cents = t.synced.filter((c) => c.endsWith('_cents'));
    const sum = cents.length ? cents.map((c) => `COALESCE(SUM(${ident(c)}), 0)`).join(' + ') : '0';
    const r = (await sql<{ n: number; c: number }>`SELECT COUNT(*) AS n, ${sql.raw(sum)} AS c FROM ${sql.raw(ident(t.name))}`.execute(db)).rows[0];
    out.push({ table: t.name, rows: Number(r?.n ?? 0), cents: Number(r?.c ?? 0) });
  }
  return out;
}

/** Parents before children (foreign keys), so PostgreSQL's immediate checks pass row by row. */
async function parentsFirst(db: Kysely<Database>, dialect: 'sqlite' | 'postgres', names: string[]): Promise<string[]> {
  const edges =
    dialect === 'postgres'
      ? (await sql<{ child: string; parent: string }>`SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent FROM pg_constraint c WHERE c.contype = 'f'`.execute(db)).rows
      : (await sql<{ child: string; parent: string }>`SELECT m.name AS child, p."table" AS parent FROM sqlite_master m, pragma_foreign_key_list(m.name) p WHERE m.type = 'table'`.execute(db)).rows;
  const unquote = (s: string) => s.replace(/^"|"$/g, '');
  const parents = new Map<string, Set<string>>();
  for (const e of edges) if (unquote(e.child) !== unquote(e.parent)) parents.set(unquote(e.child), (parents.get(unquote(e.child)) ?? new Set()).add(unquote(e.parent)));
  const done = new Set<string>();
  const out: string[] = [];
  const visit = (n: string, path: Set<string>) => {
    if (done.has(n) || path.has(n)) return;
    path.add(n);
    for (const p of parents.get(n) ?? []) if (names.includes(p)) visit(p, path);
    done.add(n);
    out.push(n);
  };
  for (const n of names) visit(n, new Set());
  return out;
}

/**
 * Applies a desk's ledger to this (empty) server in one transaction, or refuses and changes nothing.
 * The ledger's own checks (cached balances, one balance per account) must hold on the result.
 */
export async function applySeed(store: ServerStore, user: AuthedUser, body: z.output<typeof seedRequest>): Promise<SeedResult> {
  if (user.role !== 'admin') throw new AppFailure('FORBIDDEN', 'Only a server administrator may seed the server from a desk.');
  const byName = new Map(store.tables.map((t) => [t.name, t]));
  for (const name of Object.keys(body.tables)) {
    const t = byName.get(name);
    if (!t) throw new AppFailure('VALIDATION', `The server does not sync a table named ${name}; use the same version of Ledgerdesk on the desk and the server.`, { field: 'tables', table: name });
    for (const row of body.tables[name]!) {
      for (const col of Object.keys(row)) if (!t.synced.includes(col)) throw new AppFailure('VALIDATION', `Table ${name} has no synced column ${col}.`, { field: 'tables', table: name, column: col });
      for (const k of t.pk) if (row[k] === undefined || row[k] === null) throw new AppFailure('VALIDATION', `A row of ${name} has no ${k}.`, { field: 'tables', table: name });
    }
  }
  const dialect = store.dialect;
  const now = store.core.clock.now().toISOString();
  return store.core.executor.serial(() =>
    (store.db as unknown as Kysely<Database>).transaction().execute(async (trx) => {
      if (dialect === 'sqlite') await sql`PRAGMA defer_foreign_keys = ON`.execute(trx);
      const st = await seedStatus(store, trx);
      if (!st.empty) {
        throw new AppFailure('CONFLICT', 'The server already holds an office\'s work, so it cannot be seeded from this desk. Nothing was changed.', { reason: 'not-empty', holds: st.holds });
      }
      // Files are referenced only once the server holds their bytes (uploaded and verified first).
      const shas = (body.tables.stored_files ?? []).map((r) => String(r.sha256));
      for (const sha of shas) {
        const f = await trx.selectFrom('srv_files' as never).select('complete' as never).where('sha256' as never, '=', sha as never).executeTakeFirst();
        if (!f || Number((f as { complete: number }).complete) !== 1) throw new AppFailure('CONFLICT', `The file ${sha.slice(0, 12)}… has not been uploaded to the server yet.`, { reason: 'file-missing', sha256: sha });
      }
      // Users: the same user name is the same person. The desk's id stays (its records name it); the
      // password and role are the server's, which the joining administrator has just proved.
      const mapped: SeedResult['mapped'] = [];
      const deskUsers = body.tables.users ?? [];
      if (deskUsers.length > 0) {
        const existing = await trx.selectFrom('users').selectAll().execute();
        for (const row of deskUsers) {
          const same = existing.find((u) => u.username === String(row.username).toLowerCase() && u.id !== row.id);
          if (!same) continue;
          await trx.deleteFrom('users').where('id', '=', same.id).execute();
          await sql`UPDATE srv_tokens SET revoked_at = ${now} WHERE user_id = ${same.id} AND revoked_at IS NULL`.execute(trx);
          Object.assign(row, { password_hash: same.password_hash, role: same.role, active: same.active, ...('credential_id' in same ? { credential_id: same.credential_id } : {}) });
          mapped.push({ userId: String(row.id), username: same.username });
        }
      }
      for (const name of await parentsFirst(trx, dialect, Object.keys(body.tables))) {
        const t = byName.get(name)!;
        const rows = body.tables[name]!;
        if (rows.length === 0) continue;
        const cols = t.synced.filter((c) => rows.some((r) => c in r));
        const per = Math.max(1, Math.floor(8000 / cols.length));
        const rest = cols.filter((c) => !t.pk.includes(c));
        const onConflict = rest.length
          ? sql.raw(`ON CONFLICT (${t.pk.map(ident).join(', ')}) DO UPDATE SET ${rest.map((c) => `${ident(c)} = excluded.${ident(c)}`).join(', ')}`)
          : sql.raw(`ON CONFLICT (${t.pk.map(ident).join(', ')}) DO NOTHING`);
        for (let i = 0; i < rows.length; i += per) {
          const chunk = rows.slice(i, i + per);
          const values = sql.join(chunk.map((r) => sql`(${sql.join(cols.map((c) => (r[c] === undefined ? null : r[c])))})`));
          await sql`INSERT INTO ${sql.raw(ident(name))} (${sql.raw(cols.map(ident).join(', '))}) VALUES ${values} ${onConflict}`.execute(trx);
        }
      }
      const problems = await verifyLedger(trx);
      if (problems.length > 0) {
        throw new AppFailure('VALIDATION', `The desk's ledger does not add up (${problems.length} problem(s), e.g. ${JSON.stringify(problems[0])}); nothing was changed on the server.`, { reason: 'ledger-check', problems: problems.slice(0, 20) });
      }
      const totals = await tableTotals(trx, store.tables.filter((t) => t.name in body.tables));
      await appendAudit(trx, { userId: user.userId, action: 'seed', entity: 'ledger', entityId: null, after: { tables: Object.fromEntries(totals.map((x) => [x.table, x.rows])), mapped } }, now, newId());
      const cursor = Number((await sql<{ n: number | null }>`SELECT MAX(seq) AS n FROM srv_changes`.execute(trx)).rows[0]?.n ?? 0);
      // Rows the server held before (its administrator, uploaded files' records) that the desk lacks.
      const serverRows: Record<string, Record<string, unknown>[]> = {};
      for (const name of ['users', 'stored_files']) {
        const t = byName.get(name);
        if (!t || t.pk.length !== 1) continue;
        const sent = new Set((body.tables[name] ?? []).map((r) => String(r[t.pk[0]!])));
        serverRows[name] = (await sql<Record<string, unknown>>`SELECT ${sql.raw(t.synced.map(ident).join(', '))} FROM ${sql.raw(ident(name))}`.execute(trx)).rows
          .filter((r) => !sent.has(String(r[t.pk[0]!])))
          .map((r) => ({ ...r, ...t.secret }));
      }
      return { cursor, totals, mapped, serverRows };
    }),
  );
}
