/**
 * Worker-thread entry for parseImportFileIsolated: parses the file it was given in workerData, posts
 * progress and one result, and ends. It runs with resourceLimits and is terminated on timeout or
 * cancel, so a hostile file can only hurt this thread.
 *
 * How it is started:
 * - From TypeScript source (vitest, tsx): isolated.ts starts worker-bootstrap.mjs, which registers
 *   tsx inside the worker and then imports this file.
 * - Bundled: the bundler must emit this file as its own entry named `parse-worker` (.cjs, .mjs or
 *   .js) in the same folder as the bundle that contains isolated.ts; isolated.ts looks for it next
 *   to itself (`new URL('./parse-worker.cjs', import.meta.url)`). With electron-vite add to the main
 *   build's rollupOptions.input: `'parse-worker': resolve(__dirname, 'src/core/imports/parse/worker.ts')`
 *   (out/main/parse-worker.cjs). Inside an asar archive, list it in electron-builder's asarUnpack.
 *   Or call setParseWorkerEntry(path) once at startup to point at it explicitly.
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { parseImportFile } from './parse-file';
import { FileRefused, memoryLimitMessage } from './types';
import type { WorkerInput, WorkerMessage } from './worker-protocol';

/**
 * Refuse softly before V8's hard heap limit: hitting that limit normally ends only this worker, but
 * for some allocation shapes Node aborts the whole process (nodejs/node#47224).
 */
const SOFT_HEAP_SHARE = 0.85;

if (parentPort && workerData && (workerData as WorkerInput).job) {
  const port = parentPort;
  const { job } = workerData as WorkerInput;
  const post = (m: WorkerMessage) => port.postMessage(m);
  // heap_size_limit also counts the young generation, so the old-generation cap is the real ceiling.
  const heapLimit = Math.min(getHeapStatistics().heap_size_limit, job.limits.maxMemoryMb * 1024 * 1024);
  const outcome = parseImportFile(job.bytes, job.fileName, job.kind, job.limits, (rows) => {
    // Thrown out of the row loop and returned as a LIMIT outcome by parseImportFile.
    if (getHeapStatistics().used_heap_size > heapLimit * SOFT_HEAP_SHARE) throw new FileRefused('LIMIT', memoryLimitMessage(job.limits.maxMemoryMb));
    post({ type: 'progress', rows });
  }, job.readAs, (rows) => post({ type: 'rows', rows }));
  post({ type: 'result', outcome });
}
