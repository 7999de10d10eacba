import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import { AppFailure } from '../../shared/result';
import { openServerStore, type ServerStore } from '../db/open';
import type { ServerDatabase } from '../db/schema';

/**
 * Change-log compaction: the pull log (srv_changes) grows with every row change forever. Removing
 * the oldest part is safe because the current state is in the tables themselves: a desk whose
 * cursor is older than the horizon is told so by the pull (409, details.reason = "compacted") and
 * takes a snapshot instead (its pending work is undone, replaced and replayed as for any snapshot).
 * The horizon never splits a transaction, so pages still end on whole transactions.
 */
export async function compactChanges(store: ServerStore, keep: number, now: string): Promise<{ horizon: number; removed: number }> {
  return store.core.executor.serial(() =>
    store.db.transaction().execute(async (trx) => {
      const max = Number((await trx.selectFrom('srv_changes').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirst())?.m ?? 0);
      let horizon = max - keep;
      const current = await horizonOf(trx);
      if (horizon <= current) return { horizon: current, removed: 0 };
      // Step back to the start of the transaction that row `horizon` belongs to if it continues past it.
      const at = await trx.selectFrom('srv_changes').select('tx').where('seq', '=', horizon).executeTakeFirst();
      if (at) {
        const crosses = await trx.selectFrom('srv_changes').select('seq').where('tx', '=', at.tx).where('seq', '>', horizon).limit(1).executeTakeFirst();
        if (crosses) {
          const first = await trx.selectFrom('srv_changes').select((eb) => eb.fn.min('seq').as('m')).where('tx', '=', at.tx).executeTakeFirst();
          horizon = Number(first?.m ?? horizon) - 1;
        }
      }
      if (horizon <= current) return { horizon: current, removed: 0 };
      const r = await trx.deleteFrom('srv_changes').where('seq', '<=', horizon).executeTakeFirst();
      await trx.deleteFrom('srv_change_horizon').execute();
      await trx.insertInto('srv_change_horizon').values({ id: 1, horizon_seq: horizon, compacted_at: now }).execute();
      return { horizon, removed: Number(r.numDeletedRows) };
    }),
  );
}

export async function horizonOf(db: Kysely<ServerDatabase>): Promise<number> {
  const row = await db.selectFrom('srv_change_horizon').select('horizon_seq').where('id', '=', 1).executeTakeFirst();
  return Number(row?.horizon_seq ?? 0);
}

/** For the pull route: a cursor older than the horizon cannot be continued. */
export async function refuseBeforeHorizon(db: Kysely<ServerDatabase>, after: number): Promise<void> {
  const horizon = await horizonOf(db);
  if (after < horizon) {
    throw new AppFailure('CONFLICT', `The server's change log now starts after change ${horizon}; this computer (at ${after}) takes a fresh copy instead.`, { reason: 'compacted', horizon });
  }
}

/** `npm run server -- compact-changes --keep N`: keep the newest N changes (SQLite: stop the server first). */
export async function compactChangesCli(argv: string[]): Promise<number> {
  let keep: number;
  try {
    const { values } = parseArgs({ args: argv, options: { keep: { type: 'string' } } });
    keep = Number(values.keep);
    if (!values.keep || !Number.isInteger(keep) || keep < 0) throw new Error('--keep N (a whole number of changes to keep) is required');
  } catch (e) {
    console.error(`${(e as Error).message}\nusage: npm run server -- compact-changes --keep N   (DATA_DIR or DATABASE_URL as for the server)`);
    return 2;
  }
  const store = await openServerStore({ dataDir: resolve(process.env.DATA_DIR ?? 'server-data'), databaseUrl: process.env.DATABASE_URL || undefined });
  try {
    const r = await compactChanges(store, keep, new Date().toISOString());
    console.log(r.removed > 0 ? `Removed ${r.removed} changes; the change log now starts after change ${r.horizon}.` : `Nothing to remove (horizon ${r.horizon}).`);
    return 0;
  } finally {
    await store.close();
  }
}
