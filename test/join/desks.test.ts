import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/commands/types';
import { JoinService } from '../../src/main/sync/join';
import { FileTokenStore } from '../../src/main/sync/token-store';
import { AppFailure } from '../../src/shared/result';
import { ADMIN, drain, makeDesk, serverDb, type Desk, type RunningServer, registerDesk } from '../sync/helpers';
import { startOffice, usePgCluster } from '../sync/office';

/**
 * Issue 13: the Admin's list of registered desks (client id, who registered it, last seen, last
 * sequence) and Revoke. A revoked desk's pushes are refused in plain words, its work stays on it, and
 * only an Admin's sign-in there connects it again; a CSR can neither list nor revoke.
 */
const pgc = usePgCluster();

describe.each(['sqlite', 'postgres'] as const)('desks and revocation on %s', (backend) => {
  let skip = false;
  let server: RunningServer;
  let databaseUrl: string | undefined;
  let a: Desk;
  let b: Desk;
  let admin: Actor;
  let accountId: string;

  const service = (d: Desk) => new JoinService({ core: d.core, sync: d.sync, files: d.files, raw: d.core.ledger.raw, backupDir: join(d.dir, 'backups'), tokens: new FileTokenStore(join(d.dir, 'tokens.json')) });

  beforeAll(async () => {
    const office = await startOffice(backend, pgc(), 'desks', 'D-1');
    if (!office) {
      skip = true;
      return;
    }
    ({ server, databaseUrl, a, admin, accountId } = office);
    b = await makeDesk('b', server.url);
    await registerDesk(b); // a CSR alone cannot register a new computer
    await b.signIn('cara', 'csr-password-2');
    await drain(b);
  }, 180_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await server?.kill();
  });

  it('an Admin lists the desks; a CSR may not', async (ctx) => {
    if (skip) return ctx.skip();
    const list = await service(a).desks(admin);
    expect(list.map((d) => d.clientId).sort()).toEqual([a.sync.id, b.sync.id].sort());
    const mine = list.find((d) => d.current)!;
    expect(mine).toMatchObject({ clientId: a.sync.id, registeredBy: 'Administrator', revokedAt: null });
    expect(mine.lastSeq).toBeGreaterThan(0);
    expect(list.find((d) => d.clientId === b.sync.id)).toMatchObject({ registeredBy: 'Administrator', current: false }); // an Admin registered it (a CSR cannot)
    const cara = b.users.cara!;
    await expect(service(b).desks(cara)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const tok = (await new FileTokenStore(join(b.dir, 'tokens.json')).get(cara.userId))!.token;
    const r = await fetch(`${server.url}/v1/clients`, { headers: { authorization: `Bearer ${tok}` } });
    expect(r.status).toBe(403);
    const rv = await fetch(`${server.url}/v1/clients/${a.sync.id}/revoke`, { method: 'POST', headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' }, body: '{}' });
    expect(rv.status).toBe(403);
  }, 60_000);

  it("a revoked desk's work is refused in plain words, kept, and goes through once an Admin signs in there", async (ctx) => {
    if (skip) return ctx.skip();
    const revokedId = b.sync.id;
    const e = await service(a).revokeDesk(admin, a.sync.id).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppFailure); // not the computer you are using
    expect(await service(a).revokeDesk(admin, revokedId)).toEqual({ revoked: true });
    expect((await service(a).desks(admin)).find((d) => d.clientId === revokedId)!.revokedAt).not.toBeNull();

    const cara = b.users.cara!;
    const pay = await b.run(cara, 'payments.record', { accountId, amount: '7.00', method: 'cash' });
    await b.sync.syncNow();
    // Cara's server sign-in from the revoked desk ended, and the server refuses her signing in there again.
    await expect(b.signIn('cara', 'csr-password-2')).rejects.toThrow(/administrator (revoked|must sign in)/i);
    await b.sync.syncNow();
    const st = b.sync.status();
    expect(st.pending).toBe(1); // kept here, not lost
    const s = serverDb(server, databaseUrl);
    expect(await s.db.selectFrom('payments').select('id').where('id', '=', pay.id).executeTakeFirst()).toBeUndefined();

    // An Admin signs in on the desk: it registers again (a new id) and the work goes through.
    await b.signIn(ADMIN.username, ADMIN.password);
    await b.sync.syncNow();
    await b.sync.syncNow();
    expect(b.sync.id).not.toBe(revokedId);
    await b.signIn('cara', 'csr-password-2');
    await drain(b);
    expect(b.sync.id).not.toBe(revokedId);
    expect(await s.db.selectFrom('payments').select('id').where('id', '=', pay.id).executeTakeFirst()).toBeDefined();
    await s.close();
    expect(b.sync.status()).toMatchObject({ pending: 0, needsAttention: 0 });
  }, 120_000);
});
