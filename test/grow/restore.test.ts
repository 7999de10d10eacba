import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/commands/types';
import { openDesktopCore } from '../../src/core/ledger-core';
import { backupLedger, restoreLedger } from '../../src/main/cli/backup';
import { SyncClient } from '../../src/main/sync/sync-client';
import { FileTokenStore } from '../../src/main/sync/token-store';
import { ADMIN, compareWithServer, drain, ledgerProblems, makeDesk, serverDb, type Desk, type RunningServer } from '../sync/helpers';
import type { AttemptChannel, RunName, RunOutput } from '../helpers/channels';
import { startServerOn, usePgCluster } from '../sync/office';

/**
 * Issue 13, observation 4: restore a desk from a backup taken before its last 3 payments, take 4
 * more: nothing is refused, nothing vanishes, no audit 409 loop; desk and server agree.
 */
const pgc = usePgCluster();

/** The same desk (same folder, same token and device files) on a reopened ledger file. */
async function reopen(d: Desk): Promise<Desk> {
  const core = await openDesktopCore(join(d.dir, 'ledger.sqlite'));
  const sync = new SyncClient({ core, tokens: new FileTokenStore(join(d.dir, 'tokens.json')), files: d.files, live: false, backoff: { baseMs: 50, maxMs: 500 }, requestTimeoutMs: 20_000 });
  await sync.init();
  const attempt: AttemptChannel = <K extends RunName>(actor: Actor, cmd: K, input: unknown) => core.executor.execute<RunOutput<K>>(actor, cmd, input);
  return {
    ...d,
    core,
    sync,
    run: async (actor, cmd, input) => {
      const r = await attempt(actor, cmd, input);
      if (!r.ok) throw new Error(`${cmd} failed: ${r.error.code} ${r.error.message}`);
      return r.value;
    },
    attempt,
    close: d.close,
  };
}

describe.each(['sqlite', 'postgres'] as const)('a desk restored from a backup, on %s', (backend) => {
  let server: RunningServer;
  let databaseUrl: string | undefined;
  let skip = false;
  const open: Desk[] = [];

  beforeAll(async () => {
    const started = await startServerOn(backend, pgc(), 'restore');
    if (!started) {
      skip = true;
      return;
    }
    ({ server, databaseUrl } = started);
  }, 90_000);
  afterAll(async () => {
    for (const d of open) await d.close().catch(() => undefined);
    await server?.kill();
  });

  it('re-registers, gets back what it lost, sends what the server lacks, and nothing is refused', async (ctx) => {
    if (skip) return ctx.skip();
    let a = await makeDesk('a', server.url);
    const admin: Actor = await a.signIn(ADMIN.username, ADMIN.password);
    const div = await a.run(admin, 'divisions.create', { name: 'North' });
    const acct = await a.run(admin, 'accounts.create', { divisionId: div.id, accountNumber: 'R-1', name: 'Payer' });
    await a.run(admin, 'invoices.create', { accountId: acct.id, invoiceNumber: 'I-1', invoiceDate: '2026-01-10', dueDate: '2026-01-10', lines: [{ category: 'Tuition', description: 'x', amount: '500.00' }] });
    const before1 = await a.run(admin, 'payments.record', { accountId: acct.id, amount: '1.00', method: 'cash' });
    await drain(a);
    // One payment entered but not yet sent when the backup is taken.
    const unsent = await a.run(admin, 'payments.record', { accountId: acct.id, amount: '2.00', method: 'cash' });
    const backupFile = join(a.dir, 'backups', 'nightly.sqlite');
    await backupLedger(a.core.ledger.raw, backupFile);
    const lost: string[] = [];
    for (let i = 0; i < 3; i++) lost.push((await a.run(admin, 'payments.record', { accountId: acct.id, amount: `1${i}.00`, method: 'card' })).id);
    await drain(a);
    const oldClient = a.sync.id;

    await a.sync.stop();
    await a.core.close();
    const r = await restoreLedger(backupFile, join(a.dir, 'ledger.sqlite'), 'test');
    expect(r.previous).toBeTruthy();
    a = await reopen(a);
    open.push(a);
    // The restored ledger lacks the 3 payments...
    expect(await a.core.db.selectFrom('payments').select('id').where('id', 'in', lost).execute()).toEqual([]);
    const added: string[] = [];
    for (let i = 0; i < 4; i++) added.push((await a.run(admin, 'payments.record', { accountId: acct.id, amount: `2${i}.00`, method: 'card' })).id);
    await drain(a);
    await drain(a);
    const st = a.sync.status();
    expect(st.needsAttention).toBe(0);
    expect(st.lastError).toBeNull();
    expect(a.sync.id).not.toBe(oldClient);
    expect(a.sync['identity'].lastRestoreReason).toMatch(/server/);
    // ...which come back; the 4 new ones and the one unsent at backup time reach the server.
    const all = [before1.id, unsent.id, ...lost, ...added];
    expect((await a.core.db.selectFrom('payments').select('id').where('id', 'in', all).execute()).length).toBe(all.length);
    const s = serverDb(server, databaseUrl);
    try {
      expect((await s.db.selectFrom('payments').select('id').where('id', 'in', all).execute()).length).toBe(all.length);
      const cmp = await compareWithServer(a, s);
      expect(cmp.mine).toEqual(cmp.theirs);
      expect(await ledgerProblems(a.core.db)).toEqual([]);
      expect(await ledgerProblems(s.db)).toEqual([]);
      // The whole audit chain of the restored desk verified on the server under its new id.
      const head = await s.srv.selectFrom('srv_clients').select('audit_seq').where('client_id', '=', a.sync.id).executeTakeFirstOrThrow();
      const localHead = await a.core.db.selectFrom('audit_log').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirstOrThrow();
      expect(Number((head as { audit_seq: number }).audit_seq)).toBe(Number(localHead.m));
    } finally {
      await s.close();
    }
    // A second sync cycle is quiet: no loop.
    await a.sync.syncNow();
    expect(a.sync.status().lastError).toBeNull();
  }, 180_000);
});
