// Worker entry used when running from TypeScript source (vitest, tsx): registers tsx inside this
// thread (a worker does not inherit the parent's loader hooks), then loads worker.ts.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.tsEntry);
