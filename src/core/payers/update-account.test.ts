import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, makeLedger, seedAccount, type TestLedger } from '../../../test/helpers/ledger';

let t: TestLedger;
let accountId: string;

beforeAll(async () => {
  t = await makeLedger();
  accountId = (await seedAccount(t, '50001', [], 'Pat Payer')).id;
  await seedAccount(t, '50002', [], 'Other Payer');
});
afterAll(async () => t.cleanup());

describe('accounts.update (Edit Payer)', () => {
  it('lets a CSR change contact details, audited with before and after', async () => {
    const r = await t.run(t.csr, 'accounts.update', { accountId, email: 'pat@example.com' });
    expect(r.email).toBe('pat@example.com');
    const audit = await t.run(t.supervisor, 'reports.audit', { entity: 'account', action: 'update' });
    expect(audit.rows[0].changes).toEqual([{ field: 'Email', before: '50001@example.com', after: 'pat@example.com' }]);
  });
  it('refuses a CSR changing the name, number or portal user ID, and changes nothing', async () => {
    expectError(await t.attempt(t.csr, 'accounts.update', { accountId, name: 'Patricia Payer', email: 'x@example.com' }), 'FORBIDDEN', 'name');
    expectError(await t.attempt(t.csr, 'accounts.update', { accountId, accountNumber: '50009' }), 'FORBIDDEN', 'accountNumber');
    const r = await t.run(t.csr, 'payers.get', { accountId });
    expect(r.account).toMatchObject({ name: 'Pat Payer', email: 'pat@example.com', accountNumber: '50001' });
  });
  it('lets a supervisor change name, number and portal user ID; a number in use is refused', async () => {
    expectError(await t.attempt(t.supervisor, 'accounts.update', { accountId, accountNumber: '50002' }), 'CONFLICT', 'accountNumber');
    const r = await t.run(t.supervisor, 'accounts.update', { accountId, name: 'Patricia Payer', accountNumber: '50003', portalUserId: 'PatP' });
    expect(r).toMatchObject({ name: 'Patricia Payer', accountNumber: '50003', portalUserId: 'patp' });
  });
  it('names the bad field of bad input', async () => {
    expectError(await t.attempt(t.csr, 'accounts.update', { accountId, email: 'not-an-email' }), 'VALIDATION', 'email');
  });
});
