/**
 * Reads .xlsx/.xls/.ods with SheetJS in dense mode with a row cap, and serves the first sheet that
 * has data as a RowSource. Formulas are never evaluated: only the value the program last saved is
 * read. Date-formatted numbers become 'YYYY-MM-DD' here, where the cell's format is still known.
 */
import * as XLSX from 'xlsx';
import { FormattedNumber, isBlankRow, type Cell, type RowSource, type SheetRow } from './cells';
import { serialToIso } from './values';
import { checkZipLimits, type ZipEntry } from './zip-guard';
import { overLimit, refuse, type FileFormat, type ParseLimits } from './types';

/** Rows above the header the reader allows for (title lines of report exports). */
export const HEADER_SCAN_ROWS = 20;

const ERRORS: Record<number, string> = { 0: '#NULL!', 7: '#DIV/0!', 15: '#VALUE!', 23: '#REF!', 29: '#NAME?', 36: '#NUM!', 42: '#N/A', 43: '#GETTING_DATA' };

const NAMES: Record<Exclude<FileFormat, 'csv'>, string> = { xlsx: 'Excel workbook', xlsm: 'Excel workbook', xlsb: 'Excel workbook', xls: 'Excel workbook', ods: 'OpenDocument spreadsheet' };

export interface OpenedWorkbook {
  source: RowSource;
  sheetName: string;
  notes: string[];
}

export function openWorkbook(
  bytes: Uint8Array,
  format: Exclude<FileFormat, 'csv'>,
  zipEntries: ZipEntry[] | null,
  limits: ParseLimits,
): OpenedWorkbook {
  if (zipEntries) checkZipLimits(bytes, zipEntries, limits);
  const macros = zipEntries?.some((e) => /vbaProject\.bin$/i.test(e.name)) ?? false;
  // One extra row beyond what may be used, so "more rows than allowed" is detectable.
  const sheetRows = limits.maxRows + HEADER_SCAN_ROWS + 2;
  let wb: XLSX.WorkBook;
  try {
    wb = XLSX.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      type: 'buffer',
      dense: true,
      sheetRows,
      cellNF: true,
      cellText: false,
      cellFormula: false,
      cellHTML: false,
      cellStyles: false,
      cellDates: false,
      bookVBA: false,
    });
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    if (/password|encrypt/i.test(why)) return refuse('This workbook is protected with a password. Remove the password in your spreadsheet program and upload it again.');
    return refuse(`This ${NAMES[format]} could not be read; it may be damaged. Open it in your spreadsheet program and save it again.`);
  }
  const date1904 = Boolean(wb.Workbook?.WBProps?.date1904);
  const notes: string[] = [];
  type Picked = { name: string; data: (XLSX.CellObject | undefined)[][]; index: number };
  // People see the visible sheets; hidden ones (lookup tables, old data) are read only if nothing else has data.
  const hidden = (i: number) => Boolean(wb.Workbook?.Sheets?.[i]?.Hidden);
  const order = wb.SheetNames.map((_, i) => i).sort((a, b) => Number(hidden(a)) - Number(hidden(b)) || a - b);
  let picked: Picked | null = null;
  let withData = 0;
  for (const index of order) {
    const name = wb.SheetNames[index]!;
    const ws = wb.Sheets[name];
    const data = (ws?.['!data'] ?? []) as (XLSX.CellObject | undefined)[][];
    const hasData = data.some((r) => r && r.some((c) => c && c.v !== undefined && c.v !== null && !(typeof c.v === 'string' && c.v.trim() === '')));
    if (!hasData) continue;
    if (!hidden(index)) withData++;
    if (picked) continue;
    picked = { name, data, index };
    // Only rows actually present count: the declared dimension (!ref/!fullref) comes from the
    // exporter and may say A1:XFD1048576 for two rows. SheetJS stops reading at sheetRows.
    if (countPresentRows(data) >= sheetRows) {
      overLimit(`The sheet "${name.slice(0, 80)}" has more than ${limits.maxRows.toLocaleString('en-US')} rows of data, which is more than can be imported at once. Split it into smaller files.`);
    }
  }
  if (!picked) return refuse('The file is empty: its sheets have no data.');
  if (macros) notes.push('The workbook has macros; they were not run (only the values it was saved with were read).');
  if (hidden(picked.index)) notes.push(`Read the hidden sheet "${picked.name}": no visible sheet has data.`);
  else if (picked.index > 0) notes.push(`Read the sheet "${picked.name}", the first visible sheet with data.`);
  if (withData > 1) notes.push(`Only the sheet "${picked.name}" was read; the workbook has ${withData} sheets with data.`);
  return { source: new SheetSource(picked.data, date1904, limits.maxCellChars, picked.name), sheetName: picked.name, notes };
}

function countPresentRows(data: ((XLSX.CellObject | undefined)[] | undefined)[]): number {
  let n = 0;
  for (const r of data) if (r && r.length) n++;
  return n;
}

class SheetSource implements RowSource {
  private r = 0;
  constructor(
    private readonly data: (XLSX.CellObject | undefined)[][],
    readonly date1904: boolean,
    private readonly maxCellChars: number,
    private readonly sheetName: string,
  ) {}

  next(): SheetRow | null {
    const data = this.data;
    while (this.r < data.length) {
      const index = this.r++;
      const raw = data[index];
      if (!raw) continue;
      const cells: Cell[] = new Array(raw.length);
      for (let c = 0; c < raw.length; c++) cells[c] = this.toCell(raw[c], index, c);
      if (isBlankRow(cells)) continue;
      return { row: index + 1, cells };
    }
    return null;
  }

  private toCell(cell: XLSX.CellObject | undefined, r: number, c: number): Cell {
    if (!cell) return null;
    const v = cell.v;
    switch (cell.t) {
      case 's':
      case 'str' as XLSX.ExcelDataType: {
        const s = v === undefined || v === null ? '' : String(v);
        if (s.length > this.maxCellChars) {
          overLimit(`Cell ${XLSX.utils.encode_cell({ r, c })} of the sheet "${this.sheetName.slice(0, 80)}" is longer than ${this.maxCellChars.toLocaleString('en-US')} characters, which is more than can be imported.`);
        }
        return s;
      }
      case 'n': {
        const n = v as number;
        const z = typeof cell.z === 'string' ? cell.z : '';
        if (z && z !== 'General') {
          if (XLSX.SSF.is_date(z)) return serialToIso(n, this.date1904) ?? n;
          return new FormattedNumber(n, z);
        }
        return n;
      }
      case 'd':
        return v instanceof Date ? v.toISOString().slice(0, 10) : String(v);
      case 'b':
        return v ? 'TRUE' : 'FALSE';
      case 'e':
        return ERRORS[v as number] ?? '#ERROR';
      default:
        return v === undefined || v === null ? null : String(v);
    }
  }
}
