import { sql, type Kysely } from 'kysely';
import type { BusinessTime } from '../commands/business-time';
import { runCommand, runKeep, type RunRequest } from '../commands/runner';
import type { Database } from '../db/schema';
import type { LedgerCore } from '../ledger-core';
import { AppFailure, type AppError } from '../../shared/result';
import type { PulledChange } from './protocol';
import { ident, type SyncTable } from './tables';

/**
 * The desktop's side of a pull, run inside ONE transaction per page (through the executor's
 * single-writer queue):
 *   1. take back every local effect not yet confirmed by the server (sync_undo, newest first);
 *   2. apply the server's rows (upsert, or delete for a tombstone);
 *   3. store the cursor; drop outbox rows the server accepted at or before it;
 *   4. run the still-unconfirmed commands again on top, through the one runner in 'replay' mode,
 *      with the business time each was entered with (their ids derive from the command id, so they
 *      recreate the same rows; a replay writes no audit entries, the first run's are in the chain),
 *      capturing their effects again. A command the server refused is not run again; until the
 *      pull passes the server's answer, its `keep` runs instead, so the money it recorded stays
 *      visible in the same safe state the server put it in. A pending command whose replay is now
 *      refused here (a month closed by another office) is kept the same way until the server answers.
 * Afterwards the ledger is the server's state at the cursor plus this desk's pending commands.
 */

export type Trx = Kysely<Database>;

const MULTI_ROW = 100;

export async function setCapture(trx: Trx, on: boolean): Promise<void> {
  await trx.updateTable('sync_ctl').set({ capture: on ? 1 : 0 }).where('id', '=', 1).execute();
}

export async function getState(db: Trx, key: string): Promise<string | null> {
  return (await db.selectFrom('sync_state').select('value').where('key', '=', key).executeTakeFirst())?.value ?? null;
}

