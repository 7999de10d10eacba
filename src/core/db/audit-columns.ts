import type { CreateTableBuilder } from 'kysely';

/**
 * The columns of one audit entry after its key, in their order: the desk's `audit_log` (0001) and
 * the server's copy of each desk's chain (`srv_client_audit`) are the same entry, hashed the same way.
 */
export function auditEntryColumns<T extends string, C extends string>(table: CreateTableBuilder<T, C>) {
  return table
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text')
    .addColumn('before_json', 'text')
    .addColumn('after_json', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull());
}
