import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { verifyOfflineVerifier, verifyPassword } from './passwords';

/**
 * Desk-side password checks. A desk connected to a server never holds the server's stored form
 * (pulls carry a blank `password_hash`); it holds, per user who signed in online here, a
 * purpose-made offline verifier tied to the user's current credential id. Migration 0011's
 * triggers delete it when the user is deactivated or the password changes.
 */

/** Keeps the verifier the server's sign-in answer carried (call after the user's row is stored). */
export async function storeOfflineVerifier(db: Kysely<Database>, userId: string, credentialId: string | null, verifier: string, at: string): Promise<void> {
  await db
    .insertInto('local_user_verifiers')
    .values({ user_id: userId, credential_id: credentialId, verifier, stored_at: at })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ credential_id: credentialId, verifier, stored_at: at }))
    .execute();
}

export async function forgetOfflineVerifier(db: Kysely<Database>, userId: string): Promise<void> {
  await db.deleteFrom('local_user_verifiers').where('user_id', '=', userId).execute();
}

/**
 * The local password check the sign-in path calls: the stored form when this ledger holds one (a
 * standalone desk, the server), else this desk's offline verifier for the user's current
 * credential (never for a deactivated user).
 */
export async function checkLocalPassword(db: Kysely<Database>, user: Database['users'], password: string): Promise<boolean> {
  if (user.password_hash) return verifyPassword(password, user.password_hash);
  if (!user.active) return false;
  const v = await db.selectFrom('local_user_verifiers').selectAll().where('user_id', '=', user.id).executeTakeFirst();
  if (!v || (v.credential_id ?? null) !== (user.credential_id ?? null)) return false;
  return verifyOfflineVerifier(password, v.verifier);
}

/** Whether this desk can check the user's password without the server. */
export async function hasLocalCredential(db: Kysely<Database>, userId: string): Promise<boolean> {
  const u = await db.selectFrom('users').select(['password_hash', 'credential_id', 'active']).where('id', '=', userId).executeTakeFirst();
  if (!u || !u.active) return false;
  if (u.password_hash) return true;
  const v = await db.selectFrom('local_user_verifiers').select('credential_id').where('user_id', '=', userId).executeTakeFirst();
  return !!v && (v.credential_id ?? null) === (u.credential_id ?? null);
}
