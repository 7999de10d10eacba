import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bigBalanceCsv, fixture, makeZip, xlsxSkeleton } from '../../../../test/fixtures/imports/helpers';
import { parseImportFile, parseImportFileIsolated, setParseWorkerEntry } from './index';

describe('parseImportFileIsolated (worker thread)', () => {
  it('gives the same outcome as the in-process parser, for a workbook', async () => {
    const bytes = fixture('balance-numeric.xlsx');
    const isolated = await parseImportFileIsolated(bytes, 'balance-numeric.xlsx', 'balance');
    expect(isolated).toEqual(parseImportFile(bytes, 'balance-numeric.xlsx', 'balance'));
    expect(isolated.ok).toBe(true);
  });

  it("leaves the caller's bytes usable, including a Node Buffer (whose slice() is only a view)", async () => {
    const bytes = fixture('balance-comma.csv');
    const buffer = Buffer.alloc(bytes.length); // not from Node's shared pool, so it could be moved
    buffer.set(bytes);
    const before = buffer.toString('utf8');
    const out = await parseImportFileIsolated(buffer, 'balance-comma.csv', 'balance');
    expect(out).toMatchObject({ ok: true, rowsRead: 5 });
    expect(buffer.buffer.byteLength).toBeGreaterThan(0);
    expect(buffer.toString('utf8')).toBe(before);
  });

  it('streams the rows out in chunks: every row, in order, as the in-process parser reads them', async () => {
    const bytes = bigBalanceCsv(12_345);
    const chunks: number[] = [];
    const inProcess = parseImportFile(bytes, 'big.csv', 'balance', undefined, undefined, undefined, (rows) => chunks.push(rows.length));
    expect(chunks).toEqual([5_000, 5_000, 2_345]);
    expect(inProcess).toMatchObject({ ok: true, rowsRead: 12_345, rows: [] });
    const isolated = await parseImportFileIsolated(bytes, 'big.csv', 'balance');
    expect(isolated).toEqual(parseImportFile(bytes, 'big.csv', 'balance'));
    expect(isolated.ok && isolated.rows.length).toBe(12_345);
  });

  it('reports progress in rows processed', async () => {
    const seen: number[] = [];
    const out = await parseImportFileIsolated(bigBalanceCsv(30_000), 'big.csv', 'balance', { onProgress: (n) => seen.push(n) });
    expect(out).toMatchObject({ ok: true, rowsRead: 30_000 });
    expect(seen).toEqual([5_000, 10_000, 15_000, 20_000, 25_000, 30_000]);
  });

  it('reports the final count when it is not a round number', async () => {
    const seen: number[] = [];
    await parseImportFileIsolated(bigBalanceCsv(7_001), 'big.csv', 'balance', { onProgress: (n) => seen.push(n) });
    expect(seen).toEqual([5_000, 7_001]);
  });

  it('an abort signal stops the worker and resolves as cancelled', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const out = await parseImportFileIsolated(bigBalanceCsv(300_000), 'big.csv', 'balance', {
      signal: controller.signal,
      onProgress: (n) => {
        seen.push(n);
        controller.abort();
      },
    });
    expect(out).toEqual({ ok: false, code: 'CONFLICT', message: 'Reading the file was cancelled.', cancelled: true });
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen.at(-1)).toBeLessThan(300_000);
  });

  it('an already-aborted signal starts nothing', async () => {
    const out = await parseImportFileIsolated(fixture('balance-comma.csv'), 'x.csv', 'balance', { signal: AbortSignal.abort() });
    expect(out).toMatchObject({ ok: false, cancelled: true });
  });

  it('a time limit terminates the worker', async () => {
    const out = await parseImportFileIsolated(bigBalanceCsv(50_000), 'big.csv', 'balance', { limits: { timeoutMs: 5 } });
    expect(out).toEqual({ ok: false, code: 'LIMIT', message: 'The file took too long to read (more than 5 ms). Split it into smaller files, or save it as CSV.' });
  });

  it('a memory limit stops a file that needs more heap than allowed', async () => {
    // Rows now stream out of the worker, so what the worker itself must hold (its code, the decoded
    // text, the reader) is what meets the limit; 32 MB is well below that and well above what the
    // worker needs to start (at 16 MB V8 can abort the whole process, nodejs/node#47224).
    const out = await parseImportFileIsolated(bigBalanceCsv(200_000), 'big.csv', 'balance', { limits: { maxMemoryMb: 32 } });
    expect(out).toEqual({ ok: false, code: 'LIMIT', message: 'The file needs more memory to read than allowed (32 MB). Split it into smaller files, or save it as CSV.' });
  });

  it('hostile files are refused inside the worker with the same messages', async () => {
    const bomb = makeZip([...xlsxSkeleton(), { name: 'xl/worksheets/sheet1.xml', data: new Uint8Array(4), declaredSize: 4_000_000_000 }]);
    expect(await parseImportFileIsolated(bomb, 'bomb.xlsx', 'balance')).toEqual(parseImportFile(bomb, 'bomb.xlsx', 'balance'));
    expect(await parseImportFileIsolated(fixture('random-bytes.csv'), 'r.csv', 'bill')).toMatchObject({ ok: false, code: 'VALIDATION' });
  });

  it('refuses an oversized file without starting a worker', async () => {
    const out = await parseImportFileIsolated(fixture('balance-comma.csv'), 'x.csv', 'balance', { limits: { maxFileBytes: 10 } });
    expect(out).toEqual({ ok: false, code: 'LIMIT', message: 'The file is 290 bytes; files up to 10 bytes can be imported.' });
  });

  it('a missing worker file is an INTERNAL failure, not a crash', async () => {
    setParseWorkerEntry('/nonexistent/parse-worker.cjs');
    try {
      const out = await parseImportFileIsolated(fixture('balance-comma.csv'), 'x.csv', 'balance');
      expect(out).toMatchObject({ ok: false, code: 'INTERNAL' });
    } finally {
      setParseWorkerEntry(null);
    }
  });
});

