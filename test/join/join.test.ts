import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupFirstAdmin, needsSetup } from '../../src/core/auth/sign-in';
import type { Actor } from '../../src/core/commands/types';
import { openDesktopCore } from '../../src/core/ledger-core';
import { FileStore } from '../../src/main/imports/file-store';
import { Router } from '../../src/main/router/router';
import { registerSyncChannels } from '../../src/main/sync/channels';
import { holdsOwnLedger, JoinService } from '../../src/main/sync/join';
import { SyncClient } from '../../src/main/sync/sync-client';
import { FileTokenStore } from '../../src/main/sync/token-store';
import { AppFailure } from '../../src/shared/result';
import { ADMIN, compareWithServer, drain, ledgerProblems, makeDesk, serverDb, startPg, startServer, type PgCluster, type RunningServer } from '../sync/helpers';
import type { RunChannel, RunInput, RunName, RunOutput } from '../helpers/channels';
import { sql, type Kysely } from 'kysely';
import { getState } from '../../src/core/sync/client-apply';

/** The office the server records for a desk (what the Admin's Desks page lists). */
const deskOffice = async <T,>(db: Kysely<T>, clientId: string | null) =>
  (await sql<{ office: string | null }>`SELECT office FROM srv_client_devices WHERE client_id = ${clientId}`.execute(db)).rows[0]?.office;

/**
 * Issue 13, items 1–3. Observation 1: joining a server replaced the first-run local admin (UNIQUE
 * users.username, work waiting for a vanished id). Observation 2: a standalone desk that set a
 * server address was wiped by the snapshot. Now: a fresh desk joins with the server account (no
 * local admin); a desk with its own ledger seeds an EMPTY server (verified) or is refused by a
 * non-empty one with nothing changed on either side.
 */
let pgc: PgCluster | null = null;
beforeAll(async () => {
  pgc = await startPg();
}, 60_000);
afterAll(async () => {
  await pgc?.stop();
});

const LOCAL_ADMIN_PASSWORD = 'local-admin-pass-9';

async function standaloneDesk() {
  const dir = mkdtempSync(join(tmpdir(), 'ledgerdesk-standalone-'));
  const core = await openDesktopCore(join(dir, 'ledger.sqlite'));
  const files = new FileStore(join(dir, 'files'));
  const sync = new SyncClient({ core, tokens: new FileTokenStore(join(dir, 'tokens.json')), files, live: false, backoff: { baseMs: 50, maxMs: 500 }, requestTimeoutMs: 20_000 });
  await sync.init();
  const joiner = new JoinService({ core, sync, files, raw: core.ledger.raw, backupDir: join(dir, 'backups'), timeoutMs: 20_000 });
  const run: RunChannel = async <K extends RunName>(actor: Actor, name: K, input: RunInput<K>) => {
    const r = await core.executor.execute<RunOutput<K>>(actor, name, input);
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
    return r.value;
  };
  return { dir, core, files, sync, joiner, run, close: async () => (await sync.stop(), await core.close(), rmSync(dir, { recursive: true, force: true })) };
}
type Standalone = Awaited<ReturnType<typeof standaloneDesk>>;

