/**
 * `npm run bench -- sync [--n 100000] [--only sqlite|postgres] [--import-rows N] [--tcp]`: the real
 * server process on SQLite and on a throw-away PostgreSQL cluster (durable settings; skipped with a
 * printed reason when PostgreSQL is not installed). Per dialect: one desk pushes N `payments.record`
 * commands from its outbox (as a desk joining with a year of work does), a fresh desk pulls the
 * resulting change stream from cursor 0, another starts from a snapshot. Baseline, same process,
 * same dialect: the same N payment rows inserted straight into a table (SQLite: one prepared
 * statement in one transaction; PostgreSQL: 500-row INSERTs), and the ratio push / baseline.
 * Also the CPU the server (and PostgreSQL) spent per pushed command, which the machine's load
 * does not inflate the way it does wall-clock time. Optional: one import-sized command
 * (imports.applyRows with N rows, its file uploaded in chunks first).
 * Targets (issue 13): push of 100,000 within 50 s on each dialect (aim 20 s); pull within 10 s.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { pushPending } from '../src/main/sync/pusher';
import { newId } from '../src/shared/ids';
import { ADMIN, drain, makeDesk, startPg, startServer, type Desk, type PgCluster } from '../test/sync/helpers';

type Dialect = 'sqlite' | 'postgres';

// One part of a desk's sync cycle at a time (src/main/sync: the pusher, the puller), after the desk
// has proved itself to the server as its cycle does first.
async function proven(d: Desk): Promise<string> {
  const link = d.sync['link'];
  const token = await link.anyToken();
  if (!token) throw new Error(`desk ${d.dir} has no token`);
  await link.ensureDevice(token);
  return token;
}
const pushAll = async (d: Desk) => {
  await proven(d);
  await pushPending(d.sync['link'], d.files);
};
const pullAll = async (d: Desk) => {
  await proven(d);
  await d.sync['puller'].pullAll(10_000);
};
const snapshot = async (d: Desk) => d.sync['puller'].snapshot(await proven(d));

export async function main(args: string[]): Promise<Record<string, unknown>> {
  const arg = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const n = Number(arg('--n') ?? 100_000);
  const only = arg('--only') as Dialect | undefined;
  const importRows = Number(arg('--import-rows') ?? 0);
  const out: Record<string, unknown> = { commands: n, loadAverage1m: +loadavg()[0]!.toFixed(1) };
  console.log(`machine load average (1 min) at start: ${out.loadAverage1m} on this many cores: ${navigatorCores()}`);
  for (const dialect of ['sqlite', 'postgres'] as const) {
    if (only && only !== dialect) continue;
    let cluster: PgCluster | null = null;
    if (dialect === 'postgres') {
      cluster = await startPg({ durable: true });
      if (!cluster) {
        console.log('postgres: SKIPPED: PostgreSQL (initdb) is not installed here (apt-get install postgresql).');
        out.postgres = { skipped: 'PostgreSQL (initdb) is not installed' };
        continue;
      }
    }
    try {
      out[dialect] = await benchDialect(dialect, cluster, n, importRows, args.includes('--tcp'));
    } finally {
      await cluster?.stop();
    }
  }
  return { ...out, targets: { pushSeconds: 50, aimPushSeconds: 20, pullSeconds: 10 } };
}

async function benchDialect(dialect: Dialect, cluster: PgCluster | null, n: number, importRows: number, viaTcp: boolean): Promise<Record<string, unknown>> {
  let databaseUrl: string | undefined;
  let socketUrl: string | undefined;
  if (cluster) {
    databaseUrl = await cluster.createDb('bench');
    socketUrl = cluster.socketUrl('bench');
  }
  // On PostgreSQL the server talks over the Unix socket, as a server on the database host would.
  const server = await startServer({ databaseUrl: viaTcp ? databaseUrl : socketUrl, env: { LOG_LEVEL: 'warn', LEDGERDESK_PUSH_STATS: '1' } });
  const desks: Desk[] = [];
  try {
    const a = await makeDesk(`bench-${dialect}-a`, server.url, { pullLimit: 10_000, requestTimeoutMs: 600_000 });
    desks.push(a);
    const admin = await a.signIn(ADMIN.username, ADMIN.password);
    const div = await a.run(admin, 'divisions.create', { name: 'Bench' });
    const accounts: string[] = [];
    for (let i = 0; i < 200; i++) accounts.push((await a.run(admin, 'accounts.create', { divisionId: div.id, accountNumber: `B-${i}`, name: `Bench ${i}` })).id);
    await drain(a);

    // N commands in the outbox, as a desk that worked for a long time leaves them (their local effects are not the subject here).
    const raw = a.core.ledger.raw;
    const ins = raw.prepare(`INSERT INTO sync_outbox (command_id, name, version, input_json, actor_id, subject_id, created_at, business_date, state) VALUES (?, 'payments.record', 1, ?, ?, ?, ?, ?, 'pending')`);
    const now = new Date().toISOString();
    raw.transaction(() => {
      for (let i = 0; i < n; i++) {
        const paymentId = newId();
        ins.run(newId(), JSON.stringify({ accountId: accounts[i % accounts.length], amount: `${(i % 500) + 1}.00`, method: 'cash', paymentId }), admin.userId, paymentId, now, now.slice(0, 10));
      }
    })();

    // The server's batch lines, read as they come (its kept output is trimmed on long runs).
    let pushLog = '';
    const onOut = (b: Buffer) => void (pushLog += b.toString());
    server.proc.stdout?.on('data', onOut);
    server.proc.stderr?.on('data', onOut);
    const cpu0 = cpuOf(server.proc.pid!, socketUrl);
    let t = performance.now();
    await pushAll(a);
    const pushMs = performance.now() - t;
    const cpu1 = cpuOf(server.proc.pid!, socketUrl);
    server.proc.stdout?.off('data', onOut);
    server.proc.stderr?.off('data', onOut);
    const stmts = pushStats(pushLog);
    const left = raw.prepare(`SELECT COUNT(*) AS n FROM sync_outbox WHERE state <> 'accepted'`).get() as { n: number };
    if (left.n !== 0) throw new Error(`push left ${left.n} commands not accepted`);

    const c = await makeDesk(`bench-${dialect}-c`, server.url, { pullLimit: 10_000, requestTimeoutMs: 600_000 });
    desks.push(c);
    await c.signIn(ADMIN.username, ADMIN.password);
    await c.core.executor.serial(() => c.core.db.insertInto('sync_state').values({ key: 'cursor', value: '0' }).execute());
    t = performance.now();
    await pullAll(c);
    const pullMs = performance.now() - t;
    const cRaw = c.core.ledger.raw;
    const pulledPayments = (cRaw.prepare('SELECT COUNT(*) AS n FROM payments').get() as { n: number }).n;
    const changes = Number((cRaw.prepare(`SELECT value FROM sync_state WHERE key = 'cursor'`).get() as { value: string } | undefined)?.value ?? 0);

    const d = await makeDesk(`bench-${dialect}-d`, server.url, { requestTimeoutMs: 600_000 });
    desks.push(d);
    await d.signIn(ADMIN.username, ADMIN.password);
    t = performance.now();
    await snapshot(d);
    const snapshotMs = performance.now() - t;

    let importFig: Record<string, number> = {};
    if (importRows > 0) {
      // One import-sized command: imports.applyRows carrying N balance rows (its file uploaded first in checksummed chunks).
      const file = Buffer.from(`account,balance\n${Array.from({ length: importRows }, (_, i) => `IMP-${i},${(i % 900) + 1}.00`).join('\n')}\n`);
      const sha = a.files.put(file);
      const rows = Array.from({ length: importRows }, (_, i) => ({ row: i + 2, accountNumber: `IMP-${i}`, balanceCents: ((i % 900) + 1) * 100, name: `Imported ${i}` }));
      raw.prepare(`INSERT INTO sync_outbox (command_id, name, version, input_json, actor_id, subject_id, created_at, state) VALUES (?, 'imports.applyRows', 1, ?, ?, ?, ?, 'pending')`).run(
        newId(),
        JSON.stringify({ uploadId: newId(), sha256: sha, fileName: 'bench-balances.csv', kind: 'balance', divisionId: div.id, format: 'csv', rowsRead: importRows, rows, parseIssues: [], notes: [] }),
        admin.userId,
        null,
        now,
      );
      t = performance.now();
      await pushAll(a);
      const importPushMs = performance.now() - t;
      const st = raw.prepare(`SELECT state, error_json FROM sync_outbox WHERE name = 'imports.applyRows'`).get() as { state: string; error_json: string | null };
      if (st.state !== 'accepted') throw new Error(`the import command was not accepted: ${st.state} ${st.error_json}`);
      importFig = { importRows, importPushSeconds: sec(importPushMs), importRowsPerSecond: Math.round(importRows / (importPushMs / 1000)) };
    }

    const baselineMs = dialect === 'postgres' ? await baselinePg(databaseUrl!, n, accounts, now) : baselineSqlite(n, accounts, now);
    const fig = {
      pushSeconds: sec(pushMs),
      pushCommandsPerSecond: Math.round(n / (pushMs / 1000)),
      serverCpuMsPerCommand: +((cpu1.server - cpu0.server) / n).toFixed(3),
      statementsPerCommand: +(stmts.statements / n).toFixed(2),
      cachedReadsPerCommand: +(stmts.cacheHits / n).toFixed(2),
      heldRowsPerCommand: +(stmts.deferredRows / n).toFixed(2),
      heldRowUpdatesPerCommand: +(stmts.heldUpdates / n).toFixed(2),
      multiRowInserts: stmts.flushStatements,
      ...(dialect === 'postgres' ? { postgresCpuMsPerCommand: +((cpu1.postgres - cpu0.postgres) / n).toFixed(3) } : {}),
      pullChanges: changes,
      pullPayments: pulledPayments,
      pullSeconds: sec(pullMs),
      pullChangesPerSecond: Math.round(changes / (pullMs / 1000)),
      snapshotSeconds: sec(snapshotMs),
      ...importFig,
      baselineRawInsertSeconds: sec(baselineMs),
      pushVsRawInsert: +(pushMs / baselineMs).toFixed(1),
    };
    const cpuLine = `server CPU ${fig.serverCpuMsPerCommand} ms/command${'postgresCpuMsPerCommand' in fig ? `, PostgreSQL CPU ${fig.postgresCpuMsPerCommand} ms/command` : ''}`;
    console.log(`${dialect}: push   ${n} payments.record in ${fig.pushSeconds} s (${fig.pushCommandsPerSecond}/s; ${cpuLine}; target 50 s for 100,000, aim 20 s)`);
    console.log(
      `${dialect}: push   ${fig.statementsPerCommand} statements/command sent to the database (+ ${fig.multiRowInserts} statements writing held rows: multi-row INSERTs carrying ${fig.heldRowsPerCommand} rows/command, and one UPDATE per row for ${fig.heldRowUpdatesPerCommand} held row updates/command; ${fig.cachedReadsPerCommand} reads/command answered from the batch cache)`,
    );
    console.log(`${dialect}: pull   ${changes} changes (${pulledPayments} payments) in ${fig.pullSeconds} s (${fig.pullChangesPerSecond}/s)`);
    console.log(`${dialect}: snapshot of the same ledger: ${fig.snapshotSeconds} s`);
    if (importRows > 0) console.log(`${dialect}: import-sized push: one command of ${importRows} balance rows in ${importFig.importPushSeconds} s`);
    console.log(`${dialect}: baseline: ${n} raw payment-row INSERTs in ${fig.baselineRawInsertSeconds} s (push is ${fig.pushVsRawInsert}x)`);
    return fig;
  } finally {
    for (const d of desks) await d.close().catch(() => undefined);
    await server.kill();
  }
}

/** The server's per-batch counts (push.ts logs one 'push batch' line per batch when LEDGERDESK_PUSH_STATS=1), summed. */
function pushStats(output: string): { statements: number; cacheHits: number; deferredRows: number; heldUpdates: number; flushStatements: number } {
  const sum = { statements: 0, cacheHits: 0, deferredRows: 0, heldUpdates: 0, flushStatements: 0 };
  for (const line of output.split('\n')) {
    if (!line.includes('"push batch"')) continue;
    try {
      const j = JSON.parse(line) as typeof sum;
      for (const k of Object.keys(sum) as (keyof typeof sum)[]) sum[k] += Number(j[k] ?? 0);
    } catch {
      // a line cut by the output buffer
    }
  }
  return sum;
}

