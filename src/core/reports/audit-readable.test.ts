import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLedger, seedAccount, type TestLedger } from '../../../test/helpers/ledger';
import { describeAudit } from './audit-readable';

let t: TestLedger;
let depositNumber: string;

beforeAll(async () => {
  t = await makeLedger();
  const a = await seedAccount(t, '40001', [{ number: 'A1', due: '2026-01-10', lines: ['50.00'] }], '=HYPERLINK("x") Payer');
  const p = await t.run(t.csr, 'payments.record', { accountId: a.id, amount: '50.00', method: 'cash' });
  const d = await t.run(t.supervisor, 'deposits.create', { divisionId: t.divisionId });
  depositNumber = d.number;
  await t.run(t.supervisor, 'deposits.addPayments', { depositId: d.id, paymentIds: [p.id] });
  await t.run(t.supervisor, 'deposits.complete', { depositId: d.id });
  await t.run(t.supervisor, 'deposits.reopen', { depositId: d.id, reason: 'bank correction' });
});
afterAll(async () => t.cleanup());

describe('reports.audit', () => {
  it('says in plain words who did what to which record, with fields before and after', async () => {
    const r = await t.run(t.supervisor, 'reports.audit', { entity: 'deposit', action: 'reopen' });
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0].description).toMatch(new RegExp(`^.+ reopened deposit ${depositNumber}: bank correction$`));
    expect(r.rows[0].changes).toEqual(
      expect.arrayContaining([
        { field: 'Status', before: 'closed', after: 'open' },
        { field: 'Reason', before: null, after: 'bank correction' },
      ]),
    );
    expect(r.actions).toContain('reopen');
  });
  it('tells sign-ins as sentences about the person', () => {
    const at = '2026-03-15T15:00:00.000Z';
    const said = (action: string, userName: string | null, after: unknown = null) => describeAudit({ seq: 1, at, userName, action, entity: 'session', entityId: null, before: null, after }).description;
    expect(said('signin', 'Sam Supervisor')).toBe('Sam Supervisor signed in');
    expect(said('signout', 'Sam Supervisor')).toBe('Sam Supervisor signed out');
    expect(said('idle-timeout', 'Carla CSR')).toBe('Carla CSR was signed out after being idle');
    expect(said('signin-failed', null, { username: 'mallory' })).toBe('Someone using the user name "mallory" failed to sign in (wrong password)');
  });

  it('filters by user, record and date', async () => {
    const sup = await t.run(t.admin, 'users.list', {});
    const samId = sup.find((u) => u.role === 'supervisor')!.id;
    const mine = await t.run(t.supervisor, 'reports.audit', { userId: samId });
    expect(mine.rows.length).toBeGreaterThan(0);
    expect(mine.rows.every((x) => x.userName === mine.rows[0].userName)).toBe(true);
    expect((await t.run(t.supervisor, 'reports.audit', { record: depositNumber })).rows.length).toBeGreaterThan(0);
    expect((await t.run(t.supervisor, 'reports.audit', { to: '2000-01-01' })).rows).toEqual([]);
  });
  it('exports CSV with formula-like text neutralised, and XLSX', async () => {
    const csv = await t.run(t.supervisor, 'reports.auditExport', { format: 'csv' });
    const text = Buffer.from(csv.contentBase64, 'base64').toString('utf8');
    expect(text).toContain('reopened deposit');
    expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
    const x = await t.run(t.supervisor, 'reports.auditExport', { format: 'xlsx', action: 'reopen' });
    const wb = XLSX.read(Buffer.from(x.contentBase64, 'base64'));
    const rows = XLSX.utils.sheet_to_json<string[]>(wb.Sheets[wb.SheetNames[0]!]!, { header: 1 });
    expect(rows).toHaveLength(2);
    expect(String(rows[1]![6])).toContain('bank correction');
  });
  it('is for supervisors and admins', async () => {
    expect((await t.attempt(t.csr, 'reports.audit', {})).ok).toBe(false);
  });
});
