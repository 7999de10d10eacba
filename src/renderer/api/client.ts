import { channels, type Api, type Channel, type EventMap, type EventName } from '../../shared/contract';
import type { Result } from '../../shared/result';
import { toFrames } from '../../shared/wire';

/**
 * The renderer's one door to main. In Electron the preload exposes `window.ledgerdesk` (one
 * function per channel); in the browser host the same calls travel over a WebSocket that carries
 * this launch's token. Either way every call returns a Result; nothing throws across the boundary.
 */
export interface Bridge {
  invoke(channel: string, input: unknown): Promise<Result<unknown>>;
  on(event: string, cb: (payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    ledgerdesk?: { api: Record<string, (input: unknown) => Promise<Result<unknown>>>; on(event: string, cb: (payload: unknown) => void): () => void };
  }
}

function electronBridge(): Bridge | null {
  const p = window.ledgerdesk;
  if (!p) return null;
  return {
    invoke: (channel, input) => {
      const fn = p.api[channel];
      return fn ? fn(input) : Promise.resolve({ ok: false, error: { code: 'VALIDATION', message: `Unknown channel ${channel}` } });
    },
    on: (event, cb) => p.on(event, cb),
  };
}

function webSocketBridge(): Bridge {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem('ledgerdesk.token', fromHash);
    history.replaceState(null, '', location.pathname); // keep the token out of the address bar
    sessionStorage.removeItem('ledgerdesk.resume'); // a new launch: the old tab's session is gone
  }
  const token = sessionStorage.getItem('ledgerdesk.token') ?? '';
  let ws: WebSocket | null = null;
  let opening: Promise<WebSocket> | null = null;
  let nextId = 1;
  const pending = new Map<number, (r: Result<unknown>) => void>();
  const listeners = new Map<string, Set<(p: unknown) => void>>();

  const open = (): Promise<WebSocket> => {
    if (ws && ws.readyState === WebSocket.OPEN) return Promise.resolve(ws);
    if (opening) return opening;
    opening = new Promise((resolve, reject) => {
      // The resume key brings back this tab's sign-in after a reload (the host keeps it briefly).
      const resume = sessionStorage.getItem('ledgerdesk.resume') ?? '';
      const s = new WebSocket(`ws://${location.host}/rpc?token=${encodeURIComponent(token)}&resume=${encodeURIComponent(resume)}`);
      s.onopen = () => {
        ws = s;
        opening = null;
        resolve(s);
      };
      s.onerror = () => {
        opening = null;
        reject(new Error('The Ledgerdesk host is not reachable.'));
      };
      s.onclose = () => {
        ws = null;
        for (const [, done] of pending) done({ ok: false, error: { code: 'UNAVAILABLE', message: 'The connection to the Ledgerdesk host was lost.' } });
        pending.clear();
        listeners.get('host.disconnected')?.forEach((cb) => cb(null));
      };
      s.onmessage = (m) => {
        const msg = JSON.parse(String(m.data)) as { id?: number; result?: Result<unknown>; event?: string; payload?: unknown };
        if (msg.event === 'host.session') sessionStorage.setItem('ledgerdesk.resume', (msg.payload as { resume: string }).resume);
        else if (msg.event) listeners.get(msg.event)?.forEach((cb) => cb(msg.payload));
        else if (typeof msg.id === 'number') {
          pending.get(msg.id)?.(msg.result!);
          pending.delete(msg.id);
        }
      };
    });
    return opening;
  };

  return {
    invoke: async (channel, input) => {
      try {
        const s = await open();
        const id = nextId++;
        return await new Promise<Result<unknown>>((resolve) => {
          pending.set(id, resolve);
          // A long request (a file) travels in parts the host joins; see src/shared/wire.ts.
          for (const frame of toFrames(id, JSON.stringify({ id, channel, input }))) s.send(frame);
        });
      } catch (e) {
        return { ok: false, error: { code: 'UNAVAILABLE', message: (e as Error).message } };
      }
    },
    on: (event, cb) => {
      const set = listeners.get(event) ?? new Set();
      set.add(cb);
      listeners.set(event, set);
      return () => set.delete(cb);
    },
  };
}

const bridge: Bridge = electronBridge() ?? webSocketBridge();

/** `api['payments.record'](input)`: typed from the shared contract. */
export const api = Object.fromEntries(channels.map((c) => [c, (input: unknown) => bridge.invoke(c, input ?? {})])) as unknown as Api;

export function call<K extends Channel>(channel: K, input: Parameters<Api[K]>[0]): ReturnType<Api[K]> {
  return api[channel](input) as ReturnType<Api[K]>;
}

export function onEvent<E extends EventName>(event: E, cb: (payload: EventMap[E]) => void): () => void {
  return bridge.on(event, cb as (p: unknown) => void);
}
export const onHostDisconnected = (cb: () => void) => bridge.on('host.disconnected', cb);
