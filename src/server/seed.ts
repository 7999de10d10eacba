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
function checkRows(store: ServerStore, name: string, rows: Record<string, unknown>[]): void {
  const t = store.tables.find((x) => x.name === name);
  if (!t) throw new AppFailure('VALIDATION', `The server does not sync a table named ${name}; use the same version of Ledgerdesk on the desk and the server.`, { field: 'tables', table: name });
  for (const row of rows) {
    for (const col of Object.keys(row)) if (!t.synced.includes(col)) throw new AppFailure('VALIDATION', `Table ${name} has no synced column ${col}.`, { field: 'tables', table: name, column: col });
    for (const k of t.pk) if (row[k] === undefined || row[k] === null) throw new AppFailure('VALIDATION', `A row of ${name} has no ${k}.`, { field: 'tables', table: name });
  }
}

/** Rows and integer cents of one table's rows as sent (the same sum tableTotals makes on the server). */
export function rowsTotals(store: ServerStore, name: string, rows: Record<string, unknown>[]): { rows: number; cents: number } {
  const cents = (store.tables.find((t) => t.name === name)?.synced ?? []).filter((c) => c.endsWith('_cents'));
  return { rows: rows.length, cents: rows.reduce((s, r) => s + cents.reduce((a, c) => a + Number(r[c] ?? 0), 0), 0) };
}

type Expected = Record<string, { rows: number; cents: number }>;

// long: one transaction whose steps (refuse, map users, insert, check, answer) must stay together
export async function applySeed(
  store: ServerStore,
  user: AuthedUser,
  body: z.output<typeof seedRequest>,
  commit?: { expected: Expected; finish: (trx: Kysely<Database>, result: SeedResult) => Promise<void> },
): Promise<SeedResult> {
  if (user.role !== 'admin') throw new AppFailure('FORBIDDEN', 'Only a server administrator may seed the server from a desk.');
  const byName = new Map(store.tables.map((t) => [t.name, t]));
  for (const name of Object.keys(body.tables)) checkRows(store, name, body.tables[name]!);
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
          // The seeding sign-in goes on as the same person under the desk's id, so a commit repeated
          // after its answer was lost still authenticates (and gets the kept answer); others end.
          await sql`UPDATE srv_tokens SET user_id = ${String(row.id)} WHERE token_hash = ${user.tokenHash} AND user_id = ${same.id}`.execute(trx);
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
      // The commit of a seed sent in pieces: what the server now holds is what the desk counted.
      if (commit) {
        for (const x of totals) {
          const want = commit.expected[x.table] ?? { rows: 0, cents: 0 };
          const mayHoldMore = x.table === 'users' || x.table === 'stored_files';
          if (mayHoldMore ? x.rows < want.rows : x.rows !== want.rows || x.cents !== want.cents) {
            throw new AppFailure('VALIDATION', `Table ${x.table}: the desk counted ${want.rows} row(s) and ${want.cents} cents, the server holds ${x.rows} and ${x.cents}; nothing was changed on the server.`, { reason: 'totals', table: x.table, expected: want, actual: { rows: x.rows, cents: x.cents } });
          }
        }
      }
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
      const result = { cursor, totals, mapped, serverRows };
      await commit?.finish(trx, result);
      return result;
    }),
  );
}

/*
 * The seed in pieces (issue 13 item 3): the desk uploads each table in numbered pieces under one
 * seed id (the hash of what it sends), which are staged and invisible to every desk; a dropped
 * connection repeats a piece, which the server keeps once. One commit then checks the pieces and
 * the totals the desk counted, applies them in one transaction, and forgets the pieces. A commit
 * repeated after its answer was lost gets the same answer.
 */
const seedId = z.string().regex(/^[0-9a-f]{64}$/, 'A seed id is 64 hex digits.');

export const seedPieceRequest = z
  .object({
    seedId,
    table: z.string().regex(/^[a-z_][a-z0-9_]*$/),
    index: z.number().int().min(0).max(1_000_000),
    rows: z.array(z.record(z.string(), z.unknown())).max(50_000),
  })
  .strict();

export const seedCommitRequest = z
  .object({
    seedId,
    /** Per table: how many pieces, rows and integer cents the desk sent. */
    expected: z.record(z.string(), z.object({ pieces: z.number().int().min(0), rows: z.number().int().min(0), cents: z.number().int() }).strict()),
  })
  .strict();

