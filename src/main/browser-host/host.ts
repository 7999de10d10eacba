import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Router } from '../router/router';
import type { Session } from '../router/session';
import { serveStatic } from './static-files';

export interface BrowserHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** Messages on the WebSocket. Requests carry an id; the reply repeats it. */
type Request = { id: number; channel: string; input: unknown };

const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
/** How long a closed tab's session waits for the same tab to reload and reconnect. */
const RESUME_GRACE_MS = 30_000;

/**
 * The browser host: the same router the Electron window uses, served to a browser over HTTP (the
 * built renderer) and a WebSocket (the contract), on 127.0.0.1 only, behind a per-launch token.
 */
export async function startBrowserHost(router: Router, opts: { staticDir: string; port?: number }): Promise<BrowserHost> {
  const token = randomBytes(24).toString('hex');
  const server: Server = createServer((req, res) => serveStatic(opts.staticDir, req, res));
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin);
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
    const emit: Session['emit'] = (event, payload) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event, payload }));
    };
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
    ws.send(JSON.stringify({ event: 'host.session', payload: { resume: key } }));
    ws.on('message', async (data) => {
      let req: Request;
      try {
        req = JSON.parse(data.toString()) as Request;
        if (typeof req.id !== 'number' || typeof req.channel !== 'string') throw new Error('bad request');
      } catch {
        ws.send(JSON.stringify({ id: null, result: { ok: false, error: { code: 'VALIDATION', message: 'Malformed request.' } } }));
        return;
      }
      const result = await router.invoke(session, req.channel, req.input);
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: req.id, result }));
    });
    ws.on('close', () => {
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
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
