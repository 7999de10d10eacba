/**
 * Universal balance file import, end to end (parse in the worker, validate, preview, apply, search
 * index), for CSV and XLSX at 10k and 100k rows, against a baseline measured in the same run: the
 * same rows parsed with Papa Parse and inserted with raw better-sqlite3 prepared statements in one
 * transaction; and against the floor of this ledger's data model (ledger-floor.ts: the rows an import
 * writes, raw, with nothing else). Two ways:
 * - in process: ImportService in this process, the worker as the app ships it (the built one);
 * - whole process: `npm run cli -- import FILE` as a nightly job runs it (built JavaScript, a fresh
 *   node each time, start-up and ledger opening included), with that process's peak RSS.
 *   npm run bench -- import [--sizes 10000,100000] [--no-cli]
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import Papa from 'papaparse';
import * as XLSX from 'xlsx';
import { setupFirstAdmin } from '../src/core/auth/sign-in';
import { openDesktopCore, systemClock } from '../src/core/ledger-core';
import { verifyLedger } from '../src/core/ledger/checks';
import { newId } from '../src/shared/ids';
import { parseMoney } from '../src/shared/money';
import { ImportService } from '../src/main/imports/import-service';
import { parseImportFile, parseImportFileIsolated, setParseWorkerEntry } from '../src/core/imports/parse';
import { ledgerRowsFloor } from './ledger-floor';
import { mb, round, timeOnce } from './stats';

interface CliBuild {
  CLI_OUT: string;
  CLI_ENTRY: string;
  ensureCliBuilt(): Promise<void>;
}

/**
 * `shift` changes every balance: the nightly file of an office whose payers all moved. `cutEvery`
 * then lowers every so-many payers' balance by $0.50 below that: cuts on existing accounts, each a
 * credit applied to that account's open charges oldest due first.
 */
function makeRows(n: number, shift = 0, cutEvery = 0): string[][] {
  const rows: string[][] = [['Account Number', 'Name', 'Email', 'Balance']];
  for (let i = 0; i < n; i++) {
    const cut = cutEvery > 0 && i % cutEvery === 0 ? 0.5 : 0;
    rows.push([String(500000 + i), `Payer ${i}`, `p${i}@example.com`, (((i * 37) % 100000) / 100 + shift - cut).toFixed(2)]);
  }
  return rows;
}
const toCsv = (rows: string[][]) => Buffer.from(rows.map((r) => r.join(',')).join('\r\n'));

async function baseline(csv: string): Promise<{ ms: number; cpuMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'ld-bench-base-'));
  const db = new BetterSqlite3(join(dir, 'b.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE accounts (id TEXT PRIMARY KEY, account_number TEXT UNIQUE, name TEXT, email TEXT, balance_cents INTEGER)');
  const c0 = process.cpuUsage();
  const t = await timeOnce(() => {
    const parsed = Papa.parse<string[]>(csv, { skipEmptyLines: true }).data;
    const ins = db.prepare('INSERT INTO accounts VALUES (?, ?, ?, ?, ?)');
    db.transaction(() => {
      for (let i = 1; i < parsed.length; i++) {
        const r = parsed[i]!;
        const m = parseMoney(r[3]!);
        ins.run(newId(), r[0], r[1], r[2], m.ok ? m.cents : 0);
      }
    })();
  });
  const c = process.cpuUsage(c0);
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return { ms: t.ms, cpuMs: round((c.user + c.system) / 1000) };
}

interface Run {
  ms: number;
  /** CPU time of this process (all threads) over the same span. */
  cpuMs: number;
  previewMs: number;
  applyMs: number;
  created: number;
  updated: number;
}

/** Imports `first` into a fresh ledger (every payer new), then `nightly` (every balance changed). */
async function newLedger(dir: string) {
  const core = await openDesktopCore(join(dir, 'ledger.sqlite'));
  const admin = await setupFirstAdmin(core.db, systemClock, { username: 'admin', displayName: 'Admin', password: 'bench-password-1' });
  const actor = { userId: admin.id, role: 'admin' as const };
  const div = await core.executor.execute<{ id: string }>(actor, 'divisions.create', { name: 'Bench' });
  if (!div.ok) throw new Error(div.error.message);
  return { core, actor, divisionId: div.value.id };
}

