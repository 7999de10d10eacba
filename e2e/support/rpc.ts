import type { Page } from '@playwright/test';
import type { Channel, OutputOf } from '../../src/shared/contract';
import type { AppError } from '../../src/shared/result';
import { USERS } from './host';

/** One call's answer as the wire carries it; `value` is typed by the channel (read it after checking `ok`, or when the call must succeed). */
export interface RpcReply<T> {
  ok: boolean;
  value: T;
  error?: AppError;
}
type Replies<C extends readonly (readonly [Channel, unknown])[]> = { -readonly [I in keyof C]: RpcReply<OutputOf<C[I][0]>> };

/**
 * Calls the router over its own WebSocket, signed in as `who`: how the tests seed known invoices,
 * and how they prove the router refuses a CSR whatever the UI shows.
 */
export async function rpc<const C extends readonly (readonly [Channel, unknown])[]>(page: Page, who: keyof typeof USERS, calls: C): Promise<Replies<C>> {
  const replies = await page.evaluate(
    async ({ user, calls }) => {
      const token = sessionStorage.getItem('ledgerdesk.token')!;
      const ws = new WebSocket(`ws://${location.host}/rpc?token=${encodeURIComponent(token)}`);
      await new Promise((res, rej) => {
        ws.onopen = res;
        ws.onerror = rej;
      });
      let id = 0;
      const send = (channel: string, input: unknown) =>
        new Promise<{ ok: boolean; error?: { message: string } }>((res) => {
          const mine = ++id;
          const onMsg = (m: MessageEvent) => {
            const msg = JSON.parse(String(m.data));
            if (msg.id === mine) {
              ws.removeEventListener('message', onMsg);
              res(msg.result);
            }
          };
          ws.addEventListener('message', onMsg);
          ws.send(JSON.stringify({ id: mine, channel, input }));
        });
      const signed = await send('auth.signIn', { username: user.username, password: user.password });
      if (!signed.ok) throw new Error(signed.error?.message);
      const out = [];
      for (const [channel, input] of calls) out.push(await send(channel, input));
      ws.close();
      return out;
    },
    { user: USERS[who], calls },
  );
  // The page answers plain JSON; each reply is the Result the channel's contract declares.
  return replies as Replies<C>;
}
