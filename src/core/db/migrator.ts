import type { Kysely } from 'kysely';
import { migrations } from './migrations';
import type { Database, Dialect } from './schema';

export interface MigrateResult {
  applied: string[];
}

/**
 * Applies the pending migrations in order, each in its own transaction. Refuses to run when the
 * database holds migrations this build does not know (a newer app wrote it) or in another order.
 */
export async function migrate(
  db: Kysely<Database>,
  dialect: Dialect,
  beforeFirstPending?: (pending: string[]) => Promise<void> | void,
): Promise<MigrateResult> {
  await db.schema
    .createTable('ledger_migrations')
    .ifNotExists()
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('applied_at', 'text', (c) => c.notNull())
    .execute();
  const done = (await db.selectFrom('ledger_migrations').select('name').orderBy('name').execute()).map((r) => r.name);
  const known = migrations.map(([name]) => name);
  done.forEach((name, i) => {
    if (known[i] !== name) {
      throw new Error(
        `This ledger was written by a different version of Ledgerdesk (migration ${name} is unknown here). Update the app before opening it.`,
      );
    }
  });
  const pending = migrations.slice(done.length);
  if (pending.length === 0) return { applied: [] };
  if (done.length > 0 && beforeFirstPending) await beforeFirstPending(pending.map(([n]) => n));
  const applied: string[] = [];
  for (const [name, m] of pending) {
    await db.transaction().execute(async (trx) => {
      await m.up(trx as unknown as Kysely<unknown>, { dialect });
      // eslint-disable-next-line no-restricted-syntax -- when a migration ran is bookkeeping of this file, not business time
      await trx.insertInto('ledger_migrations').values({ name, applied_at: new Date().toISOString() }).execute();
    });
    applied.push(name);
  }
  return { applied };
}
