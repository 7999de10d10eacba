import type { Kysely } from 'kysely';
import { SignInThrottle, type ThrottleEntry } from '../core/auth/sign-in-throttle';
import type { ServerDatabase } from './db/schema';

/**
 * The server's sign-in delays, kept in its database as well as in memory: restarting the server
 * (or a crash an attacker provokes) does not give anyone a fresh set of tries. Loaded at start;
 * each change is written after the answer, in order, outside the sign-in's transaction.
 */
export class StoredSignInThrottle extends SignInThrottle {
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Kysely<ServerDatabase>,
    private readonly onError: (e: unknown) => void,
  ) {
    super();
  }

  async load(): Promise<void> {
    const rows = await this.db.selectFrom('srv_signin_throttle').selectAll().execute();
    for (const r of rows) this.restore(r.key, { failures: Number(r.failures), last: Number(r.last_ms), until: Number(r.until_ms) });
  }

  /** Resolves once every change so far is written (tests, shutdown). */
  flushed(): Promise<void> {
    return this.writes;
  }

  protected override changed(key: string, e: ThrottleEntry | null): void {
    const db = this.db;
    const write = async () => {
      if (!e) await db.deleteFrom('srv_signin_throttle').where('key', '=', key).execute();
      else
        await db
          .insertInto('srv_signin_throttle')
          .values({ key, failures: e.failures, last_ms: e.last, until_ms: e.until })
          .onConflict((oc) => oc.column('key').doUpdateSet({ failures: e.failures, last_ms: e.last, until_ms: e.until }))
          .execute();
    };
    this.writes = this.writes.then(write).catch(this.onError);
  }
}
