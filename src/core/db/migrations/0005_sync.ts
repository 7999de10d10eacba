import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './types';

/**
 * Sync, the desktop's side (the server's own tables are in src/server/db/server-migrations.ts):
 * - sync_outbox gains the per-client sequence it is pushed with, the server's answer and, for a
 *   rejected command, the error shown in Needs Attention.
 * - sync_undo: the rows each not-yet-confirmed command changed (old row, or null when it inserted
 *   the row), written by triggers the sync client generates from the live table list
 *   (src/core/sync/capture.ts), so a command the server rejects can be taken back.
 * - sync_ctl: one row: capture on/off (off while the client applies server rows) and the next
 *   client sequence number (never reused, even when outbox rows are deleted).
 * - sync_state: the client's id, pull cursor, server address, last sync time, ...
 */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema.alterTable('sync_outbox').addColumn('client_seq', big).execute();
  await db.schema.alterTable('sync_outbox').addColumn('server_seq', big).execute();
  await db.schema.alterTable('sync_outbox').addColumn('error_json', 'text').execute();
  await db.schema.alterTable('sync_outbox').addColumn('answered_at', 'text').execute();
  await db.schema.createIndex('sync_outbox_state').on('sync_outbox').columns(['state', 'client_seq']).execute();

  await db.schema
    .createTable('sync_state')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sync_undo')
    .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => c.primaryKey())
    .addColumn('command_id', 'text')
    .addColumn('tbl', 'text', (c) => c.notNull())
    .addColumn('pk_json', 'text', (c) => c.notNull())
    .addColumn('old_json', 'text')
    .execute();
  await db.schema.createIndex('sync_undo_command').on('sync_undo').column('command_id').execute();

  await db.schema
    .createTable('sync_ctl')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('capture', 'integer', (c) => c.notNull())
    .addColumn('next_client_seq', big, (c) => c.notNull())
    .execute();
  await sql`INSERT INTO sync_ctl (id, capture, next_client_seq) VALUES (1, 1, 1)`.execute(db);

  if (dialect === 'sqlite') {
    // Each outbox row takes the next client sequence number, and claims the undo rows its command
    // wrote (the executor inserts command_log then sync_outbox in the command's transaction).
    await sql`CREATE TRIGGER sync_outbox_client_seq AFTER INSERT ON sync_outbox WHEN NEW.client_seq IS NULL BEGIN
      UPDATE sync_outbox SET client_seq = (SELECT next_client_seq FROM sync_ctl WHERE id = 1) WHERE seq = NEW.seq;
      UPDATE sync_ctl SET next_client_seq = next_client_seq + 1 WHERE id = 1;
    END`.execute(db);
    await sql`CREATE TRIGGER sync_undo_claim AFTER INSERT ON command_log BEGIN
      UPDATE sync_undo SET command_id = NEW.id WHERE command_id IS NULL;
    END`.execute(db);
  }
}
