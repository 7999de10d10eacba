import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import { businessTimeAt, readOfficeTimeZone } from '../../core/commands/business-time';
import { recordCommand, runCommand, runKeep, type RunRequest } from '../../core/commands/runner';
import type { CommandDef } from '../../core/commands/types';
import type { Database } from '../../core/db/schema';
import { gatewayPaymentInput, markPaymentLinkPaid } from '../../core/payment-links';
import { recordPayment } from '../../core/payments/record-payment';
import { SYSTEM_ACTOR } from '../../core/payments/recurring/run';
import { PG_COMMIT_LOCK } from '../../core/sync/capture';
import { canonicalJson, deriveId, sha256 } from '../../core/util/canonical-json';
import { AppFailure } from '../../shared/result';
import type { ServerStore } from '../db/open';
import type { WebhookEvent } from './stripe';

export interface WebhookOutcome {
  /** 'recorded' | 'kept' (refused, kept On Hold) | 'duplicate' | 'ignored' | 'already-recorded' | 'unknown-link' */
  outcome: string;
  paymentId?: string;
}

/**
 * Takes one verified gateway event into the ledger, once. In one transaction (the single writer,
 * and the commit lock on PostgreSQL, like a push): the event id is looked up in srv_gateway_events
 * (a replay answers "duplicate" and changes nothing); a paid checkout is recorded as a card payment
 * through `payments.record` run by the one command runner (so it reaches desks by pull like any
 * change), the link is marked paid, and the event id is stored. Money the gateway took is never
 * dropped: if the ledger refuses the payment (the account was made inactive meanwhile), the
 * command's `keep` records it On Hold with the reason, for a person to decide.
 */
export async function takeGatewayEvent(store: ServerStore, gateway: string, ev: WebhookEvent, log: Logger, announce: (seq: number) => void): Promise<WebhookOutcome> {
  const res = await store.core.executor.serial(() =>
    store.db.transaction().execute(async (trx) => {
      const db = trx as unknown as Kysely<Database>;
      if (store.dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(${PG_COMMIT_LOCK})`.execute(trx);
      const seen = await trx.selectFrom('srv_gateway_events').select('outcome').where('event_id', '=', ev.eventId).executeTakeFirst();
      if (seen) return { out: { outcome: 'duplicate' } as WebhookOutcome, changed: false };
      const now = store.core.clock.now();
      const at = businessTimeAt(now, await readOfficeTimeZone(db), store.core.clock.today());
      let out: WebhookOutcome = { outcome: 'ignored' };
      const link = ev.paid?.linkId ? await trx.selectFrom('payment_links').select(['id', 'account_id', 'status']).where('id', '=', ev.paid.linkId).executeTakeFirst() : undefined;
      if (ev.paid && !link) {
        out = { outcome: 'unknown-link' };
        log.error({ eventId: ev.eventId, sessionId: ev.paid.sessionId, linkId: ev.paid.linkId }, 'gateway payment for a link this server does not know: money was taken; check the gateway dashboard');
      } else if (ev.paid && link) {
        const input = gatewayPaymentInput(link, { sessionId: ev.paid.sessionId, amountCents: ev.paid.amountCents, receiptEmail: ev.paid.email, gateway });
        const paymentId = input.paymentId as string;
        const already = await trx.selectFrom('payments').select('id').where('id', '=', paymentId).executeTakeFirst();
        if (already) out = { outcome: 'already-recorded', paymentId };
        else {
          const commandId = deriveId(`gateway/${gateway}/${ev.paid.sessionId}`, 'payments.record');
          const recorded = await runInSavepoint(db, { db, dialect: store.dialect, mode: 'server', def: recordPayment as unknown as CommandDef, actor: SYSTEM_ACTOR, commandId, at }, input);
          out = { outcome: recorded ? 'recorded' : 'kept', paymentId };
          // Kept On Hold or posted, the money was taken: the link is used either way.
          {
            const markId = deriveId(`gateway/${gateway}/${ev.paid.sessionId}`, 'paymentLinks.markPaid');
            await runInSavepoint(db, { db, dialect: store.dialect, mode: 'server', def: markPaymentLinkPaid as unknown as CommandDef, actor: SYSTEM_ACTOR, commandId: markId, at }, { linkId: link.id, paymentId });
          }
        }
      }
      await trx
        .insertInto('srv_gateway_events')
        .values({ event_id: ev.eventId, gateway, type: ev.type, link_id: ev.paid?.linkId ?? null, payment_id: out.paymentId ?? null, outcome: out.outcome, received_at: now.toISOString() })
        .execute();
      const seq = Number((await trx.selectFrom('srv_changes').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirst())?.m ?? 0);
      if (store.dialect === 'postgres') await sql`SELECT pg_notify('ledgerdesk_changes', ${String(seq)})`.execute(trx);
      return { out, changed: out.outcome === 'recorded' || out.outcome === 'kept', seq };
    }),
  );
  if (res.changed && 'seq' in res) announce(res.seq as number);
  log.info({ eventId: ev.eventId, type: ev.type, ...res.out }, 'gateway event');
  return res.out;
}

/**
 * One command through the runner in a savepoint, logged in command_log. True when it ran; false when
 * the ledger refused it and its `keep` (if any) kept the money instead.
 */
async function runInSavepoint(db: Kysely<Database>, req: RunRequest, raw: Record<string, unknown>): Promise<boolean> {
  const parsed = req.def.input.safeParse(raw);
  if (!parsed.success) throw new Error(`gateway command input does not parse: ${parsed.error.message}`);
  const inputHash = sha256(canonicalJson({ name: req.def.name, version: req.def.version, input: raw }));
  await sql`SAVEPOINT ld_gateway`.execute(db);
  try {
    const result = await runCommand(req, parsed.data);
    await recordCommand(db, req.def, { commandId: req.commandId, inputHash, result, actor: req.actor, at: req.at });
    await sql`RELEASE SAVEPOINT ld_gateway`.execute(db);
    return true;
  } catch (e) {
    await sql`ROLLBACK TO SAVEPOINT ld_gateway`.execute(db);
    await sql`RELEASE SAVEPOINT ld_gateway`.execute(db);
    if (!(e instanceof AppFailure)) throw e;
    const kept = await runKeep(req, parsed.data, e.toError());
    if (!kept && req.def.keep) throw e;
    return false;
  }
}
