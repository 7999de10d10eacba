/**
 * A small RFC 4180 reader over an already-decoded string. Hand-written rather than Papa Parse so it
 * can (a) number records the way a spreadsheet shows them (blank lines count, a quoted multi-line
 * cell is one row), (b) stop at the cell-size limit while reading, and (c) be pulled row by row.
 * Cells are always text: nothing that looks like a formula is ever evaluated.
 */
import type { RowSource, SheetRow } from './cells';
import { overLimit, refuse } from './types';

const QUOTE = 34;
const LF = 10;
const CR = 13;

export const DELIMITERS = [',', ';', '\t'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

export class CsvReader implements RowSource {
  readonly date1904 = false;
  private pos = 0;
  private rowNumber = 0;
  private readonly delim: number;

  constructor(
    private readonly text: string,
    delimiter: Delimiter,
    private readonly maxCellChars: number,
    /** For delimiter sniffing on a cut-off sample: stop quietly instead of refusing. */
    private readonly lenient = false,
  ) {
    this.delim = delimiter.charCodeAt(0);
  }

  next(): SheetRow | null {
    const s = this.text;
    const n = s.length;
    if (this.pos >= n) return null;
    const row = ++this.rowNumber;
    const cells: string[] = [];
    let i = this.pos;
    for (;;) {
      let cell: string;
      if (s.charCodeAt(i) === QUOTE) {
        cell = '';
        let from = i + 1;
        for (;;) {
          const q = s.indexOf('"', from);
          if (q < 0) {
            if (this.lenient) {
              this.pos = n;
              return null;
            }
            return refuse(`Row ${row} has a quotation mark (") that is never closed, so the rest of the file cannot be read. Check the file in a text editor or save it again from your spreadsheet program.`);
          }
          if (s.charCodeAt(q + 1) === QUOTE) {
            cell += s.slice(from, q + 1);
            from = q + 2;
          } else {
            cell += s.slice(from, q);
            i = q + 1;
            break;
          }
          if (cell.length > this.maxCellChars) break;
        }
        // Stray text after the closing quote ("abc"def) is kept, as spreadsheet programs do.
        if (i < n && s.charCodeAt(i) !== this.delim && s.charCodeAt(i) !== LF && s.charCodeAt(i) !== CR) {
          const j = this.scan(i);
          cell += s.slice(i, j);
          i = j;
        }
      } else {
        const j = this.scan(i);
        cell = s.slice(i, j);
        i = j;
      }
      if (cell.length > this.maxCellChars) {
        if (this.lenient) {
          this.pos = n;
          return null;
        }
        return overLimit(`Row ${row}, column ${cells.length + 1} has a cell longer than ${this.maxCellChars.toLocaleString('en-US')} characters, which is more than a spreadsheet cell can hold.`);
      }
      cells.push(cell);
      if (i >= n) {
        this.pos = n;
        return { row, cells };
      }
      const c = s.charCodeAt(i);
      if (c === this.delim) {
        i++;
        if (i >= n) {
          cells.push('');
          this.pos = n;
          return { row, cells };
        }
        continue;
      }
      // End of record: \r\n, \n or a lone \r (old Mac files).
      i += c === CR && s.charCodeAt(i + 1) === LF ? 2 : 1;
      this.pos = i;
      return { row, cells };
    }
  }

  /** Index of the next delimiter or line break at or after `i`. */
  private scan(i: number): number {
    const s = this.text;
    const n = s.length;
    const d = this.delim;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === d || c === LF || c === CR) return i;
      i++;
    }
    return n;
  }
}

/**
 * Orders the delimiters by how consistently they split the first lines: the one giving the same
 * number (>1) of cells on the most lines comes first. The caller then takes the first one under
 * which a header row is found, so a stray semicolon in a name cannot win over commas.
 */
export function rankDelimiters(text: string): Delimiter[] {
  const sample = text.length > 65_536 ? text.slice(0, 65_536) : text;
  const scored = DELIMITERS.map((d, order) => {
    const reader = new CsvReader(sample, d, Number.MAX_SAFE_INTEGER, true);
    const counts = new Map<number, number>();
    let lines = 0;
    for (let r = reader.next(); r && lines < 40; r = reader.next()) {
      if (r.cells.length === 1 && r.cells[0] === '') continue;
      lines++;
      counts.set(r.cells.length, (counts.get(r.cells.length) ?? 0) + 1);
    }
    let best = 0;
    let width = 1;
    for (const [w, c] of counts) if (w > 1 && (c > best || (c === best && w > width))) [best, width] = [c, w];
    return { d, best, width, order };
  });
  scored.sort((a, b) => b.best - a.best || b.width - a.width || a.order - b.order);
  return scored.map((s) => s.d);
}
