import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, compareWithServer, drain, ledgerProblems, makeDesk, serverDb, startServer, type Desk, type RunningServer, registerDesk } from './helpers';

describe('sync smoke (SQLite server)', () => {
  let server: RunningServer;
  const desks: Desk[] = [];
  beforeAll(async () => {
    server = await startServer();
  }, 90_000);
  afterAll(async () => {
    for (const d of desks) await d.close();
    await server?.kill();
  });

  it('two desks converge', async () => {
    const a = await makeDesk('a', server.url);
    desks.push(a);
    const admin = await a.signIn(ADMIN.username, ADMIN.password);
    const div = await a.run(admin, 'divisions.create', { name: 'North' });
    await a.run(admin, 'users.create', { username: 'carla', displayName: 'Carla', role: 'csr', password: 'csr-password-1' });
    const acct = await a.run(admin, 'accounts.create', { divisionId: div.id, accountNumber: 'A-1', name: 'Payer One' });
    await a.run(admin, 'invoices.create', { accountId: acct.id, invoiceNumber: 'I-1', invoiceDate: '2026-01-10', dueDate: '2026-01-10', lines: [{ category: 'Tuition', description: 'x', amount: '100.00' }] });
    await drain(a);
    const b = await makeDesk('b', server.url);
    desks.push(b);
    await registerDesk(b); // a CSR alone cannot register a new computer
    const carla = await b.signIn('carla', 'csr-password-1');
    await drain(b);
    await b.run(carla, 'payments.record', { accountId: acct.id, amount: '40.00', method: 'cash' });
    await drain(b);
    await drain(a);
    const s = serverDb(server);
    for (const d of [a, b]) {
      const cmp = await compareWithServer(d, s);
      expect(cmp.mine).toEqual(cmp.theirs);
      expect(await ledgerProblems(d.core.db)).toEqual([]);
    }
    expect(await ledgerProblems(s.db)).toEqual([]);
    await s.close();
  }, 120_000);
});
