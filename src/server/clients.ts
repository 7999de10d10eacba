import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DEVICE_HEADER, PENDING_HEADER, UNREGISTERED, type ClientRecord, type RegisterClientResponse } from '../core/sync/device-protocol';
import { sha256 } from '../core/util/canonical-json';
import { newId } from '../shared/ids';
import { AppFailure } from '../shared/result';
import type { AuthedUser } from './auth';
import type { ServerStore } from './db/open';
import type { ServerDatabase } from './db/schema';

/**
 * Desk identities: the server issues each desk's client id and a device secret (kept only as its
 * SHA-256 here). A client's sequence and audit chain move only through requests that prove the
 * secret, so another user's token alone can never touch a desk's record. A sign-in made on a desk
 * (proving its secret) is bound to that desk: every data request made with it must prove the same desk. Revocation marks the credential; the server refuses it
 * everywhere, and only an Admin's sign-in on that desk registers it again.
 */

interface Presented {
  clientId: string;
  revoked: boolean;
}

const secretOf = (headers: Record<string, string | string[] | undefined>): string | null => {
  const raw = headers[DEVICE_HEADER];
  return typeof raw === 'string' && raw.length > 0 ? raw : null;
};

/** The desk whose credential a request carries (null when it carries none or one this server never issued). */
export async function presentedDevice(db: Kysely<ServerDatabase>, headers: Record<string, string | string[] | undefined>): Promise<Presented | null> {
  const secret = secretOf(headers);
  if (!secret) return null;
  const row = await db
    .selectFrom('srv_client_devices as d')
    .leftJoin('srv_revoked_clients as r', 'r.client_id', 'd.client_id')
    .select(['d.client_id', 'r.revoked_at'])
    .where('d.secret_hash', '=', sha256(secret))
    .executeTakeFirst();
  return row ? { clientId: row.client_id, revoked: !!row.revoked_at } : null;
}

/** Who may bring a new computer into the office (register a desk that shows no live credential). */
const REGISTRARS: readonly string[] = ['admin', 'supervisor'];

const revokedFailure = (clientId: string) =>
  new AppFailure('FORBIDDEN', 'An administrator revoked this computer\'s access to the server: its work was not accepted. An administrator must sign in on this computer to connect it again; the work is kept here until then.', { reason: 'device', revoked: true, clientId });

/** Sign-in on a desk whose credential was revoked: only an Admin may sign in there (to register it again). */
export async function deviceForSignIn(db: Kysely<ServerDatabase>, role: string, headers: Record<string, string | string[] | undefined>): Promise<string | null> {
  const dev = await presentedDevice(db, headers);
  if (!dev) return null;
  if (dev.revoked) {
    if (role !== 'admin') throw new AppFailure('FORBIDDEN', 'An administrator revoked this computer\'s access to the server. An administrator must sign in on this computer to connect it again; work entered here is kept until then.', { reason: 'revoked', clientId: dev.clientId });
    return null;
  }
  return dev.clientId;
}

export async function registerClient(
  store: ServerStore,
  user: AuthedUser,
  clock: () => Date,
  desk: { label?: string; office?: string; tokens?: string[] } = {},
  headers: Record<string, string | string[] | undefined> = {},
): Promise<RegisterClientResponse> {
  // The desk proves its old credential (a restored copy, or one an Admin revoked); the token may be bound to one too.
  const shown = await presentedDevice(store.db, headers);
  const bound = await store.db.selectFrom('srv_tokens').select('client_id').where('token_hash', '=', user.tokenHash).executeTakeFirst();
  const revoked = shown?.revoked || (bound?.client_id ? !!(await store.db.selectFrom('srv_revoked_clients').select('client_id').where('client_id', '=', bound.client_id).executeTakeFirst()) : false);
  if (revoked && user.role !== 'admin') {
    throw new AppFailure('FORBIDDEN', 'An administrator revoked this computer\'s access to the server. An administrator must sign in on this computer to connect it again; work entered here is kept until then.', { reason: 'revoked' });
  }
  // A computer that shows no live credential is a new desk (or one that threw its credential away):
  // only an Admin or a Supervisor brings a new computer into the office.
  const knownComputer = !!shown && !shown.revoked;
  if (!knownComputer && !revoked && !REGISTRARS.includes(user.role)) throw new AppFailure('FORBIDDEN', UNREGISTERED, { reason: 'unregistered' });
  const clientId = newId();
  const deviceSecret = randomBytes(32).toString('base64url');
  const now = clock().toISOString();
  // The same computer under a new id: its name, and the sign-ins bound to the old credential, move with it.
  const previous = shown && !shown.revoked ? shown.clientId : null;
  const old = previous ? await store.db.selectFrom('srv_client_devices').select(['label', 'office']).where('client_id', '=', previous).executeTakeFirst() : undefined;
  await store.core.executor.serial(() =>
    store.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('srv_client_devices')
        .values({ client_id: clientId, secret_hash: sha256(deviceSecret), registered_by: user.userId, created_at: now, label: desk.label ?? old?.label ?? null, office: desk.office ?? old?.office ?? null, last_seen_at: now, pending: null })
        .execute();
      await trx.insertInto('srv_clients').values({ client_id: clientId, last_seq: 0, audit_seq: 0, audit_hash: '0'.repeat(64), updated_at: now }).execute();
      if (previous) {
        await trx.updateTable('srv_tokens').set({ client_id: clientId }).where('client_id', '=', previous).where('revoked_at', 'is', null).execute();
        await trx.deleteFrom('srv_client_devices').where('client_id', '=', previous).execute(); // one live credential per computer
      }
      // The registering sign-in is this desk's from now on (it may come from the same computer's lost
      // credential), and so are the others made here before it registered, which the desk names:
      // revoking the desk ends them too.
      await trx.updateTable('srv_tokens').set({ client_id: clientId }).where('token_hash', '=', user.tokenHash).where('revoked_at', 'is', null).execute();
      const others = (desk.tokens ?? []).map((t) => sha256(t));
      if (others.length > 0) await trx.updateTable('srv_tokens').set({ client_id: clientId }).where('token_hash', 'in', others).where('client_id', 'is', null).where('revoked_at', 'is', null).execute();
    }),
  );
  return { clientId, deviceSecret };
}

