import { mayRun } from '../core/settings/role-rules';
import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import { businessTimeAt, implausibleTime, readOfficeTimeZone, type BusinessTime } from '../core/commands/business-time';
import { AuditChainHead } from '../core/audit/audit-log';
import { auditDenied, commandLogRow, runCommand, runKeep, type RunRequest } from '../core/commands/runner';
import type { Actor, KeptMoney } from '../core/commands/types';
import { zodToAppError } from '../core/commands/zod-error';
import type { Database } from '../core/db/schema';
import { PG_COMMIT_LOCK } from '../core/sync/capture';
import { fileRefs, type PushedCommand, type PushOutcome, type PushResponse, type WireError } from '../core/sync/protocol';
import { canonicalJson, sha256 } from '../core/util/canonical-json';
import { AppFailure, type AppError } from '../shared/result';
import { BatchDb, FlushFailed } from './db/batch-db';
import type { ServerDatabase } from './db/schema';
import type { ServerStore } from './db/open';

type Trx = Kysely<ServerDatabase>;

const RETRYABLE_PG = new Set(['40001', '40P01']);

/**
 * Runs a pushed batch: the server dedupes by command id, re-runs each new command against its own
 * state through the one command runner (role from the server's user record; the business date and
 * acted-at time the desk fixed, checked against the server's clock), and records every answer. A
 * refused command that recorded money keeps it in a safe state (the command's `keep`).
 *
 * The whole batch is one transaction through the executor's single-writer queue (on PostgreSQL also
 * the commit lock, which orders it against every other server process). For speed (issue 13: a
 * desk pushing a year of work) the batch first runs without a savepoint per command, with one
 * dedupe read, one audit-chain read and multi-row command-log and answer rows for the whole
 * batch. When a command is refused, that attempt is rolled back whole and the batch runs again
 * with a savepoint from that command on, so a refused command leaves no trace but its answer (and
 * what its `keep` kept), exactly as if every command had had its own savepoint.
 */
export async function runPush(
  store: ServerStore,
  actor: Actor,
  clientId: string,
  commands: PushedCommand[],
  log: Logger,
  afterCommit: (lastSeq: number) => void,
): Promise<PushResponse> {
  const ex = store.core.executor;
  let savepointFrom = commands.length;
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await ex.serial(() => store.db.transaction().execute((trx) => runBatch(store, trx, actor, clientId, commands, log, savepointFrom)));
      if (res.changed) afterCommit(res.serverSeq);
      return res.response;
    } catch (e) {
      // A refusal, or a held row that failed when written: again, with savepoints from that command on.
      const from = e instanceof Refused ? e.index : e instanceof FlushFailed ? e.first : null;
      if (from !== null && from < savepointFrom) {
        savepointFrom = from;
        continue;
      }
      const code = errorCode(e);
      if (code && RETRYABLE_PG.has(code) && attempt < 5) continue;
      throw e;
    }
  }
}

/** Thrown out of an attempt run without savepoints: command `index` was refused, run again with savepoints from it. */
class Refused extends Error {
  constructor(readonly index: number) {
    super(`pushed command ${index} was refused`);
  }
}

/** A database error's code, also when it was raised writing held rows. */
const errorCode = (e: unknown): string | undefined => ((e instanceof FlushFailed ? e.cause : e) as { code?: string } | null)?.code;

/** Tables triggers write (the change stream and its transaction counter, search indexes, desk-only capture). */
const derivedTable = (t: string) => t.startsWith('srv_') || t.startsWith('sync_') || t.endsWith('_fts') || t === 'local_user_verifiers';

type Batch = {
  store: ServerStore;
  trx: Trx;
  /** The batch's cached reads and held INSERTs (batch-db.ts); `trx` is its handle. */
  bdb: BatchDb;
  actor: Actor;
  log: Logger;
  chain: AuditChainHead;
  /** Command-log rows of the commands run so far, written multi-row at the end. */
  logged: Database['command_log'][];
};

