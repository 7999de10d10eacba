import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLedger, manualClock, seedAccount, type TestLedger } from '../../../test/helpers/ledger';

/**
 * Reports filter by the office's calendar days. A void done at 11:30 PM in New York is stored as
 * an instant of the next UTC day; it belongs to the report of the New York day it was done on.
 */
let t: TestLedger;
const clock = manualClock('2026-03-15T15:00:00Z');
const rowsOf = (r: { tables: { key: string; rows: unknown[][] }[] }, key: string) => r.tables.find((x) => x.key === key)!.rows;

beforeAll(async () => {
  t = await makeLedger({ clock });
  await t.run(t.admin, 'settings.update', { officeTimeZone: 'America/New_York' });
  const a = await seedAccount(t, '70001', [{ number: 'E1', due: '2026-03-01', lines: ['90.00'] }], 'Eve Evening');
  const p = await t.run(t.csr, 'payments.record', { accountId: a.id, amount: '9.00', method: 'cash' });
  // 11:30 PM on Sunday 15 March in New York (EDT, UTC−4) is 03:30 on the 16th in UTC.
  clock.set('2026-03-16T03:30:00Z');
  await t.run(t.supervisor, 'payments.delete', { paymentId: p.id, reason: 'Wrong payer' });
  await t.run(t.admin, 'imports.applyRows', {
    sha256: '2'.padStart(64, '0'),
    fileName: 'late-night.csv',
    kind: 'balance',
    divisionId: t.divisionId,
    format: 'csv',
    rowsRead: 1,
    rows: [{ row: 2, accountNumber: '70009', balanceCents: 4_200, name: 'Night Owl' }],
    parseIssues: [],
    notes: [],
  });
});
afterAll(async () => t.cleanup());

describe('reports date instants by the office day', () => {
  it('puts an evening void on the office day it was done, not the UTC day', async () => {
    const sunday = await t.run(t.supervisor, 'reports.reversals', { from: '2026-03-15', to: '2026-03-15', kind: 'void' });
    expect(rowsOf(sunday, 'reversals').map((r) => [r[0], r[9]])).toEqual([['2026-03-15', 'Wrong payer']]);
    const monday = await t.run(t.supervisor, 'reports.reversals', { from: '2026-03-16', to: '2026-03-16', kind: 'void' });
    expect(rowsOf(monday, 'reversals')).toEqual([]);
  });

  it('puts an evening upload on the office day it was done, not the UTC day', async () => {
    const sunday = await t.run(t.supervisor, 'reports.uploads', { from: '2026-03-15', to: '2026-03-15' });
    expect(rowsOf(sunday, 'uploads').map((r) => r[1])).toEqual(['late-night.csv']);
    const monday = await t.run(t.supervisor, 'reports.uploads', { from: '2026-03-16', to: '2026-03-16' });
    expect(rowsOf(monday, 'uploads')).toEqual([]);
  });
});
