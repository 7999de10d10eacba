/** A failure to reach the server or to get a whole answer: retried with backoff. */
export class TransportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransportError';
  }
}

/** The server answered with an error (4xx): an answer, not retried. */
export class ServerError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ServerError';
  }
}

export type FetchLike = typeof fetch;

/** JSON over HTTP(S) to the central server, with a timeout per request. */
export class ServerApi {
  constructor(
    readonly baseUrl: string,
    private readonly fetchImpl: FetchLike = fetch,
    private readonly timeoutMs = 30_000,
  ) {}

  async request<T>(method: string, path: string, opts: { token?: string; json?: unknown; body?: Uint8Array; headers?: Record<string, string>; raw?: boolean } = {}): Promise<T> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | Uint8Array | undefined;
    if (opts.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.json);
    } else if (opts.body) {
      headers['content-type'] = 'application/octet-stream';
      body = opts.body;
    }
    let res: Response;
    try {
      res = await this.fetchImpl(new URL(path, this.baseUrl), { method, headers, body: body as RequestInit['body'], signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      throw new TransportError(`The server is not reachable (${(e as Error).message}).`);
    }
    let bytes: Buffer;
    try {
      bytes = Buffer.from(await res.arrayBuffer());
    } catch (e) {
      throw new TransportError(`The server's answer was cut off (${(e as Error).message}).`);
    }
    if (res.status >= 500 || res.status === 408 || res.status === 429 && path.includes('/sync/')) {
      throw new TransportError(`The server is unavailable (HTTP ${res.status}).`);
    }
    // A body limit in front of the server (a reverse proxy) answers 413 in its own words, not ours.
    if (res.status === 413) throw new ServerError(413, 'LIMIT', 'The request is too large for the server or a proxy in front of it.');
    if (opts.raw && res.ok) return bytes as T;
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch {
      // A cut or garbled body is a transport failure: the request is repeated, and the server dedupes.
      throw new TransportError(`The server's answer was incomplete (HTTP ${res.status}).`);
    }
    if (!res.ok) {
      const e = (parsed as { error?: { code?: string; message?: string; details?: Record<string, unknown> } }).error ?? {};
      throw new ServerError(res.status, e.code ?? 'INTERNAL', e.message ?? `HTTP ${res.status}`, e.details);
    }
    return parsed as T;
  }
}
