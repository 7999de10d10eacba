import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll } from 'vitest';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import type { Actor, Clock } from '../../src/core/commands/types';
import type { Database } from '../../src/core/db/schema';
import { openDesktopCore } from '../../src/core/ledger-core';
import { verifyLedger } from '../../src/core/ledger/checks';
import { discoverSyncTables, ROLE_SCOPES, scopeRow } from '../../src/core/sync/tables';
import type { Role } from '../../src/shared/roles';
import { newId } from '../../src/shared/ids';
import { FileStore } from '../../src/main/imports/file-store';
import { FaultProxy } from './fault-proxy';
import { SyncClient, type SyncClientOptions } from '../../src/main/sync/sync-client';
import { FileTokenStore } from '../../src/main/sync/token-store';
import type { AttemptChannel, RunChannel, RunName, RunOutput } from '../helpers/channels';
import type { ServerDatabase, ServerTables } from '../../src/server/db/schema';

pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export const ADMIN = { username: 'admin', password: 'admin-password-1' };
const ROOT = process.cwd();

export interface RunningServer {
  url: string;
  dataDir: string;
  proc: ChildProcess;
  output: string[];
  kill(signal?: NodeJS.Signals): Promise<void>;
  restart(): Promise<void>;
}

/** The real server, as a separate process (`node --import tsx src/server/cli.ts`). */
export async function startServer(opts: { databaseUrl?: string; env?: Record<string, string>; dataDir?: string } = {}): Promise<RunningServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'ledgerdesk-server-'));
  const s: RunningServer = {
    url: '',
    dataDir,
    proc: null as unknown as ChildProcess,
    output: [],
    kill: async (signal = 'SIGTERM') => {
      if (s.proc.exitCode !== null || s.proc.signalCode) return;
      const done = new Promise((r) => s.proc.once('exit', r));
      s.proc.kill(signal);
      await done;
    },
    restart: async () => {
      await s.kill('SIGKILL');
      await launch();
    },
  };
  const launch = async () => {
    // LEDGERDESK_SERVER_CPU_PROF=<dir>: the server writes a V8 CPU profile there when it exits (for the push bench).
    const prof = process.env.LEDGERDESK_SERVER_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.LEDGERDESK_SERVER_CPU_PROF}`] : [];
    const proc = spawn(process.execPath, [...prof, '--import', 'tsx', 'src/server/cli.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        DATABASE_URL: opts.databaseUrl ?? '',
        LOG_LEVEL: process.env.SYNC_TEST_LOG_LEVEL ?? 'warn',
        LEDGERDESK_ADMIN_USER: ADMIN.username,
        LEDGERDESK_ADMIN_PASSWORD: ADMIN.password,
        SIGNIN_PER_MINUTE: '1000',
        ...(opts.env ?? {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    s.proc = proc;
    s.url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${s.output.join('')}`)), 60_000);
      const onData = (b: Buffer) => {
        s.output.push(b.toString());
        if (s.output.length > 400) s.output.splice(0, 200);
        const m = /listening on (https?:\/\/[^\s]+)/.exec(b.toString());
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      };
      proc.stdout!.on('data', onData);
      proc.stderr!.on('data', (b: Buffer) => s.output.push(b.toString()));
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server exited (${code}):\n${s.output.join('')}`));
      });
    }).catch((e) => {
      throw e;
    });
  };
  await launch();
  return s;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

function pgBin(): string | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  for (const v of readdirSync(base).sort().reverse()) if (existsSync(join(base, v, 'bin', 'initdb'))) return join(base, v, 'bin');
  return null;
}

export interface PgCluster {
  url(db: string): string;
  /** The same database over the cluster's Unix socket (lower latency per statement). */
  socketUrl(db: string): string;
  createDb(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** A throw-away PostgreSQL cluster in a temp folder (run as the postgres user when we are root). */
export async function startPg(opts: { durable?: boolean } = {}): Promise<PgCluster | null> {
  const bin = pgBin();
  if (!bin) {
    console.warn('[sync tests] PostgreSQL (initdb) is not installed: the PostgreSQL runs are SKIPPED. CI installs it (.ci/run).');
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), 'ledgerdesk-pg-'));
  chmodSync(dir, 0o777);
  const asPg = (cmd: string, args: string[]) => {
    const root = process.getuid?.() === 0;
    const r = root ? spawnSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { encoding: 'utf8' }) : spawnSync(join(bin, cmd), args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout}`);
  };
  const port = await freePort();
  asPg('initdb', ['-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync']);
  asPg('pg_ctl', ['-D', join(dir, 'data'), '-l', join(dir, 'log.txt'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 ${opts.durable ? '' : '-c fsync=off '}-c max_connections=200`, 'start']);
  const url = (db: string) => `postgres://postgres@127.0.0.1:${port}/${db}`;
  return {
    url,
    socketUrl: (db) => `postgres://postgres@localhost/${db}?host=${encodeURIComponent(dir)}&port=${port}`,
    createDb: async (name) => {
      const c = new pg.Client({ connectionString: url('postgres') });
      await c.connect();
      await c.query(`CREATE DATABASE ${name}`);
      await c.end();
      return url(name);
    },
    stop: async () => {
      try {
        asPg('pg_ctl', ['-D', join(dir, 'data'), '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** The srv_* tables as a type alias (Kysely's withTables wants one; an interface has no index signature). */
type SrvTables = { [K in keyof ServerTables]: ServerTables[K] };

/** Read access to the server's database: `db` as the ledger's tables, `srv` with the server's own (srv_*) too. */
export function serverDb(server: RunningServer, databaseUrl?: string): { db: Kysely<Database>; srv: Kysely<ServerDatabase>; dialect: 'sqlite' | 'postgres'; close(): Promise<void> } {
  if (databaseUrl) {
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: databaseUrl, max: 2 }) }) });
    return { db, srv: db.withTables<SrvTables>(), dialect: 'postgres', close: () => db.destroy() };
  }
  const raw = new BetterSqlite3(join(server.dataDir, 'server.sqlite'), { readonly: true });
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) });
  return { db, srv: db.withTables<SrvTables>(), dialect: 'sqlite', close: () => db.destroy() };
}

