import type { Kysely } from 'kysely';
import type { MigrationContext } from './types';

/** File Transfers: uploads with their results, balance adjustments, and the content-addressed file store. */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const money = dialect === 'postgres' ? 'bigint' : 'integer';

  // A file known by its SHA-256; the bytes live in the data folder (desktop) or server store.
  await db.schema
    .createTable('stored_files')
    .addColumn('sha256', 'text', (c) => c.primaryKey())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('stored_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('uploads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('division_id', 'text', (c) => c.references('divisions.id'))
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .addColumn('rows_read', 'integer', (c) => c.notNull())
    .addColumn('accounts_updated', 'integer', (c) => c.notNull())
    .addColumn('accounts_created', 'integer', (c) => c.notNull())
    .addColumn('invoices_created', 'integer', (c) => c.notNull())
    .addColumn('invoices_replaced', 'integer', (c) => c.notNull())
    .addColumn('warnings', 'integer', (c) => c.notNull())
    .addColumn('errors', 'integer', (c) => c.notNull())
    .addColumn('result_json', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('uploads_sha').on('uploads').columns(['sha256', 'kind', 'division_id']).execute();
  await db.schema.createIndex('uploads_when').on('uploads').column('uploaded_at').execute();

  await db.schema
    .createTable('balance_adjustments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('upload_id', 'text', (c) => c.references('uploads.id'))
    .addColumn('amount_cents', money, (c) => c.notNull())
    .addColumn('old_balance_cents', money, (c) => c.notNull())
    .addColumn('new_balance_cents', money, (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('adjustment_date', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('balance_adjustments_account').on('balance_adjustments').column('account_id').execute();
  await db.schema.createIndex('balance_adjustments_upload').on('balance_adjustments').columns(['upload_id', 'account_id']).execute();
}
