import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/commands/types';
import { ADMIN, compareWithServer, drain, ledgerProblems, makeDesk, serverDb, type Desk, type RunningServer, registerDesk } from '../sync/helpers';
import { startServerOn, usePgCluster } from '../sync/office';

/** Issue 13, item 7: the change log is compacted; a desk beyond the horizon takes a snapshot and loses nothing. */
const TSX = `${process.cwd()}/node_modules/.bin/tsx`;
const pgc = usePgCluster();

describe.each(['sqlite', 'postgres'] as const)('change-log compaction on %s', (backend) => {
  let server: RunningServer;
  let databaseUrl: string | undefined;
  let skip = false;
  const desks: Desk[] = [];
  beforeAll(async () => {
    const started = await startServerOn(backend, pgc(), 'compaction');
    if (!started) {
      skip = true;
      return;
    }
    ({ server, databaseUrl } = started);
  }, 90_000);
  afterAll(async () => {
    for (const d of desks) await d.close().catch(() => undefined);
    await server?.kill();
  });

  it('a desk whose cursor is older than the horizon takes a snapshot; its pending work survives', async (ctx) => {
    if (skip) return ctx.skip();
    const a = await makeDesk('a', server.url);
    const b = await makeDesk('b', server.url);
    desks.push(a, b);
    const admin: Actor = await a.signIn(ADMIN.username, ADMIN.password);
    const div = await a.run(admin, 'divisions.create', { name: 'North' });
    await a.run(admin, 'users.create', { username: 'carla', displayName: 'Carla', role: 'csr', password: 'csr-password-1' });
    const acct = await a.run(admin, 'accounts.create', { divisionId: div.id, accountNumber: 'C-1', name: 'Payer' });
    await a.run(admin, 'invoices.create', { accountId: acct.id, invoiceNumber: 'I-1', invoiceDate: '2026-01-10', dueDate: '2026-01-10', lines: [{ category: 'Tuition', description: 'x', amount: '900.00' }] });
    await drain(a);
    await registerDesk(b); // a CSR alone cannot register a new computer
    const carla = await b.signIn('carla', 'csr-password-1');
    await drain(b);
    // b falls behind (and has work of its own waiting); a keeps going.
    const mine = await b.run(carla, 'payments.record', { accountId: acct.id, amount: '5.00', method: 'cash' });
    for (let i = 0; i < 15; i++) await a.run(admin, 'payments.record', { accountId: acct.id, amount: `${i + 1}.00`, method: 'card' });
    await drain(a);

    await server.kill();
    const r = spawnSync(TSX, ['src/server/cli.ts', 'compact-changes', '--keep', '3'], { encoding: 'utf8', env: { ...process.env, DATA_DIR: server.dataDir, DATABASE_URL: databaseUrl ?? '', LOG_LEVEL: 'warn' } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Removed \d+ changes; the change log now starts after change \d+\./);
    expect(spawnSync(TSX, ['src/server/cli.ts', 'compact-changes'], { encoding: 'utf8' }).status).toBe(2);
    await server.restart();
    for (const d of [a, b]) await d.sync.configure(server.url);

    const cursorBefore = Number((await b.core.db.selectFrom('sync_state').select('value').where('key', '=', 'cursor').executeTakeFirstOrThrow()).value);
    await drain(b);
    await drain(a);
    expect(Number((await b.core.db.selectFrom('sync_state').select('value').where('key', '=', 'cursor').executeTakeFirstOrThrow()).value)).toBeGreaterThan(cursorBefore);
    expect(b.sync.status().needsAttention).toBe(0);
    expect(b.sync.status().lastError).toBeNull();
    const s = serverDb(server, databaseUrl);
    try {
      expect(await s.db.selectFrom('payments').select('id').where('id', '=', mine.id).executeTakeFirst()).toBeDefined();
      for (const d of [a, b]) {
        const cmp = await compareWithServer(d, s);
        expect(cmp.mine, d.name).toEqual(cmp.theirs);
        expect(await ledgerProblems(d.core.db)).toEqual([]);
      }
    } finally {
      await s.close();
    }
  }, 180_000);
});
