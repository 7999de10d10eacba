import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/commands/types';
import { FaultProxy } from './fault-proxy';
import { ADMIN, compareWithServer, drain, ledgerProblems, makeDesk, serverDb, startPg, startServer, type Desk, type PgCluster, type RunningServer } from './helpers';

/**
 * Convergence: N desks issue random command streams while the proxies drop, duplicate, delay and
 * cut their requests; after every queue drains, each desk's ledger equals the server's, row by row
 * and in balances, and the ledger's invariants hold everywhere. On PostgreSQL the desks talk to two
 * server processes sharing one database (scale-out ordering).
 */
let pgc: PgCluster | null = null;
beforeAll(async () => {
  pgc = await startPg();
}, 60_000);
afterAll(async () => {
  await pgc?.stop();
});

type Op =
  | { k: 'pay'; desk: number; acct: number; cents: number; back: boolean }
  | { k: 'deposit'; desk: number }
  | { k: 'add'; desk: number }
  | { k: 'complete'; desk: number }
  | { k: 'sync'; desk: number }
  | { k: 'month'; desk: number; close: boolean }
  | { k: 'offline'; desk: number; on: boolean };

const N = 3;
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ k: fc.constant('pay' as const), desk: fc.nat(N - 1), acct: fc.nat(2), cents: fc.integer({ min: 1, max: 50_000 }), back: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('deposit' as const), desk: fc.nat(N - 1) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('add' as const), desk: fc.nat(N - 1) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('complete' as const), desk: fc.nat(N - 1) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('sync' as const), desk: fc.nat(N - 1) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('offline' as const), desk: fc.nat(N - 1), on: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('month' as const), desk: fc.nat(N - 1), close: fc.boolean() }) },
);

