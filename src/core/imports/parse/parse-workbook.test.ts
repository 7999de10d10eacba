import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import { fixture, withoutReading } from '../../../../test/fixtures/imports/helpers';
import { parseImportFile as parseReading } from './index';

const parseImportFile = ((...a: Parameters<typeof parseReading>) => withoutReading(parseReading(...a))) as typeof parseReading;

/** The same sheet is saved as .xlsx, .xls and .ods by make-fixtures.ts. */
const BALANCE_ROWS = [
  { row: 4, accountNumber: '100234', balanceCents: 123456, name: 'Jane Doe', email: 'jane@example.com', dueDate: '2026-03-01' },
  // A number formatted "000000" keeps its leading zeros; a negative number cell is a credit.
  { row: 5, accountNumber: '000123', balanceCents: -5000, name: 'Zero Padded', dueDate: '2026-12-31' },
  { row: 6, accountNumber: '100236', balanceCents: 10, name: 'Text Account', dueDate: '2024-02-29' },
  // A plain number in a date column is a serial date; text dates still work in a workbook.
  { row: 8, accountNumber: '100238', balanceCents: 700, name: 'Serial In General', dueDate: '2026-03-01' },
  { row: 9, accountNumber: '100239', balanceCents: 100000, name: 'Text Date', dueDate: '2026-03-01' },
];
const BALANCE_ISSUES = [
  { row: 7, column: 'Balance', severity: 'error', message: '"12.345" has more than two decimal places.' },
  { row: 10, column: 'Email', severity: 'error', message: '"=cmd|calc" is not a valid email address.' },
];
const HEADERS = ['Account Number', 'Name', 'Balance', 'Due Date', 'Email'];

describe('workbooks', () => {
  it('reads .xlsx: first sheet with data, title line, numeric cells, date cells, serials, totals line', () => {
    expect(parseImportFile(fixture('balance-numeric.xlsx'), 'balance-numeric.xlsx', 'balance')).toEqual({
      ok: true,
      kind: 'balance',
      format: 'xlsx',
      rowsRead: 7,
      rows: BALANCE_ROWS,
      issues: BALANCE_ISSUES,
      headers: HEADERS,
      notes: ['Read the sheet "Balances", the first visible sheet with data.', 'The column headings are on row 3; the line above it was skipped.', 'Row 11 is a totals line and was skipped.'],
    });
  });

  it.each([
    ['balance.xls', 'xls'],
    ['balance.ods', 'ods'],
  ] as const)('reads %s the same way', (name, format) => {
    expect(parseImportFile(fixture(name), name, 'balance')).toEqual({
      ok: true,
      kind: 'balance',
      format,
      rowsRead: 7,
      rows: BALANCE_ROWS,
      issues: BALANCE_ISSUES,
      headers: HEADERS,
      notes: ['The column headings are on row 3; the line above it was skipped.', 'Row 11 is a totals line and was skipped.'],
    });
  });

  it('reads a bill .xlsx: numeric invoice numbers as text, formula-looking text kept as text', () => {
    expect(parseImportFile(fixture('bill.xlsx'), 'bill.xlsx', 'bill')).toEqual({
      ok: true,
      kind: 'bill',
      format: 'xlsx',
      rowsRead: 3,
      rows: [
        { row: 2, accountNumber: '100234', invoiceNumber: '1001', invoiceDate: '2026-02-01', dueDate: '2026-02-15', category: 'Tuition', description: 'Spring', amountCents: 35000 },
        { row: 3, accountNumber: '100234', invoiceNumber: '1001', invoiceDate: '2026-02-01', dueDate: '2026-02-15', category: 'Meals', description: 'Spring meals', amountCents: 8050 },
        { row: 4, accountNumber: '100235', invoiceNumber: 'INV-7', invoiceDate: '2026-02-01', dueDate: '2026-02-15', category: 'Fees', description: '=SUM(A1:A2)', amountCents: -1000 },
      ],
      issues: [],
      headers: ['Acct #', 'Invoice No', 'Invoice Date', 'Due Date', 'Category', 'Description', 'Amount'],
      notes: [],
    });
  });

  it('counts dates from 1904 in a workbook saved with the 1904 date system', () => {
    const out = parseImportFile(fixture('balance-1904.xlsx'), 'balance-1904.xlsx', 'balance');
    expect(out).toMatchObject({ ok: true, rows: [{ row: 2, accountNumber: '1', balanceCents: 100, dueDate: '2026-03-01' }] });
  });

  it('reads only the first sheet with data and says so', () => {
    expect(parseImportFile(fixture('balance-two-sheets.xlsx'), 'balance-two-sheets.xlsx', 'balance')).toEqual({
      ok: true,
      kind: 'balance',
      format: 'xlsx',
      rowsRead: 1,
      rows: [{ row: 2, accountNumber: 'A-1', balanceCents: 200 }],
      issues: [],
      headers: ['Account', 'Amount Due'],
      notes: ['Only the sheet "First" was read; the workbook has 2 sheets with data.'],
    });
  });

  it('passes over a hidden sheet to the first visible one with data', () => {
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['Account', 'Balance'], ['H-1', 9]]), 'Lookup');
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['Account', 'Balance'], ['V-1', 1]]), 'Balances');
    wb.Workbook = { Sheets: [{ name: 'Lookup', Hidden: 1 }, { name: 'Balances', Hidden: 0 }] };
    const out = parseImportFile(XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer, 'h.xlsx', 'balance');
    expect(out).toMatchObject({ ok: true, rows: [{ row: 2, accountNumber: 'V-1', balanceCents: 100 }], notes: ['Read the sheet "Balances", the first visible sheet with data.'] });
  });

  it('uses the saved value of a formula cell and never the formula', () => {
    const ws = XLSX.utils.aoa_to_sheet([['Account Number', 'Balance', 'Name']]);
    XLSX.utils.sheet_add_aoa(ws, [[1, 0, 'x']], { origin: 'A2' });
    ws['B2'] = { t: 'n', v: 12.5, f: 'WEBSERVICE("http://evil.example")' };
    ws['C2'] = { t: 's', v: 'cached', f: 'CONCAT("a","b")' };
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, 'S');
    const bytes = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
    const out = parseImportFile(bytes, 'f.xlsx', 'balance');
    expect(out).toMatchObject({ ok: true, rows: [{ row: 2, accountNumber: '1', balanceCents: 1250, name: 'cached' }] });
  });

  it('refuses a workbook whose sheets are all empty', () => {
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([]), 'Empty');
    const bytes = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
    expect(parseImportFile(bytes, 'e.xlsx', 'balance')).toEqual({ ok: false, code: 'VALIDATION', message: 'The file is empty: its sheets have no data.' });
  });
});
