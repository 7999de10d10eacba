import { WIRE_MAX_REQUEST_CHARS } from '../../shared/wire';

/** Messages on the WebSocket. Requests carry an id; the reply repeats it. */
export type WireRequest = { id: number; channel: string; input: unknown };

type Refusal = { ok: false; error: { code: 'VALIDATION' | 'LIMIT'; message: string } };
export type Accepted = { kind: 'request'; request: WireRequest } | { kind: 'pending' } | { kind: 'refused'; id: number | null; result: Refusal };

const refuse = (id: number | null, code: Refusal['error']['code'], message: string): Accepted => ({ kind: 'refused', id, result: { ok: false, error: { code, message } } });
const MAX_OPEN_REQUESTS = 4;
const MAX_MB = Math.round(WIRE_MAX_REQUEST_CHARS / 1024 / 1024);

/**
 * Joins one socket's frames into requests (see src/shared/wire.ts) and refuses, with a message,
 * anything malformed or larger than the limit. Parts of a refused request are dropped.
 */
export class WireAssembler {
  private readonly open = new Map<number, { next: number; size: number; chunks: string[] }>();
  private readonly refused = new Set<number>();

  accept(text: string): Accepted {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      return refuse(null, 'VALIDATION', 'Malformed request.');
    }
    const part = (msg as { part?: unknown } | null)?.part as { id?: unknown; seq?: unknown; last?: unknown; data?: unknown } | undefined;
    if (!part) return this.request(msg);
    const { id, seq, last, data } = part;
    if (typeof id !== 'number' || typeof seq !== 'number' || typeof last !== 'boolean' || typeof data !== 'string') return refuse(null, 'VALIDATION', 'Malformed request part.');
    if (this.refused.has(id)) {
      if (last) this.refused.delete(id);
      return { kind: 'pending' };
    }
    const cur = this.open.get(id) ?? { next: 0, size: 0, chunks: [] };
    if (seq !== cur.next) return this.drop(id, last, 'VALIDATION', `Request part ${seq} arrived out of order (expected ${cur.next}).`);
    if (!this.open.has(id) && this.open.size >= MAX_OPEN_REQUESTS) return this.drop(id, last, 'LIMIT', 'Too many large requests at once; wait for the others to finish.');
    cur.size += data.length;
    if (cur.size > WIRE_MAX_REQUEST_CHARS) return this.drop(id, last, 'LIMIT', `The request is larger than ${MAX_MB} MB; files may be at most 50 MB.`);
    cur.chunks.push(data);
    cur.next++;
    this.open.set(id, cur);
    if (!last) return { kind: 'pending' };
    this.open.delete(id);
    let whole: unknown;
    try {
      whole = JSON.parse(cur.chunks.join(''));
    } catch {
      return refuse(id, 'VALIDATION', 'Malformed request.');
    }
    const r = this.request(whole);
    if (r.kind === 'request' && r.request.id !== id) return refuse(id, 'VALIDATION', 'The request parts do not match their request.');
    return r;
  }

  clear(): void {
    this.open.clear();
    this.refused.clear();
  }

  private drop(id: number, last: boolean, code: Refusal['error']['code'], message: string): Accepted {
    this.open.delete(id);
    if (!last) {
      if (this.refused.size > 1000) this.refused.clear();
      this.refused.add(id);
    }
    return refuse(id, code, message);
  }

  private request(msg: unknown): Accepted {
    const r = msg as Partial<WireRequest> | null;
    if (!r || typeof r !== 'object' || typeof r.id !== 'number' || typeof r.channel !== 'string') return refuse(null, 'VALIDATION', 'Malformed request.');
    return { kind: 'request', request: r as WireRequest };
  }
}
