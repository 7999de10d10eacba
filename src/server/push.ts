import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import { businessTimeAt, implausibleTime, readOfficeTimeZone, type BusinessTime } from '../core/commands/business-time';
import { auditDenied, recordCommand, runCommand, runKeep, type RunRequest } from '../core/commands/runner';
import type { Actor, KeptMoney } from '../core/commands/types';
import { zodToAppError } from '../core/commands/zod-error';
import type { Database } from '../core/db/schema';
import { PG_COMMIT_LOCK } from '../core/sync/capture';
import { fileRefs, type PushedCommand, type PushOutcome, type PushResponse, type WireError } from '../core/sync/protocol';
import { canonicalJson, sha256 } from '../core/util/canonical-json';
import { AppFailure, type AppError } from '../shared/result';
import type { ServerDatabase } from './db/schema';
import type { ServerStore } from './db/open';

type Trx = Kysely<ServerDatabase>;

const RETRYABLE_PG = new Set(['40001', '40P01']);

/**
 * Runs a pushed batch: the server dedupes by command id, re-runs each new command against its own
 * state through the one command runner (role from the server's user record; the business date and
 * acted-at time the desk fixed, checked against the server's clock), and records every answer. A
 * refused command that recorded money keeps it in a safe state (the command's `keep`). The whole batch is one transaction; each command runs in a savepoint so a
 * rejected one leaves no trace but its recorded answer. Runs through the executor's single-writer
 * queue; on PostgreSQL the commit lock also orders it against every other server process.
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
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await ex.serial(() => store.db.transaction().execute((trx) => runBatch(store, trx, actor, clientId, commands, log)));
      if (res.changed) afterCommit(res.serverSeq);
      return res.response;
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code && RETRYABLE_PG.has(code) && attempt < 5) continue;
      throw e;
    }
  }
}

async function runBatch(store: ServerStore, trx: Trx, actor: Actor, clientId: string, commands: PushedCommand[], log: Logger) {
  const now = store.core.clock.now().toISOString();
  if (store.dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(${PG_COMMIT_LOCK})`.execute(trx);
  let client = await trx.selectFrom('srv_clients').selectAll().where('client_id', '=', clientId).executeTakeFirst();
  if (!client) {
    client = { client_id: clientId, last_seq: 0, audit_seq: 0, audit_hash: '0'.repeat(64), updated_at: now };
    await trx.insertInto('srv_clients').values(client).execute();
  }
  const ids = commands.map((c) => c.id);
  const known = new Map(
    (await trx.selectFrom('srv_commands').select(['command_id', 'input_hash', 'status', 'error_json', 'server_seq']).where('command_id', 'in', ids).execute()).map((r) => [
      r.command_id,
      r,
    ]),
  );
  const outcomes: PushOutcome[] = [];
  const fresh: { outcome: PushOutcome; row: Omit<ServerDatabase['srv_commands'], 'server_seq'> }[] = [];
  let lastSeq = client.last_seq;
  let stop = false;
  for (const c of commands) {
    if (stop) {
      outcomes.push({ id: c.id, clientSeq: c.clientSeq, status: 'retry', error: { code: 'UNAVAILABLE', message: 'Waiting for an earlier command.' } });
      continue;
    }
    const hash = sha256(canonicalJson({ name: c.name, version: c.version, input: c.input }));
    const prev = known.get(c.id);
    if (prev) {
      if (prev.input_hash !== hash) {
        outcomes.push(reject(c, { code: 'CONFLICT', message: 'This command id was already used with different arguments.', details: { commandId: c.id } }));
        log.warn({ commandId: c.id, name: c.name, clientId }, 'command id reused with different arguments');
      } else {
        outcomes.push({
          id: c.id,
          clientSeq: c.clientSeq,
          status: prev.status,
          serverSeq: prev.server_seq,
          ...(prev.error_json ? storedError(prev.error_json) : {}),
        });
        log.info({ commandId: c.id, name: c.name, clientId, status: prev.status }, 'command repeated: stored answer');
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
    const { error, kept } = await runOne(store, trx, actor, c, hash, log);
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
    outcomes.push(outcome);
    lastSeq = Math.max(lastSeq, c.clientSeq);
    log.info({ commandId: c.id, name: c.name, clientId, userId: actor.userId, status: outcome.status, code: error?.code }, 'command');
  }
  const serverSeq = Number((await trx.selectFrom('srv_changes').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirst())?.m ?? 0);
  for (const f of fresh) f.outcome.serverSeq = serverSeq;
  for (let i = 0; i < fresh.length; i += 200) {
    await trx
      .insertInto('srv_commands')
      .values(fresh.slice(i, i + 200).map((f) => ({ ...f.row, server_seq: serverSeq })))
      .execute();
  }
  if (lastSeq !== client.last_seq) await trx.updateTable('srv_clients').set({ last_seq: lastSeq, updated_at: now }).where('client_id', '=', clientId).execute();
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
 * One pushed command through the one runner, inside the batch's transaction, in a savepoint.
 * Returns the rejection, if any, and what a rejected money command kept.
 */
