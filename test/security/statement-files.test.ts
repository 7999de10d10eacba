/**
 * Finding 7 (statement files): a 400 KB "cell bomb" .xlsx (195 MB of sheet XML) uploaded as a
 * statement/notification file was read on the main thread with its own reader: every user waited
 * 16 s and the process took 1.9 GB. Statement files now go through the import parser in its worker,
 * with its limits, so the bomb is refused while the main thread keeps running and memory stays bounded.
 */
import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeZip, type ZipPart } from '../fixtures/imports/helpers';
import { makeLedger, type TestLedger } from '../helpers/ledger';

let t: TestLedger;
beforeAll(async () => {
  t = await makeLedger();
});
afterAll(async () => t.cleanup());

/** A real workbook's parts (written by SheetJS) with its sheet replaced by `sheetXml`. */
function workbookWithSheet(sheetXml: Uint8Array): Uint8Array {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['Account Number', 'Amount Due', 'Due Date']]), 'Notices');
  const zip = XLSX.CFB.read(XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer, { type: 'buffer' });
  const parts: ZipPart[] = [];
  zip.FileIndex.forEach((f: { type: number; content: Uint8Array }, i: number) => {
    if (f.type !== 2) return; // files only, not folders
    const name = zip.FullPaths[i]!.replace(/^[^/]*\//, '');
    parts.push({ name, data: name === 'xl/worksheets/sheet1.xml' ? sheetXml : new Uint8Array(f.content) });
  });
  return makeZip(parts);
}

/** Header row, then one row holding 13 million empty-valued cells: 195 MB of XML. */
function cellBomb(): { bytes: Uint8Array; xmlBytes: number } {
  const head = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Account Number</t></is></c><c r="B1" t="inlineStr"><is><t>Amount Due</t></is></c><c r="C1" t="inlineStr"><is><t>Due Date</t></is></c></row><row r="2">';
  const tail = '</row></sheetData></worksheet>';
  const cell = '<c><v>1</v></c>';
  const cells = 13_000_000;
  const xml = Buffer.alloc(head.length + cell.length * cells + tail.length);
  xml.write(head, 0, 'latin1');
  xml.fill(cell, head.length, head.length + cell.length * cells, 'latin1');
  xml.write(tail, head.length + cell.length * cells, 'latin1');
  return { bytes: workbookWithSheet(xml), xmlBytes: xml.length };
}

describe('statement files are read in the isolated parser', () => {
  it('a cell bomb is refused within the limits, without blocking the main thread, in bounded memory', { timeout: 120_000 }, async () => {
    const { bytes, xmlBytes } = cellBomb();
    expect(bytes.length).toBeLessThan(400_000);
    expect(xmlBytes).toBeGreaterThan(195_000_000);
    const contentBase64 = Buffer.from(bytes).toString('base64');

    // The main thread's own timer: it can only tick while nothing holds the event loop.
    const baseline = process.memoryUsage().rss;
    let ticks = 0;
    let peak = baseline;
    const timer = setInterval(() => {
      ticks++;
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 1);
    let r;
    try {
      r = await t.attempt(t.supervisor, 'statements.previewFile', { fileName: 'notices.xlsx', contentBase64 });
    } finally {
      clearInterval(timer);
    }
    peak = Math.max(peak, process.memoryUsage().rss);

    expect(r).toEqual({
      ok: false,
      error: {
        code: 'LIMIT',
        // Whichever limit the reader meets first: the packing ratio or the statement kind's 50 MB unpacked.
        message: expect.stringMatching(
          /^notices\.xlsx: This workbook (is compressed far more tightly than a real spreadsheet \(part "xl\/worksheets\/sheet1\.xml" unpacks [\d,]+ times larger\), so it was not opened|would unpack to more than 50 MB when opened, which is more than can be imported\. Save it as CSV, or split it into smaller files)\.$/,
        ),
        details: { field: 'file' },
      },
    });
    expect(ticks).toBeGreaterThan(0);
    // The worker's heap is capped; the old reader took 1.9 GB for this file.
    expect(peak - baseline).toBeLessThan(600 * 1024 * 1024);
  });
});
