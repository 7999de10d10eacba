import { execFileSync } from 'node:child_process';
import { hashPasswordSync } from '../../src/core/auth/passwords';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startServer, type RunningServer } from './helpers';

/** Bad input and safety at the server's edge: each gets a precise error and changes nothing. */
describe('server API: bad input and safety', () => {
  let server: RunningServer;
  let adminToken: string;
  let csrToken: string;
  const post = (path: string, body: unknown, token?: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const changeHead = async () => {
    const r = await fetch(`${server.url}/v1/sync/pull?after=0&limit=10000`, { headers: { authorization: `Bearer ${adminToken}` } });
    return ((await r.json()) as { cursor: number }).cursor;
  };
  // A registered desk (issue 13): pushes carry its device secret.
  let clientId = '';
  let device: Record<string, string> = {};
  let seq = 0;
  const push = (token: string, commands: unknown[]) => post('/v1/sync/push', { clientId, commands }, token, device);

  beforeAll(async () => {
    server = await startServer({ env: { SIGNIN_PER_MINUTE: '8' } });
    adminToken = ((await (await post('/v1/auth/sign-in', ADMIN)).json()) as { token: string }).token;
    // Registered through another Admin sign-in (registration binds its token to the desk); adminToken stays unbound.
    const registrar = ((await (await post('/v1/auth/sign-in', ADMIN)).json()) as { token: string }).token;
    const reg = (await (await post('/v1/clients/register', {}, registrar)).json()) as { clientId: string; deviceSecret: string };
    clientId = reg.clientId;
    device = { 'x-ledgerdesk-device': reg.deviceSecret };
    const r = await push(adminToken, [
      { id: '01900000-0000-7000-8000-000000000101', clientSeq: ++seq, name: 'users.create', version: 2, input: { userId: '01900000-0000-7000-8000-0000000001aa', username: 'cara', displayName: 'Cara', role: 'csr', passwordHash: hashPasswordSync('csr-password-2') } },
    ]);
    expect(((await r.json()) as { outcomes: { status: string }[] }).outcomes[0]!.status).toBe('accepted');
    csrToken = ((await (await post('/v1/auth/sign-in', { username: 'cara', password: 'csr-password-2' })).json()) as { token: string }).token;
  }, 90_000);
  afterAll(async () => {
    await server?.kill();
  });

  it('answers health and readiness', async () => {
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    expect(await (await fetch(`${server.url}/ready`)).json()).toMatchObject({ ok: true, database: 'sqlite' });
  });

  it('refuses malformed requests, unknown endpoints and oversized bodies', async () => {
    const head = await changeHead();
    let r = await post('/v1/sync/push', '{"clientId": ', adminToken);
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe('VALIDATION');
    r = await post('/v1/sync/push', { clientId, commands: [{ id: 'nope', clientSeq: 1, name: 'x', version: 1 }] }, adminToken);
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: { message: string } }).error.message).toMatch(/id/i);
    r = await post('/v1/sync/push', { clientId, commands: [] }, adminToken);
    expect(r.status).toBe(400);
    r = await fetch(`${server.url}/v1/nothing-here`);
    expect(r.status).toBe(404);
    // Announced as 40 MB (over the push limit): refused from the headers, before the body is read.
    const tooLarge = await new Promise<{ status: number; body: string }>((resolve) => {
      const req = http.request(`${server.url}/v1/sync/push`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': 40 * 1024 * 1024, authorization: `Bearer ${adminToken}` } }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', () => resolve({ status: -1, body: '{}' }));
      req.write('{"clientId":');
    });
    expect(tooLarge.status).toBe(413);
    expect(JSON.parse(tooLarge.body).error.code).toBe('LIMIT');
    expect(await changeHead()).toBe(head);
  });

  it('answers unknown commands, forbidden roles and bad arguments per command', async () => {
    const head = await changeHead();
    const r = await push(csrToken, [
      { id: '01900000-0000-7000-8000-000000000201', clientSeq: ++seq, name: 'payments.teleport', version: 1, input: {} },
      { id: '01900000-0000-7000-8000-000000000202', clientSeq: ++seq, name: 'payments.record', version: 9, input: {} },
      { id: '01900000-0000-7000-8000-000000000203', clientSeq: ++seq, name: 'users.create', version: 2, input: { userId: '01900000-0000-7000-8000-0000000002aa', username: 'evil', displayName: 'E', role: 'admin', passwordHash: hashPasswordSync('evil-password-1') } },
      { id: '01900000-0000-7000-8000-000000000204', clientSeq: ++seq, name: 'divisions.create', version: 1, input: { name: '' } },
    ]);
    expect(r.status).toBe(200);
    const out = ((await r.json()) as { outcomes: { status: string; error: { code: string; message: string } }[] }).outcomes;
    expect(out.map((o) => [o.status, o.error.code])).toEqual([
      ['rejected', 'VALIDATION'],
      ['rejected', 'VALIDATION'],
      ['rejected', 'FORBIDDEN'],
      ['rejected', expect.stringMatching(/VALIDATION|FORBIDDEN/)],
    ]);
    expect(out[0]!.error.message).toMatch(/Unknown command: payments.teleport@1/);
    // nothing changed but the denial in the server's own audit chain (not a synced table)
    expect(await changeHead()).toBe(head);
  });

  it('refuses missing, wrong, revoked and expired tokens', async () => {
    let r = await fetch(`${server.url}/v1/sync/pull?after=0`);
    expect(r.status).toBe(401);
    r = await fetch(`${server.url}/v1/sync/pull?after=0`, { headers: { authorization: 'Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } });
    expect(r.status).toBe(401);
    expect(((await r.json()) as { error: { message: string } }).error.message).toMatch(/does not know this token/);
    const t = ((await (await post('/v1/auth/sign-in', { username: 'cara', password: 'csr-password-2' })).json()) as { token: string }).token;
    expect((await post('/v1/auth/sign-out', {}, t)).status).toBe(200);
    r = await fetch(`${server.url}/v1/sync/pull?after=0`, { headers: { authorization: `Bearer ${t}` } });
    expect(r.status).toBe(401);
    expect(((await r.json()) as { error: { details: { reason: string } } }).error.details.reason).toBe('revoked');
    // an admin revokes every token of a user
    const t2 = ((await (await post('/v1/auth/sign-in', { username: 'cara', password: 'csr-password-2' })).json()) as { token: string }).token;
    expect((await post('/v1/auth/revoke', { userId: '01900000-0000-7000-8000-0000000001aa' }, csrToken)).status).toBe(403);
    expect((await post('/v1/auth/revoke', { userId: '01900000-0000-7000-8000-0000000001aa' }, adminToken)).status).toBe(200);
    expect((await fetch(`${server.url}/v1/auth/me`, { headers: { authorization: `Bearer ${t2}` } })).status).toBe(401);
  });

  it('expires tokens', async () => {
    // The server's clock is moved forward through its clock file: no sleeping against a short lifetime.
    const clockFile = join(mkdtempSync(join(tmpdir(), 'ledgerdesk-clock-')), 'offset');
    writeFileSync(clockFile, '0');
    const short = await startServer({ env: { TOKEN_TTL_MINUTES: '60', LEDGERDESK_CLOCK_FILE: clockFile } });
    try {
      const r = await fetch(`${short.url}/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
      const { token } = (await r.json()) as { token: string };
      expect((await fetch(`${short.url}/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      writeFileSync(clockFile, String(59 * 60_000));
      expect((await fetch(`${short.url}/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      writeFileSync(clockFile, String(61 * 60_000));
      const late = await fetch(`${short.url}/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(late.status).toBe(401);
      expect(((await late.json()) as { error: { code: string } }).error.code).toBe('SESSION_EXPIRED');
    } finally {
      await short.kill();
    }
  }, 60_000);


  it('serves HTTPS when given a certificate and key', async (ctx) => {
    const dir = mkdtempSync(join(tmpdir(), 'ledgerdesk-tls-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    } catch {
      console.warn('[sync tests] openssl is not available: HTTPS test skipped');
      return ctx.skip();
    }
    const tls = await startServer({ env: { TLS_CERT: join(dir, 'cert.pem'), TLS_KEY: join(dir, 'key.pem') } });
    try {
      expect(tls.url.startsWith('https://')).toBe(true);
      const { readFileSync } = await import('node:fs');
      const status = await new Promise<number>((resolve, reject) =>
        https.get(`${tls.url}/health`, { ca: readFileSync(join(dir, 'cert.pem')) }, (res) => resolve(res.statusCode ?? 0)).on('error', reject),
      );
      expect(status).toBe(200);
    } finally {
      await tls.kill();
    }
  }, 60_000);
});

describe('server API: sign-in rate limit per address', () => {
  // A server of its own: no earlier test's sign-ins count against the window. Each try uses a new
  // name, so the per-name delay never answers first; the limit (4 a minute) is well below the
  // desk's ten free failures, so the 429 here is the address limit and nothing else.
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ env: { SIGNIN_PER_MINUTE: '4' } });
  }, 90_000);
  afterAll(async () => {
    await server?.kill();
  });

  it('answers the fifth sign-in from one address within a minute with 429, before any password work', async () => {
    const answers: { status: number; message: string }[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await fetch(`${server.url}/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: `nobody-${i}`, password: 'wrong-password' }) });
      answers.push({ status: r.status, message: ((await r.json()) as { error: { message: string } }).error.message });
    }
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 429, 429]);
    expect(answers[4]!.message).toBe('Too many sign-in attempts. Wait a minute and try again.');
  }, 60_000);
});