describe('bundled layout', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ld-parse-bundle-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // Bundles an app entry and worker.ts as `parse-worker` side by side (what the app build must do),
  // then runs the bundle in a plain Node process: the worker is found next to the bundle, no tsx.
  it.for(['esm', 'cjs'] as const)('finds and runs parse-worker next to a %s bundle', async (format, { skip }) => {
    let esbuild: typeof import('esbuild');
    try {
      esbuild = await import('esbuild');
    } catch {
      return skip('esbuild (installed with vite and tsx) is not available to bundle with');
    }
    const here = dirname(fileURLToPath(import.meta.url));
    const out = join(dir, format);
    const app = join(dir, `app-${format}.ts`);
    writeFileSync(
      app,
      `import { readFileSync } from 'node:fs';
       import { parseImportFileIsolated } from ${JSON.stringify(join(here, 'index.ts'))};
       const bytes = readFileSync(process.argv[2]!);
       parseImportFileIsolated(bytes, 'b.xlsx', 'balance').then((o) => console.log(JSON.stringify(o)));`,
    );
    const ext = format === 'esm' ? '.mjs' : '.cjs';
    await esbuild.build({
      entryPoints: { app: app, 'parse-worker': join(here, 'worker.ts') },
      outdir: out,
      bundle: true,
      platform: 'node',
      format,
      outExtension: { '.js': ext },
      // Rollup (electron-vite) turns import.meta.url into the bundle's own URL in CJS output; esbuild needs telling.
      ...(format === 'cjs' ? { define: { 'import.meta.url': 'importMetaUrl' }, banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" } } : {}),
      logLevel: 'silent',
    });
    const stdout = execFileSync(process.execPath, [join(out, `app${ext}`), join(here, '../../../../test/fixtures/imports/balance-numeric.xlsx')], { encoding: 'utf8' });
    expect(JSON.parse(stdout)).toEqual(parseImportFile(fixture('balance-numeric.xlsx'), 'b.xlsx', 'balance'));
  });
});
