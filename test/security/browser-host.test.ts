/**
 * Finding 6: the browser host fell over (the process exited) on a malformed URL, an invalid UTF-8
 * frame, a message over the limit, and an ordinary 7 MB CSV upload. Each probe goes to the real
 * host process, and after each the host must still answer.
 */
import { connect as netConnect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toFrames, WIRE_MAX_REQUEST_CHARS } from '../../src/shared/wire';
import { closed, connect, rpc, startHostProcess, STRONG, type HostProcess } from './support';

let h: HostProcess;

beforeAll(async () => {
  h = await startHostProcess();
  const ws = await connect(h);
  expect(await rpc(ws, 'auth.setupFirstAdmin', { username: 'admin', displayName: 'Ada Admin', password: STRONG })).toMatchObject({ ok: true });
  ws.close();
});
afterAll(async () => h?.stop());

async function stillUp() {
  expect(h.alive()).toBe(true);
  expect((await fetch(`http://127.0.0.1:${h.port}/`)).status).toBe(200);
}

/** A raw WebSocket frame, masked as a client must. */
function frame(opcode: number, payload: Buffer): Buffer {
  const mask = Buffer.from([1, 2, 3, 4]);
  const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
  const head = payload.length < 126 ? Buffer.from([0x80 | opcode, 0x80 | payload.length]) : Buffer.from([0x80 | opcode, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([head, mask, masked]);
}

describe('browser host under attack', () => {
  it('answers 400 to a malformed URL and stays up', async () => {
    const res = await fetch(`http://127.0.0.1:${h.port}/%E0%A4%A`);
    expect(res.status).toBe(400);
    await stillUp();
  });

  it('closes a socket that sends invalid UTF-8 (1007) and stays up', async () => {
    const ws = await connect(h);
    const gone = closed(ws);
    // Reach under the ws client (it would refuse to send invalid text) and write the frame itself.
    const sock = (ws as unknown as { _socket: import('node:net').Socket })._socket;
    sock.write(frame(0x1, Buffer.from([0xc3, 0x28, 0xff])));
    expect(await gone).toBe(1007);
    await stillUp();
  });

  it('closes a socket that sends a frame over the limit (1009) and stays up', async () => {
    const ws = await connect(h);
    const gone = closed(ws);
    ws.send('x'.repeat(9 * 1024 * 1024));
    expect(await gone).toBe(1009);
    await stillUp();
  });

  it('takes an ordinary 7 MB CSV in parts and answers it', async () => {
    const ws = await connect(h);
    expect(await rpc(ws, 'auth.signIn', { username: 'admin', password: STRONG })).toMatchObject({ ok: true });
    const line = 'ACCT-000001,Someone Payer,123.45,2026-01-01\n';
    const csv = 'account,name,balance,date\n' + line.repeat(Math.ceil((7 * 1024 * 1024) / line.length));
    const input = { previewId: '01890000-0000-7000-8000-000000000001', fileName: 'big.csv', kind: 'balance', divisionId: null, contentBase64: Buffer.from(csv).toString('base64') };
    const r = await rpc(ws, 'imports.preview', input, toFrames);
    // Whatever the file's content earns, the answer is the import's, not a transport failure.
    expect(r.error?.message ?? '').not.toMatch(/Malformed|larger than/);
    ws.close();
    await stillUp();
  });

  it('refuses a request over the limit with a clear answer, keeps the socket, and stays up', async () => {
    const ws = await connect(h);
    const r = await rpc(ws, 'imports.preview', { contentBase64: 'A'.repeat(WIRE_MAX_REQUEST_CHARS + 10) }, toFrames);
    expect(r).toEqual({ ok: false, error: { code: 'LIMIT', message: expect.stringMatching(/larger than 72 MB; files may be at most 50 MB/) } });
    expect(await rpc(ws, 'auth.status', {})).toMatchObject({ ok: true });
    ws.close();
    await stillUp();
  });

  it('survives a garbage HTTP request and a socket reset mid-upgrade', async () => {
    await new Promise<void>((resolve) => {
      const s = netConnect(h.port, '127.0.0.1', () => {
        s.write('GARBAGE \x00\x01 HTTP/9\r\n\r\n');
        s.on('data', () => undefined);
        s.on('close', () => resolve());
        s.on('error', () => resolve());
      });
    });
    await new Promise<void>((resolve) => {
      const s = netConnect(h.port, '127.0.0.1', () => {
        s.write(`GET /rpc?token=${h.token} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`);
        s.resetAndDestroy();
        resolve();
      });
    });
    await stillUp();
  });
});
