import type { Kysely } from 'kysely';
import type { MigrationContext } from './types';

/**
 * Issue 10 (offline work is never lost):
 * - sync_outbox.business_date: the command's business date, fixed where the clerk acted, pushed
 *   with it and used by every re-run (created_at already holds the instant the clerk acted).
 * - payments.hold_reason: a payment the server refused (a month closed elsewhere, an implausible
 *   date) is kept On Hold with the reason instead of vanishing; it waits for a re-date or a void.
 */
export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema.alterTable('sync_outbox').addColumn('business_date', 'text').execute();
  await db.schema.alterTable('payments').addColumn('hold_reason', 'text').execute();
}
