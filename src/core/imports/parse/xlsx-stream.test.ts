/**
 * The streaming .xlsx reader against the SheetJS reader, on the same files: every file is written
 * by the test (SheetJS writes them; a few parts are then rewritten by hand the way other exporters
 * write them), and both readers must hand the row builder the same rows, cells and notes.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import { fixture, makeZip, type ZipPart } from '../../../../test/fixtures/imports/helpers';
import type { SheetRow } from './cells';
import { detectFormat } from './detect-format';
import { parseImportFile, parseImportFileIsolated } from './index';
import { resolveLimits, type ParseLimits } from './types';
import { openWorkbook } from './workbook-reader';
import { BUILTIN_FORMATS, openXlsxStreamed } from './xlsx-stream';

type Sheet = { name: string; aoa: unknown[][]; hidden?: boolean; formats?: Record<string, string> };

function book(sheets: Sheet[], opts: { sst?: boolean; date1904?: boolean } = {}): Uint8Array {
  const wb = XLSX.utils.book_new();
  for (const s of sheets) {
    const ws = XLSX.utils.aoa_to_sheet(s.aoa);
    for (const [ref, z] of Object.entries(s.formats ?? {})) ws[ref]!.z = z;
    XLSX.utils.book_append_sheet(wb, ws, s.name);
  }
  wb.Workbook = { Sheets: sheets.map((s) => ({ Hidden: s.hidden ? 1 : 0 })), WBProps: { date1904: Boolean(opts.date1904) } } as XLSX.WorkBook['Workbook'];
  return new Uint8Array(XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', bookSST: Boolean(opts.sst), compression: true }) as Buffer);
}

/** Re-zips a workbook with its XML parts changed. */
function rezip(bytes: Uint8Array, change: (name: string, text: string) => string): Uint8Array {
  const zip = XLSX.CFB.read(Buffer.from(bytes), { type: 'buffer' });
  const parts: ZipPart[] = [];
  zip.FullPaths.forEach((path: string, i: number) => {
    const entry = zip.FileIndex[i]!;
    if (entry.type !== 2 || !entry.content || entry.name.startsWith('\u0001')) return;
    const name = path.replace(/^[^/]*\//, '');
    const data = Buffer.from(entry.content as Uint8Array);
    parts.push({ name, data: /\.(xml|rels)$/.test(name) ? Buffer.from(change(name, data.toString('utf8')), 'utf8') : data });
  });
  return makeZip(parts);
}

function drain(source: { next(): SheetRow | null }): SheetRow[] {
  const out: SheetRow[] = [];
  for (let r = source.next(); r; r = source.next()) out.push(r);
  return out;
}

function bothReaders(bytes: Uint8Array, limits: Partial<ParseLimits> = {}) {
  const lim = resolveLimits(limits);
  const { sniffed } = detectFormat(bytes, 'x.xlsx');
  if (sniffed.kind !== 'zip') throw new Error('not a zip');
  const old = openWorkbook(bytes, 'xlsx', sniffed.entries, lim);
  const now = openXlsxStreamed(bytes, sniffed.entries, lim, lim.maxRows + 22);
  return {
    sheetjs: { sheetName: old.sheetName, notes: old.notes, date1904: old.source.date1904, rows: drain(old.source) },
    streamed: { sheetName: now.sheetName, notes: now.notes, date1904: now.source.date1904, rows: drain(now.source) },
  };
}

const MIXED: unknown[][] = [
  ['Report of balances'],
  [],
  ['Account Number', 'Name', 'Balance', 'Due Date', 'Paid', 'Note'],
  [100234, 'Jane & "Doe" <x>', 1234.56, new Date(Date.UTC(2026, 2, 1)), true, 'line one\r\nline two'],
  [123, '  spaced  ', 0.1 + 0.2, 46082, false, '=cmd|calc'],
  ['A-7', 'Ünïcödé ✓ 𝄞', -50, '31/01/2026', null, ''],
  [null, null, null, null, null, null],
  [1e21, 'big', 12345.675, 0, 'TRUE', '_x000D_ literal'],
  ['', 'only name'],
  ['Total', null, 99999.99],
];

describe('the streaming reader reads cells as the SheetJS reader does', () => {
  it.each([
    ['inline strings (t="str")', false],
    ['shared strings (t="s")', true],
  ])('mixed cells, %s', (_label, sst) => {
    const bytes = book([{ name: 'Balances', aoa: MIXED, formats: { A5: '000000', C4: '#,##0.00', D5: 'dd/mm/yyyy', C6: '0.00;[Red]-0.00' } }], { sst });
    const { sheetjs, streamed } = bothReaders(bytes);
    expect(streamed).toEqual(sheetjs);
    expect(streamed.rows.map((r) => r.row)).toEqual([1, 3, 4, 5, 6, 8, 9, 10]);
  });

  it('formulas give the value last saved, errors their text', () => {
    const wb = XLSX.utils.book_new();
    const ws = XLSX.utils.aoa_to_sheet([['Account Number', 'Balance'], ['F1', 0]]);
    ws.B2 = { t: 'n', v: 3.5, f: 'A9+1' };
    ws.C2 = { t: 'e', v: 0x07 };
    ws.D2 = { t: 's', v: 'text', f: 'CONCAT("te","xt")' };
    ws['!ref'] = 'A1:D2';
    XLSX.utils.book_append_sheet(wb, ws, 'S');
    const bytes = new Uint8Array(XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
    const { sheetjs, streamed } = bothReaders(bytes);
    expect(streamed).toEqual(sheetjs);
    expect(streamed.rows[1]!.cells).toEqual(['F1', 3.5, '#DIV/0!', 'text']);
  });

  it('sheet choice: hidden first sheet, empty sheet, two sheets with data; 1904 dates', () => {
    const sheets: Sheet[] = [
      { name: 'Lookup', aoa: [['k', 'v'], [1, 2]], hidden: true },
      { name: 'Empty', aoa: [[null]] },
      { name: 'Balances', aoa: [['Account Number', 'Due Date'], ['X1', new Date(Date.UTC(2026, 0, 31))]] },
      { name: 'Old', aoa: [['Account Number'], ['X2']] },
    ];
    for (const date1904 of [false, true]) {
      const { sheetjs, streamed } = bothReaders(book(sheets, { date1904 }));
      expect(streamed).toEqual(sheetjs);
      expect(streamed.notes).toEqual(['Read the sheet "Balances", the first visible sheet with data.', 'Only the sheet "Balances" was read; the workbook has 2 sheets with data.']);
    }
    const onlyHidden = book([{ name: 'Visible', aoa: [[null]] }, { name: 'Data', aoa: [['Account Number'], ['H1']], hidden: true }]);
    const { sheetjs, streamed } = bothReaders(onlyHidden);
    expect(streamed).toEqual(sheetjs);
    expect(streamed.notes).toEqual(['Read the hidden sheet "Data": no visible sheet has data.']);
  });

  it('XML as other exporters write it: namespace prefixes, single quotes, rich text with phonetic guides, no r attributes', () => {
    const plain = book([{ name: 'S', aoa: [['Account Number', 'Name', 'Balance'], ['P1', 'x', 1.5], ['P2', 'y', 2]] }], { sst: true });
    const odd = rezip(plain, (name, text) => {
      if (name === 'xl/sharedStrings.xml') {
        return text.replace(/<si><t[^>]*>x<\/t><\/si>/, '<si><r><rPr><b/></rPr><t>Ja</t></r><r><t xml:space="preserve">ne &amp; co</t></r><rPh sb="0" eb="1"><t>ジェーン</t></rPh></si>');
      }
      if (!name.startsWith('xl/worksheets/')) return text;
      return text
        .replace(/<(\/?)(worksheet|sheetData|row|c|v|is|t)([\s>/])/g, '<$1x:$2$3')
        .replace('<x:worksheet ', '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ')
        .replace(/ r="[A-Z]+\d+"/g, '')
        .replace(/t="s"/g, "t='s'");
    });
    const { sheetjs, streamed } = bothReaders(odd);
    expect(streamed).toEqual(sheetjs);
    expect(streamed.rows[1]!.cells).toEqual(['P1', 'Jane & co', 1.5]);
  });

  it('the fixture workbooks give the same outcome through either reader', () => {
    for (const name of ['balance-numeric.xlsx', 'balance-1904.xlsx', 'balance-two-sheets.xlsx', 'bill.xlsx']) {
      const { sheetjs, streamed } = bothReaders(fixture(name));
      expect(streamed, name).toEqual(sheetjs);
    }
  });
});

describe('built-in number formats', () => {
  it("are SheetJS's own table as it stands before any file is read (asked of a fresh node)", () => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', "const X = await import('xlsx'); console.log(JSON.stringify(X.SSF.get_table()))"], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(BUILTIN_FORMATS).toEqual(JSON.parse(r.stdout) as Record<string, string>);
  });
});

describe('limits while streaming', () => {
  it('a cell bomb (one 12 MB cell) is refused from a few MB of it, inside a 64 MB worker', async () => {
    // Random letters, so the part compresses like real text and passes the ratio check.
    const letters = randomBytes(12_000_000);
    for (let i = 0; i < letters.length; i++) letters[i] = 97 + (letters[i]! % 26);
    const big = letters.toString('latin1');
    const bytes = rezip(book([{ name: 'S', aoa: [['Account Number', 'Name', 'Balance'], ['B1', 'BOMB', 1]] }]), (name, text) => (name.startsWith('xl/worksheets/') ? text.replace('BOMB', big) : text));
    const expected = { ok: false, code: 'LIMIT', message: 'A cell in row 2 of the sheet "S" is longer than 32,767 characters, which is more than can be imported.' };
    expect(await parseImportFileIsolated(bytes, 'bomb.xlsx', 'balance', { limits: { maxMemoryMb: 64 } })).toEqual(expected);
  });

  it('a long cell within the element allowance is named by its reference', () => {
    const bytes = book([{ name: 'S', aoa: [['Account Number', 'Name', 'Balance'], [1, 'y'.repeat(101), 1]] }], { sst: true });
    expect(parseImportFile(bytes, 'x.xlsx', 'balance', { maxCellChars: 100 })).toEqual({ ok: false, code: 'LIMIT', message: 'Cell B2 of the sheet "S" is longer than 100 characters, which is more than can be imported.' });
  });

  it('rows counted are the rows present, whatever the row numbers say', () => {
    const aoa: unknown[][] = [['Account Number', 'Balance']];
    for (let i = 0; i < 8; i++) aoa.push([`A${i}`, 1]);
    const sparse = rezip(book([{ name: 'S', aoa }]), (name, text) => (name.startsWith('xl/worksheets/') ? text.replace(/<row r="9"/, '<row r="900000"').replace(/r="([A-Z])9"/g, 'r="$1900000"') : text));
    const r = parseImportFile(sparse, 'x.xlsx', 'balance', { maxRows: 8 });
    expect(r).toMatchObject({ ok: true, rowsRead: 8 });
    expect(r.ok && r.rows.at(-1)!.row).toBe(900000);
  });
});