async function endToEnd(first: Uint8Array, nightly: Uint8Array, cuts: Uint8Array, fileName: string): Promise<{ firstLoad: Run; nightlyUpdate: Run; nightlyCuts: Run }> {
  const dir = mkdtempSync(join(tmpdir(), 'ld-bench-imp-'));
  const { core, actor, divisionId } = await newLedger(dir);
  const div = { value: { id: divisionId } };
  const service = new ImportService(core, { dataDir: dir, templatesDir: join(process.cwd(), 'resources', 'templates') });
  const once = async (bytes: Uint8Array): Promise<Run> => {
    const previewId = newId();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const preview = await service.preview(actor, { previewId, fileName, kind: 'balance', divisionId: div.value.id, bytes });
    const t1 = performance.now();
    if (!preview.ok) throw new Error(preview.error.message);
    const applied = await service.apply(actor, previewId);
    const t2 = performance.now();
    if (!applied.ok) throw new Error(applied.error.message);
    const c = process.cpuUsage(c0);
    return { ms: round(t2 - t0), cpuMs: round((c.user + c.system) / 1000), previewMs: round(t1 - t0), applyMs: round(t2 - t1), created: applied.value.accountsCreated, updated: applied.value.accountsUpdated };
  };
  const firstLoad = await once(first);
  const nightlyUpdate = await once(nightly);
  const nightlyCuts = await once(cuts);
  const problems = await verifyLedger(core.db);
  if (problems.length) throw new Error('ledger check failed after import');
  await core.close();
  rmSync(dir, { recursive: true, force: true });
  return { firstLoad, nightlyUpdate, nightlyCuts };
}

interface ProcessRun {
  ms: number;
  cpuMs: number;
  peakRssMb: number;
  created: number;
  updated: number;
}

// Printed by the child as it exits: its own peak RSS (worker threads included: same process).
// CPU time too: on a shared machine it varies far less than wall time. Main thread only: the file
// reader's worker inherits --import, and its own exit (after parsing, before the apply) once printed
// figures that stopped there.
const RSS_HOOK = `data:text/javascript,import{isMainThread}from'node:worker_threads';if(isMainThread)process.on('exit',()=>{const u=process.resourceUsage();process.stderr.write('\\nbench-maxrss-kb '+u.maxRSS+' cpu-us '+(u.userCPUTime+u.systemCPUTime)+'\\n')})`;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return round(s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2);
};

/** A fresh node running the built CLI: wall, CPU and peak RSS of that whole process. */
function runCli(cli: CliBuild, args: string[]): { ms: number; cpuMs: number; peakRssMb: number; stdout: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', RSS_HOOK, cli.CLI_ENTRY, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = round(performance.now() - t0);
  if (r.status !== 0) throw new Error(`cli ${args[0]} failed (${r.status}): ${r.stderr.slice(0, 500)}`);
  const m = /bench-maxrss-kb (\d+) cpu-us (\d+)/.exec(r.stderr);
  return { ms, cpuMs: round(Number(m?.[2] ?? NaN) / 1000), peakRssMb: round(Number(m?.[1] ?? NaN) / 1024, 1), stdout: r.stdout };
}

/**
 * `--help` through a launcher (npm, scripts/cli.mjs): every node in the chain, npm's own included,
 * reports its CPU as it exits (NODE_OPTIONS reaches each); median of 10 of wall and summed CPU.
 */
function helpThrough(cmd: string, args: string[]): { ms: number; cpuMs: number } {
  const dir = mkdtempSync(join(tmpdir(), 'ld-bench-hook-'));
  const hook = join(dir, 'hook.mjs');
  writeFileSync(hook, decodeURIComponent(RSS_HOOK.slice('data:text/javascript,'.length)));
  const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${hook}`.trim() };
  const runs = Array.from({ length: 10 }, () => {
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { encoding: 'utf8', env });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(0, 300)}`);
    const cpuUs = [...r.stderr.matchAll(/cpu-us (\d+)/g)].reduce((s, m) => s + Number(m[1]), 0);
    return { ms, cpuMs: cpuUs / 1000 };
  });
  rmSync(dir, { recursive: true, force: true });
  return { ms: median(runs.map((r) => r.ms)), cpuMs: median(runs.map((r) => r.cpuMs)) };
}

/** Median of `runs` whole-process runs (wall and CPU each), the largest peak RSS. */
function medianOf(runs: ProcessRun[]): ProcessRun & { runs: number } {
  return { ms: median(runs.map((r) => r.ms)), cpuMs: median(runs.map((r) => r.cpuMs)), peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)), created: runs[0]!.created, updated: runs[0]!.updated, runs: runs.length };
}