/** Refuses (before anything is read or written for the client) unless the request proves it is that desk. */
export async function requireDevice(db: Kysely<ServerDatabase>, clientId: string, headers: Record<string, string | string[] | undefined>): Promise<void> {
  const secret = secretOf(headers) ?? '';
  const row = await db.selectFrom('srv_client_devices').select('secret_hash').where('client_id', '=', clientId).executeTakeFirst();
  const revoked = await db.selectFrom('srv_revoked_clients').select('client_id').where('client_id', '=', clientId).executeTakeFirst();
  if (!row) {
    if (revoked) throw revokedFailure(clientId);
    throw new AppFailure('FORBIDDEN', `This computer is not registered with the server as client ${clientId}; it registers again on its next sync.`, { reason: 'device', clientId });
  }
  if (!secret || sha256(secret) !== row.secret_hash) {
    throw new AppFailure('FORBIDDEN', `Only the computer registered as client ${clientId} may send its work.`, { reason: 'device', clientId });
  }
  if (revoked) throw revokedFailure(clientId);
}

/**
 * Every data request (push, audit push, pull, snapshot, notices, files): a credential it carries
 * must be live, and a token bound to a desk must come with that desk's credential. What the desk
 * reports (its pending count) is kept for the Admin's list of desks.
 */
export async function requireDeskBinding(store: ServerStore, tokenHash: string, headers: Record<string, string | string[] | undefined>): Promise<void> {
  const db = store.db;
  const dev = await presentedDevice(db, headers);
  if (secretOf(headers) && !dev) throw new AppFailure('FORBIDDEN', 'The server did not issue this computer\'s credential; it registers again on its next sync.', { reason: 'device' });
  if (dev?.revoked) throw revokedFailure(dev.clientId);
  const bound = (await db.selectFrom('srv_tokens').select('client_id').where('token_hash', '=', tokenHash).executeTakeFirst())?.client_id ?? null;
  if (bound && dev?.clientId !== bound) {
    if (await db.selectFrom('srv_revoked_clients').select('client_id').where('client_id', '=', bound).executeTakeFirst()) throw revokedFailure(bound);
    throw new AppFailure('FORBIDDEN', 'This sign-in was made on another computer: it works only with that computer\'s credential.', { reason: 'device', clientId: bound });
  }
  if (dev) await noteSeen(store, dev.clientId, headers);
}

const DATA_ROUTES = /^\/v1\/(sync|audit|files)\//;

/** The guard in front of the data routes (an unauthenticated request is left to the route's own answer). */
export async function requireDesk(store: ServerStore, url: string, who: () => Promise<AuthedUser>, headers: Record<string, string | string[] | undefined>): Promise<void> {
  if (!DATA_ROUTES.test(url) || !headers.authorization) return;
  const user = await who().catch(() => null);
  if (user) await requireDeskBinding(store, user.tokenHash, headers);
}

