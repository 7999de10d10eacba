import type { Kysely } from 'kysely';
import type { MigrationContext } from './types';

/**
 * Issue 15 item 4: a refund of a payment that a closed deposit or closed month holds leaves that
 * payment's applications as recorded and charges again, on the refund's date, what un-applying would
 * have re-opened. The refund keeps how much, so the refund invariants (credits/checks.ts) still add up.
 */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const money = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema.alterTable('refunds').addColumn('charged_again_cents', money, (c) => c.notNull().defaultTo(0)).execute();
}
