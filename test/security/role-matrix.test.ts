import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allCommands } from '../../src/core/registry';
import type { PushOutcome, SignInResponse } from '../../src/core/sync/protocol';
import { startAppServices, type AppServices } from '../../src/main/app-services';
import { newId } from '../../src/shared/ids';
import type { Session } from '../../src/main/router/session';
import { contract } from '../../src/shared/contract';
import { PUSH_ONLY_COMMANDS, ROLE_MATRIX, type ChannelAccess } from '../../src/shared/contract/role-matrix';
import { Roles, type Role } from '../../src/shared/roles';
import { ADMIN, drain, makeDesk, startServer, type Desk, type RunningServer } from '../sync/helpers';
import { STRONG } from './support';

/**
 * Every contract channel, called as a CSR, a Supervisor and an Admin through the router, compared
 * with the table beside the contract (src/shared/contract/role-matrix.ts). "Denied" means the
 * answer is FORBIDDEN; "allowed" means anything else (most calls here fail on their input or find
 * nothing, which is fine: the role check came first and let them through).
 */

const UUID = '01900000-0000-7000-8000-0000000000aa';
/** Inputs for the channels main handles itself, whose input is parsed before their role check. */
const SAMPLE: Record<string, unknown> = {
  'imports.preview': { previewId: UUID, fileName: 'x.csv', kind: 'balance', divisionId: null, contentBase64: '' },
  'imports.cancel': { previewId: UUID },
  'imports.decide': { previewId: UUID, decisions: {} },
  'imports.apply': { previewId: UUID },
  'imports.export': { uploadId: UUID, format: 'csv' },
  'imports.template': { kind: 'balance', format: 'csv' },
  'sync.signIn': { password: 'not-this-one' },
  'sync.needsAttention.resolve': { commandId: UUID, action: 'acknowledge' },
  'sync.configure': { serverUrl: null },
};
/** Channels with effects on the session or the desk, called last and checked apart. */
const LAST = ['sync.configure', 'auth.signOut'];

let dir: string;
let svc: AppServices;
const sessions = {} as Record<Role, Session>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ledgerdesk-matrix-'));
  svc = await startAppServices(dir, { resourcesDir: join(process.cwd(), 'resources') });
  const r = svc.router;
  const setup = r.openSession(() => undefined);
  expect((await r.invoke(setup, 'auth.setupFirstAdmin', { username: 'admin', displayName: 'Ada Admin', password: STRONG })).ok).toBe(true);
  sessions.admin = r.openSession(() => undefined);
  expect((await r.invoke(sessions.admin, 'auth.signIn', { username: 'admin', password: STRONG })).ok).toBe(true);
  for (const role of ['csr', 'supervisor'] as const) {
    expect((await r.invoke(sessions.admin, 'users.create', { username: `${role}-user`, displayName: role, role, password: STRONG })).ok).toBe(true);
    sessions[role] = r.openSession(() => undefined);
    expect((await r.invoke(sessions[role], 'auth.signIn', { username: `${role}-user`, password: STRONG })).ok).toBe(true);
  }
}, 120_000);
afterAll(async () => {
  await svc?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function observe(channel: string): Promise<Record<Role, string>> {
  const out = {} as Record<Role, string>;
  for (const role of Roles) {
    const r = await svc.router.invoke(sessions[role], channel, SAMPLE[channel] ?? {});
    out[role] = r.ok ? 'ok' : r.error.code;
  }
  return out;
}

const expected = (access: ChannelAccess, role: Role) => access === 'public' || access.includes(role);

describe('role-by-channel matrix (issue 12)', () => {
  it('classifies every contract channel, and nothing that is not one', () => {
    const channels = Object.keys(contract).sort();
    expect(channels.filter((c) => !(c in ROLE_MATRIX))).toEqual([]);
    expect(Object.keys(ROLE_MATRIX).filter((c) => !(c in contract))).toEqual([]);
  });

  it('through the router, each role is allowed or refused exactly as the table says', async () => {
    const wrong: string[] = [];
    const channels = Object.keys(contract).filter((c) => !LAST.includes(c));
    for (const channel of [...channels, ...LAST]) {
      const seen = await observe(channel);
      const access = ROLE_MATRIX[channel as keyof typeof ROLE_MATRIX];
      if (!access) continue;
      for (const role of Roles) {
        const denied = seen[role] === 'FORBIDDEN';
        if (denied === expected(access, role)) wrong.push(`${channel} as ${role}: ${seen[role]} (table: ${access === 'public' ? 'public' : access.join(', ')})`);
      }
    }
    expect(wrong).toEqual([]);
  }, 300_000);
});

describe('role-by-channel matrix through the server (issue 12)', () => {
  let server: RunningServer;
  let desk: Desk;
  beforeAll(async () => {
    server = await startServer();
    desk = await makeDesk('matrix', server.url);
    const admin = await desk.signIn(ADMIN.username, ADMIN.password);
    for (const role of ['csr', 'supervisor'] as const) await desk.run(admin, 'users.create', { username: `${role}-user`, displayName: role, role, password: STRONG });
    await drain(desk);
  }, 180_000);
  afterAll(async () => {
    await desk?.close();
    await server?.kill();
  });

  const post = async <T>(path: string, json: unknown, token?: string, headers: Record<string, string> = {}) => {
    const res = await fetch(new URL(path, server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: JSON.stringify(json),
    });
    return { status: res.status, body: (await res.json()) as T };
  };

  it('every synced command pushed as each role is allowed or refused exactly as the table says', async () => {
    const synced = allCommands.filter((c) => c.synced);
    expect(synced.length).toBeGreaterThan(20);
    const wrong: string[] = [];
    for (const role of Roles) {
      const user = role === 'admin' ? ADMIN.username : `${role}-user`;
      const password = role === 'admin' ? ADMIN.password : STRONG;
      const signIn = await post<SignInResponse>('/v1/auth/sign-in', { username: user, password });
      expect(signIn.status).toBe(200);
      const token = signIn.body.token;
      // A new computer is registered by an Admin (a CSR cannot); each role's own token then pushes from it.
      const registrar = (await post<SignInResponse>('/v1/auth/sign-in', { username: ADMIN.username, password: ADMIN.password })).body.token;
      const reg = await post<{ clientId: string; deviceSecret: string }>('/v1/clients/register', {}, registrar);
      const commands = synced.map((c, i) => ({ id: newId(), clientSeq: i + 1, name: c.name, version: c.version, input: {} }));
      const r = await post<{ outcomes: PushOutcome[] }>('/v1/sync/push', { clientId: reg.body.clientId, commands }, token, { 'x-ledgerdesk-device': reg.body.deviceSecret });
      expect(r.status, JSON.stringify(r.body).slice(0, 600)).toBe(200);
      for (const c of commands) {
        const o = r.body.outcomes.find((x) => x.id === c.id);
        const denied = o?.error?.code === 'FORBIDDEN';
        const access = ROLE_MATRIX[c.name as keyof typeof ROLE_MATRIX] ?? PUSH_ONLY_COMMANDS[c.name];
        if (!access) wrong.push(`${c.name}: not in the table`);
        else if (denied === expected(access, role)) wrong.push(`${c.name} as ${role}: ${o?.status} ${o?.error?.code ?? ''}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 180_000);
});
