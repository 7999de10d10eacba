import Papa from 'papaparse';
import * as XLSX from 'xlsx';
import type { StatementFileRowDTO } from '../../shared/contract/notifications';
import { isIsoDate } from '../../shared/dates';
import { parseMoney } from '../../shared/money';

/**
 * Reads a statement/notification file (CSV or XLSX): Account Number, Amount Due, Due Date and an
 * optional Level. Every bad cell is reported with its row, column and reason; good rows are kept.
 */
export const FILE_LIMITS = { maxBytes: 10 * 1024 * 1024, maxRows: 50_000, maxUncompressedBytes: 200 * 1024 * 1024, maxCellChars: 1000 };

export interface ParsedStatementFile {
  rows: StatementFileRowDTO[];
  issues: { row: number; column?: string; message: string }[];
}

const COLUMNS = {
  accountNumber: ['account number', 'account', 'account no', 'account #', 'acct', 'account_number'],
  amountDue: ['amount due', 'amount', 'balance', 'balance due', 'amount_due'],
  dueDate: ['due date', 'due', 'due_date'],
  level: ['level', 'dunning level', 'notification level'],
} as const;
type Col = keyof typeof COLUMNS;
const LABEL: Record<Col, string> = { accountNumber: 'Account Number', amountDue: 'Amount Due', dueDate: 'Due Date', level: 'Level' };

const norm = (s: unknown) => String(s ?? '').trim().toLowerCase().replace(/[\s_]+/g, ' ');

/** Sums the uncompressed sizes in a zip's central directory, refusing zip bombs before inflating. */
function zipUncompressedBytes(b: Buffer): number {
  const min = Math.max(0, b.length - 65_557);
  for (let i = b.length - 22; i >= min; i--) {
    if (b.readUInt32LE(i) !== 0x06054b50) continue;
    const count = b.readUInt16LE(i + 10);
    let p = b.readUInt32LE(i + 16);
    let total = 0;
    for (let n = 0; n < count && p + 46 <= b.length; n++) {
      if (b.readUInt32LE(p) !== 0x02014b50) break;
      total += b.readUInt32LE(p + 24);
      p += 46 + b.readUInt16LE(p + 28) + b.readUInt16LE(p + 30) + b.readUInt16LE(p + 32);
    }
    return total;
  }
  throw new Error('not a zip');
}

function toIsoDate(v: unknown): string | null {
  if (v instanceof Date && !Number.isNaN(v.getTime())) {
    // xlsx gives local-midnight dates; read the calendar day back the same way.
    /* eslint-disable no-restricted-syntax -- SheetJS builds these Dates in the process's zone */
    const y = v.getFullYear();
    return `${y}-${String(v.getMonth() + 1).padStart(2, '0')}-${String(v.getDate()).padStart(2, '0')}`;
    /* eslint-enable no-restricted-syntax */
  }
  const s = String(v ?? '').trim();
  if (isIsoDate(s)) return s;
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
  if (m) {
    const iso = `${m[3]}-${m[1]!.padStart(2, '0')}-${m[2]!.padStart(2, '0')}`;
    if (isIsoDate(iso)) return iso;
  }
  return null;
}

function readTable(fileName: string, bytes: Buffer): unknown[][] {
  const isZip = bytes.length > 4 && bytes.readUInt32LE(0) === 0x04034b50;
  if (isZip || /\.xlsx?$/i.test(fileName)) {
    if (!isZip) throw new Error('This is not an XLSX workbook. Save it as .xlsx or .csv.');
    if (zipUncompressedBytes(bytes) > FILE_LIMITS.maxUncompressedBytes) throw new Error('The workbook expands to more than 200 MB; it was refused.');
    const wb = XLSX.read(bytes, { type: 'buffer', cellDates: true, sheetRows: FILE_LIMITS.maxRows + 2, dense: true });
    const sheet = wb.Sheets[wb.SheetNames[0]!];
    if (!sheet) return [];
    return XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1, raw: true, defval: '', blankrows: false });
  }
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('\u0000')) throw new Error('This is not a text (CSV) file.');
  const r = Papa.parse<string[]>(text, { skipEmptyLines: 'greedy', preview: FILE_LIMITS.maxRows + 2 });
  return r.data;
}

export function parseStatementFile(fileName: string, bytes: Buffer): ParsedStatementFile {
  if (bytes.length > FILE_LIMITS.maxBytes) throw new Error('The file is larger than 10 MB.');
  const table = readTable(fileName, bytes);
  if (table.length === 0) throw new Error('The file is empty.');
  const head = table[0]!.map(norm);
  const at: Partial<Record<Col, number>> = {};
  for (const col of Object.keys(COLUMNS) as Col[]) {
    const i = head.findIndex((h) => (COLUMNS[col] as readonly string[]).includes(h));
    if (i >= 0) at[col] = i;
  }
  const missing = (['accountNumber', 'amountDue', 'dueDate'] as Col[]).filter((c) => at[c] === undefined);
  if (missing.length > 0) throw new Error(`The file has no ${missing.map((m) => LABEL[m]).join(', ')} column. The first row must name the columns: Account Number, Amount Due, Due Date, Level (optional).`);
  if (table.length - 1 > FILE_LIMITS.maxRows) throw new Error(`The file has more than ${FILE_LIMITS.maxRows.toLocaleString()} rows.`);
  const out: ParsedStatementFile = { rows: [], issues: [] };
  for (let r = 1; r < table.length; r++) {
    const row = r + 1;
    const cells = table[r]!;
    const get = (c: Col) => (at[c] === undefined ? '' : cells[at[c]!]);
    const bad = (c: Col, message: string) => out.issues.push({ row, column: LABEL[c], message });
    const tooLong = (Object.keys(at) as Col[]).find((c) => String(get(c) ?? '').length > FILE_LIMITS.maxCellChars);
    if (tooLong) {
      bad(tooLong, `The cell is longer than ${FILE_LIMITS.maxCellChars} characters.`);
      continue;
    }
    const accountNumber = String(get('accountNumber') ?? '').trim();
    if (!accountNumber) {
      bad('accountNumber', 'The account number is empty.');
      continue;
    }
    if (accountNumber.length > 40) {
      bad('accountNumber', 'Account numbers have at most 40 characters.');
      continue;
    }
    const rawAmount = get('amountDue');
    const money = parseMoney(typeof rawAmount === 'number' ? rawAmount : String(rawAmount ?? ''));
    if (!money.ok) {
      bad('amountDue', `"${String(rawAmount)}": ${money.message}`);
      continue;
    }
    if (money.cents < 0) {
      bad('amountDue', 'The amount due cannot be negative.');
      continue;
    }
    const dueDate = toIsoDate(get('dueDate'));
    if (!dueDate) {
      bad('dueDate', `"${String(get('dueDate') ?? '')}" is not a date (use YYYY-MM-DD or MM/DD/YYYY).`);
      continue;
    }
    let level: number | null = null;
    const rawLevel = String(get('level') ?? '').trim();
    if (rawLevel) {
      const n = Number(rawLevel);
      if (!Number.isInteger(n) || n < 1 || n > 9) {
        bad('level', `"${rawLevel}" is not a dunning level (1 to 9).`);
        continue;
      }
      level = n;
    }
    out.rows.push({ row, accountNumber, amountDueCents: money.cents, dueDate, level });
  }
  return out;
}