/** A desk that worked alone: its own admin (named like the server's), a CSR, 200 accounts, invoices, payments, an import file. */
async function fillStandalone(d: Standalone) {
  const u = await d.core.executor.serial(() => setupFirstAdmin(d.core.db, d.core.clock, { username: 'admin', displayName: 'Office Admin', password: LOCAL_ADMIN_PASSWORD }));
  const admin: Actor = { userId: u.id, role: 'admin' };
  await d.run(admin, 'users.create', { username: 'cara', displayName: 'Cara', role: 'csr', password: 'csr-password-2' });
  const div = await d.run(admin, 'divisions.create', { name: 'Main Office' });
  const ids: string[] = [];
  for (let i = 0; i < 200; i++) ids.push((await d.run(admin, 'accounts.create', { divisionId: div.id, accountNumber: `S-${1000 + i}`, name: `Payer ${i}` })).id);
  for (let i = 0; i < 40; i++) {
    await d.run(admin, 'invoices.create', { accountId: ids[i], invoiceNumber: `INV-${i}`, invoiceDate: '2026-09-01', dueDate: '2026-09-30', lines: [{ category: 'Tuition', description: 'Fall', amount: `${100 + i}.00` }] });
  }
  for (let i = 0; i < 60; i++) await d.run(admin, 'payments.record', { accountId: ids[i % 50], amount: `${10 + i}.25`, method: i % 2 ? 'cash' : 'card' });
  const csv = Buffer.from('account,balance\nS-9999,12.34\n');
  const sha = d.files.put(csv);
  await d.run(admin, 'imports.applyRows', { sha256: sha, fileName: 'balances.csv', kind: 'balance', divisionId: div.id, format: 'csv', rowsRead: 1, rows: [{ row: 2, accountNumber: 'S-9999', balanceCents: 1234, name: 'Imported Payer' }], parseIssues: [], notes: [] });
  return { admin, divisionId: div.id as string, accountIds: ids, sha };
}

