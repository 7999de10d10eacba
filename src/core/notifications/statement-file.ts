import type { StatementFileRowDTO } from '../../shared/contract/notifications';
import { parseImportFileIsolated, STATEMENT_LIMITS, type ParseFailure } from '../imports/parse';

/**
 * Reads a statement/notification file (Account Number, Amount Due, Due Date and an optional Level)
 * with the import parser, in its worker thread and within its limits: a hostile workbook costs that
 * worker, never the main process's event loop or memory. Bad cells are reported by row and column;
 * good rows are kept.
 */
export interface StatementFileReading {
  ok: true;
  rows: StatementFileRowDTO[];
  issues: { row: number; column?: string; message: string }[];
  /** What a person should know that is not a problem (totals line skipped, sheet chosen, encoding). */
  notes: string[];
}

export async function readStatementFile(fileName: string, bytes: Uint8Array): Promise<StatementFileReading | ParseFailure> {
  const parsed = await parseImportFileIsolated(bytes, fileName, 'statement', { limits: STATEMENT_LIMITS });
  if (!parsed.ok) return parsed;
  return {
    ok: true,
    rows: parsed.rows,
    issues: parsed.issues.map((x) => ({ row: x.row, ...(x.column ? { column: x.column } : {}), message: x.message })),
    notes: parsed.notes,
  };
}
