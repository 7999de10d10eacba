/**
 * File Transfers: reading balance and bill files, and statement/notification files (.csv, .xlsx,
 * .xls, .ods), into checked rows.
 * Pure Node, no database. See parse-file.ts for the in-process parser and isolated.ts for the
 * worker-thread runner the app uses.
 */
export { parseImportFile } from './parse-file';
export { parseImportFileIsolated, setParseWorkerEntry, type IsolatedOptions } from './isolated';
export { escapeCsvCell, csvLine } from './csv-escape';
export { BALANCE_FIELDS, BILL_FIELDS, STATEMENT_FIELDS, type FieldSpec } from './columns';
export { STATEMENT_LIMITS } from './statement-kind';
export {
  DEFAULT_LIMITS,
  type BalanceRow,
  type BillRow,
  type FileFormat,
  type ImportKind,
  type ParseFailure,
  type ParseLimits,
  type ParseOutcome,
  type ParsedBalanceFile,
  type ParsedBillFile,
  type ParsedStatementFile,
  type ParseKind,
  type ReadAs,
  type SampleCell,
  type RowIssue,
  type StatementRow,
} from './types';