/**
 * `npm run cli -- import` as a nightly job runs it: a fresh node per file. The first load runs
 * `runs` times, each on a copy of the same empty ledger, and the median is reported.
 */
async function wholeProcess(cli: CliBuild, first: Uint8Array, nightly: Uint8Array, fileName: string, runs: number): Promise<{ firstLoad: ProcessRun; nightlyUpdate: ProcessRun }> {
  const root = mkdtempSync(join(tmpdir(), 'ld-bench-cli-'));
  const empty = join(root, 'empty');
  const { core } = await newLedger(empty);
  await core.close();
  writeFileSync(join(root, fileName), first);
  writeFileSync(join(root, `nightly-${fileName}`), nightly);
  const once = (dir: string, name: string): ProcessRun => {
    const r = runCli(cli, ['import', join(root, name), '--kind', 'balance', '--division', 'Bench', '--db', join(dir, 'ledger.sqlite'), '--json']);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { accountsCreated: number; accountsUpdated: number };
    return { ms: r.ms, cpuMs: r.cpuMs, peakRssMb: r.peakRssMb, created: out.accountsCreated, updated: out.accountsUpdated };
  };
  const firsts: ProcessRun[] = [];
  let dir = '';
  for (let i = 0; i < runs; i++) {
    dir = join(root, `run${i}`);
    cpSync(empty, dir, { recursive: true });
    firsts.push(once(dir, fileName));
  }
  const nightlyUpdate = once(dir, `nightly-${fileName}`);
  rmSync(root, { recursive: true, force: true });
  return { firstLoad: medianOf(firsts), nightlyUpdate };
}

/** Reading alone: in this process, and in the worker with the rows streamed back. */
async function parseOnly(bytes: Uint8Array, fileName: string) {
  const inProcess = await timeOnce(() => parseImportFile(bytes, fileName, 'balance'));
  const worker = await timeOnce(() => parseImportFileIsolated(bytes, fileName, 'balance'));
  if (!worker.value.ok) throw new Error(worker.value.message);
  return { parseInProcessMs: inProcess.ms, parseInWorkerMs: worker.ms };
}

function xlsxOf(rows: string[][]): Buffer {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), 'Balances');
  // Compressed, as Excel saves it (SheetJS stores parts uncompressed unless asked).
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer;
}

