/**
 * The columns of each file kind, the header spellings accepted for them, and how the header row is
 * found: as a person would, the first row near the top that has every required column.
 */
import type { ParseKind } from './types';
import { cellText } from './values';
import type { Cell, SheetRow } from './cells';

export type FieldType = 'text' | 'money' | 'date' | 'email';

export interface FieldSpec {
  /** Property name on the output row. */
  key: string;
  /** How the column is named in messages and templates. */
  label: string;
  /** Accepted header spellings; compared after normaliseHeader(). The first is preferred. */
  aliases: readonly string[];
  required: boolean;
  type: FieldType;
  /** Longest text the ledger stores for this field (mirrors the applyRows command's schema). */
  maxLength?: number;
}

const ACCOUNT: FieldSpec = {
  key: 'accountNumber',
  label: 'Account Number',
  aliases: ['Account Number', 'Account No', 'Account Num', 'Acct Number', 'Acct No', 'Acct Num', 'Account #', 'Acct #', 'Account', 'Acct', 'Account ID', 'Acct ID', 'Customer Number', 'Customer No', 'Customer Account'],
  required: true,
  type: 'text',
  maxLength: 40,
};
const NAME: FieldSpec = { key: 'name', label: 'Name', aliases: ['Name', 'Payer Name', 'Customer Name', 'Account Name', 'Full Name', 'Payer'], required: false, type: 'text', maxLength: 200 };
const EMAIL: FieldSpec = { key: 'email', label: 'Email', aliases: ['Email', 'E-mail', 'Email Address', 'E-mail Address', 'Payer Email'], required: false, type: 'email', maxLength: 254 };
const DIVISION: FieldSpec = { key: 'division', label: 'Division', aliases: ['Division', 'Division Name'], required: false, type: 'text', maxLength: 80 };

export const BALANCE_FIELDS: readonly FieldSpec[] = [
  ACCOUNT,
  {
    key: 'balanceCents',
    label: 'Balance',
    aliases: ['Balance', 'Balance Due', 'Amount Due', 'Current Balance', 'Account Balance', 'Outstanding Balance', 'Total Due'],
    required: true,
    type: 'money',
  },
  NAME,
  EMAIL,
  { key: 'dueDate', label: 'Due Date', aliases: ['Due Date', 'Date Due', 'Payment Due Date'], required: false, type: 'date' },
  { key: 'userId', label: 'User ID', aliases: ['User ID', 'Portal User ID', 'Portal ID', 'Userid'], required: false, type: 'text', maxLength: 80 },
  DIVISION,
];

export const BILL_FIELDS: readonly FieldSpec[] = [
  ACCOUNT,
  { key: 'invoiceNumber', label: 'Invoice Number', aliases: ['Invoice Number', 'Invoice No', 'Invoice Num', 'Invoice #', 'Invoice', 'Invoice ID', 'Inv No', 'Inv #', 'Bill Number'], required: true, type: 'text', maxLength: 40 },
  { key: 'invoiceDate', label: 'Invoice Date', aliases: ['Invoice Date', 'Bill Date', 'Inv Date'], required: false, type: 'date' },
  { key: 'dueDate', label: 'Due Date', aliases: ['Due Date', 'Date Due', 'Payment Due Date'], required: true, type: 'date' },
  { key: 'category', label: 'Category', aliases: ['Category', 'Payment Category', 'Charge Category'], required: false, type: 'text', maxLength: 60 },
  { key: 'description', label: 'Description', aliases: ['Description', 'Desc', 'Item Description', 'Memo', 'Details'], required: false, type: 'text', maxLength: 200 },
  { key: 'amountCents', label: 'Amount', aliases: ['Amount', 'Amount Due', 'Line Amount', 'Charge Amount', 'Item Amount'], required: true, type: 'money' },
  DIVISION,
  NAME,
  EMAIL,
];

