/**
 * parseImportFileIsolated: runs parseImportFile in a worker thread with a heap limit and a time
 * limit, so a hostile or huge file cannot take the main process's memory or event loop with it.
 * Resolves (never rejects) with a ParseOutcome; cancellation resolves { code: 'CONFLICT', cancelled }.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { fileTooBigMessage, memoryLimitMessage, resolveLimits, type ParseKind, type ParseFailure, type ParseLimits, type ParseOutcome, type ReadAs } from './types';
import type { WorkerInput, WorkerMessage } from './worker-protocol';

export interface IsolatedOptions {
  limits?: Partial<ParseLimits>;
  onProgress?: (rows: number) => void;
  signal?: AbortSignal;
  /** Decimal comma and day-first choices; a choice left out follows what the file suggests. */
  readAs?: Partial<ReadAs>;
}

let configuredEntry: URL | null = null;

/** For bundled builds that emit the worker somewhere other than next to this module (see worker.ts). */
export function setParseWorkerEntry(entry: string | URL | null): void {
  configuredEntry = entry === null ? null : entry instanceof URL ? entry : pathToFileURL(entry);
}

const BUNDLED_NAMES = ['./parse-worker.cjs', './parse-worker.mjs', './parse-worker.js'];
const BOOTSTRAP = './worker-bootstrap.mjs';
const SOURCE = './worker.ts';

/**
 * Where the worker is: a bundled `parse-worker.*` next to this module, else the TypeScript source
 * through the tsx bootstrap. The URLs are built from a variable base on purpose: bundlers rewrite the
 * literal `new URL('./x', import.meta.url)` pattern into assets, which is not wanted here.
 */
function workerEntry(): { file: URL; tsEntry?: string } {
  if (configuredEntry) return { file: configuredEntry };
  const base = import.meta.url;
  for (const name of BUNDLED_NAMES) {
    const u = new URL(name, base);
    if (u.protocol === 'file:' && existsSync(fileURLToPath(u))) return { file: u };
  }
  return { file: new URL(BOOTSTRAP, base), tsEntry: new URL(SOURCE, base).href };
}

const seconds = (ms: number) => (ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} seconds`);
const failure = (code: ParseFailure['code'], message: string): ParseFailure => ({ ok: false, code, message });

export function parseImportFileIsolated<K extends ParseKind>(bytes: Uint8Array, fileName: string, kind: K, opts: IsolatedOptions = {}): Promise<ParseOutcome<K>> {
  const limits = resolveLimits(opts.limits);
  const cancelled: ParseFailure = { ok: false, code: 'CONFLICT', message: 'Reading the file was cancelled.', cancelled: true };
  if (opts.signal?.aborted) return Promise.resolve(cancelled);
  // Checked here too, so an oversized file is never copied into a worker.
  if (bytes.length > limits.maxFileBytes) {
    return Promise.resolve(failure('LIMIT', fileTooBigMessage(bytes.length, limits.maxFileBytes)));
  }

  return new Promise((resolve) => {
    const entry = workerEntry();
    // A private copy whose buffer is moved (not cloned again) into the worker; the caller's stays
    // intact. Not bytes.slice(): on a Node Buffer that is a view, and moving it would detach the caller's.
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    const input: WorkerInput = { job: { bytes: copy, fileName, kind, limits, ...(opts.readAs ? { readAs: opts.readAs } : {}) }, ...(entry.tsEntry ? { tsEntry: entry.tsEntry } : {}) };
    let settled = false;
    let worker: Worker;
    try {
      worker = new Worker(entry.file, {
        workerData: input,
        transferList: [copy.buffer as ArrayBuffer],
        resourceLimits: { maxOldGenerationSizeMb: limits.maxMemoryMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(8, Math.floor(limits.maxMemoryMb / 8))) },
        stdout: false,
        stderr: false,
      });
    } catch (e) {
      resolve(failure('INTERNAL', `The file reader could not be started (${e instanceof Error ? e.message : String(e)}).`));
      return;
    }

    // The rows arrive in chunks while the worker reads; joined once, when its result comes.
    const chunks: unknown[][] = [];
    const finish = (outcome: ParseOutcome<ParseKind>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      resolve(outcome as ParseOutcome<K>);
    };
    const onAbort = () => finish(cancelled);
    const timer = setTimeout(
      () => finish(failure('LIMIT', `The file took too long to read (more than ${seconds(limits.timeoutMs)}). Split it into smaller files, or save it as CSV.`)),
      limits.timeoutMs,
    );
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    worker.on('message', (m: WorkerMessage) => {
      if (settled) return;
      if (m.type === 'progress') opts.onProgress?.(m.rows);
      else if (m.type === 'rows') chunks.push(m.rows);
      else if (m.type === 'result') {
        if (m.outcome.ok) (m.outcome as { rows: unknown[] }).rows = chunks.flat();
        finish(m.outcome);
      }
    });
    worker.on('error', (e: Error & { code?: string }) => {
      if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        finish(failure('LIMIT', memoryLimitMessage(limits.maxMemoryMb)));
      } else finish(failure('INTERNAL', `The file reader failed (${e.message.slice(0, 200)}).`));
    });
    worker.on('exit', (code) => finish(failure('INTERNAL', `The file reader stopped unexpectedly (exit code ${code}).`)));
  });
}