async function runOne(store: ServerStore, trx: Trx, actor: Actor, c: PushedCommand, hash: string, log: Logger): Promise<{ error: WireError | null; kept?: KeptMoney }> {
  const def = store.core.executor.command(c.name);
  if (!def || def.version !== c.version) return { error: { code: 'VALIDATION', message: `Unknown command: ${c.name}@${c.version}.`, details: { command: `${c.name}@${c.version}` } } };
  if (!def.synced) return { error: { code: 'VALIDATION', message: `${c.name} is not a command the server runs.` } };
  const db = trx as unknown as Kysely<Database>;
  const at = await pushedTime(store, db, c);
  const req: RunRequest = { db, dialect: store.dialect, mode: 'server', def, actor, commandId: c.id, at };
  const parsed = def.input.safeParse(c.input);
  const ids = parsed.success && def.prepare ? def.prepare(parsed.data) : {};
  if (!parsed.success || Object.keys(ids).length > 0) {
    // A role that may not run the command hears that first, as on the desk (the role-by-channel matrix).
    if (!def.roles.includes(actor.role)) {
      await auditDenied(db, actor, c.name, at.occurredAt, `${c.id}/denied`, { commandId: c.id });
      return { error: { code: 'FORBIDDEN', message: `Your role may not do this (${c.name}).`, details: { command: c.name, role: actor.role } } };
    }
    if (!parsed.success) return { error: zodToAppError(parsed.error) as WireError };
    return { error: { code: 'VALIDATION', message: `The command is missing the ids it creates (${Object.keys(ids).join(', ')}).` } };
  }
  const refuse = async (error: WireError): Promise<{ error: WireError; kept?: KeptMoney }> => {
    const kept = await keepMoney(req, parsed.data, error, log);
    return kept ? { error, kept } : { error };
  };
  if (!def.roles.includes(actor.role)) {
    await auditDenied(db, actor, c.name, at.occurredAt, `${c.id}/denied`, { commandId: c.id });
    return refuse({ code: 'FORBIDDEN', message: `Your role may not do this (${c.name}).`, details: { command: c.name, role: actor.role } });
  }
  const implausible = implausibleTime(at, store.core.clock.now());
  if (implausible) return refuse({ code: 'VALIDATION', message: implausible, details: { field: 'occurredAt' } });
  await sql`SAVEPOINT ld_cmd`.execute(trx);
  try {
    const seen = await trx.selectFrom('command_log').select('input_hash').where('id', '=', c.id).executeTakeFirst();
    if (seen) {
      await sql`RELEASE SAVEPOINT ld_cmd`.execute(trx);
      return { error: seen.input_hash === hash ? null : { code: 'CONFLICT', message: 'This command id was already used with different arguments.', details: { commandId: c.id } } };
    }
    const result = await runCommand(req, parsed.data);
    await recordCommand(db, def, { commandId: c.id, inputHash: hash, result, actor, at });
    await sql`RELEASE SAVEPOINT ld_cmd`.execute(trx);
    return { error: null };
  } catch (e) {
    await sql`ROLLBACK TO SAVEPOINT ld_cmd`.execute(trx);
    await sql`RELEASE SAVEPOINT ld_cmd`.execute(trx);
    if (e instanceof AppFailure) return refuse(e.toError() as WireError);
    const code = (e as { code?: string }).code;
    if (code && RETRYABLE_PG.has(code)) throw e;
    log.error({ err: e, commandId: c.id, name: c.name }, 'command failed with an internal error');
    return refuse({ code: 'INTERNAL', message: 'The server could not run this command; nothing was saved. The error has been logged.' });
  }
}

/** A refused money command's `keep`, in its own savepoint; if even that fails, the desk still holds the item. */
async function keepMoney(req: RunRequest, input: unknown, error: WireError, log: Logger): Promise<KeptMoney | undefined> {
  if (!req.def.keep) return undefined;
  await sql`SAVEPOINT ld_keep`.execute(req.db);
  try {
    const kept = await runKeep(req, input, error as AppError);
    await sql`RELEASE SAVEPOINT ld_keep`.execute(req.db);
    return kept ?? undefined;
  } catch (e) {
    await sql`ROLLBACK TO SAVEPOINT ld_keep`.execute(req.db);
    await sql`RELEASE SAVEPOINT ld_keep`.execute(req.db);
    if (!(e instanceof AppFailure)) log.error({ err: e, commandId: req.commandId, name: req.def.name }, 'keeping a refused command\'s money failed');
    return undefined;
  }
}
