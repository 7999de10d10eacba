/**
 * Turns the rows below the header into typed rows and row problems. One pass, constant work per
 * row (duplicates via a Map), so 1,000,000 rows cost what 1,000 do times a thousand.
 */
import { formatMoney } from '../../../shared/money';
import { FormattedNumber, isBlankRow, type Cell, type RowSource, type SheetRow } from './cells';
import { FIELDS, type FieldSpec, type HeaderMatch } from './columns';
import { finishStatementRow } from './statement-kind';
import { cellDate, cellEmail, cellMoney, cellText } from './values';
import { overLimit, type BalanceRow, type BillRow, type ParseKind, type ParseLimits, type ReadAs, type RowIssue, type SampleCell, type StatementRow } from './types';

/** The applyRows command accepts 100,000 issues; the rest are counted in a note. */
const MAX_ISSUES = 50_000;
/** The applyRows command accepts 50 notes of 500 characters. */
const MAX_NOTES = 40;
const PROGRESS_EVERY = 5_000;
/** Rows handed to a RowSink at a time: small enough to stream, big enough that messages are few. */
export const ROWS_PER_CHUNK = 5_000;

/** Receives the good rows in order, in chunks, instead of one array at the end (the worker streams them). */
export type RowSink = (rows: BalanceRow[] | BillRow[]) => void;

export interface BuiltRows {
  rows: BalanceRow[] | BillRow[] | StatementRow[];
  issues: RowIssue[];
  notes: string[];
  rowsRead: number;
  readAs: ReadAs;
  suggested: ReadAs;
  sample: SampleCell[];
}

/** "Total", "Totals", "Grand Total", "Subtotal", "Total:", "Totals (12 accounts)" but not "Total Fitness". */
const TOTAL_LABEL = /^(grand\s+|sub-?\s*)?totals?(?![a-z])(?!\s+[a-z])/i;

