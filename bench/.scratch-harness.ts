// Scratch: in-process push of N payments.record through runPush, with per-statement tracing.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { openServerStore } from '/work/wt-push/src/server/db/open';
import { runPush } from '/work/wt-push/src/server/push';
import { setupFirstAdmin } from '/work/wt-push/src/core/auth/sign-in';
import { systemClock } from '/work/wt-push/src/core/ledger-core';
import { BatchDb } from '/work/wt-push/src/server/db/batch-db';
import { newId } from '/work/wt-push/src/shared/ids';

const n = Number(process.argv[2] ?? 2000);
const trace = process.argv.includes('--trace');
const pgUrl = process.env.PGURL;
const store = await openServerStore({ dataDir: mkdtempSync(join(tmpdir(), 'push-h-')), databaseUrl: pgUrl });
await store.core.executor.serial(() => setupFirstAdmin(store.core.db, systemClock, { username: 'admin', displayName: 'A', password: 'correct horse battery staple 9' }));
const admin = await store.core.db.selectFrom('users').select(['id', 'role']).executeTakeFirstOrThrow();
const actor = { userId: admin.id, role: admin.role as never };
const ex = store.core.executor;
const must = <T>(r: { ok: boolean; value?: T; error?: unknown }) => { if (!r.ok) throw new Error(JSON.stringify(r.error)); return r.value as T; };
const div = must<{ id: string }>(await ex.execute(actor, 'divisions.create', { name: 'Bench' }));
const accounts: string[] = [];
for (let i = 0; i < 200; i++) accounts.push(must<{ id: string }>(await ex.execute(actor, 'accounts.create', { divisionId: div.id, accountNumber: `B-${i}`, name: `Bench ${i}` })).id);
const counts = new Map<string, { n: number; ms: number }>();
if (trace) {
  const proto = BatchDb.prototype as unknown as { execute: (conn: unknown, q: { sql: string }) => Promise<unknown> };
  const orig = proto.execute;
  proto.execute = async function (this: BatchDb, conn, q) {
    const before = this.stats.statements + this.stats.flushStatements;
    const t = performance.now();
    const r = await orig.call(this, conn, q);
    const sent = this.stats.statements + this.stats.flushStatements - before;
    const k = `${sent > 0 ? 'SENT' : 'held/cached'} ${q.sql.slice(0, 150)}`;
    const c = counts.get(k) ?? { n: 0, ms: 0 };
    c.n++; c.ms += performance.now() - t; counts.set(k, c);
    return r;
  };
}
const log = pino({ level: 'warn' });
const today = new Date().toISOString().slice(0, 10);
const clientId = newId();
let seq = 0;
const t0 = performance.now();
const cpu0 = process.cpuUsage();
for (let done = 0; done < n; done += 1000) {
  const commands = [];
  for (let i = done; i < Math.min(n, done + 1000); i++) {
    commands.push({ id: newId(), clientSeq: ++seq, name: 'payments.record', version: 1, input: { accountId: accounts[i % accounts.length], amount: `${(i % 500) + 1}.00`, method: 'cash', paymentId: newId() }, at: { businessDate: today, occurredAt: new Date().toISOString() } });
  }
  const res = await runPush(store, actor, clientId, commands as never, log, () => undefined);
  const bad = res.outcomes.filter((o) => o.status !== 'accepted');
  if (bad.length) throw new Error(JSON.stringify(bad[0]));
}
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
console.log(`${store.dialect}: ${n} in ${(ms / 1000).toFixed(2)} s = ${Math.round(n / (ms / 1000))}/s; cpu ${((cpu.user + cpu.system) / 1000 / n).toFixed(3)} ms/command`);
if (trace) for (const [k, v] of [...counts].sort((a, b) => b[1].ms - a[1].ms).slice(0, 40)) console.log(`${String(v.n).padStart(6)} ${v.ms.toFixed(0).padStart(6)}ms ${k}`);
await store.close();
