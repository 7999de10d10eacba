// `npm run cli` / `npm run demo-data`: rebuilds out/cli only when a source changed, then runs the
// built JavaScript in this same process (no TypeScript loader, no second node start).
import { CLI_ENTRY, ensureCliBuilt } from './build-cli.mjs';
import { pathToFileURL } from 'node:url';

await ensureCliBuilt();
await import(pathToFileURL(CLI_ENTRY).href);
