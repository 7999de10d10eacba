/** Public shapes of the file parser. Plain data only: outcomes cross a worker boundary by structured clone. */
import type { ImportKind } from '../../../shared/contract/imports';

export type { ImportKind };

/** What the parser reads: the two File Transfers kinds, and statement/notification files (statement-kind.ts). */
export type ParseKind = ImportKind | 'statement';

export type FileFormat = 'csv' | 'xlsx' | 'xlsm' | 'xlsb' | 'xls' | 'ods';

/** How text cells are read: explicit choices on the upload, pre-selected from what the file suggests. */
export interface ReadAs {
  /** "1.234,56" is one thousand two hundred thirty-four and 56 cents. */
  decimalComma: boolean;
  /** "31/01/2026" (and 31.01.2026) is day/month/year. */
  dayFirst: boolean;
}

/** One money or date cell of the first rows: as written, and as it was read. */
export interface SampleCell {
  row: number;
  column: string;
  written: string;
  read: string;
}

export interface ParseLimits {
  /** Size of the file as uploaded. */
  maxFileBytes: number;
  /** Sum of the sizes a zipped workbook (.xlsx/.ods) declares for its parts once unzipped. */
  maxUncompressedBytes: number;
  /** Unzipped/zipped ratio allowed for any part bigger than 1 MB (real workbooks stay far below). */
  maxCompressionRatio: number;
  /** Characters in one cell (Excel's own limit is 32,767). */
  maxCellChars: number;
  /** Rows below the header row. */
  maxRows: number;
  /** Wall-clock limit for the isolated (worker) parse. */
  timeoutMs: number;
  /** V8 old-generation heap for the worker. */
  maxMemoryMb: number;
}

export const DEFAULT_LIMITS: ParseLimits = Object.freeze({
  maxFileBytes: 50_000_000,
  maxUncompressedBytes: 200_000_000,
  maxCompressionRatio: 200,
  maxCellChars: 32_767,
  maxRows: 1_000_000,
  timeoutMs: 60_000,
  maxMemoryMb: 512,
});

export interface RowIssue {
  /** 1-based row number as the user sees it in the sheet or file. */
  row: number;
  /** Header text as written in the file. */
  column?: string;
  severity: 'error' | 'warning';
  message: string;
}

export interface BalanceRow {
  row: number;
  accountNumber: string;
  balanceCents: number;
  name?: string;
  email?: string;
  dueDate?: string;
  userId?: string;
  division?: string;
}

export interface BillRow {
  row: number;
  accountNumber: string;
  invoiceNumber: string;
  invoiceDate: string;
  dueDate: string;
  category: string;
  description: string;
  amountCents: number;
  division?: string;
  name?: string;
  email?: string;
}

interface ParsedFile {
  ok: true;
  format: FileFormat;
  /** Non-blank rows below the header, totals lines excluded; rejected rows included. */
  rowsRead: number;
  /** Problems with single rows; rows with an error are left out of `rows`. */
  issues: RowIssue[];
  /** The header row's cells, as written. */
  headers: string[];
  /** Things a person should know that are not problems (sheet chosen, totals skipped, encoding). */
  notes: string[];
  /** The reading used, and the one the file's own text suggests. */
  readAs: ReadAs;
  suggested: ReadAs;
  /** How the money and date cells of the first rows were read. */
  sample: SampleCell[];
}

export interface ParsedBalanceFile extends ParsedFile {
  kind: 'balance';
  rows: BalanceRow[];
}

export interface ParsedBillFile extends ParsedFile {
  kind: 'bill';
  rows: BillRow[];
}

/** A row of a statement/notification file: what the payer owes, by when, and at which dunning level. */
export interface StatementRow {
  row: number;
  accountNumber: string;
  amountDueCents: number;
  dueDate: string;
  level: number | null;
}

export interface ParsedStatementFile extends ParsedFile {
  kind: 'statement';
  rows: StatementRow[];
}

/**
 * The whole file was refused. VALIDATION: not a usable file; LIMIT: a size, row, memory or time limit;
 * CONFLICT: cancelled by the caller (`cancelled: true`); INTERNAL: the reader itself failed.
 */
export interface ParseFailure {
  ok: false;
  code: 'VALIDATION' | 'LIMIT' | 'CONFLICT' | 'INTERNAL';
  message: string;
  cancelled?: true;
}

type ParsedOf<K extends ParseKind> = K extends 'balance' ? ParsedBalanceFile : K extends 'statement' ? ParsedStatementFile : ParsedBillFile;

/** `ParseOutcome<'balance'>` narrows rows to BalanceRow[]; plain `ParseOutcome` is either import kind. */
export type ParseOutcome<K extends ParseKind = ImportKind> = ParsedOf<K> | ParseFailure;

export function resolveLimits(partial?: Partial<ParseLimits>): ParseLimits {
  const out: ParseLimits = { ...DEFAULT_LIMITS };
  if (partial) {
    for (const k of Object.keys(DEFAULT_LIMITS) as (keyof ParseLimits)[]) {
      const v = partial[k];
      if (typeof v === 'number' && Number.isFinite(v) && v > 0) out[k] = v;
    }
  }
  return out;
}

/** Thrown inside the parser to refuse the whole file; turned into a ParseFailure at the entry point. */
export class FileRefused extends Error {
  constructor(
    readonly code: ParseFailure['code'],
    message: string,
  ) {
    super(message);
    this.name = 'FileRefused';
  }
}

/** 290 bytes, 12 KB, 1.5 MB: sizes as people read them. */
export function sizeText(n: number): string {
  if (n < 1000) return `${n} bytes`;
  if (n < 1_000_000) return `${Math.round(n / 1000).toLocaleString('en-US')} KB`;
  return `${(n / 1_000_000).toLocaleString('en-US', { maximumFractionDigits: 1 })} MB`;
}

export function fileTooBigMessage(bytes: number, limit: number): string {
  return `The file is ${sizeText(bytes)}; files up to ${sizeText(limit)} can be imported.`;
}

export function memoryLimitMessage(maxMemoryMb: number): string {
  return `The file needs more memory to read than allowed (${maxMemoryMb} MB). Split it into smaller files, or save it as CSV.`;
}

export const refuse = (message: string): never => {
  throw new FileRefused('VALIDATION', message);
};
export const overLimit = (message: string): never => {
  throw new FileRefused('LIMIT', message);
};
