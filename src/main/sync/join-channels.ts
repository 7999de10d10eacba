import { AppFailure, ok, type Result } from '../../shared/result';
import { ADMINS } from '../../shared/roles';
import type { Router } from '../router/router';
import { actorOf } from '../router/session';
import { holdsOwnLedger, type JoinService } from './join';

const asResult = async <T>(fn: () => Promise<T>): Promise<Result<T>> => {
  try {
    return ok(await fn());
  } catch (e) {
    if (e instanceof AppFailure) return { ok: false, error: e.toError() };
    throw e;
  }
};

/**
 * The join channels (src/shared/contract/join.ts). `auth.joinServer` is public: on a fresh desk no
 * one is signed in yet. Once joined, the session begins through the ordinary sign-in, which checks
 * the password against the offline verifier the server just gave this desk.
 */
export function registerJoinChannels(router: Router, join: JoinService): void {
  router.registerPublic('auth.joinServer', async (s, i) => {
    const input = i as { serverUrl: string; username: string; password: string; office?: string };
    if (s.user) return { ok: false, error: { code: 'CONFLICT', message: 'Sign out first.' } };
    const joined = await asResult(() => join.joinFresh(input.serverUrl, input.username, input.password, input.office));
    if (!joined.ok) return joined;
    return router.signInJoined(s, input.username, input.password);
  });
  router.register('sync.joinInfo', async () => ok({ standalone: await holdsOwnLedger(router.core) }));
  router.register('sync.joinServer', async (s, i) => {
    const input = i as { serverUrl: string; username: string; password: string; office?: string };
    return asResult(() => join.joinWithData(actorOf(s), input.serverUrl, input.username, input.password, () => router.refreshCredential(s), input.office));
  }, { roles: ADMINS });
  router.register('sync.desks.list', async (s) => asResult(() => join.desks(actorOf(s))), { roles: ADMINS });
  router.register('sync.desks.rename', async (s, i) => asResult(() => join.renameDesk(actorOf(s), i as { clientId: string; label: string; office: string | null })), { roles: ADMINS });
  router.register('sync.desks.revoke', async (s, i) => asResult(() => join.revokeDesk(actorOf(s), (i as { clientId: string }).clientId)), { roles: ADMINS });
}
