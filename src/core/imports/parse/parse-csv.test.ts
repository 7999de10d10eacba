import { describe, expect, it } from 'vitest';
import { fixture, withoutReading } from '../../../../test/fixtures/imports/helpers';
import { parseImportFile as parseReading } from './index';

const parseImportFile = ((...a: Parameters<typeof parseReading>) => withoutReading(parseReading(...a))) as typeof parseReading;

describe('CSV balance files', () => {
  it('reads a comma CSV: every money style and ISO or M/D/YYYY dates', () => {
    expect(parseImportFile(fixture('balance-comma.csv'), 'balance-comma.csv', 'balance')).toEqual({
      ok: true,
      kind: 'balance',
      format: 'csv',
      rowsRead: 5,
      rows: [
        { row: 2, accountNumber: '100234', balanceCents: 123456, name: 'Jane Doe', email: 'jane.doe@example.com', dueDate: '2026-03-01' },
        { row: 3, accountNumber: '100235', balanceCents: 123456, name: 'Roe, John', email: 'john.roe@example.com', dueDate: '2026-03-01' },
        { row: 4, accountNumber: '100236', balanceCents: -123456, name: 'Ann Lee', dueDate: '2026-12-31' },
        { row: 5, accountNumber: '100237', balanceCents: -123456, name: 'Bo Chan', email: 'bo@example.com' },
        { row: 6, accountNumber: '100238', balanceCents: 0, name: 'Cy Park', email: 'cy@example.com', dueDate: '2026-01-05' },
      ],
      issues: [],
      headers: ['Account Number', 'Name', 'Email', 'Balance', 'Due Date'],
      notes: [],
    });
  });

  it('detects a semicolon delimiter even when names contain commas', () => {
    const out = parseImportFile(fixture('balance-semicolon.csv'), 'balance-semicolon.csv', 'balance');
    expect(out).toMatchObject({ ok: true, headers: ['Acct No', 'Payer Name', 'Balance Due'], issues: [] });
    expect(out.ok && out.rows).toEqual([
      { row: 2, accountNumber: '200001', balanceCents: 1000, name: 'Doe, Jane' },
      { row: 3, accountNumber: '200002', balanceCents: 2050, name: 'Smith; Bob' },
      { row: 4, accountNumber: '200003', balanceCents: 300, name: 'Ng, Al' },
    ]);
  });

  it('detects a tab delimiter and header aliases ("Account #", "Current Balance", "E-mail")', () => {
    const out = parseImportFile(fixture('balance-tab.csv'), 'balance-tab.csv', 'balance');
    expect(out).toMatchObject({ ok: true, headers: ['Account #', 'Customer Name', 'Current Balance', 'E-mail'], issues: [], notes: [] });
    expect(out.ok && out.rows).toEqual([
      { row: 2, accountNumber: '300001', balanceCents: 500, name: 'Al Ng', email: 'al@example.com' },
      { row: 3, accountNumber: '300002', balanceCents: 150000, name: 'Bea Fox, Jr.' },
    ]);
  });

  it('drops a UTF-8 byte-order mark so the first header still matches', () => {
    const out = parseImportFile(fixture('balance-bom.csv'), 'balance-bom.csv', 'balance');
    expect(out).toMatchObject({ ok: true, headers: ['Account Number', 'Name', 'Balance'], notes: [] });
    expect(out.ok && out.rows).toEqual([
      { row: 2, accountNumber: '400001', balanceCents: 100, name: 'Zoë Ça' },
      { row: 3, accountNumber: '400002', balanceCents: 200, name: 'Łukasz Ő' },
    ]);
  });

  it('reads Windows-1252 text (not valid UTF-8), including €, curly quotes and accents', () => {
    const out = parseImportFile(fixture('balance-cp1252.csv'), 'balance-cp1252.csv', 'balance');
    expect(out).toMatchObject({ ok: true, issues: [], notes: ['The file is not UTF-8 text; it was read as Windows-1252 (Western European).'] });
    expect(out.ok && out.rows.map((r) => 'name' in r && r.name)).toEqual(['Muñoz', 'José Peña', 'Café € Ltd', 'O’Brien']);
  });

  it('reads UTF-16 ("Unicode text") exports with their BOM', () => {
    const text = 'Account Number\tName\tBalance\r\n1\tMuñoz\t1.00\r\n';
    const bytes = new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const out = parseImportFile(bytes, 'unicode.txt', 'balance');
    expect(out).toMatchObject({ ok: true, format: 'csv', rows: [{ row: 2, accountNumber: '1', balanceCents: 100, name: 'Muñoz' }], notes: ['The file was read as UTF-16 ("Unicode text").'] });
  });

  it('finds the header below title lines and skips a totals line and the footer under it', () => {
    expect(parseImportFile(fixture('balance-report-export.csv'), 'balance-report-export.csv', 'balance')).toEqual({
      ok: true,
      kind: 'balance',
      format: 'csv',
      rowsRead: 3,
      rows: [
        { row: 5, accountNumber: '600001', balanceCents: 10000, name: 'Ann' },
        { row: 6, accountNumber: '600002', balanceCents: 20050, name: 'Ben' },
        { row: 8, accountNumber: '600003', balanceCents: -5000, name: 'Cat' },
      ],
      issues: [],
      headers: ['Acct #', 'Payer Name', 'Balance Due'],
      notes: [
        'The column headings are on row 4; the 2 lines above them were skipped.',
        'Row 9 is a totals line ($250.50) and was skipped.',
        'Row 10 below the totals line had no amount and was skipped.',
      ],
    });
  });

  it('recognises an unlabeled totals line by its empty account number and matching sum', () => {
    const out = parseImportFile(fixture('balance-unlabeled-total.csv'), 'balance-unlabeled-total.csv', 'balance');
    expect(out).toMatchObject({ ok: true, rowsRead: 2, issues: [], notes: ['Row 4 is a totals line ($3.00) and was skipped.'] });
    expect(out.ok && out.rows.length).toBe(2);
  });

  it('says so when a totals line does not match the rows above it', () => {
    const csv = 'Account,Balance\r\n1,1.00\r\n2,2.00\r\nGrand Total:,4.00\r\n';
    const out = parseImportFile(new TextEncoder().encode(csv), 'x.csv', 'balance');
    expect(out).toMatchObject({ ok: true, rowsRead: 2, notes: ['Row 4 is a totals line ($4.00) and was skipped. It does not match the rows above, which add up to $3.00.'] });
  });

  it('does not take a payer called "Total Fitness" for a totals line', () => {
    const out = parseImportFile(new TextEncoder().encode('Name,Account,Balance\r\nTotal Fitness,7,1.00\r\n'), 'x.csv', 'balance');
    expect(out).toMatchObject({ ok: true, rows: [{ row: 2, accountNumber: '7', balanceCents: 100, name: 'Total Fitness' }], notes: [] });
  });

  it('numbers rows as a spreadsheet shows them: a quoted line break stays in one row, blank lines count', () => {
    expect(parseImportFile(fixture('balance-multiline.csv'), 'balance-multiline.csv', 'balance')).toEqual({
      ok: true,
      kind: 'balance',
      format: 'csv',
      rowsRead: 3,
      rows: [
        { row: 2, accountNumber: '920001', balanceCents: 100, name: 'Ann\r\nSecond line' },
        { row: 5, accountNumber: '920003', balanceCents: 300, name: 'Cat' },
      ],
      issues: [{ row: 3, column: 'Balance', severity: 'error', message: '"oops" is not an amount of money (for example 1234.56).' }],
      headers: ['Account Number', 'Name', 'Balance'],
      notes: [],
    });
  });

  it('skips the column headings repeated on each page of a report export', () => {
    const csv = 'Account Number,Balance\r\n1,1.00\r\nAccount Number,Balance\r\n2,2.00\r\nACCOUNT NUMBER,BALANCE\r\n3,3.00\r\n';
    const out = parseImportFile(new TextEncoder().encode(csv), 'x.csv', 'balance');
    expect(out).toMatchObject({ ok: true, rowsRead: 3, issues: [], notes: ['Rows 3 and 5 repeat the column headings and were skipped.'] });
  });

  it('lists unused columns in a note', () => {
    const out = parseImportFile(new TextEncoder().encode('Account Number,Notes,Balance,Phone\r\n1,hi,1.00,555\r\n'), 'x.csv', 'balance');
    expect(out).toMatchObject({ ok: true, notes: ['These columns are not used: "Notes", "Phone".'] });
  });

  it('accepts a file with no extension by what its bytes are', () => {
    const out = parseImportFile(fixture('balance-tab.csv'), 'upload', 'balance');
    expect(out).toMatchObject({ ok: true, format: 'csv', rowsRead: 2 });
  });
});

