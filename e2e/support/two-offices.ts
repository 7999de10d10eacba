/**
 * Sets up two offices' ledgers against a running server, through the real desk core and sync
 * client: office A (admin, Sam) and office B (Sam, Carla). Carla records a payment at office B
 * dated in October; before B syncs, Sam closes October at office A. B's push is then refused and
 * the payment is kept On Hold. Prints one JSON line: { reference, paymentId }.
 * Usage: tsx e2e/support/two-offices.ts SERVER_URL DIR_A DIR_B
 */
import { join } from 'node:path';
import { openDesktopCore } from '../../src/core/ledger-core';
import { FileStore } from '../../src/main/imports/file-store';
import { SyncClient } from '../../src/main/sync/sync-client';
import { FileTokenStore } from '../../src/main/sync/token-store';

const [serverUrl, dirA, dirB] = process.argv.slice(2) as [string, string, string];

async function desk(dir: string) {
  const core = await openDesktopCore(join(dir, 'ledger.sqlite'));
  const sync = new SyncClient({ core, tokens: new FileTokenStore(join(dir, 'server-tokens.json')), files: new FileStore(join(dir, 'files')), live: false });
  await sync.init();
  await sync.configure(serverUrl);
  const signIn = async (u: string, p: string) => {
    const r = await sync.signIn(u, p);
    if (!r.online) throw new Error(r.reason);
    return { userId: r.userId, role: r.role as 'admin' | 'supervisor' | 'csr' };
  };
  const run = async (actor: { userId: string; role: 'admin' | 'supervisor' | 'csr' }, name: string, input: unknown) => {
    const r = await core.executor.execute(actor, name, input);
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
    return r.value as { id: string; reference: string };
  };
  const drain = async () => {
    for (let i = 0; i < 20; i++) {
      await sync.syncNow();
      if (sync.status().pending === 0) return;
    }
    throw new Error(`did not drain: ${JSON.stringify(sync.status())}`);
  };
  return { core, sync, signIn, run, drain };
}

const a = await desk(dirA);
const admin = await a.signIn('admin', 'admin-password-1');
const division = await a.run(admin, 'divisions.create', { name: 'North Clinic' });
await a.run(admin, 'users.create', { username: 'sam', displayName: 'Sam Supervisor', role: 'supervisor', password: 'supervisor-pass-1' });
await a.run(admin, 'users.create', { username: 'carla', displayName: 'Carla CSR', role: 'csr', password: 'csr-password-1' });
const acct = await a.run(admin, 'accounts.create', { divisionId: division.id, accountNumber: '100003', name: 'Jane Payer' });
await a.run(admin, 'invoices.create', { accountId: acct.id, invoiceNumber: 'INV-100003', invoiceDate: '2026-09-01', dueDate: '2026-09-30', lines: [{ category: 'Tuition', description: 'Fall term', amount: '500.00' }] });
await a.drain();
const samA = await a.signIn('sam', 'supervisor-pass-1');

const b = await desk(dirB);
await b.signIn('sam', 'supervisor-pass-1');
const carla = await b.signIn('carla', 'csr-password-1');
await b.drain();
const pay = await b.run(carla, 'payments.record', { accountId: acct.id, amount: '120.00', method: 'check', checkNumber: '4417', paymentDate: '2026-10-15' });

await a.run(samA, 'periods.close', { period: '2026-10' });
await a.drain();
await b.drain();
for (const d of [a, b]) {
  await d.sync.stop();
  await d.core.close();
}
console.log(JSON.stringify({ reference: pay.reference, paymentId: pay.id }));
