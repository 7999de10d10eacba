import type { LedgerCore } from '../../core/ledger-core';
import { forgetOfflineVerifier, storeOfflineVerifier } from '../../core/auth/offline-verifiers';
import { setCapture } from '../../core/sync/client-apply';
import type { SignInResponse } from '../../core/sync/protocol';

/**
 * After an online sign-in: the user's row as the server sent it (no stored password form: this
 * desk keeps a blank, like every pulled row) and the purpose-made offline verifier the server
 * made for this desk, so the same user can sign in here while offline.
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
