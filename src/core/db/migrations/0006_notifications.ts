import type { Kysely } from 'kysely';
import type { MigrationContext } from './types';

/** Statement profiles, statement batches and statements, the notification queue and its history. */
// long: a migration is one ordered list of DDL statements; read top to bottom, it is the schema of its version.
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const money = dialect === 'postgres' ? 'bigint' : 'integer';
  const blob = dialect === 'postgres' ? 'bytea' : 'blob';

  await db.schema
    .createTable('statement_profiles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('division_id', 'text', (c) => c.references('divisions.id'))
    .addColumn('min_balance_cents', money, (c) => c.notNull().defaultTo(0))
    .addColumn('min_days_past_due', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('send_time', 'text', (c) => c.notNull().defaultTo('09:00'))
    .addColumn('channel_mode', 'text', (c) => c.notNull().defaultTo('email-else-letter'))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('levels_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('statement_batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('profile_id', 'text', (c) => c.notNull().references('statement_profiles.id'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text')
    .addColumn('as_of', 'text', (c) => c.notNull())
    .addColumn('statements', 'integer', (c) => c.notNull())
    .addColumn('notifications', 'integer', (c) => c.notNull())
    .addColumn('skipped', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('issues_json', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('statement_batches_profile').on('statement_batches').columns(['profile_id', 'created_at']).execute();

  await db.schema
    .createTable('statements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('batch_id', 'text', (c) => c.notNull().references('statement_batches.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('as_of', 'text', (c) => c.notNull())
    .addColumn('period_start', 'text', (c) => c.notNull())
    .addColumn('opening_cents', money, (c) => c.notNull())
    .addColumn('closing_cents', money, (c) => c.notNull())
    .addColumn('amount_due_cents', money, (c) => c.notNull())
    .addColumn('oldest_due_date', 'text')
    .addColumn('days_past_due', 'integer', (c) => c.notNull())
    .addColumn('snapshot_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('statements_batch').on('statements').column('batch_id').execute();
  await db.schema.createIndex('statements_account').on('statements').columns(['account_id', 'as_of']).execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('batch_id', 'text', (c) => c.notNull().references('statement_batches.id'))
    .addColumn('statement_id', 'text', (c) => c.notNull().references('statements.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('profile_id', 'text', (c) => c.notNull().references('statement_profiles.id'))
    .addColumn('profile_version', 'integer', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('level_name', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('to_address', 'text')
    .addColumn('scheduled_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error_kind', 'text')
    .addColumn('error_message', 'text')
    .addColumn('outcome_unknown', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text')
    .addColumn('claim_token', 'text')
    .addColumn('claimed_at', 'text')
    .addColumn('send_started_at', 'text')
    .addColumn('message_id', 'text', (c) => c.notNull().unique())
    .addColumn('subject', 'text')
    .addColumn('body_text', 'text', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('smtp_response', 'text')
    .addColumn('pdf_sha256', 'text')
    .addColumn('letter_file_id', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notifications_due').on('notifications').columns(['status', 'scheduled_at']).execute();
  await db.schema.createIndex('notifications_account').on('notifications').columns(['account_id', 'status']).execute();
  await db.schema.createIndex('notifications_batch').on('notifications').column('batch_id').execute();
  await db.schema.createIndex('notifications_profile').on('notifications').columns(['profile_id', 'created_at']).execute();

  await db.schema
    .createTable('notification_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('notification_id', 'text', (c) => c.notNull().references('notifications.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('template', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notification_history_n').on('notification_history').columns(['notification_id', 'seq']).unique().execute();

  await db.schema
    .createTable('notification_opt_outs')
    .addColumn('account_id', 'text', (c) => c.primaryKey().references('accounts.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('letter_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('batch_id', 'text', (c) => c.notNull().references('statement_batches.id'))
    .addColumn('letters', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('pdf', blob, (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('letter_files_batch').on('letter_files').column('batch_id').execute();

  await db.schema
    .createTable('notification_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}
