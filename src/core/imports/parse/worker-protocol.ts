/** Messages between parseImportFileIsolated and worker.ts. */
import type { ParseKind, ParseLimits, ParseOutcome, ReadAs } from './types';

export interface ParseJob {
  bytes: Uint8Array;
  fileName: string;
  kind: ParseKind;
  limits: ParseLimits;
  readAs?: Partial<ReadAs>;
}

/**
 * From the worker, in order: progress counts and row chunks while reading, then one result whose
 * `rows` is empty (the chunks, concatenated, are the rows). Chunks are structured-cloned as they
 * are read, so neither side ever copies the whole file's rows in one message.
 */
export type WorkerMessage = { type: 'progress'; rows: number } | { type: 'rows'; rows: unknown[] } | { type: 'result'; outcome: ParseOutcome<ParseKind> };

export interface WorkerInput {
  job: ParseJob;
  /** Set when started through worker-bootstrap.mjs: the .ts entry to load once tsx is registered. */
  tsEntry?: string;
}
