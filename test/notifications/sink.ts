/** Starts the SMTP sink (test/notifications/smtp-sink.ts) as a separate process and reads what it received. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

export interface Sink {
  port: number;
  dir: string;
  proc: ChildProcess;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export async function startSink(dir: string, opts: { port?: number; exitAfter?: number; delayMs?: number; rejectPattern?: string } = {}): Promise<Sink> {
  const args = ['test/notifications/smtp-sink.ts', '--dir', dir, '--port', String(opts.port ?? 0)];
  if (opts.exitAfter !== undefined) args.push('--exit-after', String(opts.exitAfter));
  if (opts.delayMs) args.push('--delay-ms', String(opts.delayMs));
  if (opts.rejectPattern) args.push('--reject-pattern', opts.rejectPattern);
  // Its own process group: tsx runs node as a child, and stop() must end both.
  const proc = spawn(TSX, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  const port = await new Promise<number>((res, rej) => {
    let out = '';
    const timer = setTimeout(() => rej(new Error(`SMTP sink did not start: ${out}`)), 30_000);
    proc.stdout!.on('data', (d) => {
      out += String(d);
      const m = /SMTP_PORT=(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        res(Number(m[1]));
      }
    });
    proc.stderr!.on('data', (d) => (out += String(d)));
    proc.on('exit', (code) => rej(new Error(`SMTP sink exited (${code}): ${out}`)));
  });
  return {
    port,
    dir,
    proc,
    exited,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) {
        try {
          process.kill(-proc.pid!, 'SIGKILL');
        } catch {
          proc.kill('SIGKILL');
        }
        await exited;
      }
    },
  };
}

export interface MimePart {
  headers: Record<string, string>;
  body: Buffer;
  parts: MimePart[];
}

export interface ReceivedMail {
  file: string;
  headers: Record<string, string>;
  messageId: string;
  to: string;
  subject: string;
  text: string;
  attachments: { filename: string; contentType: string; content: Buffer }[];
}

function decodeWords(s: string): string {
  return s.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_w, _cs, enc: string, data: string) =>
    enc.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : Buffer.from(qp(data.replace(/_/g, ' '))).toString('utf8'),
  );
}

function qp(s: string): Buffer {
  const t = s.replace(/=\r?\n/g, '');
  const out: number[] = [];
  for (let i = 0; i < t.length; i++) {
    if (t[i] === '=' && /^[0-9A-F]{2}$/i.test(t.slice(i + 1, i + 3))) {
      out.push(parseInt(t.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(t.charCodeAt(i));
  }
  return Buffer.from(out);
}

export function parseMime(raw: Buffer): MimePart {
  const text = raw.toString('latin1');
  const split = text.indexOf('\r\n\r\n');
  const head = split >= 0 ? text.slice(0, split) : text;
  const bodyText = split >= 0 ? text.slice(split + 4) : '';
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const ct = headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(ct)?.[1];
  if (/^multipart\//i.test(ct) && boundary) {
    const parts = bodyText
      .split(`--${boundary}`)
      .slice(1)
      .filter((p) => !p.startsWith('--'))
      .map((p) => parseMime(Buffer.from(p.replace(/^\r\n/, '').replace(/\r\n$/, ''), 'latin1')));
    return { headers, body: Buffer.alloc(0), parts };
  }
  const enc = (headers['content-transfer-encoding'] ?? '').toLowerCase();
  const body = enc === 'base64' ? Buffer.from(bodyText.replace(/\s+/g, ''), 'base64') : enc === 'quoted-printable' ? qp(bodyText) : Buffer.from(bodyText, 'latin1');
  return { headers, body, parts: [] };
}

function leaves(p: MimePart): MimePart[] {
  return p.parts.length ? p.parts.flatMap(leaves) : [p];
}

export function readMail(file: string): ReceivedMail {
  const root = parseMime(readFileSync(file));
  const all = leaves(root);
  const textPart = all.find((p) => /^text\/plain/i.test(p.headers['content-type'] ?? 'text/plain') && !/attachment/i.test(p.headers['content-disposition'] ?? ''));
  return {
    file,
    headers: root.headers,
    messageId: root.headers['message-id'] ?? '',
    to: root.headers['to'] ?? '',
    subject: decodeWords(root.headers['subject'] ?? ''),
    text: textPart ? textPart.body.toString('utf8').replace(/\r\n/g, '\n') : '',
    attachments: all
      .filter((p) => /attachment/i.test(p.headers['content-disposition'] ?? ''))
      .map((p) => ({
        filename: /filename="?([^";]+)"?/i.exec(p.headers['content-disposition'] ?? '')?.[1] ?? '',
        contentType: (p.headers['content-type'] ?? '').split(';')[0]!,
        content: p.body,
      })),
  };
}

export function receivedMails(dir: string): ReceivedMail[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.eml'))
    .sort()
    .map((f) => readMail(join(dir, f)));
}

export const receivedCount = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.eml')).length : 0);
