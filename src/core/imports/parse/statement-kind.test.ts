import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import { makeZip, xlsxSkeleton } from '../../../../test/fixtures/imports/helpers';
import { parseImportFile, parseImportFileIsolated, STATEMENT_LIMITS } from './index';

const csv = (lines: string[]) => new Uint8Array(Buffer.from(lines.join('\r\n'), 'utf8'));
const xlsx = (aoa: unknown[][]) => {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(aoa), 'Notices');
  return new Uint8Array(XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
};
const read = (bytes: Uint8Array, name: string) => parseImportFile(bytes, name, 'statement', STATEMENT_LIMITS);

describe('statement files: the third kind of the import parser', () => {
  it('reads the four columns, with every bad cell named by row and column and good rows kept', () => {
    const out = read(
      csv([
        'Acct #,Amount Due,Due Date,Dunning Level',
        'A1001,10.00,2026-03-01,',
        'A1002,"1,234.50",03/01/2026,3',
        'A1003,-5.00,2026-03-01,',
        'A1004,9.00,2026-02-30,',
        'A1005,9.00,2026-03-01,12',
        'A1006,9.005,2026-03-01,',
        ',9.00,2026-03-01,1',
        'A1001,1.00,2026-01-01,2.5',
      ]),
      'notices.csv',
    );
    expect(out).toMatchObject({
      ok: true,
      kind: 'statement',
      format: 'csv',
      rowsRead: 8,
      rows: [
        { row: 2, accountNumber: 'A1001', amountDueCents: 1000, dueDate: '2026-03-01', level: null },
        { row: 3, accountNumber: 'A1002', amountDueCents: 123450, dueDate: '2026-03-01', level: 3 },
      ],
      issues: [
        { row: 4, column: 'Amount Due', severity: 'error', message: 'The amount due cannot be negative.' },
        { row: 5, column: 'Due Date', severity: 'error', message: '"2026-02-30" is not a real calendar date.' },
        { row: 6, column: 'Dunning Level', severity: 'error', message: '"12" is not a dunning level (1 to 9).' },
        { row: 7, column: 'Amount Due', severity: 'error', message: '"9.005" has more than two decimal places.' },
        { row: 8, column: 'Acct #', severity: 'error', message: 'Account Number is missing.' },
        { row: 9, column: 'Dunning Level', severity: 'error', message: '"2.5" is not a dunning level (1 to 9).' },
      ],
    });
  });

  it('numeric workbook cells are exact at every magnitude; dates and levels typed as numbers are read', () => {
    const out = read(
      xlsx([
        ['Account Number', 'Amount Due', 'Due Date', 'Level'],
        ['A1', 0.1 + 0.2, '2026-03-01', 2],
        ['A2', 12345.675, '2026-03-01', null],
        ['A3', 5000, '2026-03-01', null],
      ]),
      'n.xlsx',
    );
    expect(out).toMatchObject({
      ok: true,
      format: 'xlsx',
      rows: [
        { row: 2, accountNumber: 'A1', amountDueCents: 30, level: 2 },
        { row: 4, accountNumber: 'A3', amountDueCents: 500000, level: null },
      ],
      issues: [{ row: 3, column: 'Amount Due', message: '"12345.675" has more than two decimal places.' }],
    });
  });

  it('a totals line under the rows is skipped with a note, not an error', () => {
    const out = read(csv(['Account Number,Amount Due,Due Date', 'A1,10.00,2026-03-01', 'A2,5.00,2026-03-01', 'Total,15.00,']), 't.csv');
    expect(out).toMatchObject({ ok: true, rows: [{ accountNumber: 'A1' }, { accountNumber: 'A2' }], issues: [], notes: ['Row 4 is a totals line ($15.00) and was skipped.'] });
  });

  it('names the missing columns', () => {
    const out = read(csv(['Account,Total', 'A1,2']), 'x.csv');
    expect(out).toEqual({ ok: false, code: 'VALIDATION', message: expect.stringContaining('"Due Date"') });
  });

  it('refuses more than 50,000 rows and more than 10 MB, as the upload command allows', () => {
    const lines = ['Account Number,Amount Due,Due Date'];
    for (let i = 0; i <= 50_000; i++) lines.push(`A${i},1.00,2026-03-01`);
    expect(read(csv(lines), 'big.csv')).toEqual({ ok: false, code: 'LIMIT', message: 'The file has more than 50,000 rows of data, which is more than can be imported at once. Split it into smaller files.' });
    const huge = new Uint8Array(10_000_001).fill(0x41);
    expect(read(huge, 'huge.csv')).toEqual({ ok: false, code: 'LIMIT', message: 'The file is 10 MB; files up to 10 MB can be imported.' });
  });

  it('a workbook that would unpack to more than 50 MB is refused before it is opened', () => {
    const big = makeZip([...xlsxSkeleton(), { name: 'xl/worksheets/sheet1.xml', data: new Uint8Array(4), declaredSize: 50_000_001 }]);
    expect(read(big, 'big.xlsx')).toEqual({
      ok: false,
      code: 'LIMIT',
      message: 'This workbook would unpack to more than 50 MB when opened, which is more than can be imported. Save it as CSV, or split it into smaller files.',
    });
  });

  it('runs the same in the worker', async () => {
    const bytes = csv(['Account Number,Amount Due,Due Date,Level', 'A1,10.00,2026-03-01,1']);
    expect(await parseImportFileIsolated(bytes, 's.csv', 'statement', { limits: STATEMENT_LIMITS })).toEqual(read(bytes, 's.csv'));
  });
});
