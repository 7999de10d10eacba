import { sql, type Kysely } from 'kysely';
import { auditEntryColumns } from '../audit-columns';
import type { MigrationContext } from './types';

/** Divisions, payers, invoices and charge lines, payments and applications, users, audit, outboxes. */
// long: a migration is one ordered list of DDL statements; read top to bottom, it is the schema of its version.
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const money = dialect === 'postgres' ? 'bigint' : 'integer';

  await db.schema
    .createTable('divisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('division_id', 'text', (c) => c.notNull().references('divisions.id'))
    .addColumn('account_number', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('portal_user_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('balance_cents', money, (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('accounts_division_number', ['division_id', 'account_number'])
    .execute();
  await db.schema.createIndex('accounts_number').on('accounts').column('account_number').execute();
  await db.schema.createIndex('accounts_portal_user').on('accounts').column('portal_user_id').execute();
  await db.schema.createIndex('accounts_name').on('accounts').column('name').execute();

  await db.schema
    .createTable('invoices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('invoice_number', 'text', (c) => c.notNull())
    .addColumn('invoice_date', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('superseded_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('invoices_account').on('invoices').columns(['account_id', 'due_date']).execute();
  await db.schema.createIndex('invoices_number').on('invoices').column('invoice_number').execute();

  await db.schema
    .createTable('charge_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('amount_cents', money, (c) => c.notNull())
    .addColumn('open_cents', money, (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('charge_lines_invoice').on('charge_lines').column('invoice_id').execute();
  await db.schema.createIndex('charge_lines_account_due').on('charge_lines').columns(['account_id', 'due_date']).execute();
  await db.schema.createIndex('charge_lines_due').on('charge_lines').column('due_date').execute();

  await db.schema
    .createTable('payments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('division_id', 'text', (c) => c.notNull().references('divisions.id'))
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('payment_date', 'text', (c) => c.notNull())
    .addColumn('amount_cents', money, (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('check_number', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('payment'))
    .addColumn('related_payment_id', 'text')
    .addColumn('receipt_email', 'text')
    .addColumn('memo', 'text')
    .addColumn('deposit_id', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('void_reason', 'text')
    .addColumn('voided_by', 'text')
    .addColumn('voided_at', 'text')
    .execute();
  await db.schema.createIndex('payments_account').on('payments').columns(['account_id', 'payment_date']).execute();
  await db.schema.createIndex('payments_deposit').on('payments').column('deposit_id').execute();
  await db.schema.createIndex('payments_date').on('payments').column('payment_date').execute();

  await db.schema
    .createTable('applications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('payment_id', 'text', (c) => c.notNull().references('payments.id'))
    .addColumn('charge_line_id', 'text', (c) => c.notNull().references('charge_lines.id'))
    .addColumn('amount_cents', money, (c) => c.notNull())
    .addColumn('reverses_id', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('applications_payment').on('applications').column('payment_id').execute();
  await db.schema.createIndex('applications_line').on('applications').column('charge_line_id').execute();

  await db.schema
    .createTable('account_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('entry_date', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount_cents', money, (c) => c.notNull())
    .addColumn('source_type', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('account_entries_account').on('account_entries').columns(['account_id', 'entry_date']).execute();
  await db.schema.createIndex('account_entries_source').on('account_entries').columns(['source_type', 'source_id']).execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await auditEntryColumns(
    db.schema
      .createTable('audit_log')
      .addColumn('seq', 'integer', (c) => c.primaryKey())
      .addColumn('id', 'text', (c) => c.notNull().unique()),
  ).execute();
  await db.schema.createIndex('audit_entity').on('audit_log').columns(['entity', 'entity_id']).execute();

  await db.schema
    .createTable('email_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body_text', 'text', (c) => c.notNull())
    .addColumn('related_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();

  await db.schema
    .createTable('command_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('input_hash', 'text', (c) => c.notNull())
    .addColumn('result_json', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sync_outbox')
    .addColumn('seq', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => c.primaryKey())
    .addColumn('command_id', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('input_json', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('subject_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending'))
    .execute();
  await db.schema.createIndex('sync_outbox_subject').on('sync_outbox').column('subject_id').execute();

  // Accounting months: a closed month accepts no postings dated in it.
  await db.schema
    .createTable('periods')
    .addColumn('period', 'text', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('first_closed_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('closed_by', 'text')
    .addColumn('reopened_at', 'text')
    .addColumn('reopened_by', 'text')
    .addColumn('reopen_reason', 'text')
    .execute();

  if (dialect === 'sqlite') {
    // Name words answer as you type: an FTS5 index over account names, kept by triggers.
    await sql`CREATE VIRTUAL TABLE accounts_fts USING fts5(name, content='accounts', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')`.execute(db);
    await sql`CREATE TRIGGER accounts_fts_ai AFTER INSERT ON accounts BEGIN INSERT INTO accounts_fts(rowid, name) VALUES (new.rowid, new.name); END`.execute(db);
    await sql`CREATE TRIGGER accounts_fts_ad AFTER DELETE ON accounts BEGIN INSERT INTO accounts_fts(accounts_fts, rowid, name) VALUES ('delete', old.rowid, old.name); END`.execute(db);
    await sql`CREATE TRIGGER accounts_fts_au AFTER UPDATE OF name ON accounts BEGIN INSERT INTO accounts_fts(accounts_fts, rowid, name) VALUES ('delete', old.rowid, old.name); INSERT INTO accounts_fts(rowid, name) VALUES (new.rowid, new.name); END`.execute(db);
    // The audit log is append-only: the database itself refuses edits and deletes.
    await sql`CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
    await sql`CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
  } else {
    await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
    await sql`CREATE INDEX accounts_name_trgm ON accounts USING gin (lower(name) gin_trgm_ops)`.execute(db);
  }
}
