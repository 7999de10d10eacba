import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../../test/helpers/ledger';
import { openDesktopCore } from '../ledger-core';
import { verifyLedger } from '../ledger/checks';
import { prepareDemoLedger } from './demo-ledger';

const dir = mkdtempSync(join(tmpdir(), 'ledgerdesk-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('prepareDemoLedger', () => {
  it('fills a new ledger with users of every role and payers in one step, and reopens it as it is', async () => {
    const path = join(dir, 'ledger.sqlite');
    expect(await prepareDemoLedger(path, manualClock(), { accounts: 20 })).toEqual({ created: true });
    expect(await prepareDemoLedger(path, manualClock(), { accounts: 20 })).toEqual({ created: false });
    const core = await openDesktopCore(path);
    try {
      const users = await core.db.selectFrom('users').select(['username', 'role']).orderBy('username').execute();
      expect(users).toEqual([
        { username: 'admin', role: 'admin' },
        { username: 'carla', role: 'csr' },
        { username: 'sam', role: 'supervisor' },
      ]);
      const n = await core.db.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(n.n)).toBe(20);
      // A day at the desk, so every report has rows: a completed deposit, a returned check, a refund,
      // a deleted and a cancelled payment, a credit, a gift card and a prepayment.
      const count = async (q: Promise<{ n: number | string | bigint }>) => Number((await q).n);
      const rows = (t: 'deposits' | 'refunds' | 'credits') => count(core.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow());
      expect(await rows('deposits')).toBe(1);
      expect(await rows('refunds')).toBe(1);
      const statuses = await core.db.selectFrom('payments').select(['status', 'kind']).where('status', 'in', ['voided', 'cancelled']).execute();
      expect(statuses.map((p) => p.status).sort()).toEqual(['cancelled', 'voided']);
      expect(await core.db.selectFrom('payments').select('id').where('kind', '!=', 'payment').execute()).not.toEqual([]);
      const kinds = await core.db.selectFrom('credits').select('kind').orderBy('kind').execute();
      expect(kinds.map((k) => k.kind)).toEqual(['credit', 'gift_card', 'prepayment']);
      expect(await verifyLedger(core.db)).toEqual([]);
    } finally {
      await core.close();
    }
  });
});
