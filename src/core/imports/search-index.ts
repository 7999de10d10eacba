import { sql } from 'kysely';
import type { CommandCtx } from '../commands/types';

/**
 * Runs `insert` (which adds accounts) with the per-row search-index trigger paused, then indexes
 * every account added, by name, in one INSERT … SELECT: same transaction, same index content,
 * a fraction of the time (migration 0019). PostgreSQL's trigram index needs nothing of this.
 */
export async function indexNewAccountsInBulk<T>(ctx: Pick<CommandCtx, 'db' | 'dialect'>, insert: () => Promise<T>): Promise<T> {
  if (ctx.dialect !== 'sqlite') return insert();
  const before = (await sql<{ top: number | null }>`SELECT max(rowid) AS top FROM accounts`.execute(ctx.db)).rows[0]?.top ?? 0;
  await sql`INSERT INTO accounts_fts_paused (paused) VALUES (1)`.execute(ctx.db);
  let out: T;
  try {
    out = await insert();
  } finally {
    await sql`DELETE FROM accounts_fts_paused`.execute(ctx.db);
  }
  // New rows take rowids above the largest there was (accounts has no AUTOINCREMENT gaps to reuse below it).
  await sql`INSERT INTO accounts_fts (rowid, name) SELECT rowid, name FROM accounts WHERE rowid > ${before}`.execute(ctx.db);
  return out;
}
