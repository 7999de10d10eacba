/**
 * Statement/notification files as a third kind of the import parser: the same reader, limits and
 * worker as balance and bill files (columns in columns.ts STATEMENT_FIELDS). What is particular to
 * them is here: their smaller limits, and the row rules the column types do not cover.
 */
import type { ParseLimits } from './types';

/**
 * A statement file feeds one `statements.uploadFile` command: at most 50,000 rows, and its
 * contract caps the upload at 10 MB. 50,000 rows of a few columns are about 10 MB of sheet XML, so a
 * workbook may unpack to 50 MB (not the 200 MB of a File Transfers workbook): SheetJS needs about
 * ten times a sheet's XML in memory, and a sheet of millions of cells within that ratio is what a
 * cell bomb is. The compression-ratio, cell, time and memory limits are the parser's own.
 */
export const STATEMENT_LIMITS: Partial<ParseLimits> = Object.freeze({ maxFileBytes: 10_000_000, maxRows: 50_000, maxUncompressedBytes: 50_000_000 });

const LEVEL = /^\d{1,2}$/;

/**
 * Finishes a statement row the column types left as read: the amount due is not negative, and the
 * Level (text, optional) is a whole number from 1 to 9, or null when empty. Returns false after
 * reporting the problem through `problem(fieldKey, message)`.
 */
export function finishStatementRow(out: Record<string, unknown>, problem: (key: string, message: string) => void): boolean {
  if (typeof out.amountDueCents === 'number' && out.amountDueCents < 0) {
    problem('amountDueCents', 'The amount due cannot be negative.');
    return false;
  }
  const level = out.level;
  if (level === undefined) {
    out.level = null;
    return true;
  }
  const n = Number(level);
  if (!LEVEL.test(String(level)) || n < 1 || n > 9) {
    problem('level', `"${String(level)}" is not a dunning level (1 to 9).`);
    return false;
  }
  out.level = n;
  return true;
}
