import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './types';

/**
 * Issue 12 (data half): offline sign-in verifiers kept per desk, a credential id that changes with
 * every password (so desks drop a stale verifier), the audit chain's sealed head, and the server's
 * security alerts (raised to Admins).
 */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  // Changes whenever the password is set: a desk's offline verifier is valid only for the same id.
  await db.schema.alterTable('users').addColumn('credential_id', 'text').execute();

  // Desk only (never synced): the purpose-made offline verifier of a user who signed in online here.
  await db.schema
    .createTable('local_user_verifiers')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('credential_id', 'text')
    .addColumn('verifier', 'text', (c) => c.notNull())
    .addColumn('stored_at', 'text', (c) => c.notNull())
    .execute();

  // The audit chain's sealed head (one row, never synced): the last entry and the server's
  // acknowledged entry, each with a MAC under the audit key, so a removed tail is detected.
  await db.schema
    .createTable('audit_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('mac_from', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('mac', 'text')
    .addColumn('ack_seq', 'integer')
    .addColumn('ack_hash', 'text')
    .addColumn('ack_mac', 'text')
    .execute();
  // Entries written before this migration keep their plain SHA-256 links; later ones are keyed.
  await sql`INSERT INTO audit_head (id, mac_from, seq, hash)
    SELECT 1, COALESCE(MAX(seq), 0) + 1, COALESCE(MAX(seq), 0), COALESCE((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), ${'0'.repeat(64)}) FROM audit_log`.execute(db);

  // Raised by the server to Admins (synced to Admins' desks only; see src/core/sync/tables.ts).
  await db.schema
    .createTable('security_alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text')
    .addColumn('user_id', 'text')
    .addColumn('detail_json', 'text', (c) => c.notNull())
    .execute();

  // An upgraded server: its change stream held every user's stored password form; blank it (pulls
  // and snapshots send the blank from now on, src/core/sync/tables.ts SECRET_COLUMNS).
  if (dialect === 'sqlite') {
    const has = (await sql<{ n: number }>`SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'srv_changes'`.execute(db)).rows[0]?.n;
    if (Number(has) > 0) await sql`UPDATE srv_changes SET row_json = json_set(row_json, '$.password_hash', '') WHERE tbl = 'users' AND row_json IS NOT NULL`.execute(db);
  } else {
    const has = (await sql<{ t: string | null }>`SELECT to_regclass('srv_changes')::text AS t`.execute(db)).rows[0]?.t;
    if (has) await sql`UPDATE srv_changes SET row_json = jsonb_set(row_json::jsonb, '{password_hash}', '""'::jsonb)::text WHERE tbl = 'users' AND row_json IS NOT NULL`.execute(db);
  }

  if (dialect === 'sqlite') {
    // A desk forgets a verifier the moment the user is deactivated or the password changes (a pull, a snapshot or a local command).
    for (const op of ['INSERT', 'UPDATE']) {
      await sql
        .raw(
          `CREATE TRIGGER local_user_verifiers_drop_${op.toLowerCase()} AFTER ${op} ON users BEGIN
            DELETE FROM local_user_verifiers WHERE user_id = NEW.id AND (NEW.active = 0 OR credential_id IS NOT NEW.credential_id); END`,
        )
        .execute(db);
    }
  } else {
    // PostgreSQL servers get the same append-only guard the SQLite ledgers have had since 0001.
    await sql`CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$`.execute(db);
    await sql`CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_append_only()`.execute(db);
    await sql`CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_append_only()`.execute(db);
  }
}