const requireAdmin = (user: AuthedUser) => {
  if (user.role !== 'admin') throw new AppFailure('FORBIDDEN', 'Only a server administrator may seed the server from a desk.');
};

export async function putSeedPiece(store: ServerStore, user: AuthedUser, body: z.output<typeof seedPieceRequest>): Promise<{ received: number }> {
  requireAdmin(user);
  checkRows(store, body.table, body.rows);
  const db = store.db;
  if (await db.selectFrom('srv_seed_done').select('seed_id').where('seed_id', '=', body.seedId).executeTakeFirst()) return { received: body.rows.length };
  const st = await seedStatus(store);
  if (!st.empty) throw new AppFailure('CONFLICT', 'The server already holds an office\'s work, so it cannot be seeded from this desk. Nothing was changed.', { reason: 'not-empty', holds: st.holds });
  const now = store.core.clock.now().toISOString();
  await store.core.executor.serial(() =>
    db
      .insertInto('srv_seed_pieces')
      .values({ seed_id: body.seedId, tbl: body.table, idx: body.index, row_count: body.rows.length, rows_json: JSON.stringify(body.rows), received_at: now })
      .onConflict((oc) => oc.columns(['seed_id', 'tbl', 'idx']).doNothing())
      .execute(),
  );
  return { received: body.rows.length };
}

/** Which pieces of a seed the server holds (a desk resuming sends only the rest). */
export async function seedPieces(store: ServerStore, user: AuthedUser, id: string): Promise<{ pieces: { table: string; index: number; rows: number }[]; committed: boolean }> {
  requireAdmin(user);
  const sid = seedId.parse(id);
  const rows = await store.db.selectFrom('srv_seed_pieces').select(['tbl', 'idx', 'row_count']).where('seed_id', '=', sid).execute();
  const done = await store.db.selectFrom('srv_seed_done').select('seed_id').where('seed_id', '=', sid).executeTakeFirst();
  return { pieces: rows.map((r) => ({ table: r.tbl, index: Number(r.idx), rows: Number(r.row_count) })), committed: !!done };
}

export async function commitSeed(store: ServerStore, user: AuthedUser, body: z.output<typeof seedCommitRequest>): Promise<SeedResult> {
  requireAdmin(user);
  const done = await store.db.selectFrom('srv_seed_done').select('result_json').where('seed_id', '=', body.seedId).executeTakeFirst();
  if (done) return JSON.parse(done.result_json) as SeedResult;
  const pieces = await store.db.selectFrom('srv_seed_pieces').selectAll().where('seed_id', '=', body.seedId).orderBy('tbl').orderBy('idx').execute();
  const tables: Record<string, Record<string, unknown>[]> = {};
  const count: Record<string, number> = {};
  for (const p of pieces) {
    (tables[p.tbl] ??= []).push(...(JSON.parse(p.rows_json) as Record<string, unknown>[]));
    count[p.tbl] = (count[p.tbl] ?? 0) + 1;
  }
  for (const [table, want] of Object.entries(body.expected)) {
    const got = rowsTotals(store, table, tables[table] ?? []);
    if ((count[table] ?? 0) !== want.pieces || got.rows !== want.rows || got.cents !== want.cents) {
      throw new AppFailure('CONFLICT', `Table ${table} is not complete on the server yet (${count[table] ?? 0} of ${want.pieces} piece(s), ${got.rows} of ${want.rows} row(s)); send the missing pieces again. Nothing was changed.`, { reason: 'incomplete', table, pieces: count[table] ?? 0, rows: got.rows, cents: got.cents });
    }
    tables[table] ??= [];
  }
  for (const t of Object.keys(tables)) if (!(t in body.expected)) throw new AppFailure('VALIDATION', `The desk did not count table ${t}, which the server received; send the seed again.`, { reason: 'unexpected', table: t });
  const now = store.core.clock.now().toISOString();
  return applySeed(store, user, { tables }, {
    expected: body.expected,
    finish: async (trx, result) => {
      await sql`DELETE FROM srv_seed_pieces`.execute(trx);
      await sql`INSERT INTO srv_seed_done (seed_id, result_json, done_at) VALUES (${body.seedId}, ${JSON.stringify(result)}, ${now})`.execute(trx);
    },
  });
}
