import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, makeLedger, type TestLedger } from '../../../test/helpers/ledger';

/** Issue 13, observation 6: a new office creates and renames its divisions in the app (Admin). */
let t: TestLedger;
beforeAll(async () => {
  t = await makeLedger();
});
afterAll(async () => t.cleanup());

describe('divisions', () => {
  it('an Admin creates and renames a division; its accounts stay in it; both are audited', async () => {
    const d = await t.run(t.admin, 'divisions.create', { name: 'Harbour Clinic' });
    const acct = await t.run(t.admin, 'accounts.create', { divisionId: d.id, accountNumber: 'N-1', name: 'Payer' });
    expect(await t.run(t.admin, 'divisions.rename', { divisionId: d.id, name: '  Harbour Campus ' })).toEqual({ id: d.id, name: 'Harbour Campus' });
    expect((await t.run(t.csr, 'divisions.list', {})).find((x: { id: string }) => x.id === d.id)).toEqual({ id: d.id, name: 'Harbour Campus' });
    const row = await t.core.db.selectFrom('accounts').select('division_id').where('id', '=', acct.id).executeTakeFirstOrThrow();
    expect(row.division_id).toBe(d.id);
    const audit = await t.core.db.selectFrom('audit_log').select(['action', 'before_json', 'after_json']).where('entity', '=', 'division').where('entity_id', '=', d.id).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['create', 'rename']);
    expect(JSON.parse(audit[1]!.before_json!)).toEqual({ name: 'Harbour Clinic' });
  });

  it('refuses a duplicate name, an unknown division, an empty name and a non-Admin, changing nothing', async () => {
    const a = await t.run(t.admin, 'divisions.create', { name: 'East' });
    await t.run(t.admin, 'divisions.create', { name: 'West' });
    expectError(await t.attempt(t.admin, 'divisions.create', { name: 'East' }), 'CONFLICT', 'name');
    expectError(await t.attempt(t.admin, 'divisions.rename', { divisionId: a.id, name: 'West' }), 'CONFLICT', 'name');
    expectError(await t.attempt(t.admin, 'divisions.rename', { divisionId: '01900000-0000-7000-8000-0000000000ff', name: 'South' }), 'NOT_FOUND', 'divisionId');
    expectError(await t.attempt(t.admin, 'divisions.rename', { divisionId: a.id, name: '   ' }), 'VALIDATION', 'name');
    expectError(await t.attempt(t.supervisor, 'divisions.rename', { divisionId: a.id, name: 'Elsewhere' }), 'FORBIDDEN');
    expectError(await t.attempt(t.csr, 'divisions.create', { name: 'Elsewhere' }), 'FORBIDDEN');
    const names = (await t.run(t.csr, 'divisions.list', {})).map((x: { name: string }) => x.name);
    expect(names).toContain('East');
    expect(names).not.toContain('Elsewhere');
    expect(names).not.toContain('South');
  });
});
