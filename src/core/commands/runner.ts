import type { Kysely } from 'kysely';
import type { AppError } from '../../shared/result';
import { appendAudit, appendAuditBatch, type AuditChainHead } from '../audit/audit-log';
import type { Database, Dialect } from '../db/schema';
import { deriveId } from '../util/canonical-json';
import type { BusinessTime } from './business-time';
import type { Actor, CommandCtx, CommandDef, KeptMoney } from './types';

/**
 * The one way a command runs, on the desk ('local'), on the server ('server') and when a desk
 * re-runs its not-yet-confirmed work on top of pulled changes ('replay'). It builds the only
 * command context there is, so the business date, the acted-at time, the ids a command creates
 * and its audit entries come out the same in every mode:
 * - `today` and `now` are the command's business time, fixed where the clerk acted;
 * - ids derive from the command id, so a re-run recreates the same rows;
 * - audit entries are written here (never by command modules directly); a replay writes none,
 *   because the original run's entries are already in this desk's chain.
 */
export type RunMode = 'local' | 'server' | 'replay';

export interface RunRequest {
  /** The open transaction. */
  db: Kysely<Database>;
  dialect: Dialect;
  mode: RunMode;
  def: CommandDef;
  actor: Actor;
  commandId: string;
  at: BusinessTime;
  /** Collects the entities changed, for open screens (local mode). */
  changed?: Set<string>;
  bulkInsert?: CommandCtx['bulkInsert'];
  /** A batch's cached audit chain head (server push): every audit write of the transaction goes through it. */
  auditChain?: AuditChainHead;
}

export function commandContext(r: RunRequest): CommandCtx {
  let auditN = 0;
  const write = r.mode !== 'replay';
  return {
    db: r.db,
    dialect: r.dialect,
    actor: r.actor,
    mode: r.mode,
    now: r.at.occurredAt,
    today: r.at.businessDate,
    commandId: r.commandId,
    id: (label) => deriveId(r.commandId, label),
    audit: async (rec) => {
      const n = auditN++;
      if (write) await appendAudit(r.db, { ...rec, userId: r.actor.userId }, r.at.occurredAt, `${r.commandId}/${n}`, r.auditChain);
    },
    auditBatch: async (recs, label) => {
      if (write) await appendAuditBatch(r.db, recs.map((rec) => ({ ...rec, userId: r.actor.userId })), r.at.occurredAt, `${r.commandId}/${label}`, r.auditChain);
    },
    changed: (...e) => e.forEach((x) => r.changed?.add(x)),
    bulkInsert: r.bulkInsert,
  };
}

/** Runs the command's rules and effects inside the caller's transaction (or savepoint). */
export function runCommand(r: RunRequest, input: unknown): Promise<unknown> {
  return r.def.run(commandContext(r), input);
}

/**
 * After a business rejection: the command's `keep` puts the money the clerk recorded into a safe
 * state (undeposited, or on hold with the reason) instead of letting it vanish. Runs in its own
 * savepoint after the rejected attempt was rolled back. Null when the command records no money.
 */
export async function runKeep(r: RunRequest, input: unknown, error: AppError): Promise<KeptMoney | null> {
  if (!r.def.keep) return null;
  return r.def.keep(commandContext(r), input, error);
}

type CommandLogEntry = { commandId: string; inputHash: string; result: unknown; actor: Actor; at: BusinessTime };

/** The command log row that makes a command id idempotent (same id + same input → the stored result). */
export async function recordCommand(db: Kysely<Database>, def: CommandDef, r: CommandLogEntry): Promise<void> {
  await db.insertInto('command_log').values(commandLogRow(def, r)).execute();
}

/** The same row, for callers that write many at once (a server push batch, multi-row). */
export function commandLogRow(def: CommandDef, r: CommandLogEntry): Database['command_log'] {
  return {
    id: r.commandId,
    name: def.name,
    version: def.version,
    input_hash: r.inputHash,
    result_json: JSON.stringify(r.result ?? null),
    actor_id: r.actor.userId,
    created_at: r.at.occurredAt,
  };
}

/** A refused role, audited like any other act (the audit trail shows who tried what). */
export function auditDenied(db: Kysely<Database>, actor: Actor, what: string, at: string, idSeed: string, extra: Record<string, unknown> = {}, chain?: AuditChainHead): Promise<void> {
  return appendAudit(db, { userId: actor.userId, action: 'denied', entity: 'command', entityId: what, after: { role: actor.role, ...extra } }, at, idSeed, chain);
}
