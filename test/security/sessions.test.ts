import { hashPasswordSync } from '../../src/core/auth/passwords';
/**
 * Finding 5: after a password reset the old desk session kept working and the server token stayed
 * valid for up to 12 hours; a reactivated user's old tokens came back to life. Probes go to the
 * real browser host process and the real server process.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startServer, type RunningServer } from '../sync/helpers';
import { connect, rpc, startHostProcess, STRONG, type HostProcess } from './support';

const CARLA_PW = 'Carla-front-desk-Maple-17';
const NEW_PW = 'Second-Harbor-lantern-88';

describe('desk sessions end when the user changes', () => {
  let h: HostProcess;
  beforeAll(async () => {
    h = await startHostProcess();
  });
  afterAll(async () => h?.stop());

  it('password reset, role change and deactivation each end the open session at once', async () => {
    const admin = await connect(h);
    expect(await rpc(admin, 'auth.setupFirstAdmin', { username: 'admin', displayName: 'Ada Admin', password: STRONG })).toMatchObject({ ok: true });
    const created = await rpc(admin, 'users.create', { username: 'carla', displayName: 'Carla CSR', role: 'csr', password: CARLA_PW });
    expect(created).toMatchObject({ ok: true });
    const carlaId = created.value.id;
    const carla = await connect(h);
    const ended: unknown[] = [];
    carla.on('message', (d) => {
      const m = JSON.parse(String(d));
      if (m.event === 'session.ended') ended.push(m.payload);
    });

    expect(await rpc(carla, 'auth.signIn', { username: 'carla', password: CARLA_PW })).toMatchObject({ ok: true });
    expect(await rpc(carla, 'divisions.list', {})).toMatchObject({ ok: true });
    expect(await rpc(admin, 'users.resetPassword', { userId: carlaId, password: NEW_PW })).toMatchObject({ ok: true });
    expect(await rpc(carla, 'divisions.list', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', message: 'Your password or role was changed. Sign in again.' } });
    expect(await rpc(carla, 'divisions.list', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', message: 'Sign in first.' } });

    expect(await rpc(carla, 'auth.signIn', { username: 'carla', password: NEW_PW })).toMatchObject({ ok: true });
    expect(await rpc(admin, 'users.update', { userId: carlaId, role: 'supervisor' })).toMatchObject({ ok: true });
    expect(await rpc(carla, 'divisions.list', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });

    expect(await rpc(carla, 'auth.signIn', { username: 'carla', password: NEW_PW })).toMatchObject({ ok: true });
    expect(await rpc(admin, 'users.update', { userId: carlaId, active: false })).toMatchObject({ ok: true });
    expect(await rpc(carla, 'divisions.list', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', message: 'This user has been deactivated.' } });
    expect(ended).toEqual([{ reason: 'signed-out' }, { reason: 'signed-out' }, { reason: 'deactivated' }]);
    admin.close();
    carla.close();
  });
});

describe('server tokens end when the user changes', () => {
  let srv: RunningServer;
  let device = { clientId: '', deviceSecret: '' };
  let seq = 0;
  beforeAll(async () => {
    srv = await startServer();
  });
  afterAll(async () => srv?.kill());

  const post = async (path: string, body: unknown, token?: string, extra: Record<string, string> = {}) => {
    const r = await fetch(`${srv.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra }, body: JSON.stringify(body) });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };
  const me = async (token: string) => (await fetch(`${srv.url}/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } })).status;
  const signIn = async (username: string, password: string) => (await post('/v1/auth/sign-in', { username, password })).body.token as string;
  // A desk's push: its server-issued client id and device secret; users.* v2 carry the password's stored form.
  const push = (token: string, name: string, input: Record<string, unknown>) => {
    const v2 = name === 'users.create' || name === 'users.resetPassword';
    const { password, ...rest } = input as { password?: string };
    const body = v2 && password ? { ...rest, passwordHash: hashPasswordSync(password) } : input;
    return post('/v1/sync/push', { clientId: device.clientId, commands: [{ id: randomUUID(), clientSeq: ++seq, name, version: v2 ? 2 : 1, input: body }] }, token, { 'x-ledgerdesk-device': device.deviceSecret });
  };

  it('a password reset, a role change and a deactivation revoke the tokens; reactivation does not revive them', async () => {
    const admin = await signIn(ADMIN.username, ADMIN.password);
    device = (await post('/v1/clients/register', {}, admin)).body as typeof device;
    const carlaId = randomUUID();
    expect((await push(admin, 'users.create', { userId: carlaId, username: 'carla', displayName: 'Carla CSR', role: 'csr', password: CARLA_PW })).status).toBe(200);

    const t1 = await signIn('carla', CARLA_PW);
    expect(await me(t1)).toBe(200);
    expect((await push(admin, 'users.resetPassword', { userId: carlaId, password: NEW_PW })).status).toBe(200);
    expect(await me(t1)).toBe(401);

    const t2 = await signIn('carla', NEW_PW);
    expect((await push(admin, 'users.update', { userId: carlaId, role: 'supervisor' })).status).toBe(200);
    expect(await me(t2)).toBe(401);

    const t3 = await signIn('carla', NEW_PW);
    expect((await push(admin, 'users.update', { userId: carlaId, active: false })).status).toBe(200);
    expect(await me(t3)).toBe(401);
    expect((await push(admin, 'users.update', { userId: carlaId, active: true })).status).toBe(200);
    for (const t of [t1, t2, t3]) expect(await me(t)).toBe(401);
    expect(await me(await signIn('carla', NEW_PW))).toBe(200);
  });
});