const counts = async (db: Standalone['core']['db']) => ({
  accounts: Number((await db.selectFrom('accounts').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
  payments: Number((await db.selectFrom('payments').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
  balance: Number((await db.selectFrom('accounts').select((e) => e.fn.sum<number>('balance_cents').as('s')).executeTakeFirstOrThrow()).s ?? 0),
});

const failure = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppFailure) return e;
    throw e;
  }
  throw new Error('expected a refusal');
};

describe.each(['sqlite', 'postgres'] as const)('joining an office server on %s', (backend) => {
  let skip = false;
  let server: RunningServer;
  let busy: RunningServer;
  let databaseUrl: string | undefined;
  let busyUrl: string | undefined;
  const toClose: { close(): Promise<void> }[] = [];

  beforeAll(async () => {
    if (backend === 'postgres') {
      if (!pgc) {
        skip = true;
        return;
      }
      databaseUrl = await pgc.createDb('joinempty');
      busyUrl = await pgc.createDb('joinbusy');
    }
    [server, busy] = await Promise.all([startServer({ databaseUrl }), startServer({ databaseUrl: busyUrl })]);
    // The busy server already holds an office's work.
    const other = await makeDesk('other', busy.url);
    const admin = await other.signIn(ADMIN.username, ADMIN.password);
    await other.run(admin, 'divisions.create', { name: 'Elsewhere' });
    await drain(other);
    await other.close();
  }, 180_000);
  afterAll(async () => {
    for (const c of toClose) await c.close().catch(() => undefined);
    await server?.kill();
    await busy?.kill();
  });

  it('first run joins with the server account: no local admin, the server user, work goes through', async (ctx) => {
    if (skip) return ctx.skip();
    const f = await standaloneDesk();
    toClose.push(f);
    // Errors in plain words, and the desk stays fresh after each.
    expect((await failure(f.joiner.joinFresh('http://ledger.example.org', ADMIN.username, ADMIN.password))).message).toMatch(/must start with https:\/\//);
    const gone = await failure(f.joiner.joinFresh('http://127.0.0.1:9', ADMIN.username, ADMIN.password));
    expect(gone.code).toBe('UNAVAILABLE');
    expect(gone.message).toMatch(/cannot be reached/);
    const wrong = await failure(f.joiner.joinFresh(server.url, ADMIN.username, 'not-the-password'));
    expect(wrong.message).toBe('The user name or password is incorrect.');
    expect(await needsSetup(f.core.db)).toBe(true);
    expect(f.sync.status().configured).toBe(false);

    const r = await f.joiner.joinFresh(server.url, ADMIN.username, ADMIN.password, ' Downtown front desk ');
    const s = serverDb(server, databaseUrl);
    // The office chosen at join time is the desk's office on the server (the Desks page shows it).
    expect(await deskOffice(s.db, await getState(f.core.db, 'clientId'))).toBe('Downtown front desk');
    const serverAdmin = await s.db.selectFrom('users').select(['id']).where('username', '=', ADMIN.username).executeTakeFirstOrThrow();
    await s.close();
    expect(r.userId).toBe(serverAdmin.id);
    const users = await f.core.db.selectFrom('users').select(['id', 'username', 'password_hash']).execute();
    expect(users).toEqual([{ id: serverAdmin.id, username: ADMIN.username, password_hash: '' }]); // no local admin was made
    const actor = { userId: r.userId, role: 'admin' as const };
    const div = await f.run(actor, 'divisions.create', { name: 'Joined Fresh' });
    await f.sync.syncNow();
    expect(f.sync.status()).toMatchObject({ pending: 0, waitingForSignIn: [], blocked: null });
    const s2 = serverDb(server, databaseUrl);
    expect(await s2.db.selectFrom('divisions').select('id').where('id', '=', div.id).executeTakeFirst()).toBeDefined();
    // Leave the server empty again for the standalone join below (this division is the only work).
    await s2.close();
    await f.close();
    toClose.pop();
  }, 120_000);

  it('a standalone desk cannot set a server address that would replace its ledger (observation 2)', async (ctx) => {
    if (skip) return ctx.skip();
    const d = await standaloneDesk();
    toClose.push(d);
    await fillStandalone(d);
    const before = await counts(d.core.db);
    expect(await holdsOwnLedger(d.core)).toBe(true);
    const router = new Router(d.core);
    registerSyncChannels(router, d.sync);
    const session = router.openSession(() => undefined);
    expect((await router.invoke(session, 'auth.signIn', { username: 'admin', password: LOCAL_ADMIN_PASSWORD })).ok).toBe(true);
    const r = await router.invoke(session, 'sync.configure', { serverUrl: server.url });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatchObject({ code: 'CONFLICT', details: { reason: 'standalone' } });
    expect(d.sync.status().configured).toBe(false);
    expect(await counts(d.core.db)).toEqual(before);
  }, 120_000);

  it('joining a server that holds other work is refused; nothing changes on either side', async (ctx) => {
    if (skip) return ctx.skip();
    const d = await standaloneDesk();
    toClose.push(d);
    const { admin } = await fillStandalone(d);
    const before = await counts(d.core.db);
    const outbox = await d.core.db.selectFrom('sync_outbox').select('command_id').execute();
    const b = serverDb(busy, busyUrl);
    const busyBefore = { divisions: await b.db.selectFrom('divisions').selectAll().execute(), accounts: await b.db.selectFrom('accounts').selectAll().execute(), users: await b.db.selectFrom('users').select(['id', 'username']).execute() };
    const e = await failure(d.joiner.joinWithData(admin, busy.url, ADMIN.username, ADMIN.password));
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toMatch(/already holds another office's ledger \(1 divisions/);
    expect(e.message).toMatch(/nothing was changed/);
    expect(e.message).toMatch(/backup/);
    expect(e.details).toMatchObject({ reason: 'not-empty' });
    expect(await counts(d.core.db)).toEqual(before);
    expect(await d.core.db.selectFrom('sync_outbox').select('command_id').execute()).toEqual(outbox);
    expect(await holdsOwnLedger(d.core)).toBe(true);
    expect(d.sync.status().configured).toBe(false);
    expect({ divisions: await b.db.selectFrom('divisions').selectAll().execute(), accounts: await b.db.selectFrom('accounts').selectAll().execute(), users: await b.db.selectFrom('users').select(['id', 'username']).execute() }).toEqual(busyBefore);
    await b.close();
    // A CSR's server account may not seed a server.
    expect((await failure(d.joiner.joinWithData({ userId: admin.userId, role: 'csr' }, server.url, ADMIN.username, ADMIN.password))).code).toBe('FORBIDDEN');
  }, 180_000);

  it('a standalone desk seeds an empty server (records, file, audit), verified; a second desk sees it all', async (ctx) => {
    if (skip) return ctx.skip();
    // The first test left one division on this server: use a fresh empty one.
    const emptyUrl = backend === 'postgres' ? await pgc!.createDb('joinseed') : undefined;
    const empty = await startServer({ databaseUrl: emptyUrl });
    toClose.push({ close: () => empty.kill() });
    const d = await standaloneDesk();
    toClose.push(d);
    const { admin, sha, accountIds } = await fillStandalone(d);
    const before = await counts(d.core.db);
    const auditBefore = Number((await d.core.db.selectFrom('audit_log').select((e) => e.fn.max<number>('seq').as('n')).executeTakeFirstOrThrow()).n);

    const report = await d.joiner.joinWithData(admin, empty.url, ADMIN.username, ADMIN.password, undefined, 'Uptown office');
    expect(report.verified).toBe(true);
    expect(report.tables.filter((t) => !t.ok)).toEqual([]);
    expect(report.tables.find((t) => t.table === 'accounts')).toMatchObject({ deskRows: 201, serverRows: 201 });
    const pays = report.tables.find((t) => t.table === 'payments')!;
    expect(pays.serverRows).toBe(60);
    expect(pays.serverCents).toBe(pays.deskCents);
    expect(report.audit.server).toBeGreaterThanOrEqual(auditBefore);
    expect(report.files).toBe(1);
    expect(report.mapped).toEqual(['admin']); // the desk's admin is the server's admin now
    expect(report.backupPath).toMatch(/ledger-before-join-.*\.sqlite$/);
    expect(await counts(d.core.db)).toEqual(before); // nothing lost here

    // The server holds it all, adds up, and has the file's bytes.
    const s = serverDb(empty, emptyUrl);
    expect(await ledgerProblems(s.db)).toEqual([]);
    expect(Number((await s.db.selectFrom('accounts').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(201);
    const serverUsers = await s.db.selectFrom('users').select(['id', 'username']).orderBy('username').execute();
    const deskUsers = await d.core.db.selectFrom('users').select(['id', 'username']).orderBy('username').execute();
    expect(serverUsers).toEqual(deskUsers); // one identity per user name, the desk's ids kept
    const cmp = await compareWithServer(d, s);
    expect(cmp.mine).toEqual(cmp.theirs);

    // The desk goes on as a synced desk: new work under the same admin id goes through at once.
    const pay = await d.run(admin, 'payments.record', { accountId: accountIds[0], amount: '5.00', method: 'cash' });
    await d.sync.syncNow();
    expect(d.sync.status()).toMatchObject({ pending: 0, needsAttention: 0, waitingForSignIn: [], blocked: null });
    expect(await s.db.selectFrom('payments').select('id').where('id', '=', pay.id).executeTakeFirst()).toBeDefined();
    expect(await deskOffice(s.db, await getState(d.core.db, 'clientId'))).toBe('Uptown office');
    // The local CSR is the server's CSR: her desk password works on the server.
    const b = await makeDesk('second', empty.url);
    toClose.push(b);
    await b.signIn(ADMIN.username, ADMIN.password);
    await b.signIn('cara', 'csr-password-2');
    await drain(b);
    const bal = (db: typeof b.core.db) => db.selectFrom('accounts').select(['id', 'balance_cents']).orderBy('id').execute();
    expect(await bal(b.core.db)).toEqual(await bal(d.core.db));
    const cmpB = await compareWithServer(b, s);
    expect(cmpB.mine).toEqual(cmpB.theirs);
    expect((await b.sync.fetchFile(sha)).toString()).toContain('S-9999');
    await s.close();
    // The old local password of the mapped admin is not the way in any more; the server's is (offline too).
    const router = new Router(d.core);
    const session = router.openSession(() => undefined);
    expect((await router.invoke(session, 'auth.signIn', { username: 'admin', password: ADMIN.password })).ok).toBe(true);
  }, 300_000);
});