/** Statement/notification files (statement-kind.ts checks the level and the sign of the amount). */
export const STATEMENT_FIELDS: readonly FieldSpec[] = [
  ACCOUNT,
  { key: 'amountDueCents', label: 'Amount Due', aliases: ['Amount Due', 'Amount', 'Balance', 'Balance Due', 'Total Due'], required: true, type: 'money' },
  { key: 'dueDate', label: 'Due Date', aliases: ['Due Date', 'Due', 'Date Due', 'Payment Due Date'], required: true, type: 'date' },
  { key: 'level', label: 'Level', aliases: ['Level', 'Dunning Level', 'Notification Level'], required: false, type: 'text', maxLength: 20 },
];

export const FIELDS: Record<ParseKind, readonly FieldSpec[]> = { balance: BALANCE_FIELDS, bill: BILL_FIELDS, statement: STATEMENT_FIELDS };

/** "Acct. #" -> "acct", "E-mail" -> "email", "Muñoz" -> "munoz": case, spacing, accents and punctuation ignored. */
export function normaliseHeader(s: string): string {
  return s
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

interface AliasHit {
  field: FieldSpec;
  rank: number;
}

/** A Map, not an object: a header named "constructor" must not find Object's constructor. */
const aliasTables = new Map<ParseKind, Map<string, AliasHit>>();
function aliasTable(kind: ParseKind): Map<string, AliasHit> {
  let t = aliasTables.get(kind);
  if (!t) {
    t = new Map();
    for (const field of FIELDS[kind]) {
      field.aliases.forEach((a, rank) => {
        const key = normaliseHeader(a);
        if (!t!.has(key)) t!.set(key, { field, rank });
      });
    }
    aliasTables.set(kind, t);
  }
  return t;
}

export interface HeaderMatch {
  /** field key -> column index */
  columns: Map<string, number>;
  /** The header row's cells as written (trimmed). */
  headers: string[];
  missing: FieldSpec[];
  /** Headers that name no known column, or a column already given by a better-named header. */
  ignored: string[];
}

export function matchHeaders(cells: Cell[], kind: ParseKind): HeaderMatch {
  const table = aliasTable(kind);
  const headers = cells.map((c) => cellText(c));
  const best = new Map<string, { index: number; rank: number }>();
  const unknown: number[] = [];
  headers.forEach((h, index) => {
    if (h === '') return;
    const hit = table.get(normaliseHeader(h));
    if (!hit) return void unknown.push(index);
    const prev = best.get(hit.field.key);
    if (!prev || hit.rank < prev.rank) {
      if (prev) unknown.push(prev.index);
      best.set(hit.field.key, { index, rank: hit.rank });
    } else unknown.push(index);
  });
  const columns = new Map<string, number>();
  for (const [key, v] of best) columns.set(key, v.index);
  const missing = FIELDS[kind].filter((f) => f.required && !columns.has(f.key));
  const ignored = unknown.sort((a, b) => a - b).map((i) => headers[i]!);
  return { columns, headers, missing, ignored };
}

export type HeaderSearch = { found: true; at: number; match: HeaderMatch } | { found: false; best: HeaderMatch | null };

/** The first of the given rows that has every required column; otherwise the closest one, to explain. */
export function findHeaderRow(rows: SheetRow[], kind: ParseKind): HeaderSearch {
  let best: HeaderMatch | null = null;
  let bestScore = -1;
  for (let i = 0; i < rows.length; i++) {
    const match = matchHeaders(rows[i]!.cells, kind);
    if (match.missing.length === 0) return { found: true, at: i, match };
    const score = match.columns.size;
    if (score > bestScore) {
      best = match;
      bestScore = score;
    }
  }
  return { found: false, best };
}

/** `"Balance" column (also accepted: "Balance Due", ...)` for a missing-column message. */
export function describeMissing(missing: FieldSpec[]): string {
  return missing
    .map((f) => {
      const others = f.aliases.slice(1, 5).map((a) => `"${a}"`);
      return `"${f.label}"${others.length ? ` (or ${others.join(', ')})` : ''}`;
    })
    .join(' and ');
}
