/**
 * Finding 8: the server bound 0.0.0.0 over plain HTTP by default, desks accepted an http:// server
 * address, uploads could declare 1 TiB with no quota, one token could hold 500 event streams, and
 * a 50,000-deep JSON body answered 500. Probes go to the real server process.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverAddressProblem } from '../../src/shared/server-address';
import { ADMIN, startServer, type RunningServer } from '../sync/helpers';

let srv: RunningServer;
let token: string;

beforeAll(async () => {
  srv = await startServer({ env: { HOST: '' } });
  const r = await fetch(`${srv.url}/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
  token = ((await r.json()) as { token: string }).token;
});
afterAll(async () => srv?.kill());

const post = (path: string, body: unknown) =>
  fetch(`${srv.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: typeof body === 'string' ? body : JSON.stringify(body) });
const sha = (n: number) => n.toString(16).padStart(64, '0');

/** Opens an event stream and resolves with its status once the head arrives (the stream stays open). */
function openStream(): Promise<{ status: number; close(): void }> {
  return new Promise((resolve, reject) => {
    const u = new URL(`${srv.url}/v1/sync/events`);
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.on('data', () => undefined);
      res.on('error', () => undefined);
      resolve({ status: res.statusCode!, close: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('server safe by default', () => {
  it('binds 127.0.0.1 when HOST is not set', () => {
    expect(srv.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('refuses to serve plain HTTP on a non-loopback address unless ALLOW_HTTP=1', async () => {
    await expect(startServer({ env: { HOST: '0.0.0.0' } })).rejects.toThrow(/exited \(2\)[\s\S]*refusing to serve plain HTTP on 0\.0\.0\.0: set TLS_CERT and TLS_KEY, or ALLOW_HTTP=1/);
    const proxied = await startServer({ env: { HOST: '0.0.0.0', ALLOW_HTTP: '1' } });
    expect(proxied.url).toMatch(/^http:\/\/(0\.0\.0\.0|127\.0\.0\.1|\[::\]):\d+$/);
    await proxied.kill();
  });

  it('desks refuse http:// server addresses other than this computer', () => {
    expect(serverAddressProblem('http://ledger.example.org')).toMatch(/must start with https:\/\/ \(plain http:\/\/ would send passwords and tokens unencrypted to ledger\.example\.org/);
    expect(serverAddressProblem('http://192.168.1.20:8787')).toMatch(/must start with https:\/\//);
    expect(serverAddressProblem('ftp://x.example')).toMatch(/must start with https:\/\//);
    expect(serverAddressProblem('https://ledger.example.org')).toBeNull();
    expect(serverAddressProblem('http://127.0.0.1:8787')).toBeNull();
    expect(serverAddressProblem('http://localhost:8787')).toBeNull();
    expect(serverAddressProblem('http://[::1]:8787')).toBeNull();
  });

  it('refuses an upload declaring more than 50 MB, and unfinished uploads past the per-user quota', async () => {
    const huge = await post(`/v1/files/${sha(1)}`, { sizeBytes: 2 ** 40, fileName: 'huge.csv' });
    expect(huge.status).toBe(429);
    expect(await huge.json()).toMatchObject({ ok: false, error: { code: 'LIMIT', message: expect.stringMatching(/at most 50 MB/) } });
    for (let i = 0; i < 4; i++) expect((await post(`/v1/files/${sha(100 + i)}`, { sizeBytes: 50 * 1024 * 1024, fileName: `f${i}.csv` })).status).toBe(200);
    const over = await post(`/v1/files/${sha(200)}`, { sizeBytes: 1024, fileName: 'one-more.csv' });
    expect(over.status).toBe(429);
    expect(await over.json()).toMatchObject({ error: { code: 'LIMIT', message: expect.stringMatching(/200 MB of unfinished uploads; finish them/) } });
  });

  it('caps the event streams one token may hold', async () => {
    const open = [];
    for (let i = 0; i < 4; i++) open.push(await openStream());
    expect(open.map((s) => s.status)).toEqual([200, 200, 200, 200]);
    const fifth = await openStream();
    expect(fifth.status).toBe(429);
    fifth.close();
    open[0]!.close();
    // A closed stream frees its place (the server hears the close asynchronously).
    let again = await openStream();
    for (let i = 0; i < 50 && again.status !== 200; i++) {
      again.close();
      await new Promise((r) => setTimeout(r, 100));
      again = await openStream();
    }
    expect(again.status).toBe(200);
    for (const s of [...open, again]) s.close();
  });

  it('answers 400 to a 50,000-deep JSON body and stays up', async () => {
    const deep = '{"clientId":' + '['.repeat(50_000) + ']'.repeat(50_000) + '}';
    const r = await post('/v1/sync/push', deep);
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringMatching(/nests deeper than 64 levels/) } });
    expect((await fetch(`${srv.url}/health`)).status).toBe(200);
  });
});
