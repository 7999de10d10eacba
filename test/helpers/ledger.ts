import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Actor, Clock } from '../../src/core/commands/types';
import { openDesktopCore } from '../../src/core/ledger-core';
import { setupFirstAdmin } from '../../src/core/auth/sign-in';
import type { Result } from '../../src/shared/result';
import type { AttemptChannel, RunChannel, RunName, RunOutput } from './channels';

/** A clock the test moves by hand. */
export function manualClock(start = '2026-03-15T15:00:00Z'): Clock & { set(iso: string): void; advance(ms: number): void } {
  let t = new Date(start);
  return {
    now: () => new Date(t),
    today: () => t.toISOString().slice(0, 10),
    set: (iso) => (t = new Date(iso)),
    advance: (ms) => (t = new Date(t.getTime() + ms)),
  };
}

export interface TestLedger {
  core: Awaited<ReturnType<typeof openDesktopCore>>;
  dir: string;
  clock: ReturnType<typeof manualClock>;
  admin: Actor;
  supervisor: Actor;
  csr: Actor;
  divisionId: string;
  run: RunChannel;
  attempt: AttemptChannel;
  cleanup(): Promise<void>;
}

/** A real SQLite ledger file in a temp folder, with one user of each role and one division. */
export async function makeLedger(opts: { clock?: ReturnType<typeof manualClock> } = {}): Promise<TestLedger> {
  const dir = mkdtempSync(join(tmpdir(), 'ledgerdesk-test-'));
  const clock = opts.clock ?? manualClock();
  const core = await openDesktopCore(join(dir, 'ledger.sqlite'), { clock });
  const adminRow = await setupFirstAdmin(core.db, clock, { username: 'admin', displayName: 'Ada Admin', password: 'correct horse battery' });
  const admin: Actor = { userId: adminRow.id, role: 'admin' };
  const attempt: AttemptChannel = <K extends RunName>(actor: Actor, name: K, input: unknown) =>
    core.executor.hasCommand(name) ? core.executor.execute<RunOutput<K>>(actor, name, input) : core.executor.query<RunOutput<K>>(actor, name, input);
  const run: RunChannel = async (actor, name, input) => {
    const r = await attempt(actor, name, input);
    if (!r.ok) throw new Error(`${name} failed: ${r.error.code} ${r.error.message} ${JSON.stringify(r.error.details ?? {})}`);
    return r.value;
  };
  const sup = await run(admin, 'users.create', { username: 'sam', displayName: 'Sam Supervisor', role: 'supervisor', password: 'supervisor-pass-1' });
  const csr = await run(admin, 'users.create', { username: 'carla', displayName: 'Carla CSR', role: 'csr', password: 'csr-password-1' });
  const div = await run(admin, 'divisions.create', { name: 'North Clinic' });
  return {
    core,
    dir,
    clock,
    admin,
    supervisor: { userId: sup.id, role: 'supervisor' },
    csr: { userId: csr.id, role: 'csr' },
    divisionId: div.id,
    run,
    attempt,
    cleanup: async () => {
      await core.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Creates an account with invoices; amounts in dollars-text per line. */
export async function seedAccount(
  t: TestLedger,
  accountNumber: string,
  invoices: { number: string; due: string; lines: string[] }[] = [],
  name = `Payer ${accountNumber}`,
) {
  const acct = await t.run(t.admin, 'accounts.create', { divisionId: t.divisionId, accountNumber, name, email: `${accountNumber}@example.com` });
  for (const inv of invoices) {
    await t.run(t.admin, 'invoices.create', {
      accountId: acct.id,
      invoiceNumber: inv.number,
      invoiceDate: inv.due,
      dueDate: inv.due,
      lines: inv.lines.map((amount, i) => ({ category: 'Tuition', description: `Line ${i + 1}`, amount })),
    });
  }
  return acct;
}

export function expectError(r: Result<unknown>, code: string, field?: string) {
  expect(r.ok).toBe(false);
  if (!r.ok) {
    expect(r.error.code).toBe(code);
    if (field) expect(r.error.details?.field).toBe(field);
  }
}

/** Deposits the payments the way a supervisor does: a deposit created, filled and completed by commands. */
export async function depositByCommands(t: TestLedger, paymentIds: string[]) {
  const d = await t.run(t.supervisor, 'deposits.create', { divisionId: t.divisionId });
  await t.run(t.supervisor, 'deposits.addPayments', { depositId: d.id, paymentIds });
  return t.run(t.supervisor, 'deposits.complete', { depositId: d.id });
}
