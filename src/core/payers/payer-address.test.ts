import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLedger, type TestLedger } from '../../../test/helpers/ledger';
import { buildSnapshot, gatherAccountFacts } from '../notifications/statement-data';
import { renderLettersPdf, renderStatementPdf } from '../notifications/statement-pdf';

let t: TestLedger;
beforeAll(async () => {
  t = await makeLedger();
});
afterAll(async () => t.cleanup());

describe('a payer’s postal address on statements and letters', () => {
  it('is what Edit Payer set, in the statement snapshot, and both PDFs draw it', async () => {
    const a = await t.run(t.supervisor, 'accounts.create', { divisionId: t.divisionId, accountNumber: 'AD-1', name: 'Addie Dress', postalAddress: '4 Oak Lane\nRiverton, WY 82501' });
    await t.run(t.csr, 'accounts.update', { accountId: a.id, postalAddress: '9 Pine Road\nRiverton, WY 82501' });
    const facts = (await gatherAccountFacts(t.core.db, [a.id], '2026-03-15')).get(a.id)!;
    const snap = buildSnapshot('0190a0a0-0000-7000-8000-000000000001', facts, '2026-03-15', { name: 'Office', contact: '' });
    expect(snap.account.address).toBe('9 Pine Road\nRiverton, WY 82501');
    expect((await renderStatementPdf(snap)).subarray(0, 5).toString()).toBe('%PDF-');
    expect((await renderLettersPdf('Letters', '2026-03-15T00:00:00Z', [{ body: 'Dear payer', levelName: 'Reminder', snapshot: snap }])).length).toBeGreaterThan(1000);
  });
});
