import { ADMINS } from '../../shared/roles';
import { serverAddressProblem } from '../../shared/server-address';
import { AppFailure, err, ok } from '../../shared/result';
import { requireRole } from '../../core/commands/require-role';
import type { Router } from '../router/router';
import { actorOf } from '../router/session';
import { holdsOwnLedger } from './join';
import type { ResolveInput } from './needs-attention';
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
  // The server's own error text is for administrators; everyone sees the plain-words `blocked`.
  const statusFor = (s: Parameters<typeof actorOf>[0]) => {
    const st = sync.status();
    return s.user?.role === 'admin' ? st : { ...st, lastError: null };
  };
  router.register('sync.status', async (s) => ok(statusFor(s)));
  router.register('sync.now', async (s) => {
    await sync.syncNow();
    return ok(statusFor(s));
  });
  router.register('sync.configure', async (s, i) => {
    const url = (i as { serverUrl: string | null }).serverUrl;
    const problem = url ? serverAddressProblem(url) : null;
    if (problem) return err('VALIDATION', problem, { field: 'serverUrl' });
    // A desk that worked on its own joins through sync.joinServer (seed, verify), never by a snapshot that would replace its ledger.
    if (url && (await holdsOwnLedger(router.core))) {
      return err('CONFLICT', 'This computer holds its own ledger. Use "Join my office\'s server" with the server administrator\'s sign-in: an empty server is filled from this ledger and checked; nothing here is replaced.', { field: 'serverUrl', reason: 'standalone' });
    }
    // Core's role check: refuses and audits like every command does.
    return wrap(async () => {
      await requireRole(router.core.db, router.core.clock, actorOf(s), ADMINS, 'sync.configure');
      return sync.configure(url ? url : null);
    });
  });
  router.register('sync.signIn', async (s, i) =>
    wrap(async () => {
      const r = await sync.signIn(s.user!.username, (i as { password: string }).password);
      if (!r.online) throw new AppFailure('UNAVAILABLE', `The server is not reachable: ${r.reason}`);
      return sync.status();
    }),
  );
  router.register('sync.needsAttention.list', async (s) => {
    const actor = actorOf(s);
    if (!actor) return err('UNAUTHENTICATED', 'Sign in first.');
    return ok(await sync.needsAttention(actor));
  });
  router.register('sync.needsAttention.resolve', async (s, i) => {
    const actor = actorOf(s);
    if (!actor) return err('UNAUTHENTICATED', 'Sign in first.');
    return wrap(() => sync.resolve(actor, i as ResolveInput));
  });
  const onStatus = ({ lastError: _hidden, ...st }: ReturnType<SyncClient['status']>) => router.broadcast('sync.status', st);
  const onChanged = (entities: string[]) => router.broadcast('ledger.changed', { entities });
  sync.on('status', onStatus);
  sync.on('changed', onChanged);
  return () => {
    sync.off('status', onStatus);
    sync.off('changed', onChanged);
  };
}