// long: one pass over the rows whose running state (totals, duplicates, issues, chunks) the row step shares; the cell reading is readCell
export function buildRows(
  kind: ParseKind,
  header: { row: number; match: HeaderMatch },
  pending: SheetRow[],
  source: RowSource,
  limits: ParseLimits,
  onProgress?: (rows: number) => void,
  wanted: Partial<ReadAs> = {},
  onRows?: RowSink,
): BuiltRows {
  const specs = FIELDS[kind].filter((f) => header.match.columns.has(f.key));
  const colOf = (key: string) => header.match.columns.get(key);
  const headerText = (f: FieldSpec) => clip(header.match.headers[colOf(f.key)!] || f.label, 200);
  const accountCol = colOf('accountNumber')!;
  // Each kind has one required money column: the one totals lines are checked against.
  const moneyKey = FIELDS[kind].find((f) => f.type === 'money' && f.required)!.key;
  const moneyCol = colOf(moneyKey)!;
  const requiredCols = FIELDS[kind].filter((f) => f.required).map((f) => colOf(f.key)!);
  const divisionCol = colOf('division');
  const requiredHeaders = requiredCols.map((c) => header.match.headers[c]!.toLowerCase());
  const specCols = specs.map((f) => colOf(f.key)!);
  // The first rows decide what the file suggests; the caller's explicit choice wins.
  for (let r = pending.length < SUGGEST_ROWS ? source.next() : null; r; r = pending.length < SUGGEST_ROWS ? source.next() : null) pending.push(r);
  const suggested = suggestReadAs(pending, specs.filter((f) => f.type === 'money').map((f) => colOf(f.key)!), specs.filter((f) => f.type === 'date').map((f) => colOf(f.key)!));
  const readAs: ReadAs = { decimalComma: wanted.decimalComma ?? suggested.decimalComma, dayFirst: wanted.dayFirst ?? suggested.dayFirst };
  const sample: SampleCell[] = [];
  const repeatedHeaders: number[] = [];

  const issues: RowIssue[] = [];
  let droppedIssues = 0;
  const addIssue = (i: RowIssue) => {
    if (issues.length < MAX_ISSUES) issues.push(i);
    else droppedIssues++;
  };
  const notes: string[] = [];
  const totalsNotes: string[] = [];
  const footerRows: number[] = [];
  const rows: Record<string, unknown>[] = [];
  const firstRowOf = new Map<string, number>();
  let sumCents = 0;
  let rowsRead = 0;
  let dataRows = 0;
  let afterTotals = false;

  const invoiceDateMissing = kind === 'bill' && !header.match.columns.has('invoiceDate');
  if (invoiceDateMissing) {
    addIssue({ row: header.row, severity: 'warning', message: 'The file has no "Invoice Date" column; each invoice is dated on its due date.' });
  }

  const take = (r: SheetRow) => {
    const cells = r.cells;
    if (++dataRows > limits.maxRows) {
      overLimit(`The file has more than ${limits.maxRows.toLocaleString('en-US')} rows of data, which is more than can be imported at once. Split it into smaller files.`);
    }
    if (onProgress && dataRows % PROGRESS_EVERY === 0) onProgress(dataRows);
    if (isBlankRow(cells)) return;
    // Report exports repeat the headings on every page.
    if (requiredCols.every((c, i) => cellText(cells[c]).toLowerCase() === requiredHeaders[i])) {
      repeatedHeaders.push(r.row);
      return;
    }

    // A totals line exported under the data: skipped with a note, not an error.
    const total = totalsLine(cells, accountCol, moneyCol, requiredCols, sumCents, rowsRead, readAs.decimalComma);
    if (total) {
      afterTotals = true;
      const stated = total.cents === null ? '' : ` (${formatMoney(total.cents)})`;
      const mismatch = total.cents !== null && total.cents !== sumCents ? ` It does not match the rows above, which add up to ${formatMoney(sumCents)}.` : '';
      totalsNotes.push(`Row ${r.row} is a totals line${stated} and was skipped.${mismatch}`);
      return;
    }
    // Text under a totals line ("Printed 3/1/2026") is a footer when it has no amount.
    if (afterTotals && cellText(cells[moneyCol]) === '') {
      footerRows.push(r.row);
      return;
    }
    rowsRead++;

    const out: Record<string, unknown> = { row: r.row };
    let bad = false;
    for (let k = 0; k < specs.length; k++) {
      const f = specs[k]!;
      const cell: Cell = cells[specCols[k]!];
      const text = f.type === 'text' || f.type === 'email' ? cellText(cell) : null;
      const empty = text !== null ? text === '' : cellText(cell) === '';
      if (empty) {
        if (f.key === 'invoiceDate') continue; // defaulted below, with a warning
        if (f.required) {
          bad = true;
          addIssue({ row: r.row, column: headerText(f), severity: 'error', message: `${f.label} is missing.` });
        }
        continue;
      }
      const { value, problem, shown } = readCell(f, cell, text, readAs, source.date1904, sample.length < SAMPLE_CELLS);
      if (shown !== undefined) sample.push({ row: r.row, column: headerText(f), written: writtenText(cell), read: shown });
      if (problem) {
        bad = true;
        addIssue({ row: r.row, column: headerText(f), severity: 'error', message: problem });
      } else out[f.key] = value;
    }

    if (kind === 'balance') {
      // The second occurrence is the error; keyed per division when the file has a Division column.
      const account = cellText(cells[accountCol]);
      if (account) {
        const key = divisionCol === undefined ? account : `${cellText(cells[divisionCol]).toLowerCase()}\u0000${account}`;
        const first = firstRowOf.get(key);
        if (first === undefined) firstRowOf.set(key, r.row);
        else {
          bad = true;
          addIssue({ row: r.row, column: clip(header.match.headers[accountCol]!, 200), severity: 'error', message: `Account ${clip(account, 40)} appears more than once in the file (first on row ${first}).` });
        }
      }
    } else if (kind === 'statement') {
      if (!bad) bad = !finishStatementRow(out, (key, message) => addIssue({ row: r.row, column: headerText(FIELDS.statement.find((f) => f.key === key)!), severity: 'error', message }));
    } else if (!bad) {
      if (out.invoiceDate === undefined) {
        out.invoiceDate = out.dueDate;
        if (!invoiceDateMissing) addIssue({ row: r.row, column: headerText(FIELDS.bill.find((f) => f.key === 'invoiceDate')!), severity: 'warning', message: 'Invoice Date is empty; the due date is used.' });
      }
      out.category ??= '';
      out.description ??= '';
    }
    if (typeof out[moneyKey] === 'number') sumCents += out[moneyKey] as number;
    if (!bad) {
      rows.push(out);
      if (onRows && rows.length === ROWS_PER_CHUNK) onRows(rows.splice(0) as unknown as BalanceRow[] | BillRow[]);
    }
  };

  for (const r of pending) take(r);
  for (let r = source.next(); r; r = source.next()) take(r);
  if (onProgress && dataRows % PROGRESS_EVERY !== 0) onProgress(dataRows);

  if (rowsRead === 0) throw new HeaderOnly();
  if (onRows && rows.length > 0) onRows(rows.splice(0) as unknown as BalanceRow[] | BillRow[]);
  if (repeatedHeaders.length) notes.push(`${repeatedHeaders.length === 1 ? 'Row' : 'Rows'} ${listRows(repeatedHeaders)} ${repeatedHeaders.length === 1 ? 'repeats' : 'repeat'} the column headings and ${repeatedHeaders.length === 1 ? 'was' : 'were'} skipped.`);
  notes.push(...totalsNotes.slice(0, 5));
  if (totalsNotes.length > 5) notes.push(`${totalsNotes.length - 5} more totals lines were skipped.`);
  if (footerRows.length) notes.push(`${footerRows.length === 1 ? 'Row' : 'Rows'} ${listRows(footerRows)} below the totals line had no amount and ${footerRows.length === 1 ? 'was' : 'were'} skipped.`);
  if (droppedIssues) notes.push(`${droppedIssues.toLocaleString('en-US')} more row problems were found but are not listed.`);
  return { rows: rows as unknown as BuiltRows['rows'], issues, notes: notes.slice(0, MAX_NOTES).map((n) => clip(n, 500)), rowsRead, readAs, suggested, sample };
}

