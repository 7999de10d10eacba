import { needsSetup, setupFirstAdmin } from '../auth/sign-in';
import { businessTimeAt, readOfficeTimeZone } from '../commands/business-time';
import type { Clock } from '../commands/types';
import { openDesktopCore } from '../ledger-core';
import { addDemoActivity } from './demo-activity';
import { addDemoCorrections } from './demo-corrections';
import { loadDemoData } from './demo-data';

/** The demo's users: one per role, with passwords printed for the newcomer (a demo ledger only). */
export const DEMO_USERS = [
  { username: 'admin', displayName: 'Alex Admin', role: 'admin', password: 'admin-password-1' },
  { username: 'sam', displayName: 'Sam Supervisor', role: 'supervisor', password: 'supervisor-pass-1' },
  { username: 'carla', displayName: 'Carla CSR', role: 'csr', password: 'csr-password-1' },
] as const;

/**
 * Makes `path` a ledger filled with demo data, in one step: users of every role, a year of payers,
 * invoices and payments, and the office's work on it (deposits, closed months, today's payments,
 * recurring payments, a statement run). A ledger that already has users is left as it is (a second
 * launch reopens the same demo). Returns whether it was created now.
 */
export async function prepareDemoLedger(path: string, clock: Clock, o: { accounts?: number; seed?: number; officeTimeZone?: string } = {}): Promise<{ created: boolean }> {
  const core = await openDesktopCore(path, { clock });
  try {
    if (!(await needsSetup(core.db))) return { created: false };
    const [first, ...others] = DEMO_USERS;
    const admin = await setupFirstAdmin(core.db, clock, { username: first.username, displayName: first.displayName, password: first.password });
    const adminActor = { userId: admin.id, role: 'admin' as const };
    const ids: string[] = [];
    for (const u of others) {
      const r = await core.executor.execute<{ id: string }>(adminActor, 'users.create', u);
      if (!r.ok) throw new Error(r.error.message);
      ids.push(r.value.id);
    }
    if (o.officeTimeZone) {
      const r = await core.executor.execute(adminActor, 'settings.update', { officeTimeZone: o.officeTimeZone });
      if (!r.ok) throw new Error(r.error.message);
    }
    // The demo's dates are the office's business dates (in its zone), as the commands' are.
    const today = businessTimeAt(clock.now(), await readOfficeTimeZone(core.db), clock.today()).businessDate;
    await loadDemoData(core.db, core.ledger.raw, { accounts: o.accounts ?? 300, months: 12, seed: o.seed ?? 7, today, actorId: admin.id, depositLater: true });
    const actors = { admin: adminActor, supervisor: { userId: ids[0]!, role: 'supervisor' as const }, csr: { userId: ids[1]!, role: 'csr' as const } };
    await addDemoActivity(core, actors, today);
    await addDemoCorrections(core, actors);
    return { created: true };
  } finally {
    await core.close();
  }
}
