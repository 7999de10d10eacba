import { sql, type Kysely } from 'kysely';

/**
 * Issue 15: balance_adjustments is written by every changed line of a balance file and read by no
 * query (the upload's result carries each change; the ledger reads charges, credits and entries).
 * Its two secondary indexes, (account_id) and (upload_id, account_id), were two of the ~27 b-tree
 * writes per imported line and ~14 MB of a 100,000-row import's commit. Neither parent row
 * (accounts, uploads) is ever deleted, so no foreign-key check needs them either. A query that
 * comes to need one adds it back with its own migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS balance_adjustments_account`.execute(db);
  await sql`DROP INDEX IF EXISTS balance_adjustments_upload`.execute(db);
}
