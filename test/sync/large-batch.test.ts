import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindAuditKey, fileAuditKey } from '../../src/core/audit/audit-key';
import { verifyAuditChain } from '../../src/core/audit/audit-log';
import { pushPending } from '../../src/main/sync/pusher';
import { newId } from '../../src/shared/ids';
import { ADMIN, drain, ledgerProblems, makeDesk, queuePayments, serverDb, type Desk, type RunningServer } from './helpers';
import { startServerOn, usePgCluster } from './office';

/**
 * Issue 13 item 6 (fast push): a batch runs without a savepoint per command, with cached reads and
 * held multi-row INSERTs (src/server/db/batch-db.ts). One refused command in the middle of a large
 * batch must still leave exactly the others applied, its money kept On Hold, and the server's
 * ledger and sealed audit chain whole, on both dialects.
 */
const pgc = usePgCluster();

const N = 1000;
const REFUSED = 700;

describe.each(['sqlite', 'postgres'] as const)('a refused command in a large pushed batch, on %s', (backend) => {
  let server: RunningServer;
  let databaseUrl: string | undefined;
  let a: Desk;
  let skip = false;

  beforeAll(async () => {
    const started = await startServerOn(backend, pgc(), 'large_batch');
    if (!started) {
      skip = true;
      return;
    }
    ({ server, databaseUrl } = started);
    a = await makeDesk(`large-batch-${backend}`, server.url, { requestTimeoutMs: 120_000 });
  }, 120_000);
  afterAll(async () => {
    await a?.close();
    await server?.kill();
  });

  it(`command ${REFUSED + 1} of ${N} is refused: the other ${N - 1} are applied once, its money is kept On Hold`, async () => {
    if (skip) return;
    const admin = await a.signIn(ADMIN.username, ADMIN.password);
    const div = await a.run(admin, 'divisions.create', { name: 'Large batch' });
    const accounts: string[] = [];
    for (let i = 0; i < 20; i++) accounts.push((await a.run(admin, 'accounts.create', { divisionId: div.id, accountNumber: `LB-${i}`, name: `Large ${i}` })).id);
    const closed = (await a.run(admin, 'accounts.create', { divisionId: div.id, accountNumber: 'LB-CLOSED', name: 'Closed meanwhile' })).id;
    await a.run(admin, 'accounts.setStatus', { accountId: closed, status: 'inactive', reason: 'Closed meanwhile' });
    await drain(a);

    // N commands in the outbox in one push (as a desk that worked offline leaves them); the refused
    // one names an account made inactive before it reached the server.
    const payments = Array.from({ length: N }, (_, i) => ({ id: newId(), accountId: i === REFUSED ? closed : accounts[i % accounts.length]!, cents: ((i % 50) + 1) * 100 }));
    queuePayments(a, admin.userId, payments);
    const raw = a.core.ledger.raw;
    // Only the push (the desk's cycle would pull too): the pusher, after the desk has proved itself.
    const link = a.sync['link'];
    await link.ensureDevice((await link.anyToken())!);
    await pushPending(link, undefined);

    const states = raw.prepare(`SELECT state, COUNT(*) AS n FROM sync_outbox WHERE name = 'payments.record' GROUP BY state ORDER BY state`).all();
    expect(states).toEqual([
      { state: 'accepted', n: N - 1 },
      { state: 'rejected', n: 1 },
    ]);
    const refused = raw.prepare(`SELECT error_json FROM sync_outbox WHERE subject_id = ?`).get(payments[REFUSED]!.id) as { error_json: string };
    expect(JSON.parse(refused.error_json)).toMatchObject({ code: 'CONFLICT', kept: { state: 'on_hold', paymentId: payments[REFUSED]!.id } });

    const s = serverDb(server, databaseUrl);
    try {
      const rows = await s.db.selectFrom('payments').select(['id', 'status', 'amount_cents', 'account_id']).where('id', 'in', payments.map((p) => p.id)).execute();
      expect(rows).toHaveLength(N);
      const byId = new Map(rows.map((r) => [r.id, r]));
      for (const [i, p] of payments.entries()) {
        expect(byId.get(p.id), `payment ${i}`).toMatchObject({ status: i === REFUSED ? 'on_hold' : 'pending', amount_cents: p.cents, account_id: p.accountId });
      }
      // Applied once each: one journal entry per accepted payment, none for the one kept On Hold.
      const entries = await s.db.selectFrom('account_entries').select(['source_id', 'amount_cents']).where('source_type', '=', 'payment').execute();
      expect(entries).toHaveLength(N - 1);
      expect(entries.some((e) => e.source_id === payments[REFUSED]!.id)).toBe(false);
      const expected = new Map<string, number>();
      for (const [i, p] of payments.entries()) if (i !== REFUSED) expected.set(p.accountId, (expected.get(p.accountId) ?? 0) - p.cents);
      const balances = await s.db.selectFrom('accounts').select(['id', 'balance_cents']).where('id', 'in', [...accounts, closed]).execute();
      for (const b of balances) expect(Number(b.balance_cents), `balance of ${b.id}`).toBe(expected.get(b.id) ?? 0);
      const logged = await s.db.selectFrom('command_log').select('id').where('name', '=', 'payments.record').execute();
      expect(logged).toHaveLength(N - 1);
      expect(await ledgerProblems(s.db)).toEqual([]);
      // The sealed audit head, moved once per batch, still names the chain's last entry.
      bindAuditKey(s.db, await fileAuditKey(join(server.dataDir, 'audit.key')).load());
      const chain = await verifyAuditChain(s.db);
      expect(chain.reason).toBeNull();
      expect(chain).toMatchObject({ ok: true, keyed: true });
    } finally {
      await s.close();
    }
  }, 300_000);

  it('a payment id already recorded, found only when the held rows are written (on PostgreSQL: sent while the batch goes on): that command alone is refused', async () => {
    if (skip) return;
    const admin = await a.signIn(ADMIN.username, ADMIN.password);
    const div = await a.run(admin, 'divisions.create', { name: 'Clash batch' });
    const accounts: string[] = [];
    for (let i = 0; i < 5; i++) accounts.push((await a.run(admin, 'accounts.create', { divisionId: div.id, accountNumber: `LC-${i}`, name: `Clash ${i}` })).id);
    const first = await a.run(admin, 'payments.record', { accountId: accounts[0]!, amount: '1.00', method: 'cash' });
    await drain(a);

    // 600 payments (several statements' worth of held rows); number 401 reuses the recorded payment's id under a new command.
    const n = 600;
    const clash = 400;
    const payments = Array.from({ length: n }, (_, i) => ({ id: i === clash ? first.id : newId(), accountId: accounts[i % accounts.length]!, cents: ((i % 40) + 1) * 100 }));
    const now = queuePayments(a, admin.userId, payments);
    const raw = a.core.ledger.raw;
    const link = a.sync['link'];
    await link.ensureDevice((await link.anyToken())!);
    await pushPending(link, undefined);

    const states = raw.prepare(`SELECT state, COUNT(*) AS n FROM sync_outbox WHERE name = 'payments.record' AND created_at = ? GROUP BY state ORDER BY state`).all(now);
    expect(states).toEqual([
      { state: 'accepted', n: n - 1 },
      { state: 'rejected', n: 1 },
    ]);
    const refused = raw.prepare(`SELECT error_json FROM sync_outbox WHERE state = 'rejected' AND created_at = ?`).get(now) as { error_json: string };
    expect(JSON.parse(refused.error_json)).toMatchObject({ code: 'CONFLICT', message: 'This payment was already recorded.' });

    const s = serverDb(server, databaseUrl);
    try {
      const others = payments.filter((_, i) => i !== clash);
      const rows = await s.db.selectFrom('payments').select(['id', 'amount_cents']).where('id', 'in', [first.id, ...others.map((p) => p.id)]).execute();
      expect(rows).toHaveLength(n);
      // The recorded payment is untouched: still $1.00, one journal entry.
      expect(rows.find((r) => r.id === first.id)).toMatchObject({ amount_cents: 100 });
      const entries = await s.db.selectFrom('account_entries').select('source_id').where('source_type', '=', 'payment').where('account_id', 'in', accounts).execute();
      expect(entries).toHaveLength(n);
      const expected = new Map<string, number>([[accounts[0]!, -100]]);
      for (const p of others) expected.set(p.accountId, (expected.get(p.accountId) ?? 0) - p.cents);
      const balances = await s.db.selectFrom('accounts').select(['id', 'balance_cents']).where('id', 'in', accounts).execute();
      for (const b of balances) expect(Number(b.balance_cents), `balance of ${b.id}`).toBe(expected.get(b.id));
      expect(await ledgerProblems(s.db)).toEqual([]);
      bindAuditKey(s.db, await fileAuditKey(join(server.dataDir, 'audit.key')).load());
      expect(await verifyAuditChain(s.db)).toMatchObject({ ok: true, keyed: true, reason: null });
    } finally {
      await s.close();
    }
  }, 300_000);
});
