/**
 * The streaming reader for .xlsx/.xlsm: reads the workbook, relationships and styles (saxes), the
 * shared strings, then hands the sheet to the row builder one row at a time as it is unzipped
 * (fflate) and cut into rows (xml-elements.ts). Nothing holds the whole sheet, so memory stays flat
 * at any row count, and the row and cell limits are enforced while reading: a cell bomb is refused
 * when the element outgrows the limit, not after it was unpacked. Cells are read as the SheetJS
 * reader (workbook-reader.ts, still used for .xlsb/.xls/.ods) reads them; xlsx-stream.test.ts
 * compares the two on the same files.
 */
import { SaxesParser } from 'saxes';
import * as XLSX from 'xlsx';
import { FormattedNumber, isBlankRow, type Cell, type RowSource, type SheetRow } from './cells';
import { serialToIso } from './values';
import { ElementReader, stringItemText, unescapeOoxml, unescapeXml } from './xml-elements';
import { checkPartSize, checkZipLimits, type ZipEntry } from './zip-guard';
import { PartText, partText } from './zip-part-stream';
import { overLimit, refuse, type ParseLimits } from './types';

/**
 * Built-in number formats as SheetJS knows them before it reads any file (ids below 164). Written out
 * rather than read from SheetJS's table at load: that table is global and grows with every file read
 * or written in the process, and reading it here would load SheetJS for every CSV too.
 * xlsx-stream.test.ts pins it against a freshly loaded SheetJS.
 */
export const BUILTIN_FORMATS: Readonly<Record<number, string>> = {
  0: 'General', 1: '0', 2: '0.00', 3: '#,##0', 4: '#,##0.00', 9: '0%', 10: '0.00%', 11: '0.00E+00', 12: '# ?/?', 13: '# ??/??',
  14: 'm/d/yy', 15: 'd-mmm-yy', 16: 'd-mmm', 17: 'mmm-yy', 18: 'h:mm AM/PM', 19: 'h:mm:ss AM/PM', 20: 'h:mm', 21: 'h:mm:ss', 22: 'm/d/yy h:mm',
  37: '#,##0 ;(#,##0)', 38: '#,##0 ;[Red](#,##0)', 39: '#,##0.00;(#,##0.00)', 40: '#,##0.00;[Red](#,##0.00)',
  45: 'mm:ss', 46: '[h]:mm:ss', 47: 'mmss.0', 48: '##0.0E+0', 49: '@', 56: '"上午/下午 "hh"時"mm"分"ss"秒 "',
};

const damaged = (): never => refuse('This Excel workbook could not be read; it may be damaged. Open it in your spreadsheet program and save it again.');

/** Start tags of a small XML part, with prefixes dropped from names and attributes. */
function startTags(xml: string, on: (name: string, a: Record<string, string>) => void): void {
  const parser = new SaxesParser({ position: false });
  parser.on('opentag', (node) => {
    const a: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [k, v] of Object.entries(node.attributes)) {
      const colon = k.indexOf(':');
      a[colon >= 0 && !k.startsWith('xmlns') ? k.slice(colon + 1) : k] = String(v);
    }
    const colon = node.name.indexOf(':');
    on(colon >= 0 ? node.name.slice(colon + 1) : node.name, a);
  });
  try {
    parser.write(xml).close();
  } catch {
    damaged();
  }
}

/** "xl/worksheets/sheet1.xml" from a relationship target written relative to xl/ or absolute. */
function resolveTarget(base: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = base.split('/').slice(0, -1);
  for (const p of target.split('/')) {
    if (p === '..') parts.pop();
    else if (p !== '.') parts.push(p);
  }
  return parts.join('/');
}

interface SheetInfo {
  name: string;
  hidden: boolean;
  path: string;
}

interface Book {
  sheets: SheetInfo[];
  date1904: boolean;
  sharedStrings: string[];
  /** Number format of each cell style (`s` attribute), as SheetJS reports it in `cell.z`. */
  formats: (string | undefined)[];
}

