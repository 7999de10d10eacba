import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNREGISTERED } from '../../src/core/sync/device-protocol';
import { sha256 } from '../../src/core/util/canonical-json';
import type { DeviceCredential } from '../../src/main/sync/token-store';
import { ADMIN, drain, makeDesk, serverDb, type Desk, type RunningServer } from '../sync/helpers';
import { startOffice, usePgCluster } from '../sync/office';

/**
 * Issue 13, the registration gaps:
 *  - a computer that shows no live credential (new, or one that threw its credential away) is
 *    registered only through an Admin's or Supervisor's sign-in; a CSR gets a precise message and
 *    the server records nothing;
 *  - sign-ins made on a desk before it registered are bound to it at registration, so revoking the
 *    desk ends them.
 */
const pgc = usePgCluster();

describe.each(['sqlite', 'postgres'] as const)('registering a desk on %s', (backend) => {
  let server: RunningServer;
  let databaseUrl: string | undefined;
  let a: Desk;
  let skip = false;
  const desks: Desk[] = [];
  const credOf = async (d: Desk) => (await d.sync['identity']['store'].get()) as DeviceCredential | null;
  const deviceCount = async () => {
    const s = serverDb(server, databaseUrl);
    try {
      return Number((await s.srv.selectFrom('srv_client_devices').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    } finally {
      await s.close();
    }
  };
  const boundTo = async (token: string) => {
    const s = serverDb(server, databaseUrl);
    try {
      return (await s.srv.selectFrom('srv_tokens').select('client_id').where('token_hash', '=', sha256(token)).executeTakeFirstOrThrow()).client_id;
    } finally {
      await s.close();
    }
  };
  const me = async (token: string) => (await fetch(`${server.url}/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } })).status;

  beforeAll(async () => {
    const office = await startOffice(backend, pgc(), 'registration', 'REG-1');
    if (!office) {
      skip = true;
      return;
    }
    ({ server, databaseUrl, a } = office);
    await a.run(office.admin, 'users.create', { username: 'sam', displayName: 'Sam', role: 'supervisor', password: 'supervisor-pass-9' });
    await drain(a);
  }, 180_000);
  afterAll(async () => {
    for (const d of desks) await d.close().catch(() => undefined);
    await a?.close();
    await server?.kill();
  });

  it('a CSR cannot register a new computer: a precise message, nothing recorded; a Supervisor can', async (ctx) => {
    if (skip) return ctx.skip();
    const before = await deviceCount();
    const b = await makeDesk('b', server.url);
    desks.push(b);
    await b.signIn('cara', 'csr-password-2');
    await b.sync.syncNow();
    expect(b.sync.status().lastError).toBe(UNREGISTERED);
    expect(await credOf(b)).toBeNull();
    expect(await deviceCount()).toBe(before);
    // By hand too: the server's answer names the reason.
    const cara = (await (await fetch(`${server.url}/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'cara', password: 'csr-password-2' }) })).json()) as { token: string };
    const r = await fetch(`${server.url}/v1/clients/register`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${cara.token}` }, body: '{}' });
    expect(r.status).toBe(403);
    expect(((await r.json()) as { error: unknown }).error).toMatchObject({ code: 'FORBIDDEN', message: UNREGISTERED, details: { reason: 'unregistered' } });
    expect(await deviceCount()).toBe(before);

    const c = await makeDesk('c', server.url);
    desks.push(c);
    await c.signIn('sam', 'supervisor-pass-9');
    await drain(c);
    expect(await credOf(c)).not.toBeNull();
    expect(await deviceCount()).toBe(before + 1);
  }, 120_000);

  it('a desk that threw its credential away is a new computer: only an Admin or Supervisor registers it again', async (ctx) => {
    if (skip) return ctx.skip();
    const d = await makeDesk('d', server.url);
    desks.push(d);
    await d.signIn(ADMIN.username, ADMIN.password);
    await drain(d);
    const cred = (await credOf(d))!;
    // The credential file is deleted: the desk shows none.
    await d.sync['identity']['store'].set(null as never);
    d.sync['identity']['checked'] = null;
    await d.sync.signOut(d.users[ADMIN.username]!.userId);
    await d.signIn('cara', 'csr-password-2');
    await d.sync.syncNow();
    expect(d.sync.status().lastError).toBe(UNREGISTERED);
    expect(await credOf(d)).toBeNull();
    expect(cred.clientId).toBeTruthy();
  }, 120_000);

  it('sign-ins made before the desk registered are bound to it, and revoking the desk ends them', async (ctx) => {
    if (skip) return ctx.skip();
    const e = await makeDesk('e', server.url);
    desks.push(e);
    // Cara signs in first: the desk cannot register yet. Then the Admin signs in and it registers.
    await e.signIn('cara', 'csr-password-2');
    await e.sync.syncNow();
    await e.signIn(ADMIN.username, ADMIN.password);
    await drain(e);
    const cred = (await credOf(e))!;
    const caraToken = (await e.sync['opts'].tokens.get(e.users.cara!.userId))!.token;
    const adminToken = (await e.sync['opts'].tokens.get(e.users[ADMIN.username]!.userId))!.token;
    expect(await boundTo(caraToken)).toBe(cred.clientId);
    expect(await boundTo(adminToken)).toBe(cred.clientId);

    const aAdmin = (await a.sync['opts'].tokens.get(a.users[ADMIN.username]!.userId))!.token;
    const aCred = (await credOf(a))!;
    const r = await fetch(`${server.url}/v1/clients/${cred.clientId}/revoke`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${aAdmin}`, 'x-ledgerdesk-device': aCred.secret }, body: '{}' });
    expect(r.status).toBe(200);
    expect(await me(caraToken)).toBe(401);
    expect(await me(adminToken)).toBe(401);
  }, 120_000);
});
