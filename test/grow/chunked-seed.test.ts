import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupFirstAdmin } from '../../src/core/auth/sign-in';
import type { Actor } from '../../src/core/commands/types';
import { openDesktopCore } from '../../src/core/ledger-core';
import { FileStore } from '../../src/main/imports/file-store';
import { JoinService, seedPieces } from '../../src/main/sync/join';
import { SyncClient } from '../../src/main/sync/sync-client';
import { FileTokenStore } from '../../src/main/sync/token-store';
import { FaultProxy } from '../sync/fault-proxy';
import { ADMIN, compareWithServer, ledgerProblems, serverDb, type RunningServer } from '../sync/helpers';
import { startServerOn, usePgCluster } from '../sync/office';

/**
 * Issue 13 item 3: a standalone desk seeds an empty server in pieces, then one commit. Connections
 * that drop or lose their answer mid-seed are repeated without duplicates; a join that gives up
 * before the commit leaves nothing visible on the server, and the next try resumes (no piece is
 * sent twice) and ends with the server identical to the desk.
 */
const pgc = usePgCluster();

it('pieces stop at the row limit', () => {
  const rows = Array.from({ length: 25 }, (_, i) => ({ id: i }));
  expect(seedPieces(rows, 10).map((p) => p.length)).toEqual([10, 10, 5]);
  expect(seedPieces([], 10)).toEqual([]);
});

