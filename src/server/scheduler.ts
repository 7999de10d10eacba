import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import { businessTimeAt, readOfficeTimeZone } from '../core/commands/business-time';
import { recordCommand, runCommand } from '../core/commands/runner';
import type { Database } from '../core/db/schema';
import { runRecurringCommand, SYSTEM_ACTOR } from '../core/payments/recurring/run';
import { PG_COMMIT_LOCK } from '../core/sync/capture';
import { newId } from '../shared/ids';
import type { ServerStore } from './db/open';

/**
 * Scheduled work on the server: recurring payments fall due here (not on desks) whenever a server
 * exists, through the one command runner, in a transaction that takes the commit lock like a push,
 * so the rows it creates reach every desk through the change stream in order. The business date
 * is the office's (Settings → time zone). Running it twice, or from two server processes at once,
 * creates nothing twice: the commit lock serialises the runs and the rows' ids derive from
 * (recurring payment, due date). A standalone desk runs the same command itself.
 */
export interface Scheduler {
  runNow(): Promise<{ created: number; activated: number } | null>;
  stop(): void;
}

export function startScheduler(store: ServerStore, announce: (seq: number) => void, log: Logger, intervalMs = 15 * 60_000): Scheduler {
  const runNow = async () => {
    try {
      const res = await store.core.executor.serial(() =>
        store.db.transaction().execute(async (trx) => {
          const db = trx as unknown as Kysely<Database>;
          if (store.dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(${PG_COMMIT_LOCK})`.execute(trx);
          const at = businessTimeAt(store.core.clock.now(), await readOfficeTimeZone(db), store.core.clock.today());
          const commandId = newId();
          const req = { db, dialect: store.dialect, mode: 'server' as const, def: runRecurringCommand, actor: SYSTEM_ACTOR, commandId, at };
          const result = (await runCommand(req, {})) as { created: number; activated: number };
          await recordCommand(db, runRecurringCommand, { commandId, inputHash: '', result, actor: SYSTEM_ACTOR, at });
          const seq = Number((await trx.selectFrom('srv_changes').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirst())?.m ?? 0);
          if (store.dialect === 'postgres') await sql`SELECT pg_notify('ledgerdesk_changes', ${String(seq)})`.execute(trx);
          return { result, seq };
        }),
      );
      announce(res.seq);
      return res.result;
    } catch (e) {
      log.error({ err: e }, 'scheduled recurring payments failed');
      return null;
    }
  };
  void runNow();
  const timer = setInterval(() => void runNow(), intervalMs);
  timer.unref?.();
  return { runNow, stop: () => clearInterval(timer) };
}
