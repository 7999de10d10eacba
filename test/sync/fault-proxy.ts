import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fault-injecting proxy between desktops and the server. Each request, by a seeded random draw:
 * - drop: the connection is closed before the request reaches the server;
 * - duplicate: the request is sent to the server twice (the copy later, so it also arrives
 *   out of order, after newer requests);
 * - delay: held for a while before it is forwarded (requests from several desks reorder);
 * - cut: forwarded, the server commits and answers, and the answer is thrown away (the
 *   connection is closed): "response lost after commit".
 * Streams (/v1/sync/events) pass through untouched. `upstream` may be changed (server restarted).
 */
export interface FaultRates {
  drop?: number;
  duplicate?: number;
  delay?: number;
  cut?: number;
  maxDelayMs?: number;
  /** Answer 413 to a larger request body without forwarding it, as a reverse proxy's body limit does. */
  maxBodyBytes?: number;
}

export class FaultProxy {
  private server: http.Server | null = null;
  rates: FaultRates;
  upstream: string;
  readonly counts = { requests: 0, dropped: 0, duplicated: 0, delayed: 0, cut: 0, tooLarge: 0 };
  private seed: number;
  /** Forces the next N requests to this path prefix to be cut after the server answered. */
  private forced: { path: string; fault: 'cut' | 'drop'; n: number }[] = [];
  private waiting: { path: string; arrived: () => void }[] = [];

  constructor(upstream: string, rates: FaultRates = {}, seed = 1) {
    this.upstream = upstream;
    this.rates = rates;
    this.seed = seed;
  }

  private random(): number {
    // mulberry32: reproducible runs from the seed
    let t = (this.seed += 0x6d2b79f5);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  force(path: string, fault: 'cut' | 'drop', n = 1): void {
    this.forced.push({ path, fault, n });
  }

  /** Resolves when the next request to this path prefix reaches the proxy: a test acts mid-request without sleeping. */
  nextRequest(path: string): Promise<void> {
    return new Promise((arrived) => this.waiting.push({ path, arrived }));
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const url = req.url ?? '/';
    if (url.startsWith('/v1/sync/events')) return this.stream(req, res);
    this.counts.requests++;
    for (const w of this.waiting.filter((x) => url.startsWith(x.path))) w.arrived();
    this.waiting = this.waiting.filter((x) => !url.startsWith(x.path));
    if (this.rates.maxBodyBytes !== undefined && body.length > this.rates.maxBodyBytes) {
      this.counts.tooLarge++;
      res.writeHead(413, { 'content-type': 'text/html' });
      res.end('<html><body><h1>413 Request Entity Too Large</h1></body></html>');
      return;
    }
    const forced = this.forced.find((f) => url.startsWith(f.path) && f.n > 0);
    if (forced) forced.n--;
    const r = this.rates;
    if (forced?.fault === 'drop' || (!forced && this.random() < (r.drop ?? 0))) {
      this.counts.dropped++;
      req.socket.destroy();
      return;
    }
    if (!forced && this.random() < (r.delay ?? 0)) {
      this.counts.delayed++;
      await sleep(this.random() * (r.maxDelayMs ?? 200));
    }
    if (!forced && this.random() < (r.duplicate ?? 0)) {
      this.counts.duplicated++;
      const later = this.random() * (r.maxDelayMs ?? 200) + 20;
      setTimeout(() => void this.forward(req, body).catch(() => undefined), later);
    }
    let answer: { status: number; headers: http.IncomingHttpHeaders; body: Buffer };
    try {
      answer = await this.forward(req, body);
    } catch {
      req.socket.destroy();
      return;
    }
    if (forced?.fault === 'cut' || (!forced && this.random() < (r.cut ?? 0))) {
      this.counts.cut++;
      // The server committed and answered; the desk sees the connection die mid-answer.
      res.writeHead(answer.status, { 'content-type': String(answer.headers['content-type'] ?? 'application/json'), 'content-length': String(answer.body.length) });
      res.write(answer.body.subarray(0, Math.floor(answer.body.length / 2)));
      setTimeout(() => req.socket.destroy(), 5);
      return;
    }
    const headers = { ...answer.headers };
    delete headers['transfer-encoding'];
    delete headers.connection;
    res.writeHead(answer.status, headers);
    res.end(answer.body);
  }

  private forward(req: http.IncomingMessage, body: Buffer): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
    const target = new URL(req.url ?? '/', this.upstream);
    return new Promise((resolve, reject) => {
      const headers = { ...req.headers, host: target.host, 'content-length': String(body.length) };
      const up = http.request(target, { method: req.method, headers }, (ur) => {
        const parts: Buffer[] = [];
        ur.on('data', (c: Buffer) => parts.push(c));
        ur.on('end', () => resolve({ status: ur.statusCode ?? 502, headers: ur.headers, body: Buffer.concat(parts) }));
        ur.on('error', reject);
      });
      up.on('error', reject);
      up.end(body);
    });
  }

  private stream(req: http.IncomingMessage, res: http.ServerResponse) {
    const target = new URL(req.url ?? '/', this.upstream);
    const up = http.request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (ur) => {
      res.writeHead(ur.statusCode ?? 502, ur.headers);
      ur.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.on('close', () => up.destroy());
    up.end();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
