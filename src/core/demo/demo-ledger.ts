import { needsSetup, setupFirstAdmin } from '../auth/sign-in';
import type { Clock } from '../commands/types';
import { openDesktopCore } from '../ledger-core';
import { addDemoActivity } from './demo-activity';
import { loadDemoData } from './demo-data';

/** The demo's users: one per role, with passwords printed for the newcomer (a demo ledger only). */
export const DEMO_USERS = [
  { username: 'admin', displayName: 'Alex Admin', role: 'admin', password: 'admin-password-1' },
  { username: 'sam', displayName: 'Sam Supervisor', role: 'supervisor', password: 'supervisor-pass-1' },
  { username: 'carla', displayName: 'Carla CSR', role: 'csr', password: 'csr-password-1' },
] as const;

/**
 * Makes `path` a ledger filled with demo data, in one step: users of every role and a year of payers,
 * invoices and payments. A ledger that already has users is left as it is (a second launch reopens
 * the same demo). Returns whether it was created now.
 */
export async function prepareDemoLedger(path: string, clock: Clock, o: { accounts?: number; seed?: number } = {}): Promise<{ created: boolean }> {
  const core = await openDesktopCore(path);
  try {
    if (!(await needsSetup(core.db))) return { created: false };
    const [first, ...others] = DEMO_USERS;
    const admin = await setupFirstAdmin(core.db, clock, { username: first.username, displayName: first.displayName, password: first.password });
    const ids: Record<string, string> = {};
    for (const u of others) {
      const r = await core.executor.execute({ userId: admin.id, role: 'admin' }, 'users.create', u);
      if (!r.ok) throw new Error(r.error.message);
      ids[u.role] = (r.value as { id: string }).id;
    }
    await loadDemoData(core.db, core.ledger.raw, { accounts: o.accounts ?? 300, months: 12, seed: o.seed ?? 7, today: clock.today(), actorId: admin.id });
    await addDemoActivity(core, { supervisor: { userId: ids.supervisor!, role: 'supervisor' }, csr: { userId: ids.csr!, role: 'csr' } });
    return { created: true };
  } finally {
    await core.close();
  }
}