export interface Desk {
  name: string;
  core: Awaited<ReturnType<typeof openDesktopCore>>;
  sync: SyncClient;
  dir: string;
  files: FileStore;
  users: Record<string, Actor>;
  signIn(username: string, password: string): Promise<Actor>;
  run: RunChannel;
  attempt: AttemptChannel;
  close(): Promise<void>;
}

/** A desktop: the real core on its own SQLite file, with the real sync client. */
export async function makeDesk(name: string, serverUrl: string, opts: Partial<SyncClientOptions> & { clock?: Clock } = {}): Promise<Desk> {
  const dir = mkdtempSync(join(tmpdir(), `ledgerdesk-desk-${name}-`));
  const core = await openDesktopCore(join(dir, 'ledger.sqlite'), opts.clock ? { clock: opts.clock } : {});
  const files = new FileStore(join(dir, 'files'));
  const sync = new SyncClient({ core, tokens: new FileTokenStore(join(dir, 'tokens.json')), files, live: false, backoff: { baseMs: 50, maxMs: 500 }, requestTimeoutMs: 20_000, ...opts });
  await sync.init();
  await sync.configure(serverUrl);
  const users: Record<string, Actor> = {};
  const d: Desk = {
    name,
    core,
    sync,
    dir,
    files,
    users,
    signIn: async (username, password) => {
      const r = await sync.signIn(username, password);
      if (!r.online) throw new Error(`sign-in offline: ${r.reason}`);
      return (users[username] = { userId: r.userId, role: r.role as Actor['role'] });
    },
    run: async (actor, cmd, input) => {
      const r = await d.attempt(actor, cmd, input);
      if (!r.ok) throw new Error(`${cmd} failed: ${r.error.code} ${r.error.message}`);
      return r.value;
    },
    attempt: <K extends RunName>(actor: Actor, cmd: K, input: unknown) => core.executor.execute<RunOutput<K>>(actor, cmd, input),
    close: async () => {
      await sync.stop();
      await core.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return d;
}

/**
 * An administrator signs in on a new desk once, which registers it with the server, and signs out
 * again (issue 13: a CSR alone cannot bring a new computer into the office). Nothing is pulled.
 */
/**
 * For one describe block: a server on SQLite, a fault proxy in front of it and one desk `name`
 * behind the proxy, started before its tests and stopped after them. Read the fields inside tests.
 */
export function proxiedDesk(name: string, startTimeoutMs = 120_000): { readonly server: RunningServer; readonly proxy: FaultProxy; readonly desk: Desk } {
  const env = {} as { server: RunningServer; proxy: FaultProxy; desk: Desk };
  beforeAll(async () => {
    env.server = await startServer();
    env.proxy = new FaultProxy(env.server.url);
    env.desk = await makeDesk(name, await env.proxy.start());
  }, startTimeoutMs);
  afterAll(async () => {
    await env.desk?.close();
    await env.proxy?.stop();
    await env.server?.kill();
  });
  return env;
}

export async function registerDesk(desk: Desk): Promise<void> {
  const url = desk.sync.status().serverUrl!;
  const signIn = await fetch(`${url}/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
  const { token } = (await signIn.json()) as { token: string };
  await desk.sync['link'].ensureDevice(token);
  await fetch(`${url}/v1/auth/sign-out`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{}' });
}

/** Syncs until nothing is pending (transport failures are retried by the test loop itself). */
export async function drain(desk: Desk, maxRounds = 200): Promise<void> {
  for (let i = 0; i < maxRounds; i++) {
    await desk.sync.syncNow();
    const st = desk.sync.status();
    const accepted = await desk.core.db.selectFrom('sync_outbox').select('seq').where('state', '=', 'accepted').executeTakeFirst();
    if (st.pending === 0 && !accepted && st.online) return;
  }
  throw new Error(`${desk.name} did not drain: ${JSON.stringify(desk.sync.status())}`);
}

/** Every synced table, row by row (synced columns), ordered by key. */
export async function dumpTables(db: Kysely<Database>, dialect: 'sqlite' | 'postgres', only?: string[]): Promise<Record<string, unknown[]>> {
  const tables = await discoverSyncTables(db, dialect);
  const out: Record<string, unknown[]> = {};
  for (const t of tables) {
    if (only && !only.includes(t.name)) continue;
    const rows = (await sql<Record<string, unknown>>`SELECT ${sql.raw(t.synced.map((c) => `"${c}"`).join(', '))} FROM ${sql.raw(`"${t.name}"`)} ORDER BY ${sql.raw(t.pk.map((c) => `"${c}"`).join(', '))}`.execute(db)).rows;
    // Secret columns (users.password_hash) sync as their blank: desks hold the blank, the server the value.
    out[t.name] = rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, k in t.secret ? t.secret[k] : typeof v === 'bigint' ? Number(v) : v])));
  }
  return out;
}

/** Tables both sides have (the desktop may know tables the server's process created later, and the reverse). */
export async function compareWithServer(desk: Pick<Desk, 'core'>, server: { db: Kysely<Database>; dialect: 'sqlite' | 'postgres' }) {
  const mine = await dumpTables(desk.core.db, 'sqlite');
  const theirs = await dumpTables(server.db, server.dialect);
  // A desk holds what its role may receive (src/core/sync/tables.ts ROLE_SCOPES): compare with that cut.
  const scope = (await desk.core.db.selectFrom('sync_state').select('value').where('key', '=', 'scope').executeTakeFirst())?.value as Role | undefined;
  if (scope) for (const t of Object.keys(ROLE_SCOPES)) if (theirs[t]) theirs[t] = theirs[t]!.map((r) => scopeRow(t, scope, r as Record<string, unknown>)).filter((r) => r !== null);
  const names = Object.keys(mine).filter((n) => n in theirs);
  return { mine: Object.fromEntries(names.map((n) => [n, mine[n]])), theirs: Object.fromEntries(names.map((n) => [n, theirs[n]])) };
}

export async function ledgerProblems(db: Kysely<Database>) {
  return verifyLedger(db);
}

export type QueuedPayment = { id: string; accountId: string; cents: number };

/**
 * Payments left in a desk's outbox, not run on the desk, as a desk that worked offline leaves them
 * for one large push (the push tests' input). Returns the rows' created_at.
 */
export function queuePayments(desk: Desk, actorId: string, payments: readonly QueuedPayment[]): string {
  const raw = desk.core.ledger.raw;
  const ins = raw.prepare(
    `INSERT INTO sync_outbox (command_id, name, version, input_json, actor_id, subject_id, created_at, business_date, state) VALUES (?, 'payments.record', 1, ?, ?, ?, ?, ?, 'pending')`,
  );
  const now = new Date().toISOString();
  raw.transaction(() => {
    for (const p of payments) ins.run(newId(), JSON.stringify({ accountId: p.accountId, amount: (p.cents / 100).toFixed(2), method: 'cash', paymentId: p.id }), actorId, p.id, now, now.slice(0, 10));
  })();
  return now;
}

