import { describe, expect, it } from 'vitest';
import { MAX_PUSH_COMMANDS } from '../../src/core/sync/protocol';
import { pushPending } from '../../src/main/sync/pusher';
import { newId } from '../../src/shared/ids';
import { ADMIN, drain, proxiedDesk, queuePayments, serverDb } from './helpers';

/**
 * A push larger than the path to the server accepts (a reverse proxy's body limit answering 413, or
 * an older server allowing fewer commands per push than this desk sends) must not stall the desk
 * forever: it sends the same commands in smaller pushes until they fit, in order, each once.
 */
describe('a push refused as too large', () => {
  const env = proxiedDesk('push-size');

  it('is sent again in smaller pushes until they fit; every payment arrives once', async () => {
    const { server, proxy, desk } = env;
    const admin = await desk.signIn(ADMIN.username, ADMIN.password);
    const div = await desk.run(admin, 'divisions.create', { name: 'Push size' });
    const accounts: string[] = [];
    for (let i = 0; i < 3; i++) accounts.push((await desk.run(admin, 'accounts.create', { divisionId: div.id, accountNumber: `PS-${i}`, name: `Push size ${i}` })).id);
    await drain(desk);

    // 300 payments, about 100 KB as one push; the proxy lets 40 KB through.
    proxy.rates = { maxBodyBytes: 40_000 };
    const ids: string[] = [];
    for (let i = 0; i < 300; i++) ids.push((await desk.run(admin, 'payments.record', { accountId: accounts[i % 3]!, amount: `${(i % 20) + 1}.00`, method: 'cash' })).id);
    await drain(desk, 20);

    expect(proxy.counts.tooLarge).toBeGreaterThan(0);
    const states = desk.core.ledger.raw.prepare(`SELECT state, COUNT(*) AS n FROM sync_outbox WHERE name = 'payments.record' GROUP BY state`).all();
    // Accepted and acknowledged: nothing waits or was refused (the outbox keeps only unfinished rows).
    expect(states).toEqual([]);
    const s = serverDb(server, undefined);
    try {
      const rows = await s.db.selectFrom('payments').select('id').where('id', 'in', ids).execute();
      expect(rows).toHaveLength(300);
      const entries = await s.db.selectFrom('account_entries').select('id').where('source_type', '=', 'payment').execute();
      expect(entries).toHaveLength(300);
    } finally {
      await s.close();
    }
  }, 180_000);

  it('more commands than the server allows per push (a newer desk, an older server): sent in halves, each once', async () => {
    const { server, proxy, desk } = env;
    proxy.rates = {};
    const admin = await desk.signIn(ADMIN.username, ADMIN.password);
    const div = await desk.run(admin, 'divisions.create', { name: 'Push count' });
    const account = (await desk.run(admin, 'accounts.create', { divisionId: div.id, accountNumber: 'PC-1', name: 'Push count' })).id;
    await drain(desk);
    // One more than the server takes, left in the outbox as a desk that worked offline leaves them.
    const n = MAX_PUSH_COMMANDS + 1;
    const payments = Array.from({ length: n }, () => ({ id: newId(), accountId: account, cents: 100 }));
    queuePayments(desk, admin.userId, payments);
    const raw = desk.core.ledger.raw;
    const link = desk.sync['link'];
    await link.ensureDevice((await link.anyToken())!);
    // The desk tries to send all of them at once, as a desk built with a larger limit would.
    await pushPending(link, undefined, n);

    const left = raw.prepare(`SELECT state, COUNT(*) AS n FROM sync_outbox WHERE name = 'payments.record' GROUP BY state`).all();
    expect(left).toEqual([{ state: 'accepted', n }]);
    const s = serverDb(server, undefined);
    try {
      const count = await s.db.selectFrom('account_entries').select((eb) => eb.fn.countAll<number>().as('n')).where('source_type', '=', 'payment').where('account_id', '=', account).executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(n);
    } finally {
      await s.close();
    }
  }, 180_000);
});
