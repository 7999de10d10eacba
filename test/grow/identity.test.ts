import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/commands/types';
import { ADMIN, drain, serverDb, startServer, type Desk, type RunningServer } from '../sync/helpers';
import { startOffice, usePgCluster } from '../sync/office';

/**
 * Issue 13, observation 5: a push with a CSR's own token, another desk's client id and a huge
 * sequence number must be refused AND move nothing: only the desk holding the device credential
 * the server issued for a client id may push (or audit-push) as it.
 */
const pgc = usePgCluster();

describe.each(['sqlite', 'postgres'] as const)('desk identities on %s', (backend) => {
  let server: RunningServer;
  let databaseUrl: string | undefined;
  let a: Desk;
  let admin: Actor;
  let accountId: string;
  let skip = false;
  const post = (path: string, body: unknown, token: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers }, body: JSON.stringify(body) });
  const clientRow = async (clientId: string) => {
    const s = serverDb(server, databaseUrl);
    try {
      return await s.srv.selectFrom('srv_clients').selectAll().where('client_id', '=', clientId).executeTakeFirst();
    } finally {
      await s.close();
    }
  };

  beforeAll(async () => {
    const office = await startOffice(backend, pgc(), 'identity', 'A-1');
    if (!office) {
      skip = true;
      return;
    }
    ({ server, databaseUrl, a, admin, accountId } = office);
  }, 120_000);
  afterAll(async () => {
    await a?.close();
    await server?.kill();
  });

  it('the server issues the desk its client id', async (ctx) => {
    if (skip) return ctx.skip();
    const s = serverDb(server, databaseUrl);
    const devices = await s.srv.selectFrom('srv_client_devices').selectAll().execute();
    await s.close();
    expect(devices.map((d) => (d as { client_id: string }).client_id)).toContain(a.sync.id);
  });

  it("another user's token cannot push or audit-push as a desk, nor move its sequence", async (ctx) => {
    if (skip) return ctx.skip();
    const victim = a.sync.id;
    const before = await clientRow(victim);
    expect(before).toBeDefined();
    const csr = (await (await post('/v1/auth/sign-in', { username: 'cara', password: 'csr-password-2' }, 'x'.repeat(20))).json()) as { token: string };
    const forged = { clientId: victim, commands: [{ id: '01900000-0000-7000-8000-00000000beef', clientSeq: 999_999_999, name: 'payments.record', version: 1, input: { accountId, amount: '1.00', method: 'cash', paymentId: '01900000-0000-7000-8000-00000000bee1' } }] };
    // no device proof at all
    let r = await post('/v1/sync/push', forged, csr.token);
    expect(r.status).toBe(403);
    expect(((await r.json()) as { error: { code: string; details: { reason: string } } }).error).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'device' } });
    // the CSR has a desk of her own (an Admin registered it: a CSR cannot): its secret does not own the victim's id
    const registrar = (await (await post('/v1/auth/sign-in', ADMIN, 'x'.repeat(20))).json()) as { token: string };
    const mine = (await (await post('/v1/clients/register', {}, registrar.token)).json()) as { clientId: string; deviceSecret: string };
    expect(mine.clientId).not.toBe(victim);
    r = await post('/v1/sync/push', forged, csr.token, { 'x-ledgerdesk-device': mine.deviceSecret });
    expect(r.status).toBe(403);
    const entries = await a.core.db.selectFrom('audit_log').selectAll().orderBy('seq').limit(3).execute();
    r = await post('/v1/audit/push', { clientId: victim, entries }, csr.token, { 'x-ledgerdesk-device': mine.deviceSecret });
    expect(r.status).toBe(403);
    // ... nor read its record
    r = await fetch(`${server.url}/v1/clients/${victim}`, { headers: { authorization: `Bearer ${csr.token}`, 'x-ledgerdesk-device': mine.deviceSecret } });
    expect(r.status).toBe(403);
    expect(await clientRow(victim)).toEqual(before);
    // The desk's own work still goes through.
    const pay = await a.run(admin, 'payments.record', { accountId, amount: '12.00', method: 'cash' });
    await drain(a);
    expect((await a.core.db.selectFrom('sync_outbox').select('state').where('command_id', 'in', [pay.id]).execute()).length).toBe(0);
    const s = serverDb(server, databaseUrl);
    expect(await s.db.selectFrom('payments').select('id').where('id', '=', pay.id).executeTakeFirst()).toBeDefined();
    await s.close();
    expect(a.sync.status().needsAttention).toBe(0);
    expect(Number((await clientRow(victim))!.last_seq)).toBeLessThan(999_999_999);
  }, 60_000);

  it('a desk whose credential the server does not know registers again and loses nothing', async (ctx) => {
    if (skip) return ctx.skip();
    const old = a.sync.id;
    // A credential this server never issued (the desk was pointed at a new server, say).
    await a.sync['identity']['store'].set({ serverUrl: server.url, clientId: old, secret: 'not-issued-by-this-server-0000000000000' });
    await a.sync['identity'].forget();
    const pay = await a.run(admin, 'payments.record', { accountId, amount: '3.00', method: 'card' });
    await drain(a);
    expect(a.sync.id).not.toBe(old);
    const s = serverDb(server, databaseUrl);
    expect(await s.db.selectFrom('payments').select('id').where('id', '=', pay.id).executeTakeFirst()).toBeDefined();
    await s.close();
    expect(a.sync.status().needsAttention).toBe(0);
    expect(a.sync.status().lastError).toBeNull();
  }, 60_000);
});

describe('stopping the server', () => {
  it('SIGTERM closes push-notice streams and the process exits within 5 s', async () => {
    const server = await startServer();
    try {
      const tok = ((await (await fetch(`${server.url}/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) })).json()) as { token: string }).token;
      const res = await fetch(`${server.url}/v1/sync/events`, { headers: { authorization: `Bearer ${tok}` } });
      const reader = res.body!.getReader();
      const first = Buffer.from((await reader.read()).value!).toString('utf8');
      expect(first).toContain('event: hello');
      const exited = new Promise<'exited'>((r) => server.proc.once('exit', () => r('exited')));
      server.proc.kill('SIGTERM');
      // A deadline, not a timing measurement: the stream must not keep the process alive.
      const outcome = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 5_000))]);
      expect(outcome).toBe('exited');
      expect(server.proc.exitCode).toBe(0);
      // The stream was ended by the server (not left dangling).
      let done = false;
      for (let i = 0; i < 5 && !done; i++) done = (await reader.read().catch(() => ({ done: true }))).done;
      expect(done).toBe(true);
    } finally {
      await server.kill('SIGKILL');
    }
  }, 60_000);
});
