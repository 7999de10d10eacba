import type { Kysely } from 'kysely';
import type { MigrationContext } from './types';

/**
 * Refund requests: a CSR asks for a refund that needs a Supervisor or Admin (a payment of a closed
 * month, or above the Admin's limit); a supervisor approves it (the refund is made as the approver)
 * or declines it with a reason.
 */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const money = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('refund_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('payment_id', 'text', (c) => c.notNull().references('payments.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('amount_cents', money, (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('receipt_email', 'text')
    /** Why it needs approval, in words, as it was when requested. */
    .addColumn('needs_approval_because', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text', (c) => c.references('users.id'))
    .addColumn('decided_at', 'text')
    .addColumn('decline_reason', 'text')
    .addColumn('refund_id', 'text')
    .execute();
  await db.schema.createIndex('refund_requests_status').on('refund_requests').columns(['status', 'requested_at']).execute();
  await db.schema.createIndex('refund_requests_payment').on('refund_requests').column('payment_id').execute();
}
