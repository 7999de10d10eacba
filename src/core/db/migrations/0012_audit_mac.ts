import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './types';

/**
 * Issue 12, item 3: the audit chain gets a keyed seal.
 * - `audit_log.mac`: HMAC-SHA-256 of the entry's hash under the machine's audit key (never in the
 *   database). The plain SHA-256 links stay, so the server can still check a desk's chain it has
 *   no key for; the MAC is what someone without the key cannot recompute.
 * - The sealed head (0011's `audit_head`) is re-anchored here: entries written before this version
 *   keep only their plain links (`seq < mac_from`), and the first start with a key seals this head.
 * - Alerts a machine raises about itself (its start-up check failed), kept on that machine, and who
 *   acknowledged each alert (also per machine: acknowledging is an Admin's note, not ledger data).
 */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  await db.schema.alterTable('audit_log').addColumn('mac', 'text').execute();
  const zero = '0'.repeat(64);
  await sql`UPDATE audit_head SET
      seq = COALESCE((SELECT MAX(seq) FROM audit_log), 0),
      hash = COALESCE((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), ${zero}),
      mac_from = COALESCE((SELECT MAX(seq) FROM audit_log), 0) + 1,
      mac = NULL, ack_seq = NULL, ack_hash = NULL, ack_mac = NULL
    WHERE id = 1`.execute(db);

  await db.schema
    .createTable('local_security_alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('detail_json', 'text', (c) => c.notNull())
    .addColumn('acknowledged_at', 'text')
    .addColumn('acknowledged_by', 'text')
    .execute();
  await db.schema.alterTable('security_alerts').addColumn('acknowledged_at', 'text').execute();
  await db.schema.alterTable('security_alerts').addColumn('acknowledged_by', 'text').execute();
  void dialect;
}
