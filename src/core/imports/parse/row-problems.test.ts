import { describe, expect, it } from 'vitest';
import { fixture, withoutReading } from '../../../../test/fixtures/imports/helpers';
import { parseImportFile as parseReading } from './index';

const parseImportFile = ((...a: Parameters<typeof parseReading>) => withoutReading(parseReading(...a))) as typeof parseReading;

describe('row problems: the row is skipped and listed, the other rows are kept', () => {
  it('an account number twice: the second occurrence is the error and names the first row', () => {
    expect(parseImportFile(fixture('balance-duplicate.csv'), 'balance-duplicate.csv', 'balance')).toEqual({
      ok: true,
      kind: 'balance',
      format: 'csv',
      rowsRead: 4,
      rows: [
        { row: 2, accountNumber: '800001', balanceCents: 100, name: 'Ann' },
        { row: 3, accountNumber: '800002', balanceCents: 200, name: 'Ben' },
      ],
      issues: [
        { row: 4, column: 'Account Number', severity: 'error', message: 'Account 800001 appears more than once in the file (first on row 2).' },
        { row: 5, column: 'Account Number', severity: 'error', message: 'Account 800002 appears more than once in the file (first on row 3).' },
      ],
      headers: ['Account Number', 'Name', 'Balance'],
      notes: [],
    });
  });

  it('the same account number in two divisions is not a duplicate; the division is compared ignoring case', () => {
    const out = parseImportFile(fixture('balance-duplicate-divisions.csv'), 'balance-duplicate-divisions.csv', 'balance');
    expect(out).toMatchObject({
      ok: true,
      rows: [
        { row: 2, accountNumber: '810001', balanceCents: 100, division: 'North' },
        { row: 3, accountNumber: '810001', balanceCents: 200, division: 'South' },
      ],
      issues: [{ row: 4, column: 'Account Number', severity: 'error', message: 'Account 810001 appears more than once in the file (first on row 2).' }],
    });
  });

  it('amounts that are not money, have three decimals, are missing or too large', () => {
    expect(parseImportFile(fixture('balance-bad-money.csv'), 'balance-bad-money.csv', 'balance')).toEqual({
      ok: true,
      kind: 'balance',
      format: 'csv',
      rowsRead: 7,
      rows: [
        // Trailing zeros beyond the cents are exact, so 1.50000 is accepted.
        { row: 6, accountNumber: '900005', balanceCents: 150, name: 'Eve' },
        { row: 8, accountNumber: '900007', balanceCents: 710, name: 'Gus' },
      ],
      issues: [
        { row: 2, column: 'Balance', severity: 'error', message: '"abc" is not an amount of money (for example 1234.56).' },
        { row: 3, column: 'Balance', severity: 'error', message: '"12.345" has more than two decimal places.' },
        { row: 4, column: 'Balance', severity: 'error', message: '"$1,23.00" is not an amount of money (for example 1234.56).' },
        { row: 5, column: 'Balance', severity: 'error', message: 'Balance is missing.' },
        { row: 7, column: 'Balance', severity: 'error', message: '"2,000,000,000.00" is more than $1,000,000,000.00.' },
      ],
      headers: ['Account Number', 'Name', 'Balance'],
      notes: [],
    });
  });

  it('bad dates, an invalid email and a missing account number; 2-digit years and text serials are read', () => {
    expect(parseImportFile(fixture('balance-bad-values.csv'), 'balance-bad-values.csv', 'balance')).toEqual({
      ok: true,
      kind: 'balance',
      format: 'csv',
      rowsRead: 7,
      rows: [
        { row: 7, accountNumber: '910006', balanceCents: 600, name: 'Fay', email: 'fay@example.com', dueDate: '2026-03-01' },
        { row: 8, accountNumber: '910007', balanceCents: 700, name: 'Gus', email: 'gus@example.com', dueDate: '2026-03-01' },
      ],
      issues: [
        { row: 2, column: 'Due Date', severity: 'error', message: '"2/30/2026" is not a real calendar date.' },
        { row: 3, column: 'Due Date', severity: 'error', message: '"soon" is not a date; use YYYY-MM-DD or M/D/YYYY.' },
        { row: 4, column: 'Due Date', severity: 'error', message: '"2026-13-01" is not a real calendar date.' },
        { row: 5, column: 'Email', severity: 'error', message: '"not-an-email" is not a valid email address.' },
        { row: 6, column: 'Account Number', severity: 'error', message: 'Account Number is missing.' },
      ],
      headers: ['Account Number', 'Name', 'Email', 'Due Date', 'Balance'],
      notes: [],
    });
  });

  it('a row with several problems lists each one, with the header text as written in the file', () => {
    const csv = 'ACCT. NO.,E-Mail,Balance Due\r\n1,x@y,1.234\r\n';
    const out = parseImportFile(new TextEncoder().encode(csv), 'x.csv', 'balance');
    expect(out.ok && out.rows).toEqual([]);
    expect(out.ok && out.issues).toEqual([
      { row: 2, column: 'Balance Due', severity: 'error', message: '"1.234" has more than two decimal places.' },
      { row: 2, column: 'E-Mail', severity: 'error', message: '"x@y" is not a valid email address.' },
    ]);
  });

  it('text longer than the ledger stores is a row error, not a failed import later', () => {
    const csv = `Account Number,Balance\r\n${'9'.repeat(41)},1.00\r\n`;
    const out = parseImportFile(new TextEncoder().encode(csv), 'x.csv', 'balance');
    expect(out).toMatchObject({ ok: true, rows: [], issues: [{ row: 2, column: 'Account Number', severity: 'error', message: 'Account Number is 41 characters long; at most 40 are allowed.' }] });
  });

  it('formula-looking text is kept exactly as text and never evaluated', () => {
    expect(parseImportFile(fixture('balance-formulas.csv'), 'balance-formulas.csv', 'balance')).toEqual({
      ok: true,
      kind: 'balance',
      format: 'csv',
      rowsRead: 3,
      rows: [
        { row: 2, accountNumber: '700001', balanceCents: 100, name: '=HYPERLINK("http://evil.example","click")', userId: '@admin' },
        { row: 3, accountNumber: '700002', balanceCents: 200, name: '+SUM(1;2)', userId: '-cmd' },
      ],
      issues: [{ row: 4, column: 'Balance', severity: 'error', message: '"=1+1" is not an amount of money (for example 1234.56).' }],
      headers: ['Account Number', 'Name', 'Balance', 'User ID'],
      notes: [],
    });
  });
});
