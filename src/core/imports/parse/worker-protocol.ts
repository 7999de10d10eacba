/** Messages between parseImportFileIsolated and worker.ts. */
import type { ParseKind, ParseLimits, ParseOutcome, ReadAs } from './types';

export interface ParseJob {
  bytes: Uint8Array;
  fileName: string;
  kind: ParseKind;
  limits: ParseLimits;
  readAs?: Partial<ReadAs>;
}

export type WorkerMessage = { type: 'progress'; rows: number } | { type: 'result'; outcome: ParseOutcome<ParseKind> };

export interface WorkerInput {
  job: ParseJob;
  /** Set when started through worker-bootstrap.mjs: the .ts entry to load once tsx is registered. */
  tsEntry?: string;
}
