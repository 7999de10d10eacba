/**
 * One CSV cell for files we write (exports, upload results). Text a spreadsheet would run as a
 * formula (starting with = + - @, tab or carriage return) gets a leading single quote so it shows as
 * text ("CSV injection"); then the cell is quoted when it holds the delimiter, a quote or a line break.
 * Plain numbers such as "-12.50" are left alone: they are not formulas, and a quote would turn a
 * negative amount into text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

export function escapeCsvCell(value: string | number | boolean | null | undefined, delimiter = ','): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let s = value;
  if (FORMULA_START.test(s) && !PLAIN_NUMBER.test(s)) s = `'${s}`;
  if (s.includes(delimiter) || s.includes('"') || s.includes('\n') || s.includes('\r')) s = `"${s.replace(/"/g, '""')}"`;
  return s;
}

/** A whole CSV line from cells. */
export function csvLine(cells: readonly (string | number | boolean | null | undefined)[], delimiter = ','): string {
  return cells.map((c) => escapeCsvCell(c, delimiter)).join(delimiter);
}