describe('CSV bill files', () => {
  it('reads lines of invoices; an empty invoice date takes the due date with a warning; bad rows are listed', () => {
    expect(parseImportFile(fixture('bill.csv'), 'bill.csv', 'bill')).toEqual({
      ok: true,
      kind: 'bill',
      format: 'csv',
      rowsRead: 6,
      rows: [
        { row: 2, accountNumber: '100234', invoiceNumber: 'INV-1001', invoiceDate: '2026-11-01', dueDate: '2026-11-15', category: 'Tuition', description: 'November tuition', amountCents: 35000, name: 'Jane Doe' },
        { row: 3, accountNumber: '100234', invoiceNumber: 'INV-1001', invoiceDate: '2026-11-01', dueDate: '2026-11-15', category: 'Meals', description: 'November meal plan', amountCents: 8000, name: 'Jane Doe' },
        { row: 4, accountNumber: '100235', invoiceNumber: 'INV-1002', invoiceDate: '2026-11-15', dueDate: '2026-11-15', category: 'Tuition', description: '', amountCents: 120000, name: 'John Roe', division: 'East' },
      ],
      issues: [
        { row: 4, column: 'Invoice Date', severity: 'warning', message: 'Invoice Date is empty; the due date is used.' },
        { row: 5, column: 'Invoice #', severity: 'error', message: 'Invoice Number is missing.' },
        { row: 6, column: 'Due Date', severity: 'error', message: 'Due Date is missing.' },
        { row: 7, column: 'Amount', severity: 'error', message: '"10.001" has more than two decimal places.' },
      ],
      headers: ['Account Number', 'Name', 'Invoice #', 'Invoice Date', 'Due Date', 'Category', 'Description', 'Amount', 'Division'],
      notes: [],
    });
  });

  it('dates every invoice on its due date when there is no Invoice Date column, and warns once', () => {
    expect(parseImportFile(fixture('bill-no-invoice-date.csv'), 'bill-no-invoice-date.csv', 'bill')).toEqual({
      ok: true,
      kind: 'bill',
      format: 'csv',
      rowsRead: 2,
      rows: [
        { row: 2, accountNumber: '100234', invoiceNumber: 'INV-1', invoiceDate: '2026-12-01', dueDate: '2026-12-01', category: '', description: '', amountCents: 500 },
        { row: 3, accountNumber: '100234', invoiceNumber: 'INV-1', invoiceDate: '2026-12-01', dueDate: '2026-12-01', category: '', description: '', amountCents: 600 },
      ],
      issues: [{ row: 1, severity: 'warning', message: 'The file has no "Invoice Date" column; each invoice is dated on its due date.' }],
      headers: ['Acct No', 'Invoice No', 'Due Date', 'Amount'],
      notes: [],
    });
  });

  it('does not flag repeated account numbers in a bill file (one invoice has several lines)', () => {
    const out = parseImportFile(fixture('bill.csv'), 'bill.csv', 'bill');
    expect(out.ok && out.issues.some((i) => i.message.includes('more than once'))).toBe(false);
  });
});
