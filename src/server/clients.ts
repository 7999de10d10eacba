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
export async function registerClient(store: ServerStore, user: AuthedUser, clock: () => Date, label?: string): Promise<RegisterClientResponse> {
  // A desk an Admin revoked registers again only through an Admin's sign-in on it (its token names the old id).
  const from = await store.db.selectFrom('srv_tokens').select('client_id').where('token_hash', '=', user.tokenHash).executeTakeFirst();
  if (from?.client_id && user.role !== 'admin' && (await store.db.selectFrom('srv_revoked_clients').select('client_id').where('client_id', '=', from.client_id).executeTakeFirst())) {
    throw new AppFailure('FORBIDDEN', 'An administrator revoked this computer\'s access to the server. An administrator must sign in on this computer to connect it again; work entered here is kept until then.', { reason: 'revoked' });
  }
  const clientId = newId();
  const deviceSecret = randomBytes(32).toString('base64url');
  const now = clock().toISOString();
  await store.core.executor.serial(() =>
    store.db.transaction().execute(async (trx) => {
      await trx.insertInto('srv_client_devices').values({ client_id: clientId, secret_hash: sha256(deviceSecret), registered_by: user.userId, created_at: now, label: label ?? null }).execute();
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
    if (await db.selectFrom('srv_revoked_clients').select('client_id').where('client_id', '=', clientId).executeTakeFirst()) {
      throw new AppFailure('FORBIDDEN', 'An administrator revoked this computer\'s access to the server: its work was not accepted. An administrator must sign in on this computer to connect it again; the work is kept here until then.', { reason: 'device', revoked: true, clientId });
    }
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

export interface DeskRecord {
  clientId: string;
  label: string | null;
  registeredBy: string | null;
  registeredAt: string | null;
  lastSeenAt: string;
  lastSeq: number;
  revokedAt: string | null;
}

/** Every desk the server has issued an identity to, newest activity first (Admin). */
export async function listClients(db: Kysely<ServerDatabase>): Promise<DeskRecord[]> {
  const rows = await db
    .selectFrom('srv_clients as c')
    .leftJoin('srv_client_devices as d', 'd.client_id', 'c.client_id')
    .leftJoin('srv_revoked_clients as r', 'r.client_id', 'c.client_id')
    .leftJoin('users as u', 'u.id', 'd.registered_by')
    .select(['c.client_id', 'c.last_seq', 'c.updated_at', 'd.label', 'd.created_at', 'u.display_name', 'r.revoked_at'])
    .orderBy('c.updated_at', 'desc')
    .execute();
  return rows.map((r) => ({
    clientId: r.client_id,
    label: r.label ?? null,
    registeredBy: r.display_name ?? null,
    registeredAt: r.created_at ?? null,
    lastSeenAt: r.updated_at,
    lastSeq: Number(r.last_seq),
    revokedAt: r.revoked_at ?? null,
  }));
}

/**
 * Revokes a desk (Admin): its device credential is deleted (its pushes are refused from now on) and
 * every server sign-in made from it ends; only an Admin's sign-in there registers it again.
 */
export async function revokeClient(store: ServerStore, admin: AuthedUser, clientId: string): Promise<boolean> {
  if (admin.role !== 'admin') throw new AppFailure('FORBIDDEN', 'Only an administrator may revoke a desk.');
  const now = store.core.clock.now().toISOString();
  return store.core.executor.serial(() =>
    store.db.transaction().execute(async (trx) => {
      const known = await trx.selectFrom('srv_clients').select('client_id').where('client_id', '=', clientId).executeTakeFirst();
      if (!known) throw new AppFailure('NOT_FOUND', 'The server has no desk with this id.', { clientId });
      const gone = await trx.deleteFrom('srv_client_devices').where('client_id', '=', clientId).executeTakeFirst();
      await trx.insertInto('srv_revoked_clients').values({ client_id: clientId, revoked_by: admin.userId, revoked_at: now }).onConflict((oc) => oc.column('client_id').doNothing()).execute();
      await trx.updateTable('srv_tokens').set({ revoked_at: now }).where('client_id', '=', clientId).where('revoked_at', 'is', null).execute();
      return Number(gone.numDeletedRows) > 0;
    }),
  );
}
