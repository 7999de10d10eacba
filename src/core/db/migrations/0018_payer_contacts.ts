import type { Kysely } from 'kysely';
import type { MigrationContext } from './types';

/**
 * Issue 14 (payers): a payer's phone and postal address. Letters and statements print the address;
 * both are contact details a CSR may edit (src/core/payers/update-account.ts).
 */
export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema.alterTable('accounts').addColumn('phone', 'text').execute();
  await db.schema.alterTable('accounts').addColumn('postal_address', 'text').execute();
}
