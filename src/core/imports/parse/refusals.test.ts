import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import { fixture, makeZip, xlsxSkeleton } from '../../../../test/fixtures/imports/helpers';
import { DEFAULT_LIMITS, parseImportFile } from './index';

const text = (s: string) => new TextEncoder().encode(s);
const refused = (code: 'VALIDATION' | 'LIMIT', message: string) => ({ ok: false, code, message });

function xlsxOf(rows: unknown[][]): Uint8Array {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), 'S');
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer;
}

describe('whole-file problems refuse the file', () => {
  it('an empty file, or one with only blank lines', () => {
    expect(parseImportFile(fixture('empty.csv'), 'empty.csv', 'balance')).toEqual(refused('VALIDATION', 'The file is empty.'));
    expect(parseImportFile(fixture('blank-lines.csv'), 'blank-lines.csv', 'balance')).toEqual(refused('VALIDATION', 'The file is empty.'));
  });

  it('headers only (a totals line alone does not count as data)', () => {
    const msg = refused('VALIDATION', 'The file has column headings but no rows of data.');
    expect(parseImportFile(fixture('header-only.csv'), 'header-only.csv', 'balance')).toEqual(msg);
    expect(parseImportFile(fixture('header-and-total-only.csv'), 'header-and-total-only.csv', 'balance')).toEqual(msg);
  });

  it('a required column missing: names it and lists the headers found', () => {
    expect(parseImportFile(fixture('balance-missing-column.csv'), 'balance-missing-column.csv', 'balance')).toEqual(
      refused(
        'VALIDATION',
        'A required column is missing: "Balance" (or "Balance Due", "Amount Due", "Current Balance", "Account Balance"). The columns found are: "Account Number", "Name", "Amt". Check that the file has a row of column headings near the top.',
      ),
    );
    expect(parseImportFile(fixture('bill-missing-columns.csv'), 'bill-missing-columns.csv', 'bill')).toEqual(
      refused(
        'VALIDATION',
        'Required columns are missing: "Due Date" (or "Date Due", "Payment Due Date") and "Amount" (or "Amount Due", "Line Amount", "Charge Amount", "Item Amount"). The columns found are: "Acct", "Inv", "Total". Check that the file has a row of column headings near the top.',
      ),
    );
  });

  it('a balance file uploaded as a bill file is refused by its columns', () => {
    const out = parseImportFile(fixture('balance-comma.csv'), 'balance-comma.csv', 'bill');
    expect(out).toMatchObject({ ok: false, code: 'VALIDATION' });
    expect(!out.ok && out.message).toMatch(/^Required columns are missing: "Invoice Number" .* and "Amount" /);
  });

  it('random bytes', () => {
    expect(parseImportFile(fixture('random-bytes.csv'), 'random-bytes.csv', 'balance')).toEqual(
      refused('VALIDATION', 'This file is named .csv but is not a CSV file or spreadsheet: it contains binary data that is not text.'),
    );
  });

  it('a known non-spreadsheet format (PDF) named .csv', () => {
    expect(parseImportFile(fixture('really-pdf.csv'), 'really-pdf.csv', 'balance')).toEqual(refused('VALIDATION', 'This file is named .csv but is a PDF document, not a CSV file or spreadsheet.'));
  });

  it('an .xlsx that is really CSV text', () => {
    expect(parseImportFile(fixture('really-csv.xlsx'), 'really-csv.xlsx', 'balance')).toEqual(
      refused('VALIDATION', 'This file is named .xlsx but is not a spreadsheet (it looks like text/CSV). Rename it to .csv, or save it from your spreadsheet program as .xlsx.'),
    );
  });

  it('a workbook renamed to .csv, an .xls renamed .xlsx, an .ods renamed .xlsx', () => {
    expect(parseImportFile(fixture('balance-numeric.xlsx'), 'balances.csv', 'balance')).toEqual(
      refused('VALIDATION', 'This file is named .csv but is really an Excel workbook (.xlsx). Rename it to .xlsx and upload it again.'),
    );
    expect(parseImportFile(fixture('balance.xls'), 'balances.xlsx', 'balance')).toEqual(
      refused('VALIDATION', 'This file is named .xlsx but is really an older Excel workbook (.xls). Rename it to .xls and upload it again.'),
    );
    expect(parseImportFile(fixture('balance.ods'), 'balances.xlsx', 'balance')).toEqual(
      refused('VALIDATION', 'This file is named .xlsx but is really an OpenDocument spreadsheet (.ods). Rename it to .ods and upload it again.'),
    );
  });

  it('a file type that is not supported at all', () => {
    expect(parseImportFile(fixture('notes.docx'), 'notes.docx', 'balance')).toEqual(
      refused('VALIDATION', "Files of type .docx can't be imported. Upload a CSV file, an Excel workbook (.xlsx, .xlsm, .xlsb or .xls) or an OpenDocument spreadsheet (.ods)."),
    );
  });

  it('a zip that holds no spreadsheet, and a damaged (cut-off) workbook', () => {
    const docx = makeZip([{ name: 'word/document.xml', data: text('<w:document/>') }]);
    expect(parseImportFile(docx, 'report.xlsx', 'balance')).toEqual(refused('VALIDATION', 'This file is named .xlsx but is a zip archive that holds no spreadsheet.'));
    const whole = fixture('balance-numeric.xlsx');
    expect(parseImportFile(whole.subarray(0, whole.length - 200), 'cut.xlsx', 'balance')).toEqual(
      refused('VALIDATION', 'This workbook is damaged (its zip structure cannot be read). Open it in your spreadsheet program and save it again.'),
    );
  });
});

