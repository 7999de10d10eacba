import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { LedgerCore } from '../ledger-core';
import type { SignInResponse } from '../sync/protocol';
import { setCapture } from '../sync/client-apply';
import { forgetOfflineVerifier, storeOfflineVerifier } from './offline-verifiers';

/**
 * The users a desk learns of by signing in online. Core owns the `users` table: the sync client
 * calls these and never writes it itself.
 */

/**
 * After an online sign-in: the user's row as the server sent it (no stored password form: this
 * desk keeps a blank, like every pulled row) and the purpose-made offline verifier the server
 * made for this desk, so the same user can sign in here while offline. Outside the undo capture:
 * the server's own record, not a local change to take back.
 */
export async function storeSignedInUser(core: LedgerCore, user: SignInResponse['user']): Promise<void> {
  const now = core.clock.now().toISOString();
  await core.executor.serial(() =>
    core.db.transaction().execute(async (trx) => {
      await setCapture(trx, false);
      const fields = { username: user.username, display_name: user.displayName, role: user.role, password_hash: '', credential_id: user.credentialId, active: user.active ? 1 : 0 };
      await trx
        .insertInto('users')
        .values({ id: user.id, ...fields, failed_attempts: 0, locked_until: null, created_at: now, updated_at: now })
        .onConflict((oc) => oc.column('id').doUpdateSet(fields))
        .execute();
      if (user.active) await storeOfflineVerifier(trx, user.id, user.credentialId, user.offlineVerifier, now);
      await setCapture(trx, true);
    }),
  );
}

/** The server says the user is deactivated: this desk forgets their offline verifier at once. */
export async function forgetUserCredential(core: LedgerCore, userId: string): Promise<void> {
  await core.executor.serial(() => forgetOfflineVerifier(core.db, userId));
}

/** A user's name as the header shows it ("Waiting for Sam Supervisor to sign in"). */
export async function userLabel(db: Kysely<Database>, userId: string): Promise<string> {
  const u = await db.selectFrom('users').select(['display_name', 'username']).where('id', '=', userId).executeTakeFirst();
  return u?.display_name || u?.username || 'a user who is no longer on this desk';
}

const ROLE_RANK: Record<string, number> = { csr: 1, supervisor: 2, admin: 3 };

/** Each user's role as a rank, widest highest (the sync client speaks with the widest role it holds). */
export async function roleRanks(db: Kysely<Database>): Promise<Map<string, number>> {
  return new Map((await db.selectFrom('users').select(['id', 'role']).execute()).map((u) => [u.id, ROLE_RANK[u.role] ?? 0]));
}
