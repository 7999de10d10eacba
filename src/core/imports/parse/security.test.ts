import * as XLSX from 'xlsx';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture, withoutReading } from '../../../../test/fixtures/imports/helpers';
import { escapeCsvCell, parseImportFile as parseReading } from './index';

const parseImportFile = ((...a: Parameters<typeof parseReading>) => withoutReading(parseReading(...a))) as typeof parseReading;
import { csvLine } from './csv-escape';
import { CsvReader } from './csv-reader';

describe('headers named like object internals', () => {
  afterEach(() => {
    // Belt and braces: if anything leaked onto Object.prototype, clean it so other tests are not affected.
    delete (Object.prototype as Record<string, unknown>).polluted;
  });

  it('__proto__, constructor, prototype and hasOwnProperty headers pollute nothing and are just unused columns', () => {
    const out = parseImportFile(fixture('balance-proto-headers.csv'), 'balance-proto-headers.csv', 'balance');
    expect(out).toEqual({
      ok: true,
      kind: 'balance',
      format: 'csv',
      rowsRead: 1,
      rows: [{ row: 2, accountNumber: '930001', balanceCents: 100 }],
      issues: [],
      headers: ['Account Number', '__proto__', 'constructor', 'Balance', 'prototype', 'hasOwnProperty'],
      notes: ['These columns are not used: "__proto__", "constructor", "prototype", "hasOwnProperty".'],
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
    expect(typeof Object.prototype.constructor).toBe('function');
    const row = out.ok ? out.rows[0]! : null;
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.keys(row!)).toEqual(['row', 'accountNumber', 'balanceCents']);
  });

  it('a "constructor" header is not mistaken for a known column (alias lookup is a Map)', () => {
    const out = parseImportFile(new TextEncoder().encode('constructor,toString,Account,Balance\r\nx,y,1,2.00\r\n'), 'x.csv', 'balance');
    expect(out).toMatchObject({ ok: true, rows: [{ row: 2, accountNumber: '1', balanceCents: 200 }] });
  });

  it('the same in a workbook', () => {
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['__proto__', 'Account Number', 'Balance'], ['{"polluted":1}', 5, 1]]), 'S');
    const out = parseImportFile(XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer, 'p.xlsx', 'balance');
    expect(out).toMatchObject({ ok: true, rows: [{ row: 2, accountNumber: '5', balanceCents: 100 }] });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('escapeCsvCell (for exports)', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['+1+2', "'+1+2"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', `"'\rcmd"`],
    ['=1,2', `"'=1,2"`],
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['', ''],
    // Plain numbers are not formulas; quoting them would turn a credit into text.
    ['-12.50', '-12.50'],
    ['+7', '+7'],
  ])('%j -> %j', (input, expected) => {
    expect(escapeCsvCell(input)).toBe(expected);
  });

  it('numbers, booleans and empty values', () => {
    expect(escapeCsvCell(-5)).toBe('-5');
    expect(escapeCsvCell(true)).toBe('true');
    expect(escapeCsvCell(null)).toBe('');
    expect(escapeCsvCell(undefined)).toBe('');
  });

  it('quotes for the delimiter in use', () => {
    expect(escapeCsvCell('a;b', ';')).toBe('"a;b"');
    expect(escapeCsvCell('a,b', ';')).toBe('a,b');
    expect(csvLine(['=x', 'a,b', 3])).toBe(`'=x,"a,b",3`);
  });

  it('what it writes reads back as the same text (plus the guard quote)', () => {
    const cells = ['=cmd|" /C calc"!A0', 'line\r\nbreak', '"quoted"', '@x', 'ok'];
    const back = new CsvReader(csvLine(cells), ',', 1000).next()!.cells;
    expect(back).toEqual([`'=cmd|" /C calc"!A0`, 'line\r\nbreak', '"quoted"', "'@x", 'ok']);
  });
});
