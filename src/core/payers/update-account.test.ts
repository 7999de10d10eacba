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
  it('lets a CSR change phone and postal address, each audited before and after', async () => {
    const r = await t.run(t.csr, 'accounts.update', { accountId, phone: '(555) 010-2000 x12', postalAddress: ' 12 Elm St \n\n Springfield, IL 62701 ' });
    expect(r).toMatchObject({ phone: '(555) 010-2000 x12', postalAddress: '12 Elm St\nSpringfield, IL 62701' });
    const audit = await t.run(t.supervisor, 'reports.audit', { entity: 'account', action: 'update' });
    expect(audit.rows[0].changes).toEqual([
      { field: 'Phone', before: null, after: '(555) 010-2000 x12' },
      { field: 'Postal address', before: null, after: '12 Elm St\nSpringfield, IL 62701' },
    ]);
    expectError(await t.attempt(t.csr, 'accounts.update', { accountId, phone: 'call me' }), 'VALIDATION', 'phone');
  });
  it('changes status only for a supervisor, with a reason kept in the audit; the portal user ID shows in the audit', async () => {
    expectError(await t.attempt(t.csr, 'accounts.update', { accountId, status: 'inactive', statusReason: 'Moved away' }), 'FORBIDDEN', 'status');
    expectError(await t.attempt(t.supervisor, 'accounts.update', { accountId, status: 'inactive' }), 'VALIDATION', 'statusReason');
    const r = await t.run(t.supervisor, 'accounts.update', { accountId, status: 'inactive', statusReason: 'Moved away', portalUserId: 'patricia' });
    expect(r.status).toBe('inactive');
    const audit = await t.run(t.supervisor, 'reports.audit', { entity: 'account', action: 'update' });
    expect(audit.rows[0].description).toContain('Moved away');
    expect(audit.rows[0].changes).toEqual(
      expect.arrayContaining([
        { field: 'Status', before: 'active', after: 'inactive' },
        { field: 'Portal user ID', before: 'patp', after: 'patricia' },
      ]),
    );
    await t.run(t.supervisor, 'accounts.update', { accountId, status: 'active', statusReason: 'Back again' });
  });
});

describe('accounts.create (Add Payer)', () => {
  it('lets a supervisor add a payer with contact details; a CSR is refused; the number is unique per division', async () => {
    const input = { divisionId: t.divisionId, accountNumber: '60001', name: 'New Payer', email: 'new@example.com', phone: '555-0100', postalAddress: '1 Main St\nTown' };
    expectError(await t.attempt(t.csr, 'accounts.create', input), 'FORBIDDEN');
    const r = await t.run(t.supervisor, 'accounts.create', input);
    expect(r).toMatchObject({ accountNumber: '60001', phone: '555-0100', postalAddress: '1 Main St\nTown', status: 'active', balanceCents: 0 });
    expectError(await t.attempt(t.admin, 'accounts.create', { ...input, name: 'Someone else' }), 'CONFLICT', 'accountNumber');
    const other = await t.run(t.admin, 'divisions.create', { name: 'South Clinic' });
    expect((await t.run(t.admin, 'accounts.create', { ...input, divisionId: other.id })).divisionId).toBe(other.id);
    expectError(await t.attempt(t.admin, 'accounts.create', { ...input, accountNumber: '60002', email: 'nope' }), 'VALIDATION', 'email');
  });
});

describe('roles as settings: editing payers', () => {
  it('follows what an Admin sets: CSRs kept from contact edits, or allowed identity edits; Admins always may', async () => {
    await t.run(t.admin, 'settings.update', { payerContactRoles: ['supervisor'] });
    expectError(await t.attempt(t.csr, 'accounts.update', { accountId, phone: '555-0199' }), 'FORBIDDEN', 'phone');
    await t.run(t.admin, 'settings.update', { payerContactRoles: ['csr', 'supervisor'], payerIdentityRoles: ['csr'] });
    const s = await t.run(t.csr, 'settings.get', {});
    expect(s.payerIdentityRoles).toEqual(['csr', 'admin']);
    expect((await t.run(t.csr, 'accounts.update', { accountId, name: 'Pat P. Payer' })).name).toBe('Pat P. Payer');
    expectError(await t.attempt(t.supervisor, 'accounts.update', { accountId, name: 'Pat Payer' }), 'FORBIDDEN', 'name');
    expect((await t.run(t.admin, 'accounts.update', { accountId, name: 'Pat Payer' })).name).toBe('Pat Payer');
    await t.run(t.admin, 'settings.update', { payerContactRoles: ['csr', 'supervisor'], payerIdentityRoles: ['supervisor'] });
  });
});
