import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './types';

/**
 * Issue 15: uploads record how their file was read (see read_as below), and a file that creates 100,000 accounts indexes their names for search in one statement
 * instead of one trigger run per row (the trigger was most of an import's time). While a command
 * holds a row in accounts_fts_paused (inside its own transaction, removed before it commits), the
 * insert trigger stands aside and the command indexes the new rows itself (imports/search-index.ts).
 * The table is named as part of the full-text index, so sync and the PostgreSQL copy skip it with
 * the index's other tables. SQLite only: PostgreSQL searches names through a trigram index.
 */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  // How the file's text was read (decimal comma, day-first): with the file's SHA-256 it says whether
  // an upload repeats an earlier one. Null on uploads made before the choice was recorded.
  await db.schema.alterTable('uploads').addColumn('read_as', 'text').execute();
  if (dialect !== 'sqlite') return;
  await sql`CREATE TABLE accounts_fts_paused (paused INTEGER NOT NULL)`.execute(db);
  await sql`DROP TRIGGER accounts_fts_ai`.execute(db);
  await sql`CREATE TRIGGER accounts_fts_ai AFTER INSERT ON accounts WHEN NOT EXISTS (SELECT 1 FROM accounts_fts_paused) BEGIN INSERT INTO accounts_fts(rowid, name) VALUES (new.rowid, new.name); END`.execute(db);
}
