import type { Logger } from 'pino';
import type { z } from 'zod';
import { appendAudit } from '../core/audit/audit-log';
import { verifyChainSegment } from '../core/sync/audit-chain';
import type { auditPushRequest } from '../core/sync/protocol';
import { newId } from '../shared/ids';
import { AppFailure } from '../shared/result';
import type { AuthedUser } from './auth';
import type { ServerStore } from './db/open';

type AuditPush = z.output<typeof auditPushRequest>;
const FIELDS = ['id', 'at', 'user_id', 'action', 'entity', 'entity_id', 'before_json', 'after_json', 'prev_hash', 'hash'] as const;

/**
 * POST /v1/audit/push: a desk's audit chain, kept per install. Only that install (its device
 * credential) may push into its chain; entries continue the held head link by link; an entry that differs from
 * one the server already holds is refused (never silently dropped) and raised to Admins as a
 * `security_alerts` row (synced to Admins' desks only). The answer is the acknowledged head.
 */
export async function receiveAudit(store: ServerStore, u: AuthedUser, body: AuditPush, log: Logger): Promise<{ acceptedThrough: number; head: { seq: number; hash: string } }> {
  // Which install may push into this chain is proven by its device credential (requireDevice in
  // the route, src/server/clients.ts): the token only says who is signed in. A desk's client id is
  // issued by the server after sign-in, so the token's own client id may be the older one.
  const now = store.core.clock.now().toISOString();
  let refusal: { kind: string; detail: Record<string, unknown>; message: string } | null = null;
  const result = await store.core.executor.serial(() =>
    store.db.transaction().execute(async (trx) => {
      let client = await trx.selectFrom('srv_clients').selectAll().where('client_id', '=', body.clientId).executeTakeFirst();
      if (!client) {
        client = { client_id: body.clientId, last_seq: 0, audit_seq: 0, audit_hash: '0'.repeat(64), updated_at: now };
        await trx.insertInto('srv_clients').values(client).execute();
      }
      const held = Number(client.audit_seq);
      const old = body.entries.filter((e) => e.seq <= held);
      if (old.length > 0) {
        const stored = new Map(
          (await trx.selectFrom('srv_client_audit').selectAll().where('client_id', '=', body.clientId).where('seq', 'in', old.map((e) => e.seq)).execute()).map((r) => [Number(r.seq), r]),
        );
        for (const e of old) {
          const s = stored.get(e.seq);
          if (s && FIELDS.some((f) => (s[f] ?? null) !== (e[f] ?? null))) {
            refusal = { kind: 'audit-entry-differs', detail: { seq: e.seq }, message: `Audit entry ${e.seq} differs from the one the server holds.` };
            return null;
          }
        }
      }
      const fresh = body.entries.filter((e) => e.seq > held);
      const check = verifyChainSegment(held, client.audit_hash, fresh);
      if (!check.ok) {
        refusal = { kind: 'audit-chain-broken', detail: { seq: check.seq, reason: check.reason }, message: `The audit log does not verify: ${check.reason}.` };
        return null;
      }
      for (let i = 0; i < fresh.length; i += 200) {
        await trx
          .insertInto('srv_client_audit')
          .values(fresh.slice(i, i + 200).map((e) => ({ ...e, client_id: body.clientId, received_at: now })))
          .execute();
      }
      const last = fresh.length > 0 ? fresh[fresh.length - 1]! : { seq: held, hash: client.audit_hash };
      if (fresh.length > 0) await trx.updateTable('srv_clients').set({ audit_seq: last.seq, audit_hash: last.hash, updated_at: now }).where('client_id', '=', body.clientId).execute();
      return { acceptedThrough: last.seq, head: { seq: last.seq, hash: last.hash } };
    }),
  );
  if (!result) {
    const r = refusal as unknown as { kind: string; detail: Record<string, unknown>; message: string };
    await raise(store, u, body.clientId, r.kind, r.detail, log);
    throw new AppFailure('CONFLICT', r.message, r.detail);
  }
  return result;
}

/** A security alert for Admins (synced to their desks) and an entry in the server's own audit chain. */
async function raise(store: ServerStore, u: AuthedUser, clientId: string, kind: string, detail: Record<string, unknown>, log: Logger): Promise<void> {
  log.warn({ clientId, userId: u.userId, kind, ...detail }, 'audit push refused');
  const at = store.core.clock.now().toISOString();
  await store.core.executor.serial(() =>
    store.db.transaction().execute(async (trx) => {
      await trx.insertInto('security_alerts').values({ id: newId(), at, kind, client_id: clientId, user_id: u.userId, detail_json: JSON.stringify(detail) }).execute();
      await appendAudit(trx as never, { userId: u.userId, action: kind, entity: 'client', entityId: clientId, after: detail }, at, newId());
    }),
  );
}