export async function main(args: string[]) {
  const { values } = parseArgs({ args, options: { sizes: { type: 'string', default: '10000,100000' }, 'no-cli': { type: 'boolean', default: false }, runs: { type: 'string', default: '10' } } });
  // Whole-process runs per first load: the median of 10 for files up to 10,000 rows, one above.
  const runsFor = (n: number) => (n <= 10_000 ? Math.max(1, Number(values.runs)) : 1);
  const sizes = String(values.sizes).split(',').map(Number);
  // The worker and the command line as they ship: built JavaScript (scripts/build-cli.mjs).
  const cli = (await import(join(process.cwd(), 'scripts', 'build-cli.mjs'))) as CliBuild;
  await cli.ensureCliBuilt();
  setParseWorkerEntry(join(cli.CLI_OUT, 'parse-worker.mjs'));
  const helps = Array.from({ length: 10 }, () => runCli(cli, ['--help']));
  const help = { ms: median(helps.map((h) => h.ms)), cpuMs: median(helps.map((h) => h.cpuMs)) };
  const viaScript = helpThrough(process.execPath, ['scripts/cli.mjs', '--help']);
  const viaNpm = helpThrough('npm', ['run', '--silent', 'cli', '--', '--help']);
  const bare = helpThrough(process.execPath, ['-e', '0']);
  const out: Record<string, unknown> = { cliHelpMs: help.ms, cliHelpCpuMs: help.cpuMs, cliHelpViaScript: viaScript, npmRunCliHelp: viaNpm, bareNodeStart: bare };
  console.log(`cli --help (median of 10): node <built cli> ${help.ms} ms wall, ${help.cpuMs} ms CPU · node scripts/cli.mjs (with the staleness check) ${viaScript.ms} ms wall, ${viaScript.cpuMs} ms CPU · npm run cli ${viaNpm.ms} ms wall, ${viaNpm.cpuMs} ms CPU (npm's own node included) · a bare \`node -e 0\` ${bare.ms} ms wall, ${bare.cpuMs} ms CPU`);
  let peak = process.memoryUsage().rss;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  for (const n of sizes) {
    const rows = makeRows(n);
    const nightly = makeRows(n, 1.25);
    // One payer in ten owes less the next night (cuts posted one by one: see the printed figure).
    const cuts = makeRows(n, 1.25, 10);
    const csv = toCsv(rows);
    const xlsx = xlsxOf(rows);
    const b = await baseline(csv.toString('utf8'));
    const base = b.ms;
    const floor = await ledgerRowsFloor(n);
    const oneRowFloor = await ledgerRowsFloor(n, { oneRow: true });
    const fig = (r: { ms: number; cpuMs: number }) => ({ ...r, rowsPerSec: Math.round(n / (r.ms / 1000)), ratioVsBaseline: round(r.ms / base, 2), cpuRatioVsBaseline: round(r.cpuMs / b.cpuMs, 2) });
    const figures: Record<string, unknown> = { baselineMs: base, baselineCpuMs: b.cpuMs, ledgerRowsFloor: { ...floor, ratioVsBaseline: round(floor.ms / base, 2) }, oneRowModelFloor: { ...oneRowFloor, ratioVsBaseline: round(oneRowFloor.ms / base, 2) } };
    console.log(`${n.toLocaleString()} rows: the ledger's own rows written raw (bench/ledger-floor.ts) ${floor.ms} ms (CPU ${floor.cpuMs} ms, ${round(floor.ms / base, 2)}× the baseline; ledger ${floor.ledgerMb} MB): no import of this data model goes under it · a one-row-per-adjustment model's (sketch) ${oneRowFloor.ms} ms (${round(oneRowFloor.ms / base, 2)}×; ${oneRowFloor.ledgerMb} MB)`);
    for (const [format, first, second, third] of [
      ['csv', csv, toCsv(nightly), toCsv(cuts)],
      ['xlsx', xlsx, xlsxOf(nightly), xlsxOf(cuts)],
    ] as const) {
      const name = `b${n}.${format}`;
      const parse = await parseOnly(first, name);
      const inProc = await endToEnd(first, second, third, name);
      const whole = values['no-cli'] ? null : await wholeProcess(cli, first, second, name, runsFor(n));
      figures[format] = {
        ...parse,
        inProcess: { firstLoad: fig(inProc.firstLoad), nightlyUpdate: fig(inProc.nightlyUpdate), nightlyCuts: fig(inProc.nightlyCuts) },
        ...(whole ? { wholeProcess: { firstLoad: fig(whole.firstLoad), nightlyUpdate: fig(whole.nightlyUpdate) } } : {}),
      };
      const w = whole ? ` · whole process first (median of ${runsFor(n)}) ${whole.firstLoad.ms} ms (${round(whole.firstLoad.ms / base, 2)}×; CPU ${whole.firstLoad.cpuMs} ms, ${round(whole.firstLoad.cpuMs / b.cpuMs, 2)}×; peak RSS ${whole.firstLoad.peakRssMb} MB), nightly ${whole.nightlyUpdate.ms} ms (peak RSS ${whole.nightlyUpdate.peakRssMb} MB)` : '';
      console.log(
        `${n.toLocaleString()} rows ${format.toUpperCase()}: baseline ${base} ms (CPU ${b.cpuMs} ms) · read ${parse.parseInProcessMs} ms (worker ${parse.parseInWorkerMs} ms) · in process first load ${inProc.firstLoad.ms} ms (${round(inProc.firstLoad.ms / base, 2)}×; CPU ${inProc.firstLoad.cpuMs} ms, ${round(inProc.firstLoad.cpuMs / b.cpuMs, 2)}×; preview ${inProc.firstLoad.previewMs}, apply ${inProc.firstLoad.applyMs}), nightly ${inProc.nightlyUpdate.ms} ms (${round(inProc.nightlyUpdate.ms / base, 2)}×), nightly with ${Math.ceil(n / 10).toLocaleString()} cuts ${inProc.nightlyCuts.ms} ms (CPU ${inProc.nightlyCuts.cpuMs} ms)${w}`,
      );
    }
    out[`rows${n}`] = figures;
  }
  clearInterval(sample);
  out.peakRssMb = mb(peak);
  out.targets = { csv100kMs: 2000, csvRatio: 3, xlsx100kMs: 4000, peakRssMb: 400, cliHelpMs: 300, cli10kMs: 600 };
  console.log(`peak RSS of this (in-process) bench ${mb(peak)} MB, all sizes and the baseline together; whole-process peaks are per import above`);
  return out;
}