const sec = (ms: number) => +(ms / 1000).toFixed(2);

const navigatorCores = () => readdirSync('/sys/devices/system/cpu').filter((f) => /^cpu\d+$/.test(f)).length;

function baselineSqlite(n: number, accounts: string[], now: string): number {
  const dir = mkdtempSync(join(tmpdir(), 'ledgerdesk-bench-'));
  const db = new BetterSqlite3(join(dir, 'baseline.sqlite'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE bench_rows (id TEXT PRIMARY KEY, account_id TEXT, amount_cents INTEGER, payment_date TEXT, method TEXT, created_at TEXT)');
    const st = db.prepare('INSERT INTO bench_rows VALUES (?, ?, ?, ?, ?, ?)');
    const t = performance.now();
    db.transaction(() => {
      for (let i = 0; i < n; i++) st.run(newId(), accounts[i % accounts.length], 100, '2026-03-01', 'cash', now);
    })();
    return performance.now() - t;
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function baselinePg(url: string, n: number, accounts: string[], now: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CREATE TABLE bench_rows (id text primary key, account_id text, amount_cents bigint, payment_date text, method text, created_at text)');
    const t = performance.now();
    for (let i = 0; i < n; i += 500) {
      const vals: unknown[] = [];
      const rows: string[] = [];
      for (let j = i; j < Math.min(n, i + 500); j++) {
        const k = vals.length;
        rows.push(`($${k + 1}, $${k + 2}, $${k + 3}, $${k + 4}, $${k + 5}, $${k + 6})`);
        vals.push(newId(), accounts[j % accounts.length], 100, '2026-03-01', 'cash', now);
      }
      await client.query(`INSERT INTO bench_rows VALUES ${rows.join(',')}`, vals);
    }
    return performance.now() - t;
  } finally {
    await client.end();
  }
}

/** CPU time (ms) used so far by the server process and, on PostgreSQL, by the cluster's processes (Linux /proc). */
function cpuOf(serverPid: number, socketUrl: string | undefined): { server: number; postgres: number } {
  return { server: procCpuMs(serverPid), postgres: socketUrl ? clusterCpuMs(socketUrl) : 0 };
}

function procCpuMs(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) * 10; // utime + stime, in clock ticks of 10 ms
  } catch {
    return 0;
  }
}

function clusterCpuMs(socketUrl: string): number {
  try {
    const dir = decodeURIComponent(/host=([^&]+)/.exec(socketUrl)![1]!);
    const postmaster = Number(readFileSync(join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    let total = procCpuMs(postmaster);
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]?.split(' ');
      if (stat && Number(stat[1]) === postmaster) total += procCpuMs(Number(d));
    }
    return total;
  } catch {
    return 0;
  }
}
