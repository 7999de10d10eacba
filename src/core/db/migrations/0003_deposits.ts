import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './types';

/**
 * Deposits (bank deposit batches of payments) and the indexes period close and the aging report
 * need. The `periods` table itself is in 0001.
 */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const money = dialect === 'postgres' ? 'bigint' : 'integer';

  await db.schema
    .createTable('deposits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // Derived from the UUIDv7 id ("DEP-7K3M9-QX2D4"): unique across offices without coordination.
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('deposit_date', 'text', (c) => c.notNull())
    .addColumn('division_id', 'text', (c) => c.notNull().references('divisions.id'))
    .addColumn('bank_account', 'text')
    .addColumn('control_total_cents', money)
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('opened_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    .addColumn('completed_by', 'text')
    .addColumn('reopened_at', 'text')
    .addColumn('reopened_by', 'text')
    .addColumn('reopen_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('deposits_date').on('deposits').columns(['deposit_date', 'status']).execute();
  await db.schema.createIndex('deposits_division').on('deposits').columns(['division_id', 'deposit_date']).execute();

  // Aging reads only lines with something open: a partial covering index keeps it off the paid ones.
  await sql`CREATE INDEX charge_lines_open_aging ON charge_lines (account_id, due_date, open_cents, invoice_id) WHERE open_cents <> 0`.execute(db);
  // Undeposited payments and period-close checks.
  await db.schema.createIndex('payments_status_date').on('payments').columns(['status', 'payment_date']).execute();
  await db.schema.createIndex('payments_related').on('payments').column('related_payment_id').execute();
}
