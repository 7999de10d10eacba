import { describe, expect, it } from 'vitest';
import { FormattedNumber } from './cells';
import { normaliseHeader, matchHeaders } from './columns';
import { rankDelimiters } from './csv-reader';
import { decodeText } from './decode-text';
import { cellDate, cellMoney, cellText, serialToIso } from './values';

describe('money cells', () => {
  it.each([
    ['1234.56', 123456],
    ['$1,234.56', 123456],
    ['(1,234.56)', -123456],
    ['-1,234.56', -123456],
    [' 12 ', 1200],
    [1234.56, 123456],
    [-0.1, -10],
    [new FormattedNumber(19.99, '"$"#,##0.00'), 1999],
  ] as const)('%j -> %d cents', (input, cents) => {
    expect(cellMoney(input)).toEqual({ ok: true, value: cents });
  });

  it('refuses sub-cent numbers from spreadsheet cells', () => {
    expect(cellMoney(0.005)).toEqual({ ok: false, message: '"0.005" has more than two decimal places.' });
  });
});

describe('date cells', () => {
  it.each([
    ['2026-03-01', '2026-03-01'],
    ['2026-3-1', '2026-03-01'],
    ['3/1/2026', '2026-03-01'],
    ['03/01/2026', '2026-03-01'],
    ['3/1/26', '2026-03-01'],
    ['12/31/99', '1999-12-31'],
    ['2/29/2024', '2024-02-29'],
    ['2026-03-01T00:00:00', '2026-03-01'],
    ['3/1/2026 12:00 PM', '2026-03-01'],
    [46082, '2026-03-01'],
    [46082.75, '2026-03-01'],
    ['46082', '2026-03-01'],
  ] as const)('%j -> %s', (input, iso) => {
    expect(cellDate(input, false)).toEqual({ ok: true, value: iso });
  });

  it.each([
    ['2/29/2026', '"2/29/2026" is not a real calendar date.'],
    ['2026-02-30', '"2026-02-30" is not a real calendar date.'],
    ['13/1/2026', '"13/1/2026" is not a real calendar date.'],
    ['1/3', '"1/3" is not a date; use YYYY-MM-DD or M/D/YYYY.'],
    ['March 1', '"March 1" is not a date; use YYYY-MM-DD or M/D/YYYY.'],
    [-5, '"-5" is not a date.'],
  ] as const)('%j is refused', (input, message) => {
    expect(cellDate(input, false)).toEqual({ ok: false, message });
  });

  it('serial numbers follow Excel, including its 1900 leap-year quirk and the 1904 system', () => {
    expect(serialToIso(1, false)).toBe('1900-01-01');
    expect(serialToIso(59, false)).toBe('1900-02-28');
    expect(serialToIso(60, false)).toBeNull();
    expect(serialToIso(61, false)).toBe('1900-03-01');
    expect(serialToIso(45658, false)).toBe('2025-01-01');
    expect(serialToIso(0, true)).toBe('1904-01-01');
    expect(serialToIso(44620, true)).toBe('2026-03-01');
  });
});

describe('text cells', () => {
  it('keeps leading zeros from a digits-only number format, and whole numbers without exponent', () => {
    expect(cellText(new FormattedNumber(123, '000000'))).toBe('000123');
    expect(cellText(new FormattedNumber(123, '#,##0'))).toBe('123');
    expect(cellText(123456789012345)).toBe('123456789012345');
    expect(cellText(12.5)).toBe('12.5');
    expect(cellText('  x  ')).toBe('x');
  });
});

describe('headers', () => {
  it('ignores case, spacing, accents and punctuation', () => {
    expect(normaliseHeader(' Acct. # ')).toBe('acct');
    expect(normaliseHeader('E-MAIL')).toBe('email');
    expect(normaliseHeader('Fécha')).toBe('fecha');
  });

  it('prefers the better-named header when two name the same column', () => {
    const m = matchHeaders(['Account', 'Account Number', 'Balance'], 'balance');
    expect(m.columns.get('accountNumber')).toBe(1);
    expect(m.ignored).toEqual(['Account']);
  });
});

describe('delimiter ranking', () => {
  it('orders by the most consistent split', () => {
    expect(rankDelimiters('a;b;c\n1;2;3\n4;5;6\n')[0]).toBe(';');
    expect(rankDelimiters('a\tb\n1\t2\n')[0]).toBe('\t');
    expect(rankDelimiters('a,b\n"x;y",2\n')[0]).toBe(',');
  });
});

describe('text decoding', () => {
  it('UTF-8 with and without BOM, and Windows-1252 when the bytes are not UTF-8', () => {
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0x41]))).toEqual({ text: 'A', encoding: 'utf-8', bom: true });
    expect(decodeText(new Uint8Array([0xc3, 0xb1]))).toEqual({ text: 'ñ', encoding: 'utf-8', bom: false });
    expect(decodeText(new Uint8Array([0x4d, 0xf1, 0x6f, 0x92, 0x80, 0x81]))).toEqual({ text: 'Mño’€\u0081', encoding: 'windows-1252', bom: false });
  });
});