describe('limits (code LIMIT)', () => {
  it('file size', () => {
    expect(parseImportFile(fixture('balance-comma.csv'), 'balance-comma.csv', 'balance', { maxFileBytes: 100 })).toEqual(refused('LIMIT', 'The file is 290 bytes; files up to 100 bytes can be imported.'));
    expect(DEFAULT_LIMITS.maxFileBytes).toBe(50_000_000);
  });

  it('zip bomb: parts that declare a huge unpacked size are refused before anything is unzipped', () => {
    const bomb = makeZip([...xlsxSkeleton(), { name: 'xl/worksheets/sheet1.xml', data: text('<x/>'), declaredSize: 4_000_000_000 }]);
    expect(bomb.length).toBeLessThan(2_000);
    expect(parseImportFile(bomb, 'bomb.xlsx', 'balance')).toEqual(
      refused('LIMIT', 'This workbook would unpack to more than 200 MB when opened, which is more than can be imported. Save it as CSV, or split it into smaller files.'),
    );
  });

  it('zip bomb: a part compressed far more tightly than any real sheet (20 MB of zeros)', () => {
    const zeros = new Uint8Array(20_000_000);
    const bomb = makeZip([...xlsxSkeleton(), { name: 'xl/worksheets/sheet1.xml', data: zeros }]);
    expect(bomb.length).toBeLessThan(100_000);
    const out = parseImportFile(bomb, 'bomb.xlsx', 'balance');
    expect(out).toMatchObject({ ok: false, code: 'LIMIT' });
    expect(!out.ok && out.message).toMatch(/^This workbook is compressed far more tightly than a real spreadsheet \(part "xl\/worksheets\/sheet1.xml" unpacks [\d,]+ times larger\), so it was not opened\.$/);
  });

  it('zip bomb: a part that lies about its size is caught while unzipping', () => {
    const big = new Uint8Array(5_000_000).fill(65);
    const liar = makeZip([...xlsxSkeleton(), { name: 'xl/worksheets/sheet1.xml', data: big, declaredSize: 1_000 }]);
    expect(parseImportFile(liar, 'liar.xlsx', 'balance')).toEqual(refused('LIMIT', 'This workbook\'s part "xl/worksheets/sheet1.xml" unpacks to more than it declares, so it was not opened.'));
  });

  it('the unpacked-size limit is configurable', () => {
    const out = parseImportFile(fixture('balance-numeric.xlsx'), 'b.xlsx', 'balance', { maxUncompressedBytes: 10_000 });
    expect(out).toEqual(refused('LIMIT', 'This workbook would unpack to more than 10 KB when opened, which is more than can be imported. Save it as CSV, or split it into smaller files.'));
  });

  it('an oversized cell in a CSV, quoted or not', () => {
    const long = 'x'.repeat(40_000);
    const msg = refused('LIMIT', 'Row 2, column 2 has a cell longer than 32,767 characters, which is more than a spreadsheet cell can hold.');
    expect(parseImportFile(text(`Account Number,Name,Balance\r\n1,${long},1.00\r\n`), 'x.csv', 'balance')).toEqual(msg);
    expect(parseImportFile(text(`Account Number,Name,Balance\r\n1,"${long}",1.00\r\n`), 'x.csv', 'balance')).toEqual(msg);
  });

  it('an unclosed quote that would swallow the rest of the file', () => {
    expect(parseImportFile(text('Account Number,Name,Balance\r\n1,Ann,1.00\r\n2,"Ben,2.00\r\n3,Cat,3.00\r\n'), 'x.csv', 'balance')).toEqual(
      refused('VALIDATION', 'Row 3 has a quotation mark (") that is never closed, so the rest of the file cannot be read. Check the file in a text editor or save it again from your spreadsheet program.'),
    );
  });

  it('an oversized cell in a workbook (lowered limit)', () => {
    const bytes = xlsxOf([['Account Number', 'Name', 'Balance'], [1, 'y'.repeat(101), 1]]);
    expect(parseImportFile(bytes, 'x.xlsx', 'balance', { maxCellChars: 100 })).toEqual(refused('LIMIT', 'Cell B2 of the sheet "S" is longer than 100 characters, which is more than can be imported.'));
  });

  it('too many rows in a CSV (lowered limit)', () => {
    expect(parseImportFile(fixture('balance-comma.csv'), 'balance-comma.csv', 'balance', { maxRows: 4 })).toEqual(
      refused('LIMIT', 'The file has more than 4 rows of data, which is more than can be imported at once. Split it into smaller files.'),
    );
    expect(parseImportFile(fixture('balance-comma.csv'), 'balance-comma.csv', 'balance', { maxRows: 5 })).toMatchObject({ ok: true, rowsRead: 5 });
  });

  it('too many rows in a workbook: past the read cap, and within it', () => {
    const rows: unknown[][] = [['Account Number', 'Balance']];
    for (let i = 0; i < 60; i++) rows.push([i + 1, 1]);
    const bytes = xlsxOf(rows);
    expect(parseImportFile(bytes, 'x.xlsx', 'balance', { maxRows: 10 })).toEqual(
      refused('LIMIT', 'The sheet "S" has more than 10 rows of data, which is more than can be imported at once. Split it into smaller files.'),
    );
    expect(parseImportFile(bytes, 'x.xlsx', 'balance', { maxRows: 50 })).toEqual(
      refused('LIMIT', 'The file has more than 50 rows of data, which is more than can be imported at once. Split it into smaller files.'),
    );
    expect(parseImportFile(bytes, 'x.xlsx', 'balance', { maxRows: 60 })).toMatchObject({ ok: true, rowsRead: 60 });
  });
});
