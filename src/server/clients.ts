import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DEVICE_HEADER, type ClientRecord, type RegisterClientResponse } from '../core/sync/device-protocol';
import { sha256 } from '../core/util/canonical-json';
import { newId } from '../shared/ids';
import { AppFailure } from '../shared/result';
import type { AuthedUser } from './auth';
import type { ServerStore } from './db/open';
import type { ServerDatabase } from './db/schema';

/**
 * Desk identities: the server issues each desk's client id and a device secret (kept only as its
 * SHA-256 here). A client's sequence and audit chain move only through requests that prove the
 * secret, so another user's token alone can never touch a desk's record.
 */
export async function registerClient(store: ServerStore, user: AuthedUser, clock: () => Date): Promise<RegisterClientResponse> {
  const clientId = newId();
  const deviceSecret = randomBytes(32).toString('base64url');
  const now = clock().toISOString();
  await store.core.executor.serial(() =>
    store.db.transaction().execute(async (trx) => {
      await trx.insertInto('srv_client_devices').values({ client_id: clientId, secret_hash: sha256(deviceSecret), registered_by: user.userId, created_at: now }).execute();
      await trx.insertInto('srv_clients').values({ client_id: clientId, last_seq: 0, audit_seq: 0, audit_hash: '0'.repeat(64), updated_at: now }).execute();
    }),
  );
  return { clientId, deviceSecret };
}

/** Refuses (before anything is read or written for the client) unless the request proves it is that desk. */
export async function requireDevice(db: Kysely<ServerDatabase>, clientId: string, headers: Record<string, string | string[] | undefined>): Promise<void> {
  const raw = headers[DEVICE_HEADER];
  const secret = typeof raw === 'string' ? raw : '';
  const row = await db.selectFrom('srv_client_devices').select('secret_hash').where('client_id', '=', clientId).executeTakeFirst();
  if (!row) {
    throw new AppFailure('FORBIDDEN', `This computer is not registered with the server as client ${clientId}; it registers again on its next sync.`, { reason: 'device', clientId });
  }
  if (!secret || sha256(secret) !== row.secret_hash) {
    throw new AppFailure('FORBIDDEN', `Only the computer registered as client ${clientId} may send its work.`, { reason: 'device', clientId });
  }
}

export async function clientRecord(db: Kysely<ServerDatabase>, clientId: string): Promise<ClientRecord> {
  const c = await db.selectFrom('srv_clients').selectAll().where('client_id', '=', clientId).executeTakeFirst();
  if (!c) throw new AppFailure('NOT_FOUND', `The server has no record of client ${clientId}.`, { clientId });
  return { clientId, lastSeq: Number(c.last_seq), auditSeq: Number(c.audit_seq), auditHash: c.audit_hash };
}
