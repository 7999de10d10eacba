/** Seeds an e2e ledger: demo data through the real CLI code path, plus one user of each role. */
import { setupFirstAdmin } from '../../src/core/auth/sign-in';
import { loadDemoData } from '../../src/core/demo/demo-data';
import { openDesktopCore, systemClock } from '../../src/core/ledger-core';

const [path, accounts] = process.argv.slice(2);
const core = await openDesktopCore(path!);
const admin = await setupFirstAdmin(core.db, systemClock, { username: 'admin', displayName: 'admin', password: 'admin-password-1' });
const actor = { userId: admin.id, role: 'admin' as const };
for (const u of [
  { username: 'sam', displayName: 'Sam Supervisor', role: 'supervisor', password: 'supervisor-pass-1' },
  { username: 'carla', displayName: 'Carla CSR', role: 'csr', password: 'csr-password-1' },
]) {
  const r = await core.executor.execute(actor, 'users.create', u);
  if (!r.ok) throw new Error(r.error.message);
}
await loadDemoData(core.db, core.ledger.raw, { accounts: Number(accounts), months: 12, seed: 7, today: systemClock.today(), actorId: admin.id });
await core.close();
