/**
 * Files as they really come (issue 15 item 3): declared dimensions larger than the data, exact
 * money in numeric cells, decimal comma and day-first dates, .xlsm and .xlsb. Every file is written
 * by the test itself.
 */
import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import { makeZip, type ZipPart } from '../../../../test/fixtures/imports/helpers';
import { parseImportFile } from './index';
import { numberCellMoney } from './values';

const csv = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

function workbook(aoa: unknown[][], bookType: XLSX.BookType = 'xlsx'): Uint8Array {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(aoa), 'Balances');
  return new Uint8Array(XLSX.write(wb, { type: 'buffer', bookType }) as Buffer);
}

/** Re-zips a workbook with some parts changed or added. */
function rezip(bytes: Uint8Array, change: (name: string, text: string) => string, extra: ZipPart[] = []): Uint8Array {
  const zip = XLSX.CFB.read(Buffer.from(bytes), { type: 'buffer' });
  const parts: ZipPart[] = [];
  zip.FullPaths.forEach((path: string, i: number) => {
    const entry = zip.FileIndex[i]!;
    if (entry.type !== 2 || !entry.content || entry.name.startsWith('\u0001')) return;
    const name = path.replace(/^[^/]*\//, '');
    const data = Buffer.from(entry.content as Uint8Array);
    parts.push({ name, data: /\.xml$/.test(name) ? Buffer.from(change(name, data.toString('utf8')), 'utf8') : data });
  });
  return makeZip([...parts, ...extra]);
}

describe('rows actually present count, never the declared dimension', () => {
  it('reads a two-row sheet that declares A1:XFD1048576', () => {
    const plain = workbook([
      ['Account Number', 'Balance'],
      ['A1', 12.5],
      ['A2', 7],
    ]);
    const lying = rezip(plain, (name, text) => (name.includes('worksheets/') ? text.replace(/<dimension ref="[^"]*"\/>/, '<dimension ref="A1:XFD1048576"/>') : text));
    const zip = XLSX.CFB.read(Buffer.from(lying), { type: 'buffer' });
    const sheet = zip.FileIndex[zip.FullPaths.findIndex((p: string) => p.endsWith('xl/worksheets/sheet1.xml'))]!;
    expect(Buffer.from(sheet.content as Uint8Array).toString('utf8')).toContain('<dimension ref="A1:XFD1048576"/>');
    const r = parseImportFile(lying, 'big-dimension.xlsx', 'balance', { maxRows: 1000 });
    expect(r).toMatchObject({ ok: true, rowsRead: 2, rows: [{ row: 2, accountNumber: 'A1', balanceCents: 1250 }, { row: 3, accountNumber: 'A2', balanceCents: 700 }] });
  });

  it('still refuses a sheet with more rows present than allowed', () => {
    const aoa: unknown[][] = [['Account Number', 'Balance']];
    for (let i = 0; i < 30; i++) aoa.push([`A${i}`, 1]);
    expect(parseImportFile(workbook(aoa), 'many.xlsx', 'balance', { maxRows: 5 })).toMatchObject({ ok: false, code: 'LIMIT' });
  });
});

describe('numeric cells are whole cents, exactly, at every magnitude', () => {
  // [double in the cell, cents expected, or null when it must be refused]
  const table: [string, number, number | null][] = [
    ['0.1 + 0.2', 0.1 + 0.2, 30],
    ['0.7 + 0.1', 0.7 + 0.1, 80],
    ['1.1 * 3', 1.1 * 3, 330],
    ['1234.56', 1234.56, 123_456],
    ['0.1 * 3', 0.1 * 3, 30],
    ['19.99 * 3', 19.99 * 3, 5_997],
    ['4999.99 + 0.01', 4999.99 + 0.01, 500_000],
    ['12345.67 * 1', 12345.67, 1_234_567],
    ['999999999.99', 999_999_999.99, 99_999_999_999],
    ['-0.1 - 0.2', -0.1 - 0.2, -30],
    ['0', 0, 0],
    ['12345.675', 12345.675, null],
    ['5000.001', 5000.001, null],
    ['1.005', 1.005, null],
    ['0.001', 0.001, null],
    ['123456.785', 123456.785, null],
    ['99999999.995', 99_999_999.995, null],
    ['999999999.995', 999_999_999.995, null],
    ['-7500.125', -7500.125, null],
    ['1e-9', 1e-9, null],
  ];
  it.each(table)('%s', (_label, value, cents) => {
    const m = numberCellMoney(value);
    if (cents === null) expect(m.ok).toBe(false);
    else expect(m).toEqual({ ok: true, cents });
  });

  it('names the row and column of a numeric cell that is not whole cents', () => {
    const r = parseImportFile(workbook([['Account Number', 'Balance'], ['A1', 12345.675], ['A2', 0.1 + 0.2], ['A3', 5000.001]]), 'cents.xlsx', 'balance');
    expect(r).toMatchObject({
      ok: true,
      rows: [{ row: 3, accountNumber: 'A2', balanceCents: 30 }],
      issues: [
        { row: 2, column: 'Balance', severity: 'error', message: '"12345.675" has more than two decimal places.' },
        { row: 4, column: 'Balance', severity: 'error', message: '"5000.001" has more than two decimal places.' },
      ],
    });
  });
});

describe('decimal comma and day-first dates: explicit choices, pre-selected from the file', () => {
  const file = 'Account Number;Balance;Due Date\r\nA1;"1.234,56";31/01/2026\r\nA2;-25,5;05/02/2026\r\n';
  it('suggests both from the text, reads with them, and shows how the first rows were read', () => {
    const r = parseImportFile(csv(file), 'eu.csv', 'balance');
    expect(r).toMatchObject({
      ok: true,
      suggested: { decimalComma: true, dayFirst: true },
      readAs: { decimalComma: true, dayFirst: true },
      rows: [
        { row: 2, accountNumber: 'A1', balanceCents: 123_456, dueDate: '2026-01-31' },
        { row: 3, accountNumber: 'A2', balanceCents: -2_550, dueDate: '2026-02-05' },
      ],
      issues: [],
    });
    if (!r.ok) return;
    expect(r.sample).toEqual([
      { row: 2, column: 'Balance', written: '1.234,56', read: '$1,234.56' },
      { row: 2, column: 'Due Date', written: '31/01/2026', read: '2026-01-31' },
      { row: 3, column: 'Balance', written: '-25,5', read: '-$25.50' },
      { row: 3, column: 'Due Date', written: '05/02/2026', read: '2026-02-05' },
    ]);
  });

  it('an explicit choice wins over the suggestion', () => {
    const r = parseImportFile(csv(file), 'eu.csv', 'balance', undefined, undefined, { decimalComma: false, dayFirst: false });
    expect(r).toMatchObject({ ok: true, readAs: { decimalComma: false, dayFirst: false }, suggested: { decimalComma: true, dayFirst: true }, rows: [] });
    if (!r.ok) return;
    expect(r.issues.map((i) => [i.row, i.column])).toEqual([
      [2, 'Balance'],
      [2, 'Due Date'],
      [3, 'Balance'],
    ]);
  });

  it('US files suggest neither, and 03/04/2026 stays March 4', () => {
    const r = parseImportFile(csv('Account Number,Balance,Due Date\r\nA1,"1,234.56",03/04/2026\r\nA2,2.50,12/25/2026\r\n'), 'us.csv', 'balance');
    expect(r).toMatchObject({ ok: true, suggested: { decimalComma: false, dayFirst: false }, rows: [{ balanceCents: 123_456, dueDate: '2026-03-04' }, { balanceCents: 250, dueDate: '2026-12-25' }] });
  });

  it('day-first also reads 31.01.2026', () => {
    const r = parseImportFile(csv('Account Number;Balance;Due Date\r\nA1;10,00;31.01.2026\r\nA2;1 234,00;01.02.2026\r\n'), 'dots.csv', 'balance');
    expect(r).toMatchObject({ ok: true, readAs: { dayFirst: true, decimalComma: true }, rows: [{ dueDate: '2026-01-31', balanceCents: 1000 }, { dueDate: '2026-02-01', balanceCents: 123_400 }] });
  });
});

describe('.xlsm and .xlsb', () => {
  it('reads .xlsm like .xlsx and never runs its macros', () => {
    const plain = workbook([['Account Number', 'Balance'], ['M1', 3.25]]);
    const macro = rezip(plain, (_n, t) => t, [{ name: 'xl/vbaProject.bin', data: new Uint8Array(Buffer.from('Attribute VB_Name = "Evil"\nSub Workbook_Open()\nShell "calc"\nEnd Sub')) }]);
    const r = parseImportFile(macro, 'balances.xlsm', 'balance');
    expect(r).toMatchObject({ ok: true, format: 'xlsm', rows: [{ accountNumber: 'M1', balanceCents: 325 }] });
    if (r.ok) expect(r.notes).toContain('The workbook has macros; they were not run (only the values it was saved with were read).');
  });

  it('accepts .xlsb', () => {
    const r = parseImportFile(workbook([['Account Number', 'Balance'], ['B1', 0.1 + 0.2]], 'xlsb'), 'balances.xlsb', 'balance');
    expect(r).toMatchObject({ ok: true, format: 'xlsb', rows: [{ accountNumber: 'B1', balanceCents: 30 }] });
  });
});