/**
 * One non-empty cell read as its field's type: the value, or the problem naming why not; `shown` is
 * how a money or date cell was read, for the preview's sample, given only while `showing` (the
 * sample holds a dozen cells, a file up to a million: amounts are formatted for those alone).
 */
function readCell(f: FieldSpec, cell: Cell, text: string | null, readAs: ReadAs, date1904: boolean, showing: boolean): { value?: unknown; problem: string | null; shown?: string } {
  switch (f.type) {
    case 'text':
      return text!.length > f.maxLength! ? { problem: `${f.label} is ${text!.length} characters long; at most ${f.maxLength} are allowed.` } : { value: text, problem: null };
    case 'email': {
      const e = cellEmail(cell);
      return e.ok ? { value: e.value, problem: null } : { problem: e.message };
    }
    case 'money': {
      const m = cellMoney(cell, readAs.decimalComma);
      if (!showing) return m.ok ? { value: m.value, problem: null } : { problem: m.message };
      return m.ok ? { value: m.value, problem: null, shown: formatMoney(m.value) } : { problem: m.message, shown: 'not read' };
    }
    case 'date': {
      const d = cellDate(cell, date1904, readAs.dayFirst);
      if (!showing) return d.ok ? { value: d.value, problem: null } : { problem: d.message };
      return d.ok ? { value: d.value, problem: null, shown: d.value } : { problem: d.message, shown: 'not read' };
    }
  }
}

/** Rows looked at to suggest a reading, and money/date cells shown in the preview. */
const SUGGEST_ROWS = 200;
const SAMPLE_CELLS = 12;

const writtenText = (c: Cell) => clip(c instanceof FormattedNumber ? String(c.value) : typeof c === 'number' ? String(c) : cellText(c), 60);

/**
 * What the file's text suggests: amounts ending in ",dd" (and none in ".dd") are decimal-comma;
 * a date whose first part is over 12 (and none whose second part is) is day-first.
 */
export function suggestReadAs(rows: SheetRow[], moneyCols: number[], dateCols: number[]): ReadAs {
  let commaDecimal = 0;
  let dotDecimal = 0;
  let dayFirst = 0;
  let monthFirst = 0;
  for (const r of rows) {
    for (const c of moneyCols) {
      const v = r.cells[c];
      if (typeof v !== 'string') continue;
      const t = v.trim().replace(/[)\s]+$/, '');
      if (/,\d{1,2}$/.test(t) || /\.\d{3},/.test(t)) commaDecimal++;
      else if (/\.\d{1,2}$/.test(t) || /,\d{3}\./.test(t)) dotDecimal++;
    }
    for (const c of dateCols) {
      const v = r.cells[c];
      if (typeof v !== 'string') continue;
      const m = /^(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}/.exec(v.trim());
      if (!m) continue;
      if (Number(m[1]) > 12) dayFirst++;
      else if (Number(m[2]) > 12) monthFirst++;
      // 31.01.2026 with dots is a day-first habit even when the day is 12 or less.
      else if (v.includes('.')) dayFirst++;
    }
  }
  return { decimalComma: commaDecimal > 0 && dotDecimal === 0, dayFirst: dayFirst > 0 && monthFirst === 0 };
}

/** Raised when nothing but blank or totals lines follow the header; the caller words it. */
export class HeaderOnly extends Error {}

function totalsLine(cells: Cell[], accountCol: number, moneyCol: number, requiredCols: number[], sumCents: number, rowsAbove: number, decimalComma: boolean): { cents: number | null } | null {
  const account = cellText(cells[accountCol]);
  let label = '';
  for (let i = 0; i < cells.length && !label; i++) label = cellText(cells[i]);
  const labelled = TOTAL_LABEL.test(label) && (account === '' || account === label);
  // Only a line that may be a totals line has its amount read here (an ordinary row's is read once, by readCell).
  if (!labelled && (account !== '' || rowsAbove === 0)) return null;
  const money = cellMoney(cells[moneyCol], decimalComma);
  const cents = money.ok ? money.value : null;
  if (labelled) return { cents };
  // No label: an amount with every other required cell empty, equal to the sum of the rows above.
  if (cents !== null && cents === sumCents) {
    if (requiredCols.every((c) => c === moneyCol || cellText(cells[c]) === '')) return { cents };
  }
  return null;
}

/** "4, 9 and 12" (first ten, then "and 3 more"). */
function listRows(rows: number[]): string {
  const shown = rows.slice(0, 10).map(String);
  if (rows.length > 10) return `${shown.join(', ')} and ${rows.length - 10} more`;
  return shown.length === 1 ? shown[0]! : `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
}

export function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 3)}...` : s;
}
