import { sql, type Kysely } from 'kysely';
import type { Database, Dialect } from '../db/schema';
import { discoverSyncTables, ident, type SyncTable } from './tables';

/**
 * Triggers generated from the live table list (src/core/sync/tables.ts) each time the desktop's
 * sync client or the server starts, so tables and columns added by later migrations are covered
 * without anyone editing sync.
 */

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const jsonArray = (ref: 'NEW' | 'OLD', cols: string[]) => `json_array(${cols.map((c) => `${ref}.${ident(c)}`).join(', ')})`;
/** Secret columns (tables.ts SECRET_COLUMNS) are written as their blank: the change stream never holds them. */
const jsonObject = (ref: 'NEW' | 'OLD', cols: string[], secret: Record<string, string> = {}) =>
  `json_object(${cols.map((c) => `${lit(c)}, ${c in secret ? lit(secret[c]!) : `${ref}.${ident(c)}`}`).join(', ')})`;

async function dropTriggers(db: Kysely<Database>, prefix: string): Promise<void> {
  const rows = (await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE ${prefix + '%'}`.execute(db)).rows;
  for (const r of rows) await sql.raw(`DROP TRIGGER IF EXISTS ${ident(r.name)}`).execute(db);
}

/**
 * Desktop: every change a local command makes to a synced table is written to sync_undo (the old
 * row, or null for an insert) while sync_ctl.capture = 1, so it can be taken back if the server
 * says no. The client turns capture off while it applies the server's rows.
 */
export async function installUndoCapture(db: Kysely<Database>): Promise<SyncTable[]> {
  const tables = await discoverSyncTables(db, 'sqlite');
  await db.transaction().execute(async (trx) => {
    await dropTriggers(trx, 'sync_u_');
    for (const t of tables) {
      const when = `WHEN (SELECT capture FROM sync_ctl WHERE id = 1) = 1`;
      const name = (op: string) => ident(`sync_u_${t.name}_${op}`);
      const tbl = ident(t.name);
      await sql.raw(`CREATE TRIGGER ${name('i')} AFTER INSERT ON ${tbl} ${when} BEGIN
        INSERT INTO sync_undo (tbl, pk_json, old_json) VALUES (${lit(t.name)}, ${jsonArray('NEW', t.pk)}, NULL); END`).execute(trx);
      await sql.raw(`CREATE TRIGGER ${name('u')} AFTER UPDATE OF ${t.synced.map(ident).join(', ')} ON ${tbl} ${when} BEGIN
        INSERT INTO sync_undo (tbl, pk_json, old_json) VALUES (${lit(t.name)}, ${jsonArray('OLD', t.pk)}, ${jsonObject('OLD', t.synced)}); END`).execute(trx);
      await sql.raw(`CREATE TRIGGER ${name('d')} AFTER DELETE ON ${tbl} ${when} BEGIN
        INSERT INTO sync_undo (tbl, pk_json, old_json) VALUES (${lit(t.name)}, ${jsonArray('OLD', t.pk)}, ${jsonObject('OLD', t.synced)}); END`).execute(trx);
    }
  });
  return tables;
}

/** Removes the desktop's undo capture (no server configured: nothing to take back). */
export async function removeUndoCapture(db: Kysely<Database>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await dropTriggers(trx, 'sync_u_');
    await trx.deleteFrom('sync_undo').execute();
  });
}

/** The advisory lock key every writing transaction on a PostgreSQL server takes (see docs/sync.md). */
export const PG_COMMIT_LOCK = 74_280_001;

/**
 * Server: every committed change to a synced table is appended to srv_changes (seq, table, primary
 * key, row JSON or null for a deletion): the stream clients pull. On SQLite one process writes, so
 * the autoincrement seq is commit order. On PostgreSQL a statement trigger first takes one
 * transaction-scoped advisory lock, so writers commit one at a time and seq order is commit order
 * across every server process: a reader never misses a change committed later with a smaller seq.
 */
export async function installChangeCapture(db: Kysely<Database>, dialect: Dialect): Promise<SyncTable[]> {
  const tables = await discoverSyncTables(db, dialect);
  if (dialect === 'sqlite') {
    await db.transaction().execute(async (trx) => {
      await dropTriggers(trx, 'srv_c_');
      for (const t of tables) {
        const name = (op: string) => ident(`srv_c_${t.name}_${op}`);
        const tbl = ident(t.name);
        await sql.raw(`CREATE TRIGGER ${name('i')} AFTER INSERT ON ${tbl} BEGIN
          INSERT INTO srv_changes (tbl, pk_json, row_json, tx) VALUES (${lit(t.name)}, ${jsonArray('NEW', t.pk)}, ${jsonObject('NEW', t.synced, t.secret)}, (SELECT n FROM srv_txn WHERE id = 1)); END`).execute(trx);
        await sql.raw(`CREATE TRIGGER ${name('u')} AFTER UPDATE OF ${t.synced.map(ident).join(', ')} ON ${tbl} BEGIN
          INSERT INTO srv_changes (tbl, pk_json, row_json, tx) VALUES (${lit(t.name)}, ${jsonArray('NEW', t.pk)}, ${jsonObject('NEW', t.synced, t.secret)}, (SELECT n FROM srv_txn WHERE id = 1)); END`).execute(trx);
        await sql.raw(`CREATE TRIGGER ${name('d')} AFTER DELETE ON ${tbl} BEGIN
          INSERT INTO srv_changes (tbl, pk_json, row_json, tx) VALUES (${lit(t.name)}, ${jsonArray('OLD', t.pk)}, NULL, (SELECT n FROM srv_txn WHERE id = 1)); END`).execute(trx);
      }
    });
    return tables;
  }
  await db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${PG_COMMIT_LOCK})`.execute(trx);
    await sql.raw(`CREATE OR REPLACE FUNCTION srv_lock() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_advisory_xact_lock(${PG_COMMIT_LOCK}); RETURN NULL; END $$`).execute(trx);
    // One statement-level trigger per table and operation, reading the statement's transition
    // tables: a multi-row INSERT from the push's held rows is captured by one INSERT … SELECT, not
    // one PL/pgSQL call per row (issue 13, fast push). Local columns are dropped and secret columns
    // sent blank (tables.ts), as on SQLite; an UPDATE that changes no synced column is not a change.
    await sql.raw(`DROP FUNCTION IF EXISTS srv_capture() CASCADE`).execute(trx);
    const existing = (
      await sql<{ tgname: string; relname: string }>`SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        WHERE NOT t.tgisinternal AND (t.tgname LIKE 'srv_c_%' OR t.tgname LIKE 'srv_l_%')`.execute(trx)
    ).rows;
    for (const e of existing) await sql.raw(`DROP TRIGGER IF EXISTS ${ident(e.tgname)} ON ${ident(e.relname)}`).execute(trx);
    for (const t of tables) {
      const tbl = ident(t.name);
      await sql.raw(`CREATE TRIGGER ${ident(`srv_l_${t.name}`)} BEFORE INSERT OR UPDATE OR DELETE ON ${tbl} FOR EACH STATEMENT EXECUTE FUNCTION srv_lock()`).execute(trx);
      for (const [op, body] of Object.entries(pgCaptureSql(t))) {
        const fn = ident(`srv_cap_${op}_${t.name}`);
        const refs = op === 'i' ? 'NEW TABLE AS srv_new' : op === 'u' ? 'OLD TABLE AS srv_old NEW TABLE AS srv_new' : 'OLD TABLE AS srv_old';
        const event = op === 'i' ? 'INSERT' : op === 'u' ? 'UPDATE' : 'DELETE';
        await sql.raw(`CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${body}; RETURN NULL; END $$`).execute(trx);
        await sql.raw(`CREATE TRIGGER ${ident(`srv_c_${op}_${t.name}`)} AFTER ${event} ON ${tbl} REFERENCING ${refs} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`).execute(trx);
      }
    }
    // The audit chain reads its last entry then appends: serialised with every other writer.
    await sql.raw(`CREATE TRIGGER srv_l_audit_log BEFORE INSERT ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION srv_lock()`).execute(trx);
  });
  return tables;
}

