import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLedger, seedAccount, type TestLedger } from '../../../test/helpers/ledger';

let t: TestLedger;

beforeAll(async () => {
  t = await makeLedger();
  const a = await seedAccount(t, '30001', [{ number: 'H1', due: '2026-01-10', lines: ['100.00'] }], 'Hana Home');
  await t.run(t.csr, 'payments.record', { accountId: a.id, amount: '10.00', method: 'cash', paymentDate: '2026-03-15' });
  await t.run(t.csr, 'payments.record', { accountId: a.id, amount: '5.25', method: 'check', checkNumber: '11', paymentDate: '2026-03-15' });
  await t.run(t.admin, 'payments.record', { accountId: a.id, amount: '7.00', method: 'cash', paymentDate: '2026-03-10' });
});
afterAll(async () => t.cleanup());

describe('reports.home', () => {
  it("counts the business day's payments, by method, and the user's own", async () => {
    const h = await t.run(t.csr, 'reports.home', { date: '2026-03-15' });
    expect(h.payments).toEqual({
      count: 2,
      totalCents: 1525,
      mine: 2,
      byMethod: [
        { method: 'cash', count: 1, totalCents: 1000 },
        { method: 'check', count: 1, totalCents: 525 },
      ],
    });
  });
  it('gives CSRs no aging or deposits; supervisors see aging and undeposited older payments', async () => {
    const csr = await t.run(t.csr, 'reports.home', { date: '2026-03-15' });
    expect(csr.aging).toBeNull();
    expect(csr.openDeposits).toBeNull();
    const sup = await t.run(t.supervisor, 'reports.home', { date: '2026-03-15' });
    expect(sup.aging!.total).toBe(10000 - 1000 - 525 - 700);
    expect(sup.attention).toEqual([expect.objectContaining({ kind: 'undeposited', count: 1, amountCents: 700 })]);
  });
});
