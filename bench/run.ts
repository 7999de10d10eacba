/**
 * `npm run bench -- NAME` runs bench/NAME.ts. Each benchmark prints human-readable figures and, as
 * its last line, one JSON object of its figures (including ratios against a baseline measured in the
 * same process). Benchmarks never pass or fail; tests never assert on wall-clock time.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !['run.ts', 'stats.ts'].includes(f) && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''));

const name = process.argv[2];
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- NAME   (one of: ${available.join(', ')})`);
  process.exit(2);
}
const mod = (await import(join(here, `${name}.ts`))) as { main(args: string[]): Promise<Record<string, unknown>> };
const figures = await mod.main(process.argv.slice(3));
console.log(JSON.stringify({ bench: name, ...figures }));
