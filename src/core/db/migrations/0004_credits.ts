import type { Kysely } from 'kysely';
import type { MigrationContext } from './types';

/**
 * Credits (with gift cards and prepayments) and their applications to charge lines, credit items,
 * refunds of payments, recurring payments and the payments they schedule, payment categories.
 */
// long: a migration is one ordered list of DDL statements; read top to bottom, it is the schema of its version.
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const money = dialect === 'postgres' ? 'bigint' : 'integer';

  // Discount/credit items: the list a credit is posted with. Retired items stay on past credits.
  await db.schema
    .createTable('credit_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('retired_at', 'text')
    .execute();
  await db.schema.createIndex('credit_items_name').on('credit_items').column('name').execute();

  // A credit lowers what the payer owes. Append-only: a correction marks it replaced/reversed and
  // posts a reversing journal entry; the row itself is never changed otherwise or removed.
  await db.schema
    .createTable('credits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('division_id', 'text', (c) => c.notNull().references('divisions.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('credit_item_id', 'text', (c) => c.references('credit_items.id'))
    .addColumn('amount_cents', money, (c) => c.notNull())
    .addColumn('open_cents', money, (c) => c.notNull())
    .addColumn('credit_date', 'text', (c) => c.notNull())
    .addColumn('classification', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('public_comment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('private_comment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('invoice_id', 'text', (c) => c.references('invoices.id'))
    .addColumn('batch_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('replaces_id', 'text')
    .addColumn('replaced_by', 'text')
    .addColumn('reversal_reason', 'text')
    .addColumn('reversed_by', 'text')
    .addColumn('reversed_at', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('credits_account').on('credits').columns(['account_id', 'credit_date']).execute();
  await db.schema.createIndex('credits_batch').on('credits').column('batch_id').execute();

  // Append-only like `applications`: an un-apply is a negative row naming the row it reverses.
  await db.schema
    .createTable('credit_applications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('credit_id', 'text', (c) => c.notNull().references('credits.id'))
    .addColumn('charge_line_id', 'text', (c) => c.notNull().references('charge_lines.id'))
    .addColumn('amount_cents', money, (c) => c.notNull())
    .addColumn('reverses_id', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('credit_applications_credit').on('credit_applications').column('credit_id').execute();
  await db.schema.createIndex('credit_applications_line').on('credit_applications').column('charge_line_id').execute();

  // Each refund is its own record, linked to the payment it returns money from.
  await db.schema
    .createTable('refunds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('payment_id', 'text', (c) => c.notNull().references('payments.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('amount_cents', money, (c) => c.notNull())
    .addColumn('refund_date', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('unapplied_cents', money, (c) => c.notNull())
    .addColumn('receipt_email', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('refunds_payment').on('refunds').column('payment_id').execute();
  await db.schema.createIndex('refunds_account').on('refunds').column('account_id').execute();

  await db.schema
    .createTable('recurring_payments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('amount_mode', 'text', (c) => c.notNull())
    .addColumn('amount_cents', money)
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('frequency', 'text', (c) => c.notNull())
    .addColumn('day_of_month', 'integer')
    .addColumn('start_date', 'text', (c) => c.notNull())
    .addColumn('end_date', 'text')
    .addColumn('next_date', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_reason', 'text')
    .addColumn('receipt_email', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('recurring_payments_account').on('recurring_payments').column('account_id').execute();
  await db.schema.createIndex('recurring_payments_status').on('recurring_payments').columns(['status', 'next_date']).execute();

  // The payment each due date of a recurring payment created: at most one per (recurring, date).
  await db.schema
    .createTable('scheduled_payments')
    .addColumn('payment_id', 'text', (c) => c.primaryKey().references('payments.id'))
    .addColumn('recurring_id', 'text', (c) => c.notNull().references('recurring_payments.id'))
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('scheduled_payments_once', ['recurring_id', 'due_date'])
    .execute();

  await db.schema
    .createTable('payment_categories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.references('accounts.id'))
    .addColumn('counts_toward_balance', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('payment_categories_account').on('payment_categories').column('account_id').execute();

  await db.schema
    .createTable('category_payments')
    .addColumn('payment_id', 'text', (c) => c.primaryKey().references('payments.id'))
    .addColumn('category_id', 'text', (c) => c.notNull().references('payment_categories.id'))
    .addColumn('counts_toward_balance', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('category_payments_category').on('category_payments').column('category_id').execute();
}
