import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { Channel, OutputOf } from '../../src/shared/contract';
import type { WireReply } from '../helpers/channels';

const ROOT = process.cwd();

/** A password every rule accepts (long, not in any list). */
export const STRONG = 'Quarterly-ledger-Harbor-42';

export interface HostProcess {
  port: number;
  token: string;
  proc: ChildProcess;
  output: string[];
  alive(): boolean;
  stop(): Promise<void>;
}

/** The real browser host (`npm run web`'s program) as its own process, on an empty ledger. */
export async function startHostProcess(): Promise<HostProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'ledgerdesk-sec-host-'));
  const staticDir = join(dir, 'static');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>x</title>');
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main/browser-host/cli.ts', '--data', join(dir, 'data'), '--port', '0', '--static', staticDir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`browser host did not start: ${output.join('')}`)), 60_000);
    proc.stdout!.on('data', (d: Buffer) => {
      output.push(String(d));
      const m = /LEDGERDESK_URL=(\S+)/.exec(output.join(''));
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    proc.stderr!.on('data', (d: Buffer) => output.push(String(d)));
    proc.once('exit', (code) => reject(new Error(`browser host exited (${code}): ${output.join('')}`)));
  });
  const u = new URL(url);
  return {
    port: Number(u.port),
    token: new URLSearchParams(u.hash.slice(1)).get('token')!,
    proc,
    output,
    alive: () => proc.exitCode === null && proc.signalCode === null,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) {
        const done = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await done;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function connect(h: HostProcess): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${h.port}/rpc?token=${h.token}`, { origin: `http://127.0.0.1:${h.port}`, maxPayload: 256 * 1024 * 1024 });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

let nextId = 1;
/** One contract call; `frames` lets a test send the text split as the renderer does. */
export function rpc<K extends Channel>(ws: WebSocket, channel: K, input: unknown, frames?: (id: number, text: string) => string[]): Promise<WireReply<OutputOf<K>>> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const onMsg = (data: WebSocket.RawData) => {
      const msg = JSON.parse(String(data));
      if (msg.id === id) {
        ws.off('message', onMsg);
        ws.off('close', onClose);
        resolve(msg.result);
      }
    };
    const onClose = (code: number) => reject(new Error(`socket closed (${code})`));
    ws.on('message', onMsg);
    ws.once('close', onClose);
    const text = JSON.stringify({ id, channel, input });
    for (const f of frames ? frames(id, text) : [text]) ws.send(f);
  });
}

export const closed = (ws: WebSocket): Promise<number> => new Promise((r) => ws.once('close', (code) => r(code)));
