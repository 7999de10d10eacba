import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import { appendAudit } from '../core/audit/audit-log';
import type { Actor, CommandCtx } from '../core/commands/types';
import { zodToAppError } from '../core/commands/zod-error';
import type { Database } from '../core/db/schema';
import { PG_COMMIT_LOCK } from '../core/sync/capture';
import { fileRefs, type PushedCommand, type PushOutcome, type PushResponse, type WireError } from '../core/sync/protocol';
import { canonicalJson, deriveId, sha256 } from '../core/util/canonical-json';
import { AppFailure } from '../shared/result';
import type { ServerDatabase } from './db/schema';
import type { ServerStore } from './db/open';

type Trx = Kysely<ServerDatabase>;

const RETRYABLE_PG = new Set(['40001', '40P01']);

/**
 * Runs a pushed batch: the server dedupes by command id, re-runs each new command against its own
 * state with the core's rules (role from the server's user record, the server's clock), and
 * records every answer. The whole batch is one transaction; each command runs in a savepoint so a
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
          ...(prev.error_json ? { error: JSON.parse(prev.error_json) as WireError } : {}),
        });
        log.info({ commandId: c.id, name: c.name, clientId, status: prev.status }, 'command repeated: stored answer');
      }
      continue;
    }
    if (c.clientSeq <= lastSeq) {
      outcomes.push(reject(c, { code: 'VALIDATION', message: `Command ${c.clientSeq} is older than this client's last processed command (${lastSeq}).` }));
      continue;
    }
    const missing = await missingFiles(trx, c.input);
    if (missing.length > 0) {
      outcomes.push({ id: c.id, clientSeq: c.clientSeq, status: 'retry', error: { code: 'NOT_FOUND', message: 'A file this command names is not on the server yet.', details: { missing } } });
      stop = true;
      continue;
    }
    const error = await runOne(store, trx, actor, c, hash, now, log);
    const outcome: PushOutcome = error ? reject(c, error) : { id: c.id, clientSeq: c.clientSeq, status: 'accepted' };
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
        error_json: error ? JSON.stringify(error) : null,
        received_at: now,
      },
    });
    outcomes.push(outcome);
    lastSeq = c.clientSeq;
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

/** One command, as the desktop's executor runs it, but inside the batch's transaction. Returns the rejection, if any. */
async function runOne(store: ServerStore, trx: Trx, actor: Actor, c: PushedCommand, hash: string, now: string, log: Logger): Promise<WireError | null> {
  const def = store.core.executor.command(c.name);
  if (!def || def.version !== c.version) return { code: 'VALIDATION', message: `Unknown command: ${c.name}@${c.version}.`, details: { command: `${c.name}@${c.version}` } };
  if (!def.synced) return { code: 'VALIDATION', message: `${c.name} is not a command the server runs.` };
  const db = trx as unknown as Kysely<Database>;
  if (!def.roles.includes(actor.role)) {
    await appendAudit(db, { userId: actor.userId, action: 'denied', entity: 'command', entityId: c.name, after: { role: actor.role, commandId: c.id } }, now, `${c.id}/denied`);
    return { code: 'FORBIDDEN', message: `Your role may not do this (${c.name}).`, details: { command: c.name, role: actor.role } };
  }
  const parsed = def.input.safeParse(c.input);
  if (!parsed.success) return zodToAppError(parsed.error) as WireError;
  const ids = def.prepare ? def.prepare(parsed.data) : {};
  if (Object.keys(ids).length > 0) return { code: 'VALIDATION', message: `The command is missing the ids it creates (${Object.keys(ids).join(', ')}).` };
  await sql`SAVEPOINT ld_cmd`.execute(trx);
  try {
    const seen = await trx.selectFrom('command_log').select('input_hash').where('id', '=', c.id).executeTakeFirst();
    if (seen) {
      await sql`RELEASE SAVEPOINT ld_cmd`.execute(trx);
      return seen.input_hash === hash ? null : { code: 'CONFLICT', message: 'This command id was already used with different arguments.', details: { commandId: c.id } };
    }
    let auditN = 0;
    const ctx: CommandCtx = {
      db,
      dialect: store.dialect,
      actor,
      now,
      today: store.core.clock.today(),
      commandId: c.id,
      id: (label) => deriveId(c.id, label),
      audit: (rec) => appendAudit(db, { ...rec, userId: actor.userId }, now, `${c.id}/${auditN++}`),
      changed: () => undefined,
    };
    const result = await def.run(ctx, parsed.data);
    await trx
      .insertInto('command_log')
      .values({ id: c.id, name: def.name, version: def.version, input_hash: hash, result_json: JSON.stringify(result ?? null), actor_id: actor.userId, created_at: now })
      .execute();
    await sql`RELEASE SAVEPOINT ld_cmd`.execute(trx);
    return null;
  } catch (e) {
    await sql`ROLLBACK TO SAVEPOINT ld_cmd`.execute(trx);
    await sql`RELEASE SAVEPOINT ld_cmd`.execute(trx);
    if (e instanceof AppFailure) return e.toError() as WireError;
    const code = (e as { code?: string }).code;
    if (code && RETRYABLE_PG.has(code)) throw e;
    log.error({ err: e, commandId: c.id, name: c.name }, 'command failed with an internal error');
    return { code: 'INTERNAL', message: 'The server could not run this command; nothing was saved. The error has been logged.' };
  }
}
