import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { Role } from '../../shared/roles';
import type { RoleRule } from '../../shared/contract/dto';
import type { AppError } from '../../shared/result';
import type { AuditRecord } from '../audit/audit-log';
import type { Database, Dialect } from '../db/schema';

/** Who runs a command. Core decides every role question from this, never from the UI. */
export interface Actor {
  userId: string;
  role: Role;
}

/** Injected time, so tests and the server control it; the server never uses a client's clock. */
export interface Clock {
  now(): Date;
  /** The office's business date (local calendar day). */
  today(): string;
}

export interface CommandCtx {
  /** The open transaction: every read and write of the command goes through it. */
  db: Kysely<Database>;
  dialect: Dialect;
  actor: Actor;
  /** Where it runs: on the desk, on the server, or re-run on a desk on top of pulled changes. */
  mode: 'local' | 'server' | 'replay';
  /** The instant the clerk acted (ISO), fixed where the command was entered and the same in every re-run. */
  now: string;
  /** The command's business date in the office's time zone, fixed with `now`. */
  today: string;
  commandId: string;
  /** A stable id for a row this command creates, derived from the command id and a label. */
  id(label: string): string;
  audit(rec: Omit<AuditRecord, 'userId'>): Promise<void>;
  /** Many audit entries at once (a 5,000-payment deposit), chained in one go. */
  auditBatch(recs: Omit<AuditRecord, 'userId'>[], label: string): Promise<void>;
  /** Names of entities changed, announced to open screens after commit. */
  changed(...entities: string[]): void;
  /**
   * Inserts many rows fast (file imports): prepared statements on SQLite, multi-row inserts on
   * PostgreSQL. Same transaction as everything else the command does. Call it through
   * `insertMany(ctx, …)`, which falls back to multi-row inserts where a context has none.
   */
  bulkInsert?<T extends keyof Database & string>(table: T, rows: Database[T][]): Promise<void>;
}

export interface CommandDef<S extends z.ZodType = z.ZodType, O = unknown> {
  /** Versioned name, as pushed to the server: `${name}@${version}`. */
  name: string;
  version: number;
  roles: readonly Role[];
  /**
   * A Settings rule that narrows `roles` (roles as settings: who uploads files, approves refunds,
   * adds payers). Checked before the input, like `roles`; the command also asserts it where it runs.
   */
  roleRule?: RoleRule;
  input: S;
  /** True when the central server must re-run it (every change to the shared ledger). */
  synced: boolean;
  /**
   * Ids the command will create, added to the raw input before it runs and before it is stored in
   * the outbox, so the server's re-run creates the same rows. Keys must be optional in the schema.
   */
  prepare?: (input: z.output<S>) => Record<string, unknown>;
  /** The id of the record the command is about, kept with its outbox row. */
  subject?: (input: z.output<S>) => string | undefined;
  /**
   * What makes a repeat of this command id "the same arguments", when hashing the whole input
   * would cost more than the command (a file import carries 100,000 rows): a string that changes
   * whenever the input could. Default: the canonical JSON of the whole input.
   */
  sameInputKey?: (input: z.output<S>) => string;
  run(ctx: CommandCtx, input: z.output<S>): Promise<O>;
  /**
   * For commands that record money: what to keep when the command is refused (by the server, or
   * when a desk's replay can no longer run it). It must never delete what the clerk recorded; it
   * puts the money in a safe state (undeposited, or on hold with the reason) under the same ids.
   */
  keep?: (ctx: CommandCtx, input: z.output<S>, error: AppError) => Promise<KeptMoney | null>;
}

/** Money a refused command kept, and in which safe state. */
export interface KeptMoney {
  state: 'on_hold' | 'undeposited';
  paymentId: string;
  reason: string;
}

export interface QueryCtx {
  db: Kysely<Database>;
  dialect: Dialect;
  actor: Actor;
  clock: Clock;
}

export interface QueryDef<S extends z.ZodType = z.ZodType, O = unknown> {
  name: string;
  roles: readonly Role[];
  input: S;
  run(ctx: QueryCtx, input: z.output<S>): Promise<O>;
}

export const defineCommand = <S extends z.ZodType, O>(def: CommandDef<S, O>): CommandDef<S, O> => def;
export const defineQuery = <S extends z.ZodType, O>(def: QueryDef<S, O>): QueryDef<S, O> => def;

/** Inserts many rows in the command's transaction, as fast as the dialect allows. */
export async function insertMany<T extends keyof Database & string>(ctx: Pick<CommandCtx, 'db' | 'bulkInsert'>, table: T, rows: Database[T][]): Promise<void> {
  if (ctx.bulkInsert) return ctx.bulkInsert(table, rows);
  for (let i = 0; i < rows.length; i += 500) await ctx.db.insertInto(table as keyof Database).values(rows.slice(i, i + 500) as never).execute();
}
