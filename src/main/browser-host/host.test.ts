import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { makeLedger, type TestLedger } from '../../../test/helpers/ledger';
import { Router } from '../router/router';
import { startBrowserHost, type BrowserHost } from './host';
import type { Channel, OutputOf } from '../../shared/contract';
import type { WireReply } from '../../../test/helpers/channels';

let t: TestLedger;
let host: BrowserHost;

beforeAll(async () => {
  t = await makeLedger();
  const staticDir = join(t.dir, 'static');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(join(t.dir, 'secret.txt'), 'do not serve');
  host = await startBrowserHost(new Router(t.core), { staticDir });
});
afterAll(async () => {
  await host.close();
  await t.cleanup();
});

/** The host's first message names the tab's resume key; it is caught before anything can miss it. */
const resumeKeys = new WeakMap<WebSocket, Promise<string>>();

function connect(token: string, origin: string, resume = ''): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/rpc?token=${token}${resume ? `&resume=${resume}` : ''}`, { origin });
    resumeKeys.set(ws, new Promise((r) => ws.once('message', (d) => r(JSON.parse(String(d)).payload.resume))));
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function rpc<K extends Channel>(ws: WebSocket, channel: K, input: unknown): Promise<WireReply<OutputOf<K>>> {
  return new Promise((resolve) => {
    const id = Math.floor(Math.random() * 1e9);
    const onMsg = (data: WebSocket.RawData) => {
      const msg = JSON.parse(String(data));
      if (msg.id === id) {
        ws.off('message', onMsg);
        resolve(msg.result);
      }
    };
    ws.on('message', onMsg);
    ws.send(JSON.stringify({ id, channel, input }));
  });
}

describe('browser host', () => {
  const origin = () => `http://127.0.0.1:${host.port}`;

  it('listens on 127.0.0.1 and serves the UI with a strict CSP', async () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{48}$/);
    const res = await fetch(`http://127.0.0.1:${host.port}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect((await fetch(`http://127.0.0.1:${host.port}/..%2Fsecret.txt`)).status).toBe(404);
  });

  it('refuses a WebSocket without the token, with a wrong token, or from another origin', async () => {
    await expect(connect('', origin())).rejects.toThrow('HTTP 403');
    await expect(connect('0'.repeat(48), origin())).rejects.toThrow('HTTP 403');
    await expect(connect(host.token, 'http://evil.example')).rejects.toThrow('HTTP 403');
  });

  it('answers contract calls with Results, and malformed messages with a precise error', async () => {
    const ws = await connect(host.token, origin());
    expect(await rpc(ws, 'auth.signIn', { username: 'admin', password: 'correct horse battery' })).toMatchObject({ ok: true });
    expect(await rpc(ws, 'divisions.list', {})).toMatchObject({ ok: true, value: [{ name: 'North Clinic' }] });
    const reply = await new Promise<unknown>((resolve) => {
      ws.once('message', (d) => resolve(JSON.parse(String(d))));
      ws.send('not json');
    });
    expect(reply).toEqual({ id: null, result: { ok: false, error: { code: 'VALIDATION', message: 'Malformed request.' } } });
    ws.close();
  });

  it('a reloaded tab keeps its sign-in with its resume key; a made-up key gets a fresh, signed-out session', async () => {
    const keyOf = (ws: WebSocket) => resumeKeys.get(ws)!;
    const first = await connect(host.token, origin());
    const key = await keyOf(first);
    expect(key).toMatch(/^[0-9a-f]{48}$/);
    expect(await rpc(first, 'auth.signIn', { username: 'admin', password: 'correct horse battery' })).toMatchObject({ ok: true });
    const closed = new Promise((r) => first.once('close', r));
    first.close();
    await closed;

    const stranger = await connect(host.token, origin(), 'f'.repeat(48));
    expect(await keyOf(stranger)).not.toBe('f'.repeat(48));
    expect(await rpc(stranger, 'auth.status', {})).toMatchObject({ ok: true, value: { session: null } });
    stranger.close();

    const again = await connect(host.token, origin(), key);
    expect(await keyOf(again)).toBe(key);
    expect(await rpc(again, 'auth.status', {})).toMatchObject({ ok: true, value: { session: { user: { username: 'admin' } } } });
    again.close();
  });
});
