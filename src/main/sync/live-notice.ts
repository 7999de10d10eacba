import type { ServerLink } from './server-link';

/**
 * The server's push notice (server-sent events): another office changed something, pull at once.
 */

/** Splits a growing text buffer into complete events; returns those and the unfinished rest. */
export function splitEvents(buf: string): { events: string[]; rest: string } {
  const events: string[] = [];
  let i: number;
  while ((i = buf.indexOf('\n\n')) >= 0) {
    events.push(buf.slice(0, i));
    buf = buf.slice(i + 2);
  }
  return { events, rest: buf };
}

/** Whether an event asks the desk to sync (new changes, or a fresh connection). */
export const asksForSync = (event: string): boolean => /^event: (changes|hello)/m.test(event);

/**
 * Listens until `stopped()` or the signal aborts, reconnecting with backoff; calls `onNotice` for
 * each event that asks for a sync.
 */
export async function listenForNotices(link: ServerLink, signal: AbortSignal, stopped: () => boolean, onNotice: () => void): Promise<void> {
  let delay = 1000;
  while (!stopped() && !signal.aborted) {
    try {
      const token = await link.anyToken();
      if (token && link.api) {
        const res = await link.fetch(new URL('/v1/sync/events', link.api.baseUrl), { headers: { authorization: `Bearer ${token}`, ...link.device }, signal });
        if (res.ok && res.body) {
          delay = 1000;
          await readEvents(res.body, onNotice);
        }
      }
    } catch {
      // reconnect below
    }
    if (stopped() || signal.aborted) break;
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 30_000);
  }
}

async function readEvents(body: ReadableStream<Uint8Array>, onNotice: () => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    const { events, rest } = splitEvents(buf + decoder.decode(value, { stream: true }));
    buf = rest;
    if (events.some(asksForSync)) onNotice();
  }
}