function readBook(bytes: Uint8Array, byName: Map<string, ZipEntry>, limits: ParseLimits, read: Set<string>): Book {
  const text = (path: string) => {
    const e = byName.get(path);
    if (!e) return null;
    read.add(path);
    return partText(bytes, e);
  };
  const wbXml = text('xl/workbook.xml') ?? damaged();
  const rels = new Map<string, { type: string; target: string }>();
  const relsXml = text('xl/_rels/workbook.xml.rels');
  if (relsXml) startTags(relsXml, (name, a) => {
    if (name === 'Relationship' && a.Id && a.Target) rels.set(a.Id, { type: a.Type ?? '', target: resolveTarget('xl/workbook.xml', a.Target) });
  });
  const sheets: SheetInfo[] = [];
  let date1904 = false;
  startTags(wbXml, (name, a) => {
    if (name === 'workbookPr') date1904 = a.date1904 === '1' || a.date1904 === 'true';
    if (name === 'sheet') {
      const rel = a.id ? rels.get(a.id) : undefined;
      // Chart sheets and dialog sheets have no cells to read.
      if (rel && !/chartsheet|dialogsheet/i.test(rel.type)) sheets.push({ name: a.name ?? '', hidden: a.state === 'hidden' || a.state === 'veryHidden', path: rel.target });
    }
  });
  const relOf = (kind: string) => [...rels.values()].find((r) => r.type.endsWith(`/${kind}`))?.target;

  const custom = new Map<number, string>();
  const formats: (string | undefined)[] = [];
  const stylesXml = text(relOf('styles') ?? 'xl/styles.xml');
  if (stylesXml) {
    let inCellXfs = false;
    const xfIds: number[] = [];
    startTags(stylesXml, (name, a) => {
      if (name === 'numFmt' && a.numFmtId !== undefined && a.formatCode !== undefined) custom.set(Number(a.numFmtId), a.formatCode);
      else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'cellStyleXfs' || name === 'dxfs' || name === 'cellStyles') inCellXfs = false;
      else if (name === 'xf' && inCellXfs) xfIds.push(Number(a.numFmtId ?? 0));
    });
    for (const id of xfIds) formats.push(custom.get(id) ?? BUILTIN_FORMATS[id]);
  }

  const sharedStrings: string[] = [];
  const sstEntry = byName.get(relOf('sharedStrings') ?? 'xl/sharedStrings.xml');
  if (sstEntry) {
    read.add(sstEntry.name);
    const tooLong = () => overLimit(`A text in this workbook is longer than ${limits.maxCellChars.toLocaleString('en-US')} characters, which is more than can be imported.`);
    const items = new ElementReader(new PartText(bytes, sstEntry), 'si', limits.maxCellChars * 8 + 65_536, tooLong);
    for (let el = items.next(); el !== null; el = items.next()) {
      const open = el.indexOf('>');
      const s = el.charCodeAt(open - 1) === 47 ? '' : stringItemText(el.slice(open + 1));
      sharedStrings.push(s);
    }
  }
  return { sheets, date1904, sharedStrings, formats };
}

