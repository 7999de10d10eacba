import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/core/audit/audit-log';
import { openDesktopCore } from '../../src/core/ledger-core';
import type { SignInResponse, SnapshotResponse } from '../../src/core/sync/protocol';
import { ADMIN, drain, makeDesk, serverDb, startServer, type Desk, type RunningServer } from '../sync/helpers';

/** Issue 12, finding 3 (the parts built so far): the server's hold on each desk's chain, and the append-only guard. */

async function http<T>(server: RunningServer, method: string, path: string, token?: string, json?: unknown, extra: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(new URL(path, server.url), {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(json ? { 'content-type': 'application/json' } : {}), ...extra },
    body: json ? JSON.stringify(json) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

describe('audit trail held by the server (issue 12, finding 3)', () => {
  let server: RunningServer;
  let a: Desk;
  beforeAll(async () => {
    server = await startServer();
    a = await makeDesk('a', server.url);
    const admin = await a.signIn(ADMIN.username, ADMIN.password);
    await a.run(admin, 'users.create', { username: 'carla', displayName: 'Carla', role: 'csr', password: 'csr-password-1' });
    await a.run(admin, 'divisions.create', { name: 'North' });
    await drain(a);
  }, 120_000);
  afterAll(async () => {
    await a?.close();
    await server?.kill();
  });

  const held = async () => {
    const s = serverDb(server);
    const rows = await s.srv.selectFrom('srv_client_audit').selectAll().where('client_id', '=', a.sync.id).orderBy('seq').execute();
    await s.close();
    return rows;
  };

  it("a CSR cannot push entries into another desk's chain, and the desk's real entries still arrive", async () => {
    const before = await held();
    expect(before.length).toBeGreaterThan(0);
    const last = before[before.length - 1]!;
    const csr = await http<SignInResponse>(server, 'POST', '/v1/auth/sign-in', undefined, { username: 'carla', password: 'csr-password-1', clientId: '01900000-0000-7000-8000-00000000beef' });
    const forged = { seq: last.seq + 1, id: 'forged', at: '2026-01-01T00:00:00.000Z', user_id: null, action: 'forged', entity: 'x', entity_id: null, before_json: null, after_json: null, prev_hash: last.hash, hash: 'f'.repeat(64) };
    const r = await http<{ error: { code: string } }>(server, 'POST', '/v1/audit/push', csr.body.token, { clientId: a.sync.id, entries: [forged] });
    expect(r.status).toBe(403);
    // The desk's own next entries are accepted (nothing of the forgery was kept).
    const admin = a.users[ADMIN.username]!;
    await a.run(admin, 'divisions.create', { name: 'South' });
    await drain(a);
    const after = await held();
    const mine = await a.core.db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq').execute();
    expect(after.map((e) => [Number(e.seq), e.hash])).toEqual(mine.map((e) => [e.seq, e.hash]));
  }, 120_000);

  it('the server refuses an entry that differs from one it holds and raises it to Admins', async () => {
    const tok = await http<SignInResponse>(server, 'POST', '/v1/auth/sign-in', undefined, { ...ADMIN, clientId: a.sync.id });
    const first = (await a.core.db.selectFrom('audit_log').selectAll().where('seq', '=', 1).executeTakeFirstOrThrow()) as Record<string, unknown>;
    const edited = { ...first, after_json: '{"edited":true}' };
    // Pushed as desk a itself (its device credential), so only the entry's content is wrong.
    const cred = (await (a.sync as unknown as { opts: { tokens: { device: { get(): Promise<{ secret: string } | null> } } } }).opts.tokens.device.get())!;
    const r = await http<{ error: { code: string } }>(server, 'POST', '/v1/audit/push', tok.body.token, { clientId: a.sync.id, entries: [edited] }, { 'x-ledgerdesk-device': cred.secret });
    expect(r.status).toBe(409);
    const adminSnap = await http<SnapshotResponse>(server, 'GET', '/v1/sync/snapshot', tok.body.token);
    expect(adminSnap.body.tables.security_alerts!.map((x) => x.kind)).toContain('audit-entry-differs');
    const csr = await http<SignInResponse>(server, 'POST', '/v1/auth/sign-in', undefined, { username: 'carla', password: 'csr-password-1' });
    const csrSnap = await http<SnapshotResponse>(server, 'GET', '/v1/sync/snapshot', csr.body.token);
    expect(csrSnap.body.tables.security_alerts).toEqual([]);
  }, 60_000);

  it('dropping the append-only triggers of a real ledger file fails verification', async () => {
    const core = await openDesktopCore(join(a.dir, 'copy.sqlite'));
    expect((await verifyAuditChain(core.db)).ok).toBe(true);
    await core.close();
    const raw = new BetterSqlite3(join(a.dir, 'copy.sqlite'));
    raw.exec('DROP TRIGGER audit_no_update');
    raw.close();
    const again = await openDesktopCore(join(a.dir, 'copy.sqlite'));
    const check = await verifyAuditChain(again.db);
    await again.close();
    expect(check.ok).toBe(false);
    expect(check.reason).toMatch(/append-only guard is missing \(audit_no_update\)/);
  }, 60_000);

  it("the desk keeps the server's acknowledgement of its chain, and its check compares with it", async () => {
    const admin = a.users[ADMIN.username]!;
    await a.run(admin, 'divisions.create', { name: 'West' });
    await drain(a);
    const last = await a.core.db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    const head = await a.core.db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
    expect([head.ack_seq, head.ack_hash]).toEqual([last.seq, last.hash]);
    expect(await verifyAuditChain(a.core.db)).toMatchObject({ ok: true, keyed: true, acknowledgedThrough: last.seq });
    // The server keeps the same head for this desk.
    const s = serverDb(server);
    const rec = await s.srv.selectFrom('srv_clients').selectAll().where('client_id', '=', a.sync.id).executeTakeFirstOrThrow();
    await s.close();
    expect([Number((rec as { audit_seq: number }).audit_seq), (rec as { audit_hash: string }).audit_hash]).toEqual([last.seq, last.hash]);
  }, 120_000);

  it("the server checks its own chain at start-up and raises a failure to Admins (it still serves)", async () => {
    await server.kill();
    const raw = new BetterSqlite3(join(server.dataDir, 'server.sqlite'));
    raw.exec('DROP TRIGGER audit_no_delete');
    raw.prepare('DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)').run();
    raw.exec(`CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`);
    raw.close();
    await server.restart();
    expect(server.output.join('')).toMatch(/SECURITY: the audit log does not verify: entries \d+ to \d+ were removed from the end/);
    const tok = await http<SignInResponse>(server, 'POST', '/v1/auth/sign-in', undefined, { ...ADMIN });
    const snap = await http<SnapshotResponse>(server, 'GET', '/v1/sync/snapshot', tok.body.token);
    const alert = snap.body.tables.security_alerts!.find((x) => x.kind === 'audit-verify-failed');
    expect(JSON.parse(String(alert!.detail_json)).reason).toMatch(/removed from the end/);
  }, 120_000);
});
