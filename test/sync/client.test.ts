import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signIn as localSignIn } from '../../src/core/auth/sign-in';
import { Router } from '../../src/main/router/router';
import { registerSyncChannels } from '../../src/main/sync/channels';
import { FileTokenStore, SafeStorageTokenStore } from '../../src/main/sync/token-store';
import { ADMIN, drain, makeDesk, proxiedDesk } from './helpers';

describe('token stores', () => {
  it('the browser host keeps tokens in a file only the user can read', async () => {
    const p = join(mkdtempSync(join(tmpdir(), 'ld-tok-')), 'tokens.json');
    const s = new FileTokenStore(p);
    await s.set('u1', { token: 'secret-token', expiresAt: '2099-01-01T00:00:00Z', username: 'ada' });
    expect((await s.get('u1'))?.token).toBe('secret-token');
    if (process.platform !== 'win32') expect(statSync(p).mode & 0o777).toBe(0o600);
    await s.delete('u1');
    expect(await s.get('u1')).toBeNull();
  });

  it('Electron keeps them encrypted with safeStorage (passed in)', async () => {
    const p = join(mkdtempSync(join(tmpdir(), 'ld-tok-')), 'tokens.bin');
    const fake = {
      isEncryptionAvailable: () => true,
      encryptString: (s: string) => Buffer.from(Buffer.from(s).map((b) => b ^ 0x5a)),
      decryptString: (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a)).toString(),
    };
    const s = new SafeStorageTokenStore(p, fake);
    await s.set('u1', { token: 'secret-token', expiresAt: '2099-01-01T00:00:00Z', username: 'ada' });
    expect(readFileSync(p).toString()).not.toContain('secret-token');
    expect((await new SafeStorageTokenStore(p, fake).get('u1'))?.token).toBe('secret-token');
    expect(() => new SafeStorageTokenStore(p, { ...fake, isEncryptionAvailable: () => false })).toThrow(/key store/);
  });
});

describe('desktop sign-in and the router channels', () => {
  const env = proxiedDesk('signin', 90_000);

  it('signs in against the server, then offline against the stored verifier', async () => {
    const { proxy, desk } = env;
    await expect(desk.sync.signIn(ADMIN.username, 'wrong-password')).rejects.toThrow(/incorrect/);
    const admin = await desk.signIn(ADMIN.username, ADMIN.password);
    expect(admin.role).toBe('admin');
    await drain(desk);
    proxy.rates = { drop: 1 };
    const r = await desk.sync.signIn(ADMIN.username, ADMIN.password);
    expect(r.online).toBe(false);
    const u = await localSignIn(desk.core.db, desk.core.clock, ADMIN.username, ADMIN.password);
    expect(u.id).toBe(admin.userId);
    proxy.rates = {};
  });

  it('serves the sync channels through the router, with status events', async () => {
    const { desk } = env;
    const router = new Router(desk.core);
    registerSyncChannels(router, desk.sync);
    const events: string[] = [];
    const s = router.openSession((e) => events.push(e));
    expect((await router.invoke(s, 'sync.status', {})).ok).toBe(false); // signed out
    expect((await router.invoke(s, 'auth.signIn', { username: ADMIN.username, password: ADMIN.password })).ok).toBe(true);
    const st = await router.invoke(s, 'sync.status', {});
    expect(st).toMatchObject({ ok: true, value: { configured: true } });
    const now = await router.invoke(s, 'sync.now', {});
    expect(now).toMatchObject({ ok: true, value: { online: true, pending: 0 } });
    expect(events).toContain('sync.status');
    expect(await router.invoke(s, 'sync.needsAttention.list', {})).toEqual({ ok: true, value: [] });
    expect(await router.invoke(s, 'sync.needsAttention.resolve', { commandId: 'nope', action: 'retry' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await router.invoke(s, 'sync.configure', { serverUrl: 'ftp://x' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('a push notice makes another desk pull at once (no polling)', async () => {
    const { server, desk } = env;
    const other = await makeDesk('live', server.url, { live: true, pollMs: 3_600_000, localCheckMs: 3_600_000 });
    try {
      const admin = await other.signIn(ADMIN.username, ADMIN.password);
      await drain(other);
      await other.sync.start();
      const me = await desk.signIn(ADMIN.username, ADMIN.password);
      const div = await desk.run(me, 'divisions.create', { name: 'Live Division' });
      await desk.sync.syncNow();
      let seen = false;
      for (let i = 0; i < 100 && !seen; i++) {
        await new Promise((r) => setTimeout(r, 100));
        seen = !!(await other.core.db.selectFrom('divisions').select('id').where('id', '=', div.id).executeTakeFirst());
      }
      expect(seen).toBe(true);
      expect(admin.role).toBe('admin');
    } finally {
      await other.close();
    }
  }, 60_000);
});