export async function setState(db: Trx, key: string, value: string): Promise<void> {
  await db.insertInto('sync_state').values({ key, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
}

/** better-sqlite3's connection under the desktop's Kysely (the executor's bulk inserts use it the same way). */
export interface RawSqlite {
  prepare(sql: string): { run(...params: unknown[]): unknown };
}

const statements = new WeakMap<object, Map<string, { run(...params: unknown[]): unknown }>>();

/** Upserts rows of one table (only the columns this desktop has): prepared statements when the raw connection is at hand. */
export async function upsertRows(trx: Trx, t: SyncTable, rows: Record<string, unknown>[], raw?: RawSqlite): Promise<void> {
  if (rows.length === 0) return;
  const cols = t.synced.filter((c) => c in rows[0]!);
  const nonPk = cols.filter((c) => !t.pk.includes(c));
  const update = nonPk.length > 0 ? `DO UPDATE SET ${nonPk.map((c) => `${ident(c)} = excluded.${ident(c)}`).join(', ')}` : 'DO NOTHING';
  const head = `INSERT INTO ${ident(t.name)} (${cols.map(ident).join(', ')}) VALUES`;
  const tail = `ON CONFLICT (${t.pk.map(ident).join(', ')}) ${update}`;
  if (raw) {
    let cache = statements.get(raw);
    if (!cache) statements.set(raw, (cache = new Map()));
    const text = `${head} (${cols.map(() => '?').join(', ')}) ${tail}`;
    let st = cache.get(text);
    if (!st) cache.set(text, (st = raw.prepare(text)));
    for (const r of rows) st.run(...cols.map((c) => toSqlite(r[c])));
    return;
  }
  for (let i = 0; i < rows.length; i += MULTI_ROW) {
    const part = rows.slice(i, i + MULTI_ROW);
    const values = sql.join(part.map((r) => sql`(${sql.join(cols.map((c) => toSqlite(r[c])))})`));
    await sql`${sql.raw(head)} ${values} ${sql.raw(tail)}`.execute(trx);
  }
}

const toSqlite = (v: unknown) => (typeof v === 'boolean' ? (v ? 1 : 0) : v && typeof v === 'object' ? JSON.stringify(v) : (v ?? null));

async function deleteRow(trx: Trx, t: SyncTable, key: unknown[], raw?: RawSqlite): Promise<void> {
  if (raw) {
    let cache = statements.get(raw);
    if (!cache) statements.set(raw, (cache = new Map()));
    const text = `DELETE FROM ${ident(t.name)} WHERE ${t.pk.map((c) => `${ident(c)} = ?`).join(' AND ')}`;
    let st = cache.get(text);
    if (!st) cache.set(text, (st = raw.prepare(text)));
    st.run(...key.map(toSqlite));
    return;
  }
  const where = sql.join(
    t.pk.map((c, i) => sql`${sql.raw(ident(c))} = ${toSqlite(key[i])}`),
    sql` AND `,
  );
  await sql`DELETE FROM ${sql.raw(ident(t.name))} WHERE ${where}`.execute(trx);
}

/** Step 1: every captured local effect, newest first. */
export async function undoLocalEffects(trx: Trx, tables: Map<string, SyncTable>, raw?: RawSqlite): Promise<number> {
  const rows = await trx.selectFrom('sync_undo').selectAll().orderBy('id', 'desc').execute();
  for (const u of rows) {
    const t = tables.get(u.tbl);
    if (!t) continue;
    if (u.old_json === null) await deleteRow(trx, t, JSON.parse(u.pk_json) as unknown[], raw);
    else await upsertRows(trx, t, [JSON.parse(u.old_json) as Record<string, unknown>], raw);
  }
  await trx.deleteFrom('sync_undo').execute();
  return rows.length;
}

/** Step 2: the server's rows; within a page only each row's last version matters. */
export async function applyServerChanges(trx: Trx, tables: Map<string, SyncTable>, changes: PulledChange[], raw?: RawSqlite): Promise<void> {
  const last = new Map<string, PulledChange>();
  for (const c of changes) {
    const key = `${c.t}\u0000${JSON.stringify(c.k)}`;
    last.delete(key);
    last.set(key, c);
  }
  let run: { t: SyncTable; rows: Record<string, unknown>[] } | null = null;
  const flush = async () => {
    if (run) await upsertRows(trx, run.t, run.rows, raw);
    run = null;
  };
  for (const c of last.values()) {
    const t = tables.get(c.t);
    if (!t) continue; // a table this desktop does not have yet (older app): skipped
    if (c.r === null) {
      await flush();
      await deleteRow(trx, t, c.k, raw);
      continue;
    }
    if (!run || run.t !== t) {
      await flush();
      run = { t, rows: [] };
    }
    run.rows.push(c.r);
  }
  await flush();
}

export interface OutboxRow {
  seq: number;
  command_id: string;
  name: string;
  version: number;
  input_json: string;
  actor_id: string | null;
  created_at: string;
  business_date: string | null;
  state: string;
  client_seq: number | null;
  server_seq: number | null;
  error_json: string | null;
}

/** The business time an outbox row was entered with (rows from before 0007: the day of its instant). */
export function outboxTime(o: Pick<OutboxRow, 'created_at' | 'business_date'>): BusinessTime {
  return { occurredAt: o.created_at, businessDate: o.business_date ?? o.created_at.slice(0, 10) };
}

/**
 * Step 4 for one command: its rules again through the runner, in a savepoint, its effects captured
 * for undo. A rejected command (`refused`) runs its `keep` instead. Returns what happened.
 */
export async function replayCommand(core: LedgerCore, trx: Trx, o: OutboxRow, refused?: AppError): Promise<'replayed' | 'kept' | 'failed'> {
  const def = core.executor.command(o.name);
  if (!def || def.version !== o.version || !o.actor_id) return 'failed';
  const user = await trx.selectFrom('users').select(['id', 'role']).where('id', '=', o.actor_id).executeTakeFirst();
  const parsed = def.input.safeParse(JSON.parse(o.input_json));
  if (!parsed.success) return 'failed';
  const req: RunRequest = { db: trx, dialect: 'sqlite', mode: 'replay', def, actor: { userId: o.actor_id, role: user?.role ?? 'csr' }, commandId: o.command_id, at: outboxTime(o) };
  const attempt = async (fn: () => Promise<unknown>): Promise<AppError | null> => {
    await sql`SAVEPOINT ld_replay`.execute(trx);
    try {
      await fn();
      await trx.updateTable('sync_undo').set({ command_id: o.command_id }).where('command_id', 'is', null).execute();
      await sql`RELEASE SAVEPOINT ld_replay`.execute(trx);
      return null;
    } catch (e) {
      await sql`ROLLBACK TO SAVEPOINT ld_replay`.execute(trx);
      await sql`RELEASE SAVEPOINT ld_replay`.execute(trx);
      if (e instanceof AppFailure) return e.toError();
      throw e;
    }
  };
  if (!refused) {
    const error = await attempt(() => runCommand(req, parsed.data));
    if (!error) return 'replayed';
    refused = error;
  }
  if (!def.keep) return 'failed';
  const why = refused;
  return (await attempt(() => runKeep(req, parsed.data, why))) ? 'failed' : 'kept';
}

/**
 * Applies one pulled page (or a snapshot, with `replaceAll`) as described above. Returns how many
 * outbox rows were confirmed and dropped.
 */
export async function rebaseOnto(
  core: LedgerCore,
  tables: Map<string, SyncTable>,
  page: { changes?: PulledChange[]; snapshot?: Record<string, Record<string, unknown>[]>; cursor: number },
  raw?: RawSqlite,
): Promise<{ confirmed: number; replayed: number; failedReplays: number; tables: string[] }> {
  return core.executor.serial(() =>
    core.db.transaction().execute(async (trx) => {
      await sql`PRAGMA defer_foreign_keys = ON`.execute(trx);
      await setCapture(trx, false);
      await undoLocalEffects(trx, tables, raw);
      if (page.snapshot) {
        for (const t of [...tables.values()].reverse()) await sql`DELETE FROM ${sql.raw(ident(t.name))}`.execute(trx);
        for (const [name, rows] of Object.entries(page.snapshot)) {
          const t = tables.get(name);
          if (t) await upsertRows(trx, t, rows, raw);
        }
      } else {
        await applyServerChanges(trx, tables, page.changes ?? [], raw);
      }
      await setState(trx, 'cursor', String(page.cursor));
      const confirmed = await trx.deleteFrom('sync_outbox').where('state', '=', 'accepted').where('server_seq', '<=', page.cursor).executeTakeFirst();
      // Unconfirmed work, in the order it was entered: pending and accepted commands run again;
      // refused ones whose kept money the pull has not brought yet run their `keep`.
      const open = await trx
        .selectFrom('sync_outbox')
        .selectAll()
        .where((eb) => eb.or([eb('state', 'in', ['pending', 'accepted']), eb.and([eb('state', '=', 'rejected'), eb('server_seq', '>', page.cursor)])]))
        .orderBy('client_seq')
        .execute();
      await setCapture(trx, true);
      let replayed = 0;
      let failedReplays = 0;
      for (const o of open) {
        const refused = o.state === 'rejected' ? ((o.error_json ? JSON.parse(o.error_json) : { code: 'INTERNAL', message: 'Refused.' }) as AppError) : undefined;
        const r = await replayCommand(core, trx, o, refused);
        if (r === 'replayed') replayed++;
        else if (!refused) failedReplays++;
      }
      const touched = page.snapshot ? [...tables.keys()] : [...new Set((page.changes ?? []).map((c) => c.t))];
      return { confirmed: Number(confirmed.numDeletedRows), replayed, failedReplays, tables: touched };
    }),
  );
}
