import type { Page } from '@playwright/test';
import { USERS } from './host';

/**
 * Calls the router over its own WebSocket, signed in as `who`: how the tests seed known invoices,
 * and how they prove the router refuses a CSR whatever the UI shows.
 */
export async function rpc(page: Page, who: keyof typeof USERS, calls: [string, unknown][]): Promise<{ ok: boolean; value?: any; error?: { code: string; message: string } }[]> {
  return page.evaluate(
    async ({ user, calls }) => {
      const token = sessionStorage.getItem('ledgerdesk.token')!;
      const ws = new WebSocket(`ws://${location.host}/rpc?token=${encodeURIComponent(token)}`);
      await new Promise((res, rej) => {
        ws.onopen = res;
        ws.onerror = rej;
      });
      let id = 0;
      const send = (channel: string, input: unknown) =>
        new Promise<any>((res) => {
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
      if (!signed.ok) throw new Error(signed.error.message);
      const out = [];
      for (const [channel, input] of calls) out.push(await send(channel, input));
      ws.close();
      return out;
    },
    { user: USERS[who], calls },
  );
}
