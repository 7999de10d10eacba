import { join } from 'node:path';
import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLedger, type TestLedger } from '../../../test/helpers/ledger';
import { newId } from '../../shared/ids';
import { FileStore } from './file-store';
import { ImportService } from './import-service';

let t: TestLedger;
let service: ImportService;

beforeAll(async () => {
  t = await makeLedger();
  service = new ImportService(t.core, { dataDir: t.dir, templatesDir: join(process.cwd(), 'resources', 'templates') });
});
afterAll(async () => t.cleanup());

const csv = (s: string) => Buffer.from(s, 'utf8');

describe('ImportService', () => {
  it('keeps the file by its SHA-256 and refuses a CSR a bill file (Settings: bill files are for Admins)', async () => {
    const bytes = csv('Account Number,Balance\r\nZ1,1.00\r\n');
    const denied = await service.preview(t.csr, { previewId: newId(), fileName: 'a.csv', kind: 'bill', divisionId: t.divisionId, bytes });
    expect(denied).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const r = await service.preview(t.admin, { previewId: newId(), fileName: 'a.csv', kind: 'balance', divisionId: t.divisionId, bytes });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.sha256).toBe(FileStore.sha256(bytes));
    expect(service.files.get(r.value.sha256).equals(bytes)).toBe(true);
  });

  it('another user cannot apply my preview', async () => {
    const previewId = newId();
    await service.preview(t.admin, { previewId, fileName: 'b.csv', kind: 'balance', divisionId: t.divisionId, bytes: csv('Account Number,Balance\r\nZ2,2.00\r\n') });
    const other = { userId: newId(), role: 'admin' as const };
    expect(await service.apply(other, previewId)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await service.apply(t.admin, previewId)).toMatchObject({ ok: true, value: { accountsCreated: 1 } });
  });

  it('exports a result as CSV with formula-looking text escaped, and as XLSX', async () => {
    const previewId = newId();
    await service.preview(t.admin, { previewId, fileName: 'c.csv', kind: 'balance', divisionId: t.divisionId, bytes: csv('Account Number,Name,Balance\r\nZ3,=HYPERLINK("http://x"),3.00\r\n') });
    const applied = await service.apply(t.admin, previewId);
    expect(applied.ok).toBe(true);
    if (!applied.ok) return;
    const exported = await service.export(applied.value.id, 'csv');
    expect(exported.ok).toBe(true);
    if (!exported.ok) return;
    const text = Buffer.from(exported.value.contentBase64, 'base64').toString('utf8');
    expect(text).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
    const x = await service.export(applied.value.id, 'xlsx');
    expect(x.ok).toBe(true);
    if (!x.ok) return;
    const wb = XLSX.read(Buffer.from(x.value.contentBase64, 'base64'), { dense: true });
    const rows = XLSX.utils.sheet_to_json<string[]>(wb.Sheets[wb.SheetNames[0]!]!, { header: 1 });
    expect(rows[1]).toContain('Z3');
    expect(JSON.stringify(wb.Sheets[wb.SheetNames[0]!])).not.toContain('"f":');
  });

  it('serves both templates in both formats', () => {
    for (const kind of ['balance', 'bill'] as const) {
      const c = service.template(kind, 'csv');
      expect(c.ok && Buffer.from(c.value.contentBase64, 'base64').toString().startsWith('Account Number')).toBe(true);
      const x = service.template(kind, 'xlsx');
      expect(x.ok && x.value.fileName).toBe(`${kind}-template.xlsx`);
    }
  });

  it('a renamed payer is shown old -> new; apply is refused until decided, and the preview is kept', async () => {
    await t.run(t.admin, 'accounts.create', { divisionId: t.divisionId, accountNumber: 'R1', name: 'Rita Real', email: 'rita@example.com' });
    const previewId = newId();
    const p = await service.preview(t.admin, { previewId, fileName: 'r.csv', kind: 'balance', divisionId: t.divisionId, bytes: csv('Account Number,Name,Balance\r\nR1,Rita Renamed,4.00\r\n') });
    expect(p).toMatchObject({ ok: true, value: { questions: ['identity'], identityChanges: [{ row: 2, field: 'name', oldValue: 'Rita Real', newValue: 'Rita Renamed' }] } });
    expect(await service.apply(t.admin, previewId)).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { field: 'decisions' } } });
    const decided = await service.decide(t.admin, previewId, { identity: 'keep' });
    expect(decided).toMatchObject({ ok: true, value: { questions: [], decisions: { identity: 'keep' } } });
    const applied = await service.apply(t.admin, previewId);
    expect(applied).toMatchObject({ ok: true, value: { decisions: { identity: 'keep' }, identityChanges: [{ field: 'name' }] } });
    const acct = await t.core.db.selectFrom('accounts').select(['name', 'balance_cents']).where('account_number', '=', 'R1').executeTakeFirstOrThrow();
    expect(acct).toMatchObject({ name: 'Rita Real' });
  });

  it('decimal comma and day-first come pre-selected from the file, can be turned off, and the sample shows the reading', async () => {
    const bytes = csv('Account Number;Balance;Due Date\r\nE1;"1.234,56";31/01/2026\r\n');
    const auto = await service.preview(t.admin, { previewId: newId(), fileName: 'eu.csv', kind: 'balance', divisionId: t.divisionId, bytes });
    expect(auto).toMatchObject({
      ok: true,
      value: { readAs: { decimalComma: true, dayFirst: true }, suggested: { decimalComma: true, dayFirst: true }, errors: 0, sample: [{ row: 2, column: 'Balance', written: '1.234,56', read: '$1,234.56' }, { row: 2, column: 'Due Date', read: '2026-01-31' }] },
    });
    const off = await service.preview(t.admin, { previewId: newId(), fileName: 'eu.csv', kind: 'balance', divisionId: t.divisionId, bytes, readAs: { decimalComma: false } });
    expect(off).toMatchObject({ ok: true, value: { readAs: { decimalComma: false, dayFirst: true }, errors: 1 } });
  });
});
