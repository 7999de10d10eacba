import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { WIRE_MAX_FRAME_BYTES } from '../../shared/wire';
import type { Router } from '../router/router';
import type { Session } from '../router/session';
import { serveStatic } from './static-files';
import { WireAssembler } from './wire-assembler';

export interface BrowserHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const malformed = (message: string) => ({ ok: false, error: { code: 'VALIDATION', message } });

/** How long a closed tab's session waits for the same tab to reload and reconnect. */
const RESUME_GRACE_MS = 30_000;

/**
 * The browser host: the same router the Electron window uses, served to a browser over HTTP (the
 * built renderer) and a WebSocket (the contract), on 127.0.0.1 only, behind a per-launch token.
 * Whatever a page or a socket sends, the process stays up: every socket has its own error handler
 * and every request a size limit with a clear refusal.
 */
// long: one server: the HTTP handler and the WebSocket handler close over the same token and router
export async function startBrowserHost(router: Router, opts: { staticDir: string; port?: number }): Promise<BrowserHost> {
  const token = randomBytes(24).toString('hex');
  const server: Server = createServer((req, res) => {
    try {
      serveStatic(opts.staticDir, req, res);
    } catch {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('Server error');
    }
  });
  // A broken client connection is that connection's problem, never the process's.
  server.on('clientError', (_e, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: WIRE_MAX_FRAME_BYTES });
  wss.on('error', () => undefined);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  server.on('error', () => undefined);
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    let url: URL;
    try {
      url = new URL(req.url ?? '/', origin);
    } catch {
      url = new URL('/invalid', origin);
    }
    const given = Buffer.from(url.searchParams.get('token') ?? '');
    const okToken = given.length === token.length && timingSafeEqual(given, Buffer.from(token));
    // Another page the user visits cannot talk to the ledger: the Origin must be this host.
    const okOrigin = req.headers.origin === origin || req.headers.origin === `http://localhost:${port}`;
    if (url.pathname !== '/rpc' || !okToken || !okOrigin) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, url.searchParams.get('resume') ?? ''));
  });

  // A reload keeps its sign-in: the tab holds a random resume key (sessionStorage, so per tab) that
  // is only accepted with this launch's token, only for a session whose socket closed moments ago.
  const parked = new Map<string, { session: Session; timer: NodeJS.Timeout }>();

  function attach(ws: WebSocket, resumeKey: string) {
    const reply = (msg: unknown) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
    };
    const emit: Session['emit'] = (event, payload) => reply({ event, payload });
    const resumed = resumeKey ? parked.get(resumeKey) : undefined;
    let session: Session;
    let key: string;
    if (resumed) {
      clearTimeout(resumed.timer);
      parked.delete(resumeKey);
      session = resumed.session;
      session.emit = emit;
      key = resumeKey;
    } else {
      session = router.openSession(emit);
      key = randomBytes(24).toString('hex');
    }
    reply({ event: 'host.session', payload: { resume: key } });
    const parts = new WireAssembler();
    // Invalid UTF-8, a frame over the limit, a reset: ws itself closes this socket with the
    // matching code (1007, 1009); the listener only keeps the error from ending the process.
    ws.on('error', () => undefined);
    ws.on('message', async (data, isBinary) => {
      if (isBinary) return reply({ id: null, result: malformed('Send requests as text.') });
      const got = parts.accept(data.toString());
      if (got.kind === 'pending') return;
      if (got.kind === 'refused') return reply({ id: got.id, result: got.result });
      const req = got.request;
      const result = await router.invoke(session, req.channel, req.input);
      reply({ id: req.id, result });
    });
    ws.on('close', () => {
      parts.clear();
      const timer = setTimeout(() => {
        parked.delete(key);
        router.closeSession(session);
      }, RESUME_GRACE_MS);
      timer.unref();
      parked.set(key, { session, timer });
    });
  }

  return {
    url: `${origin}/#token=${token}`,
    port,
    token,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      for (const p of parked.values()) clearTimeout(p.timer);
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
