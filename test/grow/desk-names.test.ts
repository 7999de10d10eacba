import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/commands/types';
import { JoinService } from '../../src/main/sync/join';
import { FileTokenStore } from '../../src/main/sync/token-store';
import { drain, makeDesk, type Desk, type RunningServer, registerDesk } from '../sync/helpers';
import { startOffice, usePgCluster } from '../sync/office';

/**
 * Issue 13 item 2: a desk sends its computer's name when it registers; an Admin names its office
 * (and may rename it) on the Desks page, which shows when each desk was last seen, the last
 * sequence the server took from it and how many commands it holds unsent.
 */
const pgc = usePgCluster();

describe.each(['sqlite', 'postgres'] as const)('named desks on %s', (backend) => {
  let skip = false;
  let server: RunningServer;
  let a: Desk;
  let b: Desk;
  let admin: Actor;
  let accountId: string;
  const service = (d: Desk) => new JoinService({ core: d.core, sync: d.sync, files: d.files, raw: d.core.ledger.raw, backupDir: join(d.dir, 'backups'), tokens: new FileTokenStore(join(d.dir, 'tokens.json')) });

  beforeAll(async () => {
    const office = await startOffice(backend, pgc(), 'desknames', 'N-1');
    if (!office) {
      skip = true;
      return;
    }
    ({ server, a, admin, accountId } = office);
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

  it('each desk registers under its computer name; an Admin names its office; the list shows last seen, last pushed and pending', async (ctx) => {
    if (skip) return ctx.skip();
    let list = await service(a).desks(admin);
    expect(list.map((d) => d.label)).toEqual([hostname(), hostname()]);
    const deskB = list.find((d) => d.clientId === b.sync.id)!;
    expect(deskB).toMatchObject({ office: null, pending: 0, current: false });

    // Desk b takes two payments while it cannot reach the server, then reports them when it can.
    const cara = b.users.cara!;
    await b.run(cara, 'payments.record', { accountId, amount: '5.00', method: 'cash' });
    await b.run(cara, 'payments.record', { accountId, amount: '6.00', method: 'cash' });
    await b.sync['refreshCounts']();
    // A pull alone (the push waits): what the desk holds unsent reaches the server with it.
    await b.sync['link'].call(Object.values(await new FileTokenStore(join(b.dir, 'tokens.json')).all())[0]!.token, 'GET', '/v1/sync/pull?after=0&limit=1');
    list = await service(a).desks(admin);
    expect(list.find((d) => d.clientId === b.sync.id)).toMatchObject({ pending: 2 });
    await drain(b);
    list = await service(a).desks(admin);
    const after = list.find((d) => d.clientId === b.sync.id)!;
    expect(after.lastSeq).toBeGreaterThan(deskB.lastSeq);
    expect(after.lastSeenAt >= deskB.lastSeenAt).toBe(true);

    // The Admin names it; a CSR may not.
    await service(a).renameDesk(admin, { clientId: b.sync.id, label: 'FRONT-2', office: 'North office' });
    expect((await service(a).desks(admin)).find((d) => d.clientId === b.sync.id)).toMatchObject({ label: 'FRONT-2', office: 'North office' });
    await expect(service(b).renameDesk(cara, { clientId: b.sync.id, label: 'MINE', office: null })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const tok = (await new FileTokenStore(join(b.dir, 'tokens.json')).get(cara.userId))!.token;
    const r = await fetch(`${server.url}/v1/clients/${b.sync.id}/name`, { method: 'POST', headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' }, body: JSON.stringify({ label: 'MINE', office: null }) });
    expect(r.status).toBe(403);
    expect((await service(a).desks(admin)).find((d) => d.clientId === b.sync.id)).toMatchObject({ label: 'FRONT-2' });
  }, 120_000);
});
