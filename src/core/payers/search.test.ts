import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLedger, seedAccount, type TestLedger } from '../../../test/helpers/ledger';

let t: TestLedger;
let otherDivision: string;
let refOf: string;

beforeAll(async () => {
  t = await makeLedger();
  await seedAccount(t, '10045', [], 'María José Muñoz');
  await seedAccount(t, '10046', [], 'Joseph Miller');
  const a = await seedAccount(t, '20001', [{ number: 'I1', due: '2026-01-10', lines: ['40.00'] }], 'Ann Lee');
  otherDivision = (await t.run(t.admin, 'divisions.create', { name: 'South' })).id;
  await t.run(t.admin, 'accounts.create', { divisionId: otherDivision, accountNumber: '10047', name: 'Joe South', portalUserId: 'JoeS' });
  refOf = (await t.run(t.csr, 'payments.record', { accountId: a.id, amount: '10.00', method: 'cash' })).reference;
});
afterAll(async () => t.cleanup());

const search = (query: string, divisionId?: string) => t.run(t.csr, 'payers.search', { query, divisionId });

describe('payers.search', () => {
  it('finds by account-number prefix, in order', async () => {
    const r = await search('1004');
    expect(r.accounts.map((a) => a.accountNumber)).toEqual(['10045', '10046', '10047']);
  });
  it('finds by name words, as prefixes, ignoring accents and case', async () => {
    expect((await search('munoz')).accounts.map((a) => a.name)).toEqual(['María José Muñoz']);
    expect((await search('jos')).accounts.map((a) => a.name).sort()).toEqual(['Joseph Miller', 'María José Muñoz']);
    expect((await search('jo mil')).accounts.map((a) => a.name)).toEqual(['Joseph Miller']);
  });
  it('finds by portal user ID, case-insensitively', async () => {
    expect((await search('joes')).accounts.map((a) => a.accountNumber)).toEqual(['10047']);
  });
  it('finds a payment by its reference, exact or prefix, with its account', async () => {
    const exact = await search(refOf);
    expect(exact.payments.map((p) => p.reference)).toEqual([refOf]);
    expect(exact.accounts.map((a) => a.accountNumber)).toEqual(['20001']);
    expect((await search(refOf.toLowerCase().slice(0, 9))).payments.map((p) => p.reference)).toContain(refOf);
  });
  it('limits to one division when asked', async () => {
    expect((await search('1004', otherDivision)).accounts.map((a) => a.accountNumber)).toEqual(['10047']);
  });
  it('treats search text as data, never as query syntax', async () => {
    for (const q of ['"', "' OR 1=1 --", 'NEAR(', '*', 'a AND b', '%', '\\']) {
      const r = await t.attempt(t.csr, 'payers.search', { query: q });
      expect(r.ok).toBe(true);
    }
  });
});
