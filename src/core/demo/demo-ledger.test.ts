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
      const rows = (t: 'refunds' | 'credits') => count(core.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow());
      expect(await rows('refunds')).toBe(1);
      const statuses = await core.db.selectFrom('payments').select(['status', 'kind']).where('status', 'in', ['voided', 'cancelled']).execute();
      expect(statuses.map((p) => p.status).sort()).toEqual(['cancelled', 'voided']);
      expect(await core.db.selectFrom('payments').select('id').where('kind', '!=', 'payment').execute()).not.toEqual([]);
      const kinds = await core.db.selectFrom('credits').select('kind').orderBy('kind').execute();
      expect(kinds.map((k) => k.kind)).toEqual(['credit', 'gift_card', 'prepayment']);
      expect(await verifyLedger(core.db)).toEqual([]);
      // The office's work on the year, so every screen has something real to show.
      const deposits = await core.db.selectFrom('deposits').select(['status']).execute();
      expect(deposits.filter((d) => d.status === 'open')).toHaveLength(1);
      expect(deposits.filter((d) => d.status === 'closed').length).toBeGreaterThan(10);
      // No payment before this week is left out of a deposit, and none is marked deposited without one.
      expect(await count(core.db.selectFrom('payments').select((eb) => eb.fn.countAll().as('n')).where('status', '=', 'pending').where('payment_date', '<', '2026-03-09').executeTakeFirstOrThrow())).toBe(0);
      expect(await count(core.db.selectFrom('payments').select((eb) => eb.fn.countAll().as('n')).where('status', '=', 'deposited').where('deposit_id', 'is', null).executeTakeFirstOrThrow())).toBe(0);
      const closed = await core.db.selectFrom('periods').select('period').where('status', '=', 'closed').orderBy('period').execute();
      expect(closed.at(-1)?.period).toBe('2026-01');
      expect(await count(core.db.selectFrom('payments').select((eb) => eb.fn.countAll().as('n')).where('payment_date', '=', '2026-03-15').where('kind', '=', 'payment').executeTakeFirstOrThrow())).toBeGreaterThanOrEqual(6);
      expect(await count(core.db.selectFrom('recurring_payments').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow())).toBe(2);
      expect(await count(core.db.selectFrom('statement_batches').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow())).toBe(1);
    } finally {
      await core.close();
    }
  });
});