// long: one pushed batch read top to bottom (dedupe, the commands, the answers written once); split parts would share most of its state.
async function runBatch(store: ServerStore, outer: Trx, actor: Actor, clientId: string, commands: PushedCommand[], log: Logger, savepointFrom: number) {
  const now = store.core.clock.now().toISOString();
  // Every statement of the batch goes through it, so a held row is written before anything that could see it.
  const bdb = new BatchDb(outer, { dialect: store.dialect, derived: derivedTable });
  const trx = bdb.db as unknown as Trx;
  if (store.dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(${PG_COMMIT_LOCK})`.execute(trx);
  let client = await trx.selectFrom('srv_clients').selectAll().where('client_id', '=', clientId).executeTakeFirst();
  if (!client) {
    client = { client_id: clientId, last_seq: 0, audit_seq: 0, audit_hash: '0'.repeat(64), updated_at: now };
    await trx.insertInto('srv_clients').values(client).execute();
  }
  const ids = [...new Set(commands.map((c) => c.id))];
  const known = new Map<string, Pick<ServerDatabase['srv_commands'], 'input_hash' | 'status' | 'error_json' | 'server_seq'>>();
  // Already in the ledger's command log (run by this server outside a push): same input = accepted.
  const ran = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    for (const r of await trx.selectFrom('srv_commands').select(['command_id', 'input_hash', 'status', 'error_json', 'server_seq']).where('command_id', 'in', part).execute()) known.set(r.command_id, r);
    for (const r of await trx.selectFrom('command_log').select(['id', 'input_hash']).where('id', 'in', part).execute()) ran.set(r.id, r.input_hash);
  }
  const b: Batch = { store, trx, bdb, actor, log, chain: new AuditChainHead(), logged: [] };
  const outcomes: PushOutcome[] = [];
  const fresh: { outcome: PushOutcome; row: Omit<ServerDatabase['srv_commands'], 'server_seq'> }[] = [];
  const answered = new Map<string, { hash: string; outcome: PushOutcome }>();
  let lastSeq = client.last_seq;
  let stop = false;
  for (const [index, c] of commands.entries()) {
    bdb.current = index;
    bdb.defer = index < savepointFrom;
    if (stop) {
      outcomes.push({ id: c.id, clientSeq: c.clientSeq, status: 'retry', error: { code: 'UNAVAILABLE', message: 'Waiting for an earlier command.' } });
      continue;
    }
    const hash = sha256(canonicalJson({ name: c.name, version: c.version, input: c.input }));
    const prev = known.get(c.id);
    const twice = answered.get(c.id);
    if (prev || twice) {
      if ((prev?.input_hash ?? twice!.hash) !== hash) {
        outcomes.push(reject(c, { code: 'CONFLICT', message: 'This command id was already used with different arguments.', details: { commandId: c.id } }));
        log.warn({ commandId: c.id, name: c.name, clientId }, 'command id reused with different arguments');
      } else if (twice) {
        outcomes.push({ ...twice.outcome, clientSeq: c.clientSeq });
      } else {
        outcomes.push({
          id: c.id,
          clientSeq: c.clientSeq,
          status: prev!.status,
          serverSeq: prev!.server_seq,
          ...(prev!.error_json ? storedError(prev!.error_json) : {}),
        });
        log.debug({ commandId: c.id, name: c.name, clientId, status: prev!.status }, 'command repeated: stored answer');
      }
      continue;
    }
    // Ids, not sequences, make a command happen once: a desk restored from a backup, or one user's
    // commands held back while another's go ahead, arrive out of sequence and are still processed.
    const missing = await missingFiles(trx, c.input);
    if (missing.length > 0) {
      outcomes.push({ id: c.id, clientSeq: c.clientSeq, status: 'retry', error: { code: 'NOT_FOUND', message: 'A file this command names is not on the server yet.', details: { missing } } });
      stop = true;
      continue;
    }
    const seen = ran.get(c.id);
    const { error, kept } =
      seen !== undefined
        ? { error: seen === hash ? null : ({ code: 'CONFLICT', message: 'This command id was already used with different arguments.', details: { commandId: c.id } } as WireError), kept: undefined }
        : await runOne(b, c, hash, index >= savepointFrom ? 'savepoint' : index);
    const outcome: PushOutcome = error ? { ...reject(c, error), ...(kept ? { kept } : {}) } : { id: c.id, clientSeq: c.clientSeq, status: 'accepted' };
    fresh.push({
      outcome,
      row: {
        command_id: c.id,
        client_id: clientId,
        client_seq: c.clientSeq,
        user_id: actor.userId,
        name: c.name,
        version: c.version,
        input_hash: hash,
        status: error ? 'rejected' : 'accepted',
        error_json: error ? JSON.stringify(kept ? { ...error, kept } : error) : null,
        received_at: now,
      },
    });
    answered.set(c.id, { hash, outcome });
    outcomes.push(outcome);
    lastSeq = Math.max(lastSeq, c.clientSeq);
    // Per command at debug only: a desk pushing a year of work would otherwise write 100,000 lines (the batch line below counts them).
    if (error) log.info({ commandId: c.id, name: c.name, clientId, userId: actor.userId, status: outcome.status, code: error.code }, 'command refused');
    else log.debug({ commandId: c.id, name: c.name, clientId, userId: actor.userId, status: outcome.status }, 'command');
  }
  bdb.defer = false;
  await b.chain.save(trx as unknown as Kysely<Database>);
  await bdb.flush();
  await bdb.insertRows('command_log', b.logged);
  const serverSeq = Number((await trx.selectFrom('srv_changes').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirst())?.m ?? 0);
  for (const f of fresh) f.outcome.serverSeq = serverSeq;
  await bdb.insertRows(
    'srv_commands',
    fresh.map((f) => ({ ...f.row, server_seq: serverSeq })),
  );
  if (lastSeq !== client.last_seq) await trx.updateTable('srv_clients').set({ last_seq: lastSeq, updated_at: now }).where('client_id', '=', clientId).execute();
  const stats = { clientId, userId: actor.userId, commands: commands.length, fresh: fresh.length, rejected: fresh.filter((f) => f.row.status === 'rejected').length, savepointFrom, ...bdb.stats };
  if (process.env.LEDGERDESK_PUSH_STATS === '1') log.warn(stats, 'push batch');
  else log.info(stats, 'push batch');
  if (store.dialect === 'postgres' && fresh.length > 0) await sql`SELECT pg_notify('ledgerdesk_changes', ${String(serverSeq)})`.execute(trx);
  return { response: { outcomes, lastClientSeq: lastSeq } satisfies PushResponse, serverSeq, changed: fresh.length > 0 };
}

const reject = (c: PushedCommand, error: WireError): PushOutcome => ({ id: c.id, clientSeq: c.clientSeq, status: 'rejected', error });

async function missingFiles(trx: Trx, input: unknown): Promise<string[]> {
  const refs = [...fileRefs(input)];
  if (refs.length === 0) return [];
  const have = new Set((await trx.selectFrom('srv_files').select('sha256').where('sha256', 'in', refs).where('complete', '=', 1).execute()).map((r) => r.sha256));
  return refs.filter((r) => !have.has(r));
}

function storedError(json: string): { error: WireError; kept?: KeptMoney } {
  const { kept, ...error } = JSON.parse(json) as WireError & { kept?: KeptMoney };
  return kept ? { error, kept } : { error };
}

/** The business time a pushed command carries; an older desk that sends none gets the server's now in the office's zone. */
async function pushedTime(store: ServerStore, db: Kysely<Database>, c: PushedCommand): Promise<BusinessTime> {
  if (c.at) return c.at;
  return businessTimeAt(store.core.clock.now(), await readOfficeTimeZone(db), store.core.clock.today());
}

/**
 * One pushed command through the one runner, inside the batch's transaction. `mode` is 'savepoint'
 * (the command runs in its own savepoint; a refusal rolls back to it) or the command's index in an
 * attempt without savepoints, where a refusal throws `Refused` and the whole attempt is rolled back.
 * Returns the rejection, if any, and what a rejected money command kept.
 */
async function runOne(b: Batch, c: PushedCommand, hash: string, mode: 'savepoint' | number): Promise<{ error: WireError | null; kept?: KeptMoney }> {
  const { store, trx, actor, log } = b;
  const def = store.core.executor.command(c.name);
  if (!def || def.version !== c.version) return { error: { code: 'VALIDATION', message: `Unknown command: ${c.name}@${c.version}.`, details: { command: `${c.name}@${c.version}` } } };
  if (!def.synced) return { error: { code: 'VALIDATION', message: `${c.name} is not a command the server runs.` } };
  const db = trx as unknown as Kysely<Database>;
  const at = await pushedTime(store, db, c);
  const req: RunRequest = { db, dialect: store.dialect, mode: 'server', def, actor, commandId: c.id, at, auditChain: b.chain };
  const parsed = def.input.safeParse(c.input);
  const ids = parsed.success && def.prepare ? def.prepare(parsed.data) : {};
  if (!parsed.success || Object.keys(ids).length > 0) {
    // A role that may not run the command hears that first, as on the desk (the role-by-channel matrix).
    if (!(await mayRun(db, def, actor.role))) {
      await auditDenied(db, actor, c.name, at.occurredAt, `${c.id}/denied`, { commandId: c.id }, b.chain);
      return { error: { code: 'FORBIDDEN', message: `Your role may not do this (${c.name}).`, details: { command: c.name, role: actor.role } } };
    }
    if (!parsed.success) return { error: zodToAppError(parsed.error) as WireError };
    return { error: { code: 'VALIDATION', message: `The command is missing the ids it creates (${Object.keys(ids).join(', ')}).` } };
  }
  const refuse = async (error: WireError): Promise<{ error: WireError; kept?: KeptMoney }> => {
    // The keep runs in its own savepoint: its writes are not held, so its errors are its own.
    const defer = b.bdb.defer;
    b.bdb.defer = false;
    try {
      const kept = await keepMoney(req, parsed.data, error, log);
      return kept ? { error, kept } : { error };
    } finally {
      b.bdb.defer = defer;
    }
  };
  if (!(await mayRun(db, def, actor.role))) {
    await auditDenied(db, actor, c.name, at.occurredAt, `${c.id}/denied`, { commandId: c.id }, b.chain);
    return refuse({ code: 'FORBIDDEN', message: `Your role may not do this (${c.name}).`, details: { command: c.name, role: actor.role } });
  }
  const implausible = implausibleTime(at, store.core.clock.now());
  if (implausible) return refuse({ code: 'VALIDATION', message: implausible, details: { field: 'occurredAt' } });
  const careful = mode === 'savepoint';
  const head = b.chain.copy();
  if (careful) await sql`SAVEPOINT ld_cmd`.execute(trx);
  try {
    const result = await runCommand(req, parsed.data);
    b.logged.push(commandLogRow(def, { commandId: c.id, inputHash: hash, result, actor, at }));
    if (careful) await sql`RELEASE SAVEPOINT ld_cmd`.execute(trx);
    return { error: null };
  } catch (e) {
    const code = errorCode(e);
    if (!careful) throw code && RETRYABLE_PG.has(code) ? e : new Refused(e instanceof FlushFailed ? e.first : mode);
    await sql`ROLLBACK TO SAVEPOINT ld_cmd`.execute(trx);
    await sql`RELEASE SAVEPOINT ld_cmd`.execute(trx);
    b.chain.restore(head);
    if (e instanceof AppFailure) return refuse(e.toError() as WireError);
    if (code && RETRYABLE_PG.has(code)) throw e;
    log.error({ err: e, commandId: c.id, name: c.name }, 'command failed with an internal error');
    return refuse({ code: 'INTERNAL', message: 'The server could not run this command; nothing was saved. The error has been logged.' });
  }
}

/** A refused money command's `keep`, in its own savepoint; if even that fails, the desk still holds the item. */
async function keepMoney(req: RunRequest, input: unknown, error: WireError, log: Logger): Promise<KeptMoney | undefined> {
  if (!req.def.keep) return undefined;
  const head = req.auditChain?.copy();
  await sql`SAVEPOINT ld_keep`.execute(req.db);
  try {
    const kept = await runKeep(req, input, error as AppError);
    await sql`RELEASE SAVEPOINT ld_keep`.execute(req.db);
    return kept ?? undefined;
  } catch (e) {
    await sql`ROLLBACK TO SAVEPOINT ld_keep`.execute(req.db);
    await sql`RELEASE SAVEPOINT ld_keep`.execute(req.db);
    if (head) req.auditChain?.restore(head);
    if (!(e instanceof AppFailure)) log.error({ err: e, commandId: req.commandId, name: req.def.name }, 'keeping a refused command\'s money failed');
    return undefined;
  }
}
