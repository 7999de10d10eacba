import { AppFailure, err, ok } from '../../shared/result';
import type { Router } from '../router/router';
import { actorOf } from '../router/session';
import { assertMayResolve, visibleItems } from './attention-access';
import type { SyncClient } from './sync-client';

/**
 * Binds the sync channels of the contract (src/shared/contract/sync.ts) to the sync client, and
 * pushes every status change to signed-in windows as the `sync.status` event. Wiring (in
 * src/main/app-services.ts): `const sync = new SyncClient({ core, tokens, files }); registerSyncChannels(router, sync); await sync.start();`
 */
export function registerSyncChannels(router: Router, sync: SyncClient): () => void {
  const wrap = async <T>(fn: () => Promise<T>) => {
    try {
      return ok(await fn());
    } catch (e) {
      if (e instanceof AppFailure) return { ok: false as const, error: e.toError() };
      throw e;
    }
  };
  router.register('sync.status', async () => ok(sync.status()));
  router.register('sync.now', async () => {
    await sync.syncNow();
    return ok(sync.status());
  });
  router.register('sync.configure', async (s, i) => {
    if (s.user?.role !== 'admin') return err('FORBIDDEN', 'Only an administrator may change the server address.');
    const url = (i as { serverUrl: string | null }).serverUrl;
    return wrap(() => sync.configure(url ? url : null));
  });
  router.register('sync.signIn', async (s, i) =>
    wrap(async () => {
      const r = await sync.signIn(s.user!.username, (i as { password: string }).password);
      if (!r.online) throw new AppFailure('UNAVAILABLE', `The server is not reachable: ${r.reason}`);
      return sync.status();
    }),
  );
  // Visible and resolvable only by the item's author and Supervisors/Admins (attention-access.ts).
  router.register('sync.needsAttention.list', async (s) => {
    const actor = actorOf(s);
    if (!actor) return err('UNAUTHENTICATED', 'Sign in first.');
    return ok(await visibleItems(router.core.db, actor, await sync.needsAttention()));
  });
  router.register('sync.needsAttention.resolve', async (s, i) => {
    const actor = actorOf(s);
    if (!actor) return err('UNAUTHENTICATED', 'Sign in first.');
    const { commandId, action } = i as { commandId: string; action: 'retry' | 'dismiss' };
    return wrap(async () => {
      await assertMayResolve(router.core.db, actor, commandId);
      return sync.resolve(commandId, action, actor);
    });
  });
  const onStatus = (st: ReturnType<SyncClient['status']>) =>
    router.broadcast('sync.status', { online: st.online, syncing: st.syncing, pending: st.pending, needsAttention: st.needsAttention, lastSyncedAt: st.lastSyncedAt });
  const onChanged = (entities: string[]) => router.broadcast('ledger.changed', { entities });
  sync.on('status', onStatus);
  sync.on('changed', onChanged);
  return () => {
    sync.off('status', onStatus);
    sync.off('changed', onChanged);
  };
}