/** The desk's last contact and pending count; written at most once a minute unless the count moved. */
async function noteSeen(store: ServerStore, clientId: string, headers: Record<string, string | string[] | undefined>): Promise<void> {
  const raw = headers[PENDING_HEADER];
  const pending = typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Number(raw) : null;
  const now = store.core.clock.now();
  const row = await store.db.selectFrom('srv_client_devices').select(['last_seen_at', 'pending']).where('client_id', '=', clientId).executeTakeFirst();
  const fresh = row?.last_seen_at && now.getTime() - Date.parse(row.last_seen_at) < 60_000;
  if (fresh && (pending === null || Number(row?.pending ?? -1) === pending)) return;
  await store.core.executor.serial(() =>
    store.db
      .updateTable('srv_client_devices')
      .set(pending === null ? { last_seen_at: now.toISOString() } : { last_seen_at: now.toISOString(), pending })
      .where('client_id', '=', clientId)
      .execute(),
  );
}

export async function clientRecord(db: Kysely<ServerDatabase>, clientId: string): Promise<ClientRecord> {
  const c = await db.selectFrom('srv_clients').selectAll().where('client_id', '=', clientId).executeTakeFirst();
  if (!c) throw new AppFailure('NOT_FOUND', `The server has no record of client ${clientId}.`, { clientId });
  return { clientId, lastSeq: Number(c.last_seq), auditSeq: Number(c.audit_seq), auditHash: c.audit_hash };
}

export interface DeskRecord {
  clientId: string;
  label: string | null;
  office: string | null;
  registeredBy: string | null;
  registeredAt: string | null;
  lastSeenAt: string;
  lastSeq: number;
  /** Commands the desk said were waiting to be sent, at its last contact (null: never reported). */
  pending: number | null;
  revokedAt: string | null;
}

/** Every desk the server has issued an identity to, newest activity first (Admin). */
export async function listClients(db: Kysely<ServerDatabase>): Promise<DeskRecord[]> {
  const rows = await db
    .selectFrom('srv_clients as c')
    .leftJoin('srv_client_devices as d', 'd.client_id', 'c.client_id')
    .leftJoin('srv_revoked_clients as r', 'r.client_id', 'c.client_id')
    .leftJoin('users as u', 'u.id', 'd.registered_by')
    .select(['c.client_id', 'c.last_seq', 'c.updated_at', 'd.label', 'd.office', 'd.last_seen_at', 'd.pending', 'd.created_at', 'u.display_name', 'r.revoked_at'])
    // An id its own computer replaced (a restored desk registering again) is no desk any more.
    .where((eb) => eb.or([eb('d.client_id', 'is not', null), eb('r.client_id', 'is not', null)]))
    .execute();
  const seen = (r: { updated_at: string; last_seen_at?: string | null }) => (r.last_seen_at && r.last_seen_at > r.updated_at ? r.last_seen_at : r.updated_at);
  return rows
    .map((r) => ({
      clientId: r.client_id,
      label: r.label ?? null,
      office: r.office ?? null,
      registeredBy: r.display_name ?? null,
      registeredAt: r.created_at ?? null,
      lastSeenAt: seen(r),
      lastSeq: Number(r.last_seq),
      pending: r.pending === null || r.pending === undefined ? null : Number(r.pending),
      revokedAt: r.revoked_at ?? null,
    }))
    .sort((a, b) => b.lastSeenAt.localeCompare(a.lastSeenAt));
}

/** An Admin names a desk (its computer name and office) for the list. */
export async function renameClient(store: ServerStore, admin: AuthedUser, clientId: string, desk: { label: string; office: string | null }): Promise<void> {
  if (admin.role !== 'admin') throw new AppFailure('FORBIDDEN', 'Only an administrator may rename a desk.');
  const r = await store.core.executor.serial(() =>
    store.db.updateTable('srv_client_devices').set({ label: desk.label, office: desk.office }).where('client_id', '=', clientId).executeTakeFirst(),
  );
  if (Number(r.numUpdatedRows) === 0) throw new AppFailure('NOT_FOUND', 'The server has no desk with this id.', { clientId });
}

/**
 * Revokes a desk (Admin): its device credential is marked revoked (refused for every request from
 * now on) and every server sign-in made from it ends; only an Admin's sign-in there registers it again.
 */
export async function revokeClient(store: ServerStore, admin: AuthedUser, clientId: string): Promise<boolean> {
  if (admin.role !== 'admin') throw new AppFailure('FORBIDDEN', 'Only an administrator may revoke a desk.');
  const now = store.core.clock.now().toISOString();
  return store.core.executor.serial(() =>
    store.db.transaction().execute(async (trx) => {
      const known = await trx.selectFrom('srv_clients').select('client_id').where('client_id', '=', clientId).executeTakeFirst();
      if (!known) throw new AppFailure('NOT_FOUND', 'The server has no desk with this id.', { clientId });
      const r = await trx.insertInto('srv_revoked_clients').values({ client_id: clientId, revoked_by: admin.userId, revoked_at: now }).onConflict((oc) => oc.column('client_id').doNothing()).executeTakeFirst();
      await trx.updateTable('srv_tokens').set({ revoked_at: now }).where('client_id', '=', clientId).where('revoked_at', 'is', null).execute();
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    }),
  );
}
