import { createHash } from 'node:crypto';
import { readFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../src/core/auth/sign-in';
import { setupFirstAdmin } from '../../src/core/auth/sign-in';
import { openDesktopCore } from '../../src/core/ledger-core';
import type { PullResponse, SignInResponse, SnapshotResponse } from '../../src/core/sync/protocol';
import { registerSyncChannels } from '../../src/main/sync/channels';
import { Router } from '../../src/main/router/router';
import { ADMIN, drain, makeDesk, serverDb, startServer, type Desk, type RunningServer, registerDesk } from '../sync/helpers';

/**
 * Issue 12, findings 1 and 2, against the real server process and real desk SQLite files:
 * what a CSR's token can pull, offline sign-in verifiers, plaintext passwords at rest, and who
 * sees Needs Attention items.
 */

const CARLA = { username: 'carla', password: 'csr-password-1' };

async function http<T>(server: RunningServer, method: string, path: string, token?: string, json?: unknown, extra: Record<string, string> = {}): Promise<{ status: number; body: T; text: string }> {
  const res = await fetch(new URL(path, server.url), {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(json ? { 'content-type': 'application/json' } : {}), ...extra },
    body: json ? JSON.stringify(json) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T, text };
}

describe('data scoped by role, no secrets at rest (issue 12, findings 1-2)', () => {
  let server: RunningServer;
  const desks: Desk[] = [];
  let a: Desk;
  let admin: { userId: string; role: 'admin' };
  beforeAll(async () => {
    server = await startServer();
    a = await makeDesk('a', server.url);
    desks.push(a);
    admin = (await a.signIn(ADMIN.username, ADMIN.password)) as typeof admin;
    await a.run(admin, 'users.create', { username: CARLA.username, displayName: 'Carla', role: 'csr', password: CARLA.password });
    await drain(a);
  }, 120_000);
  afterAll(async () => {
    for (const d of desks) await d.close();
    await server?.kill();
  });

  it('finding 1: a CSR token pulls and snapshots no password hash of anyone, and sign-in answers no stored form', async () => {
    const si = await http<SignInResponse>(server, 'POST', '/v1/auth/sign-in', undefined, { username: CARLA.username, password: CARLA.password });
    expect(si.status).toBe(200);
    const s = serverDb(server);
    const stored = await s.db.selectFrom('users').select(['username', 'password_hash']).execute();
    await s.close();
    expect(stored.every((u) => u.password_hash.startsWith('scrypt$'))).toBe(true);
    const snap = await http<SnapshotResponse>(server, 'GET', '/v1/sync/snapshot', si.body.token);
    const pull = await http<PullResponse>(server, 'GET', '/v1/sync/pull?after=0', si.body.token);
    for (const text of [snap.text, pull.text, si.text]) {
      expect(text).not.toContain('scrypt$32768');
      for (const u of stored) expect(text).not.toContain(u.password_hash.split('$')[5]!);
    }
    expect(snap.body.scope).toBe('csr');
    expect(pull.body.scope).toBe('csr');
    const users = snap.body.tables.users!;
    expect(users.map((u) => u.username).sort()).toEqual(['admin', 'carla']);
    expect(users.every((u) => u.password_hash === '')).toBe(true);
    expect(pull.body.changes.filter((c) => c.t === 'users').every((c) => c.r === null || c.r.password_hash === '')).toBe(true);
    // The sign-in answer: a purpose-made verifier (own salt, scrypt N=2^17), never the stored form.
    expect(JSON.stringify(si.body.user)).not.toContain('passwordHash');
    expect(si.body.user.offlineVerifier).toMatch(/^offline-scrypt\$131072\$8\$1\$/);
    const carlaStored = stored.find((u) => u.username === CARLA.username)!.password_hash;
    expect(si.body.user.offlineVerifier.split('$')[4]).not.toBe(carlaStored.split('$')[4]);
    // The server's change stream itself holds no hash.
    const s2 = serverDb(server);
    const rows = await s2.srv.selectFrom('srv_changes').select('row_json').where('tbl', '=', 'users').execute();
    await s2.close();
    expect(JSON.stringify(rows)).not.toContain('scrypt$');
  });

  it('finding 1: role-scoped tables reach only their roles (security alerts: Admins)', async () => {
    const si = await http<SignInResponse>(server, 'POST', '/v1/auth/sign-in', undefined, { username: CARLA.username, password: CARLA.password });
    const snap = await http<SnapshotResponse>(server, 'GET', '/v1/sync/snapshot', si.body.token);
    expect(snap.body.tables.letter_files).toEqual([]);
    expect(snap.body.tables.security_alerts).toEqual([]);
  });

  it('finding 1: file bytes go only to roles that may see them', async () => {
    const adminTok = (await http<SignInResponse>(server, 'POST', '/v1/auth/sign-in', undefined, ADMIN)).body.token;
    const csrTok = (await http<SignInResponse>(server, 'POST', '/v1/auth/sign-in', undefined, { username: CARLA.username, password: CARLA.password })).body.token;
    const bytes = Buffer.from('account,amount\nA-1,10.00\n');
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect((await http(server, 'POST', `/v1/files/${sha}`, adminTok, { sizeBytes: bytes.length, fileName: 'balances.csv' })).status).toBe(200);
    const put = await fetch(new URL(`/v1/files/${sha}/chunks/0`, server.url), {
      method: 'PUT',
      headers: { authorization: `Bearer ${adminTok}`, 'content-type': 'application/octet-stream', 'x-chunk-sha256': sha },
      body: bytes,
    });
    expect(put.status).toBe(200);
    expect((await http(server, 'POST', `/v1/files/${sha}/complete`, adminTok, {})).status).toBe(200);
    const get = (tok: string) => fetch(new URL(`/v1/files/${sha}`, server.url), { headers: { authorization: `Bearer ${tok}` } });
    expect((await get(adminTok)).status).toBe(200);
    expect((await get(csrTok)).status).toBe(404);
  });

  it('finding 1: offline sign-in uses the verifier given to a desk where the user signed in online, and it is gone after a password reset', async () => {
    const b = await makeDesk('b', server.url);
    desks.push(b);
    await registerDesk(b); // a CSR alone cannot register a new computer
    await b.signIn(CARLA.username, CARLA.password);
    await drain(b);
    const c = await makeDesk('c', server.url);
    desks.push(c);
    await c.signIn(ADMIN.username, ADMIN.password);
    await drain(c);
    // Desk c has carla's row (blank hash) but she never signed in there: no offline sign-in.
    const cRow = await c.core.db.selectFrom('users').selectAll().where('username', '=', CARLA.username).executeTakeFirstOrThrow();
    expect(cRow.password_hash).toBe('');
    await expect(signIn(c.core.db, c.core.clock, CARLA.username, CARLA.password)).rejects.toThrow();
    // Desk b: offline sign-in works against its own verifier; a wrong password does not.
    const bRows = await b.core.db.selectFrom('users').select(['username', 'password_hash']).execute();
    expect(bRows.every((u) => u.password_hash === '')).toBe(true);
    expect((await signIn(b.core.db, b.core.clock, CARLA.username, CARLA.password)).username).toBe(CARLA.username);
    await expect(signIn(b.core.db, b.core.clock, CARLA.username, 'wrong-password-1')).rejects.toThrow();
    // The Admin resets carla's password on desk a; desk b pulls it and forgets the verifier.
    await a.run(admin, 'users.resetPassword', { userId: cRow.id, password: 'a-new-csr-password-9' });
    await drain(a);
    await drain(b);
    expect(await b.core.db.selectFrom('local_user_verifiers').selectAll().where('user_id', '=', cRow.id).execute()).toEqual([]);
    await expect(signIn(b.core.db, b.core.clock, CARLA.username, CARLA.password)).rejects.toThrow();
    // Signing in online again gives desk b a verifier for the new password; deactivation removes it.
    await b.signIn(CARLA.username, 'a-new-csr-password-9');
    expect(await b.core.db.selectFrom('local_user_verifiers').selectAll().where('user_id', '=', cRow.id).execute()).toHaveLength(1);
    await a.run(admin, 'users.update', { userId: cRow.id, active: false });
    await drain(a);
    // Desk b's only token is carla's: the server refuses it as deactivated, and b forgets her verifier.
    await b.sync.syncNow();
    expect(await b.core.db.selectFrom('local_user_verifiers').selectAll().where('user_id', '=', cRow.id).execute()).toEqual([]);
    await a.run(admin, 'users.update', { userId: cRow.id, active: true });
    await drain(a);
  }, 180_000);

  it('finding 2: users.create and users.resetPassword leave no plaintext password in the outbox, command log or the file', async () => {
    const plain = 'plain-text-secret-77';
    const u = await a.run(admin, 'users.create', { username: 'dora', displayName: 'Dora', role: 'csr', password: plain });
    await a.run(admin, 'users.resetPassword', { userId: u.id, password: `${plain}-again` });
    const outbox = await a.core.db.selectFrom('sync_outbox').select(['name', 'input_json']).where('name', 'like', 'users.%').execute();
    expect(outbox.length).toBeGreaterThanOrEqual(2);
    for (const o of outbox) {
      expect(o.input_json).not.toContain(plain);
      expect(o.input_json).not.toContain('"password"');
    }
    await drain(a);
    // The server stored the desk-derived stored form, so dora can sign in with her new password.
    const si = await http<SignInResponse>(server, 'POST', '/v1/auth/sign-in', undefined, { username: 'dora', password: `${plain}-again` });
    expect(si.status).toBe(200);
    // A standalone desk (no server): nothing anywhere in its files holds the plaintext.
    const dir = mkdtempSync(join(tmpdir(), 'ledgerdesk-standalone-'));
    try {
      const core = await openDesktopCore(join(dir, 'ledger.sqlite'));
      const first = await core.executor.serial(() => setupFirstAdmin(core.db, core.clock, { username: 'boss', displayName: 'Boss', password: 'boss-password-12' }));
      const boss = { userId: first.id, role: 'admin' as const };
      const r = await core.executor.execute(boss, 'users.create', { username: 'eve', displayName: 'Eve', role: 'csr', password: plain });
      expect(r.ok).toBe(true);
      expect((await signIn(core.db, core.clock, 'eve', plain)).username).toBe('eve');
      await core.close();
      for (const f of ['ledger.sqlite', 'ledger.sqlite-wal']) {
        const p = join(dir, f);
        if (existsSync(p)) expect(readFileSync(p).includes(Buffer.from(plain))).toBe(false);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('finding 2: a plaintext password pushed to the server is refused', async () => {
    const si = await http<SignInResponse>(server, 'POST', '/v1/auth/sign-in', undefined, { username: ADMIN.username, password: ADMIN.password });
    const dev = (await http<{ clientId: string; deviceSecret: string }>(server, 'POST', '/v1/clients/register', si.body.token, {})).body;
    const push = await http<{ outcomes: { status: string; error?: { code: string } }[] }>(server, 'POST', '/v1/sync/push', si.body.token, {
      clientId: dev.clientId,
      commands: [{ id: '01900000-0000-7000-8000-0000000c0de1', clientSeq: 1, name: 'users.create', version: 2, input: { userId: '01900000-0000-7000-8000-0000000c0de2', username: 'pat', displayName: 'P', role: 'csr', password: 'plain-over-the-wire-1' } }],
    }, { 'x-ledgerdesk-device': dev.deviceSecret });
    expect(push.body.outcomes[0]!.status).toBe('rejected');
  });

  it('finding 2: Needs Attention items are visible and resolvable only by their author and Supervisors/Admins', async () => {
    // nina (CSR) signs in online on desk a; the Admin's users.create for a taken name is rejected by the server.
    await a.run(admin, 'users.create', { username: 'nina', displayName: 'Nina', role: 'csr', password: 'nina-password-12' });
    await drain(a);
    await a.signIn('nina', 'nina-password-12');
    await drain(a);
    // Another desk takes the name first, so the server refuses desk a's users.create.
    const d = await makeDesk('d', server.url);
    desks.push(d);
    const adminD = await d.signIn(ADMIN.username, ADMIN.password);
    await d.run(adminD, 'users.create', { username: 'dora2', displayName: 'First', role: 'csr', password: 'first-password-12' });
    await drain(d);
    const taken = await a.attempt(admin, 'users.create', { username: 'dora2', displayName: 'Dup', role: 'csr', password: 'dup-password-123' });
    expect(taken.ok).toBe(true);
    await a.sync.syncNow();
    expect(a.sync.status().needsAttention).toBe(1);
    const router = new Router(a.core);
    registerSyncChannels(router, a.sync);
    const asCsr = router.openSession(() => undefined);
    const asAdmin = router.openSession(() => undefined);
    expect((await router.invoke(asCsr, 'auth.signIn', { username: 'nina', password: 'nina-password-12' })).ok).toBe(true);
    expect((await router.invoke(asAdmin, 'auth.signIn', ADMIN)).ok).toBe(true);
    const csrList = await router.invoke(asCsr, 'sync.needsAttention.list', {});
    expect(csrList).toEqual({ ok: true, value: [] });
    const adminList = (await router.invoke(asAdmin, 'sync.needsAttention.list', {})) as { ok: true; value: { commandId: string }[] };
    expect(adminList.value).toHaveLength(1);
    expect(JSON.stringify(adminList.value[0]!)).not.toMatch(/password/i);
    const denied = await router.invoke(asCsr, 'sync.needsAttention.resolve', { commandId: adminList.value[0]!.commandId, action: 'acknowledge' });
    expect(denied.ok).toBe(false);
    const ok = await router.invoke(asAdmin, 'sync.needsAttention.resolve', { commandId: adminList.value[0]!.commandId, action: 'acknowledge' });
    expect(ok.ok).toBe(true);
  }, 120_000);
});