const CELL = /<(?:[\w.-]+:)?c(?=[\s/>])([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:[\w.-]+:)?c>)/g;
const VALUE = /<(?:[\w.-]+:)?v(?:\s[^>]*)?>([\s\S]*?)<\/(?:[\w.-]+:)?v>/;
const INLINE = /<(?:[\w.-]+:)?is(?:\s[^>]*)?>([\s\S]*?)<\/(?:[\w.-]+:)?is>/;
const ROW_NUMBER = /\s(?:[\w.-]+:)?r\s*=\s*["'](\d+)["']/;
const CELL_ATTR = /\s(?:[\w.-]+:)?([rst])\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const ERRORS = new Set(['#NULL!', '#DIV/0!', '#VALUE!', '#REF!', '#NAME?', '#NUM!', '#N/A', '#GETTING_DATA']);

const dateFormats = new Map<string, boolean>();
/** SheetJS's own test, remembered per format (a sheet uses a handful). */
function isDateFormat(z: string): boolean {
  const known = dateFormats.get(z);
  if (known !== undefined) return known;
  const d = XLSX.SSF.is_date(z);
  dateFormats.set(z, d);
  return d;
}

function columnIndex(ref: string): number {
  let c = 0;
  for (let i = 0; i < ref.length; i++) {
    const k = ref.charCodeAt(i) - 64;
    if (k < 1 || k > 26) break;
    c = c * 26 + k;
  }
  return c - 1;
}

/** One sheet, read row by row as it is unzipped. */
export class StreamedSheet implements RowSource {
  private readonly rows: ElementReader;
  private rowNumber = 0;
  private peeked: SheetRow | null = null;
  /** Rows that hold at least one cell with a value: what counts against the row limit. */
  present = 0;

  constructor(
    bytes: Uint8Array,
    entry: ZipEntry,
    private readonly book: Book,
    private readonly sheetName: string,
    private readonly maxCellChars: number,
    /** Present rows at which the sheet is refused (the row limit plus the rows a header may sit below). */
    private readonly rowCap: number,
    private readonly rowCapMessage: string,
  ) {
    // Far more than any real row (64 cells at the cell limit); an unfinished row larger than this is a cell bomb.
    this.rows = new ElementReader(new PartText(bytes, entry), 'row', maxCellChars * 64 + 1_000_000, () => this.cellTooLong(this.rowNumber + 1, null));
  }

  get date1904(): boolean {
    return this.book.date1904;
  }

  next(): SheetRow | null {
    if (this.peeked) {
      const p = this.peeked;
      this.peeked = null;
      return p;
    }
    for (let el = this.rows.next(); el !== null; el = this.rows.next()) {
      const open = el.indexOf('>');
      const r = ROW_NUMBER.exec(el.slice(0, open))?.[1];
      this.rowNumber = r ? Number(r) : this.rowNumber + 1;
      if (el.charCodeAt(open - 1) === 47) continue;
      const cells = this.cellsOf(el.slice(open + 1), this.rowNumber);
      if (cells.length === 0) continue;
      if (++this.present >= this.rowCap) overLimit(this.rowCapMessage);
      if (isBlankRow(cells)) continue;
      return { row: this.rowNumber, cells };
    }
    return null;
  }

  /** Whether the sheet has a row with data; that row is kept for the next call to next(). */
  hasData(): boolean {
    this.peeked ??= this.next();
    return this.peeked !== null;
  }

  /** Reads on, counting present rows, and refuses the sheet if they reach the cap. */
  refuseIfPastCap(): void {
    try {
      while (this.next());
    } catch (e) {
      if (e instanceof Error && e.message === this.rowCapMessage) throw e;
      // Any other problem further down is not what the person is told about.
    }
  }

  private cellsOf(inner: string, row: number): Cell[] {
    const cells: Cell[] = [];
    let col = -1;
    CELL.lastIndex = 0;
    for (let m = CELL.exec(inner); m; m = CELL.exec(inner)) {
      // Only r, s and t matter; read them without building an object per cell (the hot loop).
      let ref: string | undefined;
      let style: string | undefined;
      let type = 'n';
      const tag = m[1]!;
      CELL_ATTR.lastIndex = 0;
      for (let a = CELL_ATTR.exec(tag); a; a = CELL_ATTR.exec(tag)) {
        const v = a[2] ?? a[3] ?? '';
        if (a[1] === 'r') ref = v;
        else if (a[1] === 's') style = v;
        else type = unescapeXml(v);
      }
      col = ref ? columnIndex(ref) : col + 1;
      const value = this.cellValue(type, style, m[2] ?? '', row, col);
      if (value !== undefined) {
        while (cells.length < col) cells.push(null);
        cells[col] = value;
      }
    }
    return cells;
  }

  /** undefined: no value (SheetJS leaves such cells out). */
  private cellValue(t: string, style: string | undefined, body: string, row: number, col: number): Cell | undefined {
    const vm = body ? VALUE.exec(body) : null;
    const v = vm && vm[1] !== '' ? unescapeXml(vm[1]!) : undefined;
    switch (t) {
      case 's': {
        if (v === undefined) return undefined;
        const s = this.book.sharedStrings[parseInt(v, 10)];
        if (s === undefined) return damaged();
        return this.text(s, row, col);
      }
      case 'str':
        return this.text(v === undefined ? '' : unescapeOoxml(v), row, col);
      case 'inlineStr': {
        const is = INLINE.exec(body);
        return this.text(is ? stringItemText(is[1]!) : '', row, col);
      }
      case 'b':
        if (v === undefined) return undefined;
        return v === '1' || v === 'true' ? 'TRUE' : 'FALSE';
      case 'e':
        if (v === undefined) return undefined;
        return ERRORS.has(v) ? v : '#ERROR';
      case 'd':
        if (v === undefined) return undefined;
        return v.slice(0, 10);
      default: {
        if (v === undefined) return undefined;
        const n = parseFloat(v);
        const z = style !== undefined ? this.book.formats[Number(style)] : undefined;
        if (z && z !== 'General') {
          if (isDateFormat(z)) return serialToIso(n, this.book.date1904) ?? n;
          return new FormattedNumber(n, z);
        }
        return n;
      }
    }
  }

  private text(s: string, row: number, col: number): string {
    if (s.length > this.maxCellChars) this.cellTooLong(row, col);
    return s;
  }

  private cellTooLong(row: number, col: number | null): never {
    const where = col === null ? `A cell in row ${row}` : `Cell ${XLSX.utils.encode_cell({ r: row - 1, c: col })}`;
    return overLimit(`${where} of the sheet "${this.sheetName.slice(0, 80)}" is longer than ${this.maxCellChars.toLocaleString('en-US')} characters, which is more than can be imported.`);
  }
}

export interface StreamedWorkbook {
  source: StreamedSheet;
  sheetName: string;
  notes: string[];
}

/** Opens the first visible sheet with data (a hidden one only if no visible sheet has data). */
export function openXlsxStreamed(bytes: Uint8Array, entries: ZipEntry[], limits: ParseLimits, rowCap: number): StreamedWorkbook {
  checkZipLimits(bytes, entries, limits, false);
  const byName = new Map(entries.map((e) => [e.name, e]));
  const macros = entries.some((e) => /vbaProject\.bin$/i.test(e.name));
  // Parts read whole here were capped at their declared size as they were unzipped.
  const read = new Set<string>();
  const book = readBook(bytes, byName, limits, read);
  const order = book.sheets.map((_, i) => i).sort((a, b) => Number(book.sheets[a]!.hidden) - Number(book.sheets[b]!.hidden) || a - b);
  let picked: { sheet: StreamedSheet; index: number } | null = null;
  let withData = 0;
  for (const index of order) {
    const info = book.sheets[index]!;
    const entry = byName.get(info.path);
    if (!entry) continue;
    const message = `The sheet "${info.name.slice(0, 80)}" has more than ${limits.maxRows.toLocaleString('en-US')} rows of data, which is more than can be imported at once. Split it into smaller files.`;
    const sheet = new StreamedSheet(bytes, entry, book, info.name, limits.maxCellChars, rowCap, message);
    // A sheet other than the one read is only looked into as far as its first row with data.
    if (picked && (info.hidden || !sheet.hasData())) continue;
    if (!picked && !sheet.hasData()) continue;
    if (!info.hidden) withData++;
    picked ??= { sheet, index };
  }
  // The sheet read is capped as it streams; every other part is checked not to lie about its size.
  if (picked) read.add(book.sheets[picked.index]!.path);
  for (const e of entries) if (!read.has(e.name)) checkPartSize(bytes, e);
  if (!picked) return refuse('The file is empty: its sheets have no data.');
  const name = book.sheets[picked.index]!.name;
  const notes: string[] = [];
  if (macros) notes.push('The workbook has macros; they were not run (only the values it was saved with were read).');
  if (book.sheets[picked.index]!.hidden) notes.push(`Read the hidden sheet "${name}": no visible sheet has data.`);
  else if (picked.index > 0) notes.push(`Read the sheet "${name}", the first visible sheet with data.`);
  if (withData > 1) notes.push(`Only the sheet "${name}" was read; the workbook has ${withData} sheets with data.`);
  return { source: picked.sheet, sheetName: name, notes };
}
