/**
 * Cell -> value conversions for the import columns. Each returns a value or a message that names
 * what was found, so a person can find the cell.
 */
import * as XLSX from 'xlsx';
import { parseMoney } from '../../../shared/money';
import { FormattedNumber, type Cell } from './cells';

export type Converted<T> = { ok: true; value: T } | { ok: false; message: string };

/** Quoted, shortened cell text for messages. */
export function shown(c: Cell): string {
  const s = c instanceof FormattedNumber ? String(c.value) : String(c ?? '');
  return `"${s.length > 60 ? `${s.slice(0, 57)}...` : s}"`;
}

/**
 * Text of a cell, trimmed. Whole numbers keep a digits-only custom format ("000123"), since account
 * and invoice numbers typed into Excel are often numbers formatted with leading zeros.
 */
export function cellText(c: Cell): string {
  if (c === null || c === undefined) return '';
  if (typeof c === 'string') return c.trim();
  if (typeof c === 'number') return numberText(c);
  if (typeof c === 'boolean') return c ? 'TRUE' : 'FALSE';
  if (Number.isInteger(c.value)) {
    try {
      const f = XLSX.SSF.format(c.format, c.value);
      if (/^\d+$/.test(f)) return f;
    } catch {
      // An unreadable format: fall back to the plain number.
    }
  }
  return numberText(c.value);
}

function numberText(n: number): string {
  // Avoid "1e+21"-style text for large whole numbers typed as account numbers.
  return Number.isInteger(n) && Math.abs(n) < 1e21 ? n.toFixed(0) : String(n);
}

/**
 * A number cell holds a binary double. Spreadsheets keep 15 significant digits, so the double is
 * read back at 15 digits (0.1+0.2 = 0.30000000000000004 is "0.3") and that decimal text must be a
 * whole number of cents, exactly, at every magnitude (12,345.675 is refused, not rounded).
 */
export function numberCellMoney(n: number): ReturnType<typeof parseMoney> {
  if (!Number.isFinite(n)) return parseMoney('x');
  if (n === 0) return { ok: true, cents: 0 };
  if (Math.abs(n) >= 1e15) return { ok: false, reason: 'too_large', message: 'too large' };
  // Below a millionth toPrecision switches to exponent form; such values are never whole cents.
  if (Math.abs(n) < 1e-6) return { ok: false, reason: 'too_many_decimals', message: 'not whole cents' };
  return parseMoney(n.toPrecision(15));
}

/** "1.234,56" -> "1,234.56": the reading a decimal-comma file was uploaded with. */
export function swapDecimalComma(s: string): string {
  return s.replace(/[.,]/g, (ch) => (ch === '.' ? ',' : '.'));
}

export function cellMoney(c: Cell, decimalComma = false): Converted<number> {
  const num = c instanceof FormattedNumber ? c.value : typeof c === 'number' ? c : null;
  let m;
  if (num !== null) m = numberCellMoney(num);
  else {
    const text = cellText(c);
    // A space or no-break space as thousands separator is common with decimal commas.
    m = parseMoney(decimalComma ? swapDecimalComma(text.replace(/(?<=\d)[\s\u00a0\u202f](?=\d{3}\b)/g, '')) : text);
  }
  if (m.ok) return { ok: true, value: m.cents };
  switch (m.reason) {
    case 'too_many_decimals':
      return { ok: false, message: `${shown(c)} has more than two decimal places.` };
    case 'too_large':
      return { ok: false, message: `${shown(c)} is more than $1,000,000,000.00.` };
    default:
      return { ok: false, message: decimalComma ? `${shown(c)} is not an amount of money (for example 1.234,56).` : `${shown(c)} is not an amount of money (for example 1234.56).` };
  }
}

const DAY_MS = 86_400_000;
/** Day 0 of Excel's 1900 system is 1899-12-31, but it counts a 29 Feb 1900 that never was. */
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);

/** Spreadsheet serial day number -> 'YYYY-MM-DD' (time of day dropped); null if out of range. */
export function serialToIso(serial: number, date1904: boolean): string | null {
  if (!Number.isFinite(serial)) return null;
  const day = Math.floor(serial);
  if (date1904) {
    if (day < 0 || day > 2_957_003) return null;
    return isoFromUtc(EPOCH_1904 + day * DAY_MS);
  }
  if (day < 1 || day > 2_958_465 || day === 60) return null;
  return isoFromUtc(EPOCH_1900 + (day < 60 ? day + 1 : day) * DAY_MS);
}

function isoFromUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function isoFrom(y: number, m: number, d: number): string | null {
  if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1) return null;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = m === 2 ? (leap ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  if (d > days) return null;
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

const TIME = String.raw`(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp][Mm])?Z?)?`;
const ISO = new RegExp(String.raw`^(\d{4})[-/](\d{1,2})[-/](\d{1,2})${TIME}$`);
const US = new RegExp(String.raw`^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})${TIME}$`);
/** Day-first files also write 31.01.2026 and 31-01-2026. */
const DAY_FIRST = new RegExp(String.raw`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})${TIME}$`);

/**
 * Accepts 2026-03-01, 3/1/2026, 03/01/26 (years 00-29 are 20xx, 30-99 19xx, as Excel reads them)
 * and spreadsheet serial numbers, including a 5-digit serial written as text by some exports.
 */
export function cellDate(c: Cell, date1904: boolean, dayFirst = false): Converted<string> {
  const serial = c instanceof FormattedNumber ? c.value : typeof c === 'number' ? c : null;
  if (serial !== null) {
    const iso = serialToIso(serial, date1904);
    return iso ? { ok: true, value: iso } : { ok: false, message: `${shown(c)} is not a date.` };
  }
  const s = cellText(c);
  let m = ISO.exec(s);
  let parts: [number, number, number] | null = null;
  if (m) parts = [Number(m[1]), Number(m[2]), Number(m[3])];
  else if ((m = (dayFirst ? DAY_FIRST : US).exec(s))) {
    let y = Number(m[3]);
    if (m[3]!.length === 2) y += y < 30 ? 2000 : 1900;
    parts = dayFirst ? [y, Number(m[2]), Number(m[1])] : [y, Number(m[1]), Number(m[2])];
  } else if (/^\d{5}$/.test(s)) {
    const iso = serialToIso(Number(s), date1904);
    if (iso) return { ok: true, value: iso };
  }
  if (!parts) return { ok: false, message: `${shown(c)} is not a date; use YYYY-MM-DD or ${dayFirst ? 'D/M/YYYY' : 'M/D/YYYY'}.` };
  const iso = isoFrom(...parts);
  return iso ? { ok: true, value: iso } : { ok: false, message: `${shown(c)} is not a real calendar date.` };
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]{2,}$/;

export function cellEmail(c: Cell): Converted<string> {
  const s = cellText(c);
  if (s.length <= 254 && EMAIL.test(s) && !s.includes('..')) return { ok: true, value: s };
  return { ok: false, message: `${shown(c)} is not a valid email address.` };
}
