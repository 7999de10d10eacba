// Builds the command line (src/main/cli/index.ts) and the file-reader worker to plain JavaScript in
// out/cli/, so `npm run cli` starts without a TypeScript loader. ES modules with code splitting:
// `--help` loads only the small entry, each verb loads its own chunks. Packages are bundled in:
// resolving and reading kysely's and zod's hundreds of files cost a whole-process import more than
// the import's own parsing. Only packages that read files beside themselves stay external
// (better-sqlite3 loads its native addon, pdfkit its font metrics). The worker is emitted as
// parse-worker.mjs next to the chunks, where isolated.ts looks for it.
//   node scripts/build-cli.mjs            build now
//   ensureCliBuilt()                      build only if a source the last build read is newer
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_OUT = join(root, 'out', 'cli');
export const CLI_ENTRY = join(CLI_OUT, 'index.mjs');
const INPUTS = join(CLI_OUT, 'inputs.json');

// SheetJS (xlsx) is 640 KB of the bundle and a CSV import never calls it, yet `import * as XLSX` runs it
// as soon as any module that names it loads (the worker's parser, the ledger's report exports). It is
// built on its own into xlsx.cjs, and every `import 'xlsx'` gets this stand-in: one getter per export
// that loads xlsx.cjs the first time any of them is read. Same SheetJS (its ES module build), later.
const XLSX_FILE = 'xlsx.cjs';
const lazyXlsx = (names) => ({
  name: 'lazy-xlsx',
  setup(b) {
    b.onResolve({ filter: /^xlsx$/ }, () => ({ path: 'xlsx', namespace: 'lazy-xlsx' }));
    b.onResolve({ filter: new RegExp(`^\\./${XLSX_FILE.replace('.', '\\.')}$`) }, (a) => ({ path: a.path, external: true }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-xlsx' }, () => ({
      loader: 'js',
      contents:
        `let lib; const load = () => (lib ??= require('./${XLSX_FILE}'));\n` +
        `Object.defineProperty(exports, '__esModule', { value: true });\n` +
        `for (const k of ${JSON.stringify(names)}) Object.defineProperty(exports, k, { enumerable: true, get: () => load()[k] });\n`,
    }));
  },
});

export async function buildCli() {
  const { build } = await import('esbuild');
  // Chunk names carry content hashes: clear the folder so no stale chunk lingers.
  rmSync(CLI_OUT, { recursive: true, force: true });
  // The build esbuild picks for an ES module import (the "import" condition: xlsx.mjs).
  const xlsxEntry = fileURLToPath(import.meta.resolve('xlsx'));
  const xlsxNames = Object.keys(await import(pathToFileURL(xlsxEntry).href));
  await build({
    absWorkingDir: root,
    entryPoints: [xlsxEntry],
    outfile: join(CLI_OUT, XLSX_FILE),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'warning',
  });
  const result = await build({
    absWorkingDir: root,
    entryPoints: { index: 'src/main/cli/index.ts', 'parse-worker': 'src/core/imports/parse/worker.ts' },
    outdir: CLI_OUT,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['better-sqlite3', 'pdfkit', 'electron'],
    plugins: [lazyXlsx(xlsxNames)],
    // Bundled CommonJS packages call require() for Node built-ins: give ES modules one.
    banner: { js: "import { createRequire as __cliRequire } from 'node:module'; const require = __cliRequire(import.meta.url);" },
    sourcemap: 'linked',
    minifyWhitespace: true,
    minifySyntax: true,
    metafile: true,
    logLevel: 'warning',
  });
  // The list of sources this build read, for the staleness check (written last: a half-done build is stale).
  // The xlsx stand-in is made here, not read from a file: not a source to check.
  writeFileSync(INPUTS, JSON.stringify(Object.keys(result.metafile.inputs).filter((f) => !f.startsWith('lazy-xlsx:'))));
}

/** True when out/cli is missing or any source file the last build read changed since. */
export function cliIsStale() {
  if (!existsSync(INPUTS) || !existsSync(CLI_ENTRY)) return true;
  const builtAt = statSync(INPUTS).mtimeMs;
  // Packages change only through npm, which rewrites the lock file: checking it instead of the bundled
  // packages' 380-odd files keeps `npm run cli -- --help` quick.
  const inputs = JSON.parse(readFileSync(INPUTS, 'utf8')).filter((f) => !f.startsWith('node_modules/'));
  for (const f of [...inputs, 'scripts/build-cli.mjs', 'package-lock.json']) {
    const p = join(root, f);
    if (!existsSync(p) || statSync(p).mtimeMs > builtAt) return true;
  }
  return false;
}

export async function ensureCliBuilt() {
  if (cliIsStale()) await buildCli();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await buildCli();
