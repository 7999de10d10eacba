import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVICE_HEADER } from '../../src/core/sync/device-protocol';
import type { DeviceCredential } from '../../src/main/sync/token-store';
import { ADMIN, drain, makeDesk, serverDb, type Desk, type RunningServer, registerDesk } from '../sync/helpers';
import { startOffice, usePgCluster } from '../sync/office';

/**
 * Issue 13, item 2 on the server alone: a sign-in is bound to the desk it was made on; another
 * desk's credential with it is refused; a revoked desk's credential is refused for push, audit
 * push, file upload and pull whatever token comes with it, and moves nothing, until an Admin signs
 * in there and registers it again. Each request here is made by hand, the way a modified desk could.
 */
const pgc = usePgCluster();

const FILE_SHA = 'a'.repeat(64);

describe.each(['sqlite', 'postgres'] as const)('server-enforced desk credentials on %s', (backend) => {
  let server: RunningServer;
  let databaseUrl: string | undefined;
  let a: Desk;
  let b: Desk;
  let accountId: string;
  let skip = false;
  const call = async (method: string, path: string, token: string, cred: DeviceCredential | null, body?: unknown) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (cred) headers[DEVICE_HEADER] = cred.secret;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const r = await fetch(`${server.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = (await r.json().catch(() => null)) as { error?: { code: string; details?: Record<string, unknown> } } | null;
    return { status: r.status, error: json?.error };
  };
  const signIn = async (username: string, password: string, cred: DeviceCredential | null) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (cred) headers[DEVICE_HEADER] = cred.secret;
    const r = await fetch(`${server.url}/v1/auth/sign-in`, { method: 'POST', headers, body: JSON.stringify({ username, password }) });
    return { status: r.status, body: (await r.json()) as { token: string; error?: { code: string; details?: Record<string, unknown> } } };
  };
  const credOf = async (d: Desk) => (await d.sync['identity']['store'].get()) as DeviceCredential;
  const serverState = async (clientId: string) => {
    const s = serverDb(server, databaseUrl);
    try {
      const client = await s.db.selectFrom('srv_clients' as never).selectAll().where('client_id' as never, '=', clientId as never).executeTakeFirst();
      const audit = await s.db.selectFrom('srv_client_audit' as never).select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
      const files = await s.db.selectFrom('srv_files' as never).select('sha256' as never).where('sha256' as never, '=', FILE_SHA as never).execute();
      const payments = await s.db.selectFrom('payments').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
      return JSON.parse(JSON.stringify({ client, audit, files, payments })) as unknown;
    } finally {
      await s.close();
    }
  };
  const pushBody = (clientId: string) => ({
    clientId,
    commands: [{ id: '01900000-0000-7000-8000-00000000cafe', clientSeq: 999_999, name: 'payments.record', version: 1, input: { accountId, amount: '1.00', method: 'cash', paymentId: '01900000-0000-7000-8000-00000000caf1' } }],
  });

  beforeAll(async () => {
    const office = await startOffice(backend, pgc(), 'revocation', 'R-1');
    if (!office) {
      skip = true;
      return;
    }
    ({ server, databaseUrl, a, accountId } = office);
    b = await makeDesk('b', server.url);
    await registerDesk(b); // a CSR alone cannot register a new computer
    await b.signIn('cara', 'csr-password-2');
    await drain(b);
  }, 180_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await server?.kill();
  });

  it("a sign-in made on one desk is refused with another desk's credential, or with none", async (ctx) => {
    if (skip) return ctx.skip();
    const credA = await credOf(a);
    const credB = await credOf(b);
    // Cara signs in on desk b (showing b's credential): that token belongs to desk b.
    const cara = await signIn('cara', 'csr-password-2', credB);
    expect(cara.status).toBe(200);
    const before = await serverState(credA.clientId);
    for (const [method, path, body] of [
      ['POST', '/v1/sync/push', pushBody(credA.clientId)],
      ['POST', '/v1/audit/push', { clientId: credA.clientId, entries: [] }],
      ['GET', '/v1/sync/pull?after=0&limit=10', undefined],
      ['POST', `/v1/files/${FILE_SHA}`, { sizeBytes: 3, fileName: 'x.txt' }],
    ] as const) {
      for (const cred of [credA, null]) {
        const r = await call(method, path, cara.body.token, cred, body);
        expect(r.status, `${method} ${path} with ${cred ? "desk a's credential" : 'no credential'}`).toBe(403);
        expect(r.error).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'device' } });
      }
    }
    expect(await serverState(credA.clientId)).toEqual(before);
    // With its own desk's credential the same token pulls.
    expect((await call('GET', '/v1/sync/pull?after=0&limit=10', cara.body.token, credB)).status).toBe(200);
  }, 60_000);

  it("a revoked desk's credential is refused for push, audit push, file upload and pull, and moves nothing", async (ctx) => {
    if (skip) return ctx.skip();
    const credB = await credOf(b);
    const r0 = await call('POST', `/v1/clients/${credB.clientId}/revoke`, (await signIn(ADMIN.username, ADMIN.password, await credOf(a))).body.token, await credOf(a), {});
    expect(r0.status).toBe(200);
    // Even an Admin's fresh, valid token (signed in elsewhere, unbound) cannot use the revoked credential.
    const adminTok = (await signIn(ADMIN.username, ADMIN.password, null)).body.token;
    const entries = await b.core.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    const before = await serverState(credB.clientId);
    for (const [method, path, body] of [
      ['POST', '/v1/sync/push', pushBody(credB.clientId)],
      ['POST', '/v1/audit/push', { clientId: credB.clientId, entries }],
      ['POST', `/v1/files/${FILE_SHA}`, { sizeBytes: 3, fileName: 'x.txt' }],
      ['GET', '/v1/sync/pull?after=0&limit=10', undefined],
      ['GET', '/v1/sync/snapshot', undefined],
    ] as const) {
      const r = await call(method, path, adminTok, credB, body);
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.error).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'device', revoked: true } });
    }
    expect(await serverState(credB.clientId)).toEqual(before);

    // A CSR can neither sign in there nor register it again, whatever the desk does.
    const csr = await signIn('cara', 'csr-password-2', credB);
    expect(csr.status).toBe(403);
    expect(csr.body.error).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'revoked' } });
    const csrElsewhere = (await signIn('cara', 'csr-password-2', null)).body.token;
    const reg = await call('POST', '/v1/clients/register', csrElsewhere, credB, {});
    expect(reg.status).toBe(403);

    // The desk itself: its clerk's work stays, refused in plain words, until an Admin signs in there.
    const cara = b.users.cara!;
    const pay = await b.run(cara, 'payments.record', { accountId, amount: '7.00', method: 'cash' });
    await b.sync.syncNow();
    await expect(b.signIn('cara', 'csr-password-2')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(b.sync.status().pending).toBe(1);
    expect(b.sync.id).toBe(credB.clientId);
    await b.signIn(ADMIN.username, ADMIN.password);
    await b.sync.syncNow();
    await b.sync.syncNow();
    expect(b.sync.id).not.toBe(credB.clientId);
    // Cara signs in on the re-registered desk and her payment goes through.
    await b.signIn('cara', 'csr-password-2');
    await drain(b);
    const s = serverDb(server, databaseUrl);
    expect(await s.db.selectFrom('payments').select('id').where('id', '=', pay.id).executeTakeFirst()).toBeDefined();
    await s.close();
    expect(b.sync.status()).toMatchObject({ pending: 0, needsAttention: 0 });
    // The old credential stays refused.
    expect((await call('GET', '/v1/sync/pull?after=0&limit=10', adminTok, credB)).status).toBe(403);
  }, 120_000);
});
