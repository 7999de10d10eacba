import { sql, type Kysely } from 'kysely';
import { auditEntryColumns } from '../../core/db/audit-columns';
import type { Dialect } from '../../core/db/schema';
import type { ServerDatabase } from './schema';

// Each step sees the tables as they were at its version, not today's ServerDatabase: Kysely's idiom for migrations.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Up = (db: Kysely<any>, dialect: Dialect) => Promise<void>;

/**
 * The server-only migration set, applied after the ledger's own (src/core/db/migrations) on the
 * server's database only, tracked in `server_migrations`. Same rules: numbered, append-only.
 */
export const serverMigrations: ReadonlyArray<readonly [string, Up]> = [
  [
    's001_sync',
    // long: a migration is one ordered list of DDL statements; read top to bottom, it is the schema of its version.
    async (db, dialect) => {
      const big = dialect === 'postgres' ? 'bigint' : 'integer';
      await db.schema
        .createTable('srv_changes')
        .addColumn('seq', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('tbl', 'text', (c) => c.notNull())
        .addColumn('pk_json', 'text', (c) => c.notNull())
        .addColumn('row_json', 'text')
        // The writing transaction (PostgreSQL: txid_current(); SQLite: srv_txn.n, bumped at each BEGIN),
        // so a pull page always ends on a whole transaction.
        .addColumn('tx', big, (c) => (dialect === 'postgres' ? c.notNull().defaultTo(sql`txid_current()`) : c.notNull().defaultTo(0)))
        .execute();
      await db.schema.createIndex('srv_changes_tx').on('srv_changes').columns(['tx', 'seq']).execute();
      await db.schema.createTable('srv_txn').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('n', big, (c) => c.notNull()).execute();
      await sql`INSERT INTO srv_txn (id, n) VALUES (1, 0)`.execute(db);
      await db.schema
        .createTable('srv_commands')
        .addColumn('command_id', 'text', (c) => c.primaryKey())
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('client_seq', big, (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('input_hash', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('error_json', 'text')
        .addColumn('server_seq', big, (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('srv_commands_client').on('srv_commands').columns(['client_id', 'client_seq']).execute();
      await db.schema
        .createTable('srv_clients')
        .addColumn('client_id', 'text', (c) => c.primaryKey())
        .addColumn('last_seq', big, (c) => c.notNull())
        .addColumn('audit_seq', big, (c) => c.notNull())
        .addColumn('audit_hash', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('srv_tokens')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('client_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema.createIndex('srv_tokens_user').on('srv_tokens').column('user_id').execute();
      await db.schema
        .createTable('srv_files')
        .addColumn('sha256', 'text', (c) => c.primaryKey())
        .addColumn('size_bytes', big, (c) => c.notNull())
        .addColumn('chunk_count', 'integer', (c) => c.notNull())
        .addColumn('complete', 'integer', (c) => c.notNull())
        .addColumn('file_name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('completed_at', 'text')
        .execute();
      await db.schema
        .createTable('srv_file_chunks')
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('idx', 'integer', (c) => c.notNull())
        .addColumn('chunk_sha256', 'text', (c) => c.notNull())
        .addColumn('bytes', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
        .addPrimaryKeyConstraint('srv_file_chunks_pk', ['sha256', 'idx'])
        .execute();
      await auditEntryColumns(
        db.schema
          .createTable('srv_client_audit')
          .addColumn('client_id', 'text', (c) => c.notNull())
          .addColumn('seq', big, (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull()),
      )
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('srv_client_audit_pk', ['client_id', 'seq'])
        .execute();
    },
  ],
  [
    // Issue 13: each desk's client id is issued by the server and bound to a device credential.
    'grow_s002_client_devices',
    async (db) => {
      await db.schema
        .createTable('srv_client_devices')
        .addColumn('client_id', 'text', (c) => c.primaryKey())
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('registered_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    },
  ],
  [
    // Issue 13: the change log can be compacted; pulls from before the horizon must take a snapshot.
    'grow_s003_change_horizon',
    async (db, dialect) => {
      await db.schema
        .createTable('srv_change_horizon')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('horizon_seq', dialect === 'postgres' ? 'bigint' : 'integer', (c) => c.notNull())
        .addColumn('compacted_at', 'text', (c) => c.notNull())
        .execute();
    },
  ],
  [
    'sechost_file_owner',
    async (db) => {
      // Who started an upload: per-user quotas on unfinished uploads.
      await db.schema.alterTable('srv_files').addColumn('uploaded_by', 'text').execute();
      await db.schema.createIndex('srv_files_owner').on('srv_files').columns(['uploaded_by', 'complete']).execute();
    },
  ],
  [
    'join-revoked-desks',
    async (db) => {
      // Desks an Admin revoked (src/server/clients.ts): their credential is gone; only an Admin's sign-in there registers it again.
      await db.schema
        .createTable('srv_revoked_clients')
        .addColumn('client_id', 'text', (c) => c.primaryKey())
        .addColumn('revoked_by', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text', (c) => c.notNull())
        .execute();
      // A desk's name for the Admin's list (sent at registration).
      await db.schema.alterTable('srv_client_devices').addColumn('label', 'text').execute();
    },
  ],
  [
    'paylink-gateway-events',
    async (db) => {
      // Every gateway webhook event taken, by the gateway's event id: a replayed event records nothing twice.
      await db.schema
        .createTable('srv_gateway_events')
        .addColumn('event_id', 'text', (c) => c.primaryKey())
        .addColumn('gateway', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('link_id', 'text')
        .addColumn('payment_id', 'text')
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .execute();
    },
  ],
  [
    // Issue 12: sign-in delays (per account and per source) survive a restart.
    'audit-s001_signin_throttle',
    async (db, dialect) => {
      const ms = dialect === 'postgres' ? 'bigint' : 'integer';
      await db.schema
        .createTable('srv_signin_throttle')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('last_ms', ms, (c) => c.notNull())
        .addColumn('until_ms', ms, (c) => c.notNull())
        .execute();
    },
  ],
  [
    'grow-desk-credentials',
    async (db) => {
      // A desk's credential is looked up by its hash on every data request (token binding), and
      // the Desks page shows the office it belongs to and what it last reported.
      await db.schema.alterTable('srv_client_devices').addColumn('office', 'text').execute();
      await db.schema.alterTable('srv_client_devices').addColumn('last_seen_at', 'text').execute();
      await db.schema.alterTable('srv_client_devices').addColumn('pending', 'integer').execute();
      await db.schema.createIndex('srv_client_devices_secret').on('srv_client_devices').column('secret_hash').execute();
      await db.schema.createIndex('srv_tokens_client').on('srv_tokens').column('client_id').execute();
    },
  ],
  [
    'grow-seed-pieces',
    async (db) => {
      // A standalone desk's seed arrives in pieces (staged here, invisible to desks), then one commit applies them.
      await db.schema
        .createTable('srv_seed_pieces')
        .addColumn('seed_id', 'text', (c) => c.notNull())
        .addColumn('tbl', 'text', (c) => c.notNull())
        .addColumn('idx', 'integer', (c) => c.notNull())
        .addColumn('row_count', 'integer', (c) => c.notNull())
        .addColumn('rows_json', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('srv_seed_pieces_pk', ['seed_id', 'tbl', 'idx'])
        .execute();
      // A commit's answer, kept so a commit repeated after a lost answer gets the same one.
      await db.schema
        .createTable('srv_seed_done')
        .addColumn('seed_id', 'text', (c) => c.primaryKey())
        .addColumn('result_json', 'text', (c) => c.notNull())
        .addColumn('done_at', 'text', (c) => c.notNull())
        .execute();
    },
  ],
];

export async function migrateServer(db: Kysely<ServerDatabase>, dialect: Dialect): Promise<string[]> {
  await db.schema
    .createTable('server_migrations')
    .ifNotExists()
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('applied_at', 'text', (c) => c.notNull())
    .execute();
  // Names carry branch prefixes, so their sort order is not the list's order: compare as a set.
  const done = new Set((await db.selectFrom('server_migrations').select('name').execute()).map((r) => r.name));
  const known = new Set(serverMigrations.map(([n]) => n));
  for (const n of done) if (!known.has(n)) throw new Error(`This server database was written by a newer server (migration ${n} is unknown here).`);
  const applied: string[] = [];
  for (const [name, up] of serverMigrations.filter(([n]) => !done.has(n))) {
    await db.transaction().execute(async (trx) => {
      await up(trx, dialect);
      await trx.insertInto('server_migrations').values({ name, applied_at: new Date().toISOString() }).execute();
    });
    applied.push(name);
  }
  return applied;
}
