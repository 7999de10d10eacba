/**
 * Universal balance file import, end to end (parse in the worker, validate, preview, apply), for
 * CSV and XLSX at 10k and 100k rows, against a baseline measured in the same run: the same rows
 * parsed with Papa Parse and inserted with raw better-sqlite3 prepared statements in one transaction.
 *   npm run bench -- import [--sizes 10000,100000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
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
import { mb, round, timeOnce } from './stats';

/** `shift` changes every balance: the nightly file of an office whose payers all moved. */
function makeRows(n: number, shift = 0): string[][] {
  const rows: string[][] = [['Account Number', 'Name', 'Email', 'Balance']];
  for (let i = 0; i < n; i++) rows.push([String(500000 + i), `Payer ${i}`, `p${i}@example.com`, (((i * 37) % 100000) / 100 + shift).toFixed(2)]);
  return rows;
}
const toCsv = (rows: string[][]) => Buffer.from(rows.map((r) => r.join(',')).join('\r\n'));

async function baseline(csv: string): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'ld-bench-base-'));
  const db = new BetterSqlite3(join(dir, 'b.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE accounts (id TEXT PRIMARY KEY, account_number TEXT UNIQUE, name TEXT, email TEXT, balance_cents INTEGER)');
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
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return t.ms;
}

interface Run {
  ms: number;
  previewMs: number;
  applyMs: number;
  created: number;
  updated: number;
}

/** Imports `first` into a fresh ledger (every payer new), then `nightly` (every balance changed). */
async function endToEnd(first: Uint8Array, nightly: Uint8Array, fileName: string): Promise<{ firstLoad: Run; nightlyUpdate: Run }> {
  const dir = mkdtempSync(join(tmpdir(), 'ld-bench-imp-'));
  const core = await openDesktopCore(join(dir, 'ledger.sqlite'));
  const admin = await setupFirstAdmin(core.db, systemClock, { username: 'admin', displayName: 'Admin', password: 'bench-password-1' });
  const actor = { userId: admin.id, role: 'admin' as const };
  const div = await core.executor.execute<{ id: string }>(actor, 'divisions.create', { name: 'Bench' });
  if (!div.ok) throw new Error(div.error.message);
  const service = new ImportService(core, { dataDir: dir, templatesDir: join(process.cwd(), 'resources', 'templates') });
  const once = async (bytes: Uint8Array): Promise<Run> => {
    const previewId = newId();
    const t0 = performance.now();
    const preview = await service.preview(actor, { previewId, fileName, kind: 'balance', divisionId: div.value.id, bytes });
    const t1 = performance.now();
    if (!preview.ok) throw new Error(preview.error.message);
    const applied = await service.apply(actor, previewId);
    const t2 = performance.now();
    if (!applied.ok) throw new Error(applied.error.message);
    return { ms: round(t2 - t0), previewMs: round(t1 - t0), applyMs: round(t2 - t1), created: applied.value.accountsCreated, updated: applied.value.accountsUpdated };
  };
  const firstLoad = await once(first);
  const nightlyUpdate = await once(nightly);
  const problems = await verifyLedger(core.db);
  if (problems.length) throw new Error('ledger check failed after import');
  await core.close();
  rmSync(dir, { recursive: true, force: true });
  return { firstLoad, nightlyUpdate };
}

function xlsxOf(rows: string[][]): Buffer {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), 'Balances');
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

export async function main(args: string[]) {
  const { values } = parseArgs({ args, options: { sizes: { type: 'string', default: '10000,100000' } } });
  const sizes = String(values.sizes).split(',').map(Number);
  const out: Record<string, unknown> = {};
  let peak = process.memoryUsage().rss;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  for (const n of sizes) {
    const rows = makeRows(n);
    const nightly = makeRows(n, 1.25);
    const csv = toCsv(rows);
    const base = await baseline(csv.toString('utf8'));
    const c = await endToEnd(csv, toCsv(nightly), `b${n}.csv`);
    const x = await endToEnd(xlsxOf(rows), xlsxOf(nightly), `b${n}.xlsx`);
    const fig = (r: Run) => ({ ...r, rowsPerSec: Math.round(n / (r.ms / 1000)), ratioVsBaseline: round(r.ms / base, 2) });
    out[`rows${n}`] = {
      baselineMs: base,
      csvFirstLoad: fig(c.firstLoad),
      csvNightlyUpdate: fig(c.nightlyUpdate),
      xlsxFirstLoad: fig(x.firstLoad),
      xlsxNightlyUpdate: fig(x.nightlyUpdate),
    };
    console.log(
      `${n.toLocaleString()} rows: baseline ${base} ms · CSV first load ${c.firstLoad.ms} ms (${round(c.firstLoad.ms / base, 2)}×), nightly update ${c.nightlyUpdate.ms} ms (${round(c.nightlyUpdate.ms / base, 2)}×) · XLSX first ${x.firstLoad.ms} ms, nightly ${x.nightlyUpdate.ms} ms`,
    );
  }
  clearInterval(sample);
  out.peakRssMb = mb(peak);
  out.targets = { csv100kMs: 2000, csvRatio: 3, xlsx100kMs: 5000, peakRssMb: 500 };
  console.log(`peak RSS ${mb(peak)} MB (worker threads share the process)`);
  return out;
}