/** The change-stream INSERT … SELECT for each operation, over the statement's transition tables. */
function pgCaptureSql(t: SyncTable): Record<'i' | 'u' | 'd', string> {
  const local = t.columns.filter((c) => !t.synced.includes(c));
  // A row as the stream carries it: synced columns only, secrets blank.
  const row = (alias: string) => {
    let r = `to_jsonb(${alias})`;
    if (local.length > 0) r = `(${r} - ARRAY[${local.map(lit).join(', ')}]::text[])`;
    const secret = Object.entries(t.secret);
    if (secret.length > 0) r = `(${r} || jsonb_build_object(${secret.map(([c, blank]) => `${lit(c)}, ${lit(blank)}::text`).join(', ')}))`;
    return r;
  };
  const key = (alias: string) => `jsonb_build_array(${t.pk.map((c) => `to_jsonb(${alias}.${ident(c)})`).join(', ')})::text`;
  const into = `INSERT INTO srv_changes (tbl, pk_json, row_json) SELECT ${lit(t.name)}`;
  const samePk = t.pk.map((c) => `o.${ident(c)} = n.${ident(c)}`).join(' AND ');
  return {
    i: `${into}, ${key('n')}, ${row('n')}::text FROM srv_new n`,
    // Paired by primary key; a row whose key changed has no pair and is sent as it now is.
    u: `${into}, ${key('n')}, ${row('n')}::text FROM srv_new n LEFT JOIN srv_old o ON ${samePk} WHERE o.${ident(t.pk[0]!)} IS NULL OR ${row('o')} IS DISTINCT FROM ${row('n')}`,
    d: `${into}, ${key('o')}, NULL FROM srv_old o`,
  };
}
