/**
 * What the readers hand to the row builder: rows as arrays (never objects keyed by header text, so a
 * header like "__proto__" is just a string in an array).
 */

/** A number cell with a custom format such as "000000", kept so account numbers keep their zeros. */
export class FormattedNumber {
  constructor(
    readonly value: number,
    readonly format: string,
  ) {}
}

/** Text from CSV or text cells; numbers from workbook cells; dates already as 'YYYY-MM-DD'. */
export type Cell = string | number | boolean | FormattedNumber | null | undefined;

export interface SheetRow {
  /** 1-based row number as shown by a spreadsheet program. */
  row: number;
  cells: Cell[];
}

/** Pull-style reader: the row builder stops early on a limit without reading the rest. */
export interface RowSource {
  next(): SheetRow | null;
  /** Whether numbers in date columns count from 1904 (old Mac Excel). */
  readonly date1904: boolean;
}

export function isBlankCell(c: Cell): boolean {
  return c === null || c === undefined || (typeof c === 'string' && c.trim() === '');
}

export function isBlankRow(cells: Cell[]): boolean {
  for (let i = 0; i < cells.length; i++) if (!isBlankCell(cells[i])) return false;
  return true;
}