describe.each(['sqlite', 'postgres'] as const)('convergence under faults (%s)', (backend) => {
  const servers: RunningServer[] = [];
  let databaseUrl: string | undefined;
  let accounts: string[] = [];
  let divisionId = '';
  let skip = false;

  beforeAll(async () => {
    if (backend === 'postgres') {
      if (!pgc) {
        skip = true;
        return;
      }
      databaseUrl = await pgc.createDb('convergence');
    }
    // The server runs east of UTC+12 while the office is west of UTC-8: business dates must come
    // from the commands, never from either machine's zone.
    servers.push(await startServer({ databaseUrl, env: { TZ: 'Pacific/Kiritimati' } }));
    if (databaseUrl) servers.push(await startServer({ databaseUrl, env: { TZ: 'Pacific/Kiritimati' } }));
    const boot = await makeDesk('boot', servers[0]!.url);
    const admin = await boot.signIn(ADMIN.username, ADMIN.password);
    divisionId = (await boot.run(admin, 'divisions.create', { name: 'Prop Division' })).id;
    await boot.run(admin, 'settings.update', { officeTimeZone: 'America/Los_Angeles' });
    await boot.run(admin, 'users.create', { username: 'sam', displayName: 'Sam', role: 'supervisor', password: 'supervisor-pass-1' });
    await boot.run(admin, 'users.create', { username: 'carla', displayName: 'Carla', role: 'csr', password: 'csr-password-1' });
    accounts = [];
    for (let i = 0; i < 3; i++) {
      const a = await boot.run(admin, 'accounts.create', { divisionId, accountNumber: `P-${i}`, name: `Prop ${i}` });
      accounts.push(a.id);
      await boot.run(admin, 'invoices.create', { accountId: a.id, invoiceNumber: `PI-${i}`, invoiceDate: '2026-03-01', dueDate: '2026-03-01', lines: [{ category: 'Fees', description: 'x', amount: '250.00' }, { category: 'Fees', description: 'y', amount: '120.00' }] });
    }
    await drain(boot);
    await boot.close();
  }, 180_000);

  afterAll(async () => {
    for (const s of servers) await s.kill();
  });

  it('every desk equals the server after the queues drain', async (ctx) => {
    if (skip) return ctx.skip();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 30, maxLength: 60 }), fc.integer({ min: 1, max: 1_000_000 }), async (ops, seed) => {
        run++;
        const proxies: FaultProxy[] = [];
        const desks: Desk[] = [];
        try {
          for (let i = 0; i < N; i++) {
            const server = servers[i % servers.length]!;
            const p = new FaultProxy(server.url, {}, seed + i);
            proxies.push(p);
            // Desk clocks skewed by a few minutes (within the server's tolerance); pages kept small
            // so pulls span several pages while commands are in flight.
            const skewMs = ((seed + i * 7919) % 600) * 1000 - 300_000;
            const clock = { now: () => new Date(Date.now() + skewMs), today: () => new Date(Date.now() + skewMs).toISOString().slice(0, 10) };
            desks.push(await makeDesk(`p${run}-${i}`, await p.start(), { clock, pullLimit: 25 }));
          }
          const who: { sam: Actor; carla: Actor }[] = [];
          /** Every payment a desk told its clerk was recorded (a receipt could have been printed). */
          const acknowledged: { desk: number; id: string; cents: number; date: string }[] = [];
          for (const d of desks) {
            who.push({ sam: await d.signIn('sam', 'supervisor-pass-1'), carla: await d.signIn('carla', 'csr-password-1') });
            await drain(d);
          }
          const faults = { drop: 0.15, duplicate: 0.2, delay: 0.2, cut: 0.15, maxDelayMs: 40 };
          for (const p of proxies) p.rates = { ...faults };
          for (const op of ops) {
            const d = desks[op.desk]!;
            const u = who[op.desk]!;
            switch (op.k) {
              case 'pay': {
                // Every second one is batch-entered into an open deposit (refused if another office completes it).
                const dep = op.cents % 2 === 0 ? await d.core.db.selectFrom('deposits').select('id').where('status', '!=', 'closed').executeTakeFirst() : undefined;
                const input = { accountId: accounts[op.acct], amount: (op.cents / 100).toFixed(2), method: 'cash', ...(op.back ? { paymentDate: '2026-03-10' } : {}) };
                const r = dep ? await d.attempt(u.sam, 'deposits.enterPayment', { ...input, depositId: dep.id }) : await d.attempt(u.carla, 'payments.record', input);
                if (r.ok) acknowledged.push({ desk: op.desk, id: (r.value as { id: string }).id, cents: op.cents, date: (r.value as { paymentDate: string }).paymentDate });
                break;
              }
              case 'deposit':
                await d.attempt(u.sam, 'deposits.create', { divisionId });
                break;
              case 'add': {
                // Often a deposit another desk may be completing meanwhile: the conflict this test is after.
                const dep = await d.core.db.selectFrom('deposits').select('id').where('status', '!=', 'closed').orderBy('created_at').executeTakeFirst();
                const pay = await d.core.db.selectFrom('payments').select('id').where('deposit_id', 'is', null).where('status', '=', 'pending').orderBy('created_at', 'desc').executeTakeFirst();
                if (dep && pay) await d.attempt(u.sam, 'deposits.addPayments', { depositId: dep.id, paymentIds: [pay.id] });
                break;
              }
              case 'complete': {
                const dep = await d.core.db.selectFrom('deposits').select('id').where('status', '!=', 'closed').executeTakeFirst();
                if (dep) await d.attempt(u.sam, 'deposits.complete', { depositId: dep.id });
                break;
              }
              case 'sync':
                await d.sync.syncNow();
                break;
              case 'month':
                // March: the back-dated payments' month, closed and reopened in one office or another.
                await d.attempt(u.sam, op.close ? 'periods.close' : 'periods.reopen', op.close ? { period: '2026-03' } : { period: '2026-03', reason: 'Late payments' });
                break;
              case 'offline':
                proxies[op.desk]!.rates = op.on ? { drop: 1 } : { ...faults };
                break;
            }
          }
          for (const p of proxies) p.rates = {};
          for (let round = 0; round < 2; round++) for (const d of desks) await drain(d);
          const s = serverDb(servers[0]!, databaseUrl);
          try {
            for (const d of desks) {
              const cmp = await compareWithServer(d, s);
              expect(cmp.mine, `${d.name} equals the server`).toEqual(cmp.theirs);
              expect(await ledgerProblems(d.core.db)).toEqual([]);
              // rejected commands left no local trace: the desk's outbox holds only Needs Attention items
              const left = await d.core.db.selectFrom('sync_outbox').select('state').where('state', '!=', 'rejected').execute();
              expect(left).toEqual([]);
            }
            expect(await ledgerProblems(s.db)).toEqual([]);
            // Nothing lost: every acknowledged payment is on the server with its amount and original
            // business date, posted or kept On Hold; a held one is in its desk's Needs Attention.
            const onServer = new Map((await s.db.selectFrom('payments').select(['id', 'amount_cents', 'payment_date', 'status']).execute()).map((r) => [r.id, r]));
            const adminView = { userId: '', role: 'admin' as const };
            for (const p of acknowledged) {
              const row = onServer.get(p.id);
              expect(row, `payment ${p.id} acknowledged on desk ${p.desk} is on the server`).toBeDefined();
              expect({ cents: Number(row!.amount_cents), date: row!.payment_date }).toEqual({ cents: p.cents, date: p.date });
              expect(['pending', 'deposited', 'on_hold']).toContain(row!.status);
              if (row!.status === 'on_hold') {
                const items = await desks[p.desk]!.sync.needsAttention(adminView);
                expect(items.some((i) => i.kept?.paymentId === p.id), `held payment ${p.id} is in Needs Attention`).toBe(true);
              }
            }
            const admin = { userId: '', role: 'admin' as const };
            const rejected = (await Promise.all(desks.map((d) => d.sync.needsAttention(admin)))).flat().map((i) => i.technical?.code ?? '?');
            const faults = proxies.reduce((acc, p) => ({ dropped: acc.dropped + p.counts.dropped, duplicated: acc.duplicated + p.counts.duplicated, cut: acc.cut + p.counts.cut }), { dropped: 0, duplicated: 0, cut: 0 });
            console.info(`[convergence ${backend} run ${run}] ${ops.length} ops; rejected: ${rejected.join(',') || 'none'}; faults: ${JSON.stringify(faults)}`);
          } finally {
            await s.close();
          }
        } finally {
          for (const d of desks) await d.close();
          for (const p of proxies) await p.stop();
        }
      }),
      { numRuns: 3, seed: 4242 },
    );
  }, 280_000);
});
