/**
 * `npm run bench -- sync [--n 100000]`: on a throw-away PostgreSQL cluster (durable settings) with the
 * real server process, pushes N commands from one desktop's outbox (as a large import produces),
 * then a fresh desktop pulls the N-command change stream from cursor 0, and another starts from a
 * snapshot. Baseline: the same number of payment rows inserted straight into PostgreSQL.
 * Targets (issue 5): push of 100,000 within 20 s, pull within 10 s. Also: one import-sized command
 * (imports.applyRows with N rows, its file uploaded in chunks first), as File Transfers produces it.
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { newId } from '../src/shared/ids';
import { ADMIN, drain, makeDesk, startPg, startServer } from '../test/sync/helpers';

export async function main(args: string[]): Promise<Record<string, unknown>> {
  const nIdx = args.indexOf('--n');
  const n = nIdx >= 0 ? Number(args[nIdx + 1]) : 100_000;
  const cluster = await startPg({ durable: true });
  if (!cluster) throw new Error('PostgreSQL (initdb) is needed for this benchmark: apt-get install postgresql');
  const url = await cluster.createDb('bench');
  const viaTcp = args.includes('--tcp');
  // The server talks to PostgreSQL over its Unix socket, as a server on the database host would.
  const server = await startServer({ databaseUrl: viaTcp ? url : cluster.socketUrl('bench'), env: { LOG_LEVEL: 'warn' } });
  const desks = [];
  try {
    const a = await makeDesk('bench-a', server.url, { pushBatch: 500, pullLimit: 10_000, requestTimeoutMs: 600_000 });
    desks.push(a);
    const admin = await a.signIn(ADMIN.username, ADMIN.password);
    const div = await a.run(admin, 'divisions.create', { name: 'Bench' });
    const accounts: string[] = [];
    for (let i = 0; i < 200; i++) accounts.push((await a.run(admin, 'accounts.create', { divisionId: div.id, accountNumber: `B-${i}`, name: `Bench ${i}` })).id);
    await drain(a);

    // N commands in the outbox, as an import would leave them (their local effects are not the subject here).
    const raw = a.core.ledger.raw;
    const ins = raw.prepare(`INSERT INTO sync_outbox (command_id, name, version, input_json, actor_id, subject_id, created_at, state) VALUES (?, 'payments.record', 1, ?, ?, ?, ?, 'pending')`);
    const now = new Date().toISOString();
    raw.transaction(() => {
      for (let i = 0; i < n; i++) {
        const paymentId = newId();
        ins.run(newId(), JSON.stringify({ accountId: accounts[i % accounts.length], amount: `${(i % 500) + 1}.00`, method: 'cash', paymentId }), admin.userId, paymentId, now);
      }
    })();

    let t = performance.now();
    await (a.sync as unknown as { pushAll(): Promise<void> }).pushAll();
    const pushMs = performance.now() - t;
    const left = a.core.ledger.raw.prepare(`SELECT COUNT(*) AS n FROM sync_outbox WHERE state = 'pending'`).get() as { n: number };
    if (left.n !== 0) throw new Error(`push left ${left.n} commands`);

    const c = await makeDesk('bench-c', server.url, { pullLimit: 10_000, requestTimeoutMs: 600_000 });
    desks.push(c);
    await c.signIn(ADMIN.username, ADMIN.password);
    await c.core.executor.serial(() => c.core.db.insertInto('sync_state').values({ key: 'cursor', value: '0' }).execute());
    t = performance.now();
    await (c.sync as unknown as { pullAll(): Promise<void> }).pullAll();
    const pullMs = performance.now() - t;
    const pulledPayments = (c.core.ledger.raw.prepare('SELECT COUNT(*) AS n FROM payments').get() as { n: number }).n;
    const changes = Number(c.core.ledger.raw.prepare(`SELECT value FROM sync_state WHERE key = 'cursor'`).get() ? (c.core.ledger.raw.prepare(`SELECT value FROM sync_state WHERE key = 'cursor'`).get() as { value: string }).value : 0);

    const d = await makeDesk('bench-d', server.url, { requestTimeoutMs: 600_000 });
    desks.push(d);
    await d.signIn(ADMIN.username, ADMIN.password);
    t = performance.now();
    await (d.sync as unknown as { snapshot(token: string): Promise<void> }).snapshot((await (d.sync as unknown as { anyToken(): Promise<string> }).anyToken()));
    const snapshotMs = performance.now() - t;

    // The same size as one import: ONE imports.applyRows command carrying N balance rows (its file
    // uploaded first in checksummed chunks), as File Transfers produces it.
    const rowsN = Number(args[args.indexOf('--import-rows') + 1] ?? 0) || n;
    const file = Buffer.from(`account,balance\n${Array.from({ length: rowsN }, (_, i) => `IMP-${i},${(i % 900) + 1}.00`).join('\n')}\n`);
    const sha = a.files.put(file);
    const rows = Array.from({ length: rowsN }, (_, i) => ({ row: i + 2, accountNumber: `IMP-${i}`, balanceCents: ((i % 900) + 1) * 100, name: `Imported ${i}` }));
    raw.prepare(`INSERT INTO sync_outbox (command_id, name, version, input_json, actor_id, subject_id, created_at, state) VALUES (?, 'imports.applyRows', 1, ?, ?, ?, ?, 'pending')`).run(
      newId(),
      JSON.stringify({ uploadId: newId(), sha256: sha, fileName: 'bench-balances.csv', kind: 'balance', divisionId: div.id, format: 'csv', rowsRead: rowsN, rows, parseIssues: [], notes: [] }),
      admin.userId,
      null,
      now,
    );
    t = performance.now();
    await (a.sync as unknown as { pushAll(): Promise<void> }).pushAll();
    const importPushMs = performance.now() - t;
    const importState = raw.prepare(`SELECT state, error_json FROM sync_outbox WHERE name = 'imports.applyRows'`).get() as { state: string; error_json: string | null };
    if (importState.state !== 'accepted') throw new Error(`the import command was not accepted: ${importState.state} ${importState.error_json}`);

    // Baseline: the same number of payment-sized rows inserted straight into PostgreSQL, 500 per statement.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('CREATE TABLE bench_rows (id text primary key, account_id text, amount_cents bigint, payment_date text, method text, created_at text)');
    t = performance.now();
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
    const baselineMs = performance.now() - t;
    await client.end();

    const fig = {
      commands: n,
      connection: viaTcp ? 'tcp' : 'unix-socket',
      pushSeconds: +(pushMs / 1000).toFixed(2),
      pushCommandsPerSecond: Math.round(n / (pushMs / 1000)),
      pullChanges: changes,
      pullPayments: pulledPayments,
      pullSeconds: +(pullMs / 1000).toFixed(2),
      pullChangesPerSecond: Math.round(changes / (pullMs / 1000)),
      snapshotSeconds: +(snapshotMs / 1000).toFixed(2),
      importRows: rowsN,
      importPushSeconds: +(importPushMs / 1000).toFixed(2),
      importRowsPerSecond: Math.round(rowsN / (importPushMs / 1000)),
      baselineRawInsertSeconds: +(baselineMs / 1000).toFixed(2),
      pushVsRawInsert: +(pushMs / baselineMs).toFixed(1),
      targets: { pushSeconds: 20, pullSeconds: 10 },
    };
    console.log(`push   ${n} commands in ${fig.pushSeconds} s (${fig.pushCommandsPerSecond}/s; target 20 s for 100,000)`);
    console.log(`pull   ${changes} changes (${pulledPayments} payments) in ${fig.pullSeconds} s (${fig.pullChangesPerSecond}/s; target 10 s)`);
    console.log(`snapshot of the same ledger: ${fig.snapshotSeconds} s`);
    console.log(`import-sized push: one command of ${rowsN} balance rows (file uploaded first) in ${fig.importPushSeconds} s (${fig.importRowsPerSecond} rows/s)`);
    console.log(`baseline: ${n} raw INSERTs into PostgreSQL in ${fig.baselineRawInsertSeconds} s (push is ${fig.pushVsRawInsert}x)`);
    return fig;
  } finally {
    for (const d of desks) await d.close().catch(() => undefined);
    await server.kill();
    await cluster.stop();
  }
}
