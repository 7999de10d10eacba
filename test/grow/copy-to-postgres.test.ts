import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { Actor } from '../../src/core/commands/types';
import { ADMIN, compareWithServer, drain, ledgerProblems, makeDesk, serverDb, startPg, startServer, type Desk, type PgCluster, registerDesk } from '../sync/helpers';

/**
 * Issue 13, observation 3 / item 5: growing to PostgreSQL is a command. A SQLite server's whole
 * state is copied into an empty PostgreSQL database, verified, and desks sync against it with
 * identical balances; a non-empty target is refused and left as it was.
 */
const TSX = `${process.cwd()}/node_modules/.bin/tsx`;
const copy = (dataDir: string, url: string) => spawnSync(TSX, ['src/server/cli.ts', 'copy-to-postgres', '--from', dataDir, '--to', url], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'warn' } });

let pgc: PgCluster | null = null;
const desks: Desk[] = [];
beforeAll(async () => {
  pgc = await startPg();
}, 60_000);
afterAll(async () => {
  for (const d of desks) await d.close().catch(() => undefined);
  await pgc?.stop();
});

/** Every account's balance as the app shows it (the core's payer search). */
const balances = async (d: Desk, actor: Actor) => {
  const r = await d.core.executor.query<{ accounts: { accountNumber: string; balanceCents: number }[] }>(actor, 'payers.search', { query: 'G-', limit: 500 });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.accounts.map((x) => [x.accountNumber, x.balanceCents]);
};

describe('npm run server -- copy-to-postgres', () => {
  it('copies, verifies, and desks sync against PostgreSQL with identical balances', async (ctx) => {
    if (!pgc) return ctx.skip();
    const sqlite = await startServer();
    const a = await makeDesk('a', sqlite.url);
    desks.push(a);
    const admin: Actor = await a.signIn(ADMIN.username, ADMIN.password);
    const div = await a.run(admin, 'divisions.create', { name: 'North' });
    await a.run(admin, 'users.create', { username: 'carla', displayName: 'Carla', role: 'csr', password: 'csr-password-1' });
    const accts: string[] = [];
    for (let i = 1; i <= 20; i++) {
      const acct = await a.run(admin, 'accounts.create', { divisionId: div.id, accountNumber: `G-${String(i).padStart(2, '0')}`, name: `Payer ${i}` });
      accts.push(acct.id);
      await a.run(admin, 'invoices.create', { accountId: acct.id, invoiceNumber: `I-${i}`, invoiceDate: '2026-01-10', dueDate: '2026-01-10', lines: [{ category: 'Tuition', description: 'x', amount: `${100 + i}.00` }] });
      if (i % 2 === 0) await a.run(admin, 'payments.record', { accountId: acct.id, amount: `${i}.50`, method: 'cash' });
    }
    await drain(a);
    await sqlite.kill();

    // A non-empty target is refused and left as it was.
    const busy = await pgc.createDb('busy');
    const c = new pg.Client({ connectionString: busy });
    await c.connect();
    await c.query('CREATE TABLE keep_me (id int)');
    let r = copy(sqlite.dataDir, busy);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('The target database is not empty');
    expect((await c.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`)).rows).toEqual([{ table_name: 'keep_me' }]);
    await c.end();

    const url = await pgc.createDb('grown');
    r = copy(sqlite.dataDir, url);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/payments\s+10\s+10\s+/);
    expect(r.stdout).toContain('Verified:');

    // The same state, table by table.
    const before = serverDb(sqlite);
    const after = serverDb(sqlite, url);
    try {
      const mine = await compareWithServer(a, before);
      const theirs = await compareWithServer(a, after);
      expect(theirs.theirs).toEqual(mine.theirs);
      expect(await ledgerProblems(after.db)).toEqual([]);
    } finally {
      await before.close();
      await after.close();
    }

    // Desks sync against PostgreSQL: the old desk continues, a new desk joins; balances identical.
    const server = await startServer({ databaseUrl: url });
    try {
      await a.sync.configure(server.url);
      await a.signIn(ADMIN.username, ADMIN.password);
      await a.run(admin, 'payments.record', { accountId: accts[0], amount: '7.00', method: 'card' });
      await drain(a);
      expect(a.sync.status().needsAttention).toBe(0);
      const b = await makeDesk('b', server.url);
      desks.push(b);
      await registerDesk(b); // a CSR alone cannot register a new computer
      const carla = await b.signIn('carla', 'csr-password-1');
      await drain(b);
      await drain(a);
      const shown = await balances(a, admin);
      expect(shown).toHaveLength(20);
      expect(shown.find(([n]) => n === 'G-01')![1]).toBe(10_100 - 700);
      expect(await balances(b, carla)).toEqual(shown);
      const s = serverDb(server, url);
      try {
        for (const d of [a, b]) {
          const cmp = await compareWithServer(d, s);
          expect(cmp.mine).toEqual(cmp.theirs);
        }
        expect(await ledgerProblems(s.db)).toEqual([]);
      } finally {
        await s.close();
      }
    } finally {
      await server.kill();
    }
  }, 240_000);
});