describe.each(['sqlite', 'postgres'] as const)('a chunked, resumable seed on %s', (backend) => {
  let skip = false;
  let server: RunningServer;
  let proxy: FaultProxy;
  let databaseUrl: string | undefined;
  const cleanup: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    const started = await startServerOn(backend, pgc(), 'chunkedseed');
    if (!started) {
      skip = true;
      return;
    }
    ({ server, databaseUrl } = started);
    proxy = new FaultProxy(server.url);
  }, 120_000);
  afterAll(async () => {
    for (const c of cleanup) await c().catch(() => undefined);
    await proxy?.stop();
    await server?.kill();
  });

  it('a seed interrupted mid-way resumes without duplicates and ends identical; nothing shows before the commit', async (ctx) => {
    if (skip) return ctx.skip();
    const url = await proxy.start();
    const dir = mkdtempSync(join(tmpdir(), 'ledgerdesk-chunked-'));
    const core = await openDesktopCore(join(dir, 'ledger.sqlite'));
    const files = new FileStore(join(dir, 'files'));
    const sync = new SyncClient({ core, tokens: new FileTokenStore(join(dir, 'tokens.json')), files, live: false, backoff: { baseMs: 50, maxMs: 500 }, requestTimeoutMs: 20_000 });
    await sync.init();
    cleanup.push(async () => (await sync.stop(), await core.close(), rmSync(dir, { recursive: true, force: true })));

    // What every request of the join looked like, and a commit that fails until allowed.
    let commitAllowed = false;
    let seenBeforeCommit: { accounts: number; changes: number } | null = null;
    const piecePosts: string[] = [];
    const fetchSpy: typeof fetch = async (input, init) => {
      const u = new URL(String(input));
      if (u.pathname === '/v1/seed/pieces' && init?.method === 'POST') piecePosts.push(u.pathname);
      if (u.pathname === '/v1/seed/commit' && !commitAllowed) {
        const s = serverDb(server, databaseUrl);
        const n = async (t: string) => Number((await s.db.selectFrom(t as never).select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
        seenBeforeCommit = { accounts: await n('accounts'), changes: await n('srv_changes') };
        await s.close();
        throw new TypeError('fetch failed (the connection dropped)');
      }
      return fetch(input, init);
    };
    const joiner = new JoinService({ core, sync, files, raw: core.ledger.raw, backupDir: join(dir, 'backups'), timeoutMs: 20_000, fetch: fetchSpy, seedPieceRows: 20 });

    const u = await core.executor.serial(() => setupFirstAdmin(core.db, core.clock, { username: 'admin', displayName: 'Office Admin', password: 'local-admin-pass-9' }));
    const admin: Actor = { userId: u.id, role: 'admin' };
    const run = async (name: string, input: unknown) => {
      const r = await core.executor.execute(admin, name, input);
      if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
      return r.value as { id: string };
    };
    const div = await run('divisions.create', { name: 'Main Office' });
    const ids: string[] = [];
    for (let i = 0; i < 90; i++) ids.push((await run('accounts.create', { divisionId: div.id, accountNumber: `C-${1000 + i}`, name: `Payer ${i}` })).id);
    for (let i = 0; i < 30; i++) await run('invoices.create', { accountId: ids[i], invoiceNumber: `INV-${i}`, invoiceDate: '2026-09-01', dueDate: '2026-09-30', lines: [{ category: 'Tuition', description: 'Fall', amount: `${100 + i}.00` }] });
    for (let i = 0; i < 45; i++) await run('payments.record', { accountId: ids[i % 30], amount: `${10 + i}.25`, method: i % 2 ? 'cash' : 'card' });

    const s0 = serverDb(server, databaseUrl);
    const changesBefore = Number((await s0.db.selectFrom('srv_changes' as never).select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    await s0.close();

    // First try: pieces are cut and dropped on the way (each repeated), then the commit never arrives.
    proxy.force('/v1/seed/pieces', 'cut', 3);
    proxy.force('/v1/seed/pieces', 'drop', 2);
    await expect(joiner.joinWithData(admin, url, ADMIN.username, ADMIN.password)).rejects.toThrow();
    expect(seenBeforeCommit).toEqual({ accounts: 0, changes: changesBefore }); // staged pieces are invisible to desks
    const sentFirst = piecePosts.length;
    expect(sentFirst).toBeGreaterThan(10);
    const s = serverDb(server, databaseUrl);
    const staged = await s.db.selectFrom('srv_seed_pieces' as never).select(['tbl' as never, 'idx' as never]).execute();
    // Every piece once, although some were sent twice.
    expect(new Set(staged.map((p) => JSON.stringify(p))).size).toBe(staged.length);
    expect(proxy.counts.cut + proxy.counts.dropped).toBe(5); // (some hit the resume check, also repeated)
    expect(staged.length).toBeLessThanOrEqual(sentFirst);

    // Second try: nothing is sent again but the commit. The server commits (mapping the joining
    // admin onto the server's user) but every answer is lost: each repeat, with the same token,
    // still authenticates and gets the kept answer (lost too), until the desk gives up.
    commitAllowed = true;
    proxy.force('/v1/seed/commit', 'cut', 8); // as many as the desk tries
    const cutsBefore = proxy.counts.cut;
    await expect(joiner.joinWithData(admin, url, ADMIN.username, ADMIN.password)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(proxy.counts.cut - cutsBefore).toBe(8); // the first commit and its 7 repeats, none refused
    // Third try: the server holds this very ledger's seed, so it is no other office's; the commit's
    // answer is lost once more and its repeat answers the same success.
    proxy.force('/v1/seed/commit', 'cut', 1);
    const report = await joiner.joinWithData(admin, url, ADMIN.username, ADMIN.password);
    expect(proxy.counts.cut - cutsBefore).toBe(9);
    expect(piecePosts.length).toBe(sentFirst);
    expect(report.verified).toBe(true);
    expect(report.tables.filter((t) => !t.ok)).toEqual([]);
    expect(report.tables.find((t) => t.table === 'accounts')).toMatchObject({ deskRows: 90, serverRows: 90 });
    expect(report.tables.find((t) => t.table === 'payments')).toMatchObject({ deskRows: 45, serverRows: 45 });

    expect(await ledgerProblems(s.db)).toEqual([]);
    const cmp = await compareWithServer({ core } as never, s);
    expect(cmp.mine).toEqual(cmp.theirs);
    expect(await s.db.selectFrom('srv_seed_pieces' as never).selectAll().execute()).toEqual([]);
    await s.close();
  }, 300_000);
});
