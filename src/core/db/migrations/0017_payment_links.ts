import type { Kysely } from 'kysely';
import type { MigrationContext } from './types';

/**
 * Issue 14 item 4: one-time payment links. A link is served by the central server; the ledger keeps
 * only the SHA-256 of its token (the token itself lives in the URL the payer was sent). Synced like
 * any ledger table, so the server can look a link up and desks see what became of it.
 */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const money = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('payment_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('division_id', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    // What the payer owed when the link was sent: the page suggests the balance as it is when opened.
    .addColumn('amount_cents', money, (c) => c.notNull())
    .addColumn('email', 'text')
    // Last business date the link can be paid on.
    .addColumn('expires_on', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_by', 'text')
    .addColumn('revoked_at', 'text')
    .addColumn('revoke_reason', 'text')
    .addColumn('paid_payment_id', 'text')
    .addColumn('paid_at', 'text')
    .execute();
  // A statement profile may ask for a payment link in its emails (src/core/notifications/queue.ts).
  await db.schema.alterTable('statement_profiles').addColumn('include_pay_link', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.createIndex('payment_links_account').on('payment_links').columns(['account_id', 'created_at']).execute();
}
