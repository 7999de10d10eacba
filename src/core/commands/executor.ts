import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { newId } from '../../shared/ids';
import { AppFailure, err, ok, type Result } from '../../shared/result';
import type { Database, Dialect } from '../db/schema';
import { valuesList } from '../db/values-list';
import { canonicalJson, sha256 } from '../util/canonical-json';
import { businessTimeAt, readOfficeTimeZone, type BusinessTime } from './business-time';
import { auditDenied, recordCommand, runCommand } from './runner';
import { insertMany, type Actor, type Clock, type CommandDef, type QueryDef } from './types';
import { zodToAppError } from './zod-error';
import { assertMay } from '../settings/role-rules';

/** Rows per multi-row INSERT in a bulk insert (parameters: columns × 64, far under SQLite's 32,766). */
const BULK_ROWS = 64;

export interface ExecuteOptions {
  /** The command's id; a repeat with the same id and arguments returns the stored result. */
  commandId?: string;
  /** Set by the server when re-running a pushed command: do not write a local sync outbox row. */
  fromSync?: boolean;
  /** The command's business time when it was fixed elsewhere (a scheduled run); default: now, in the office's zone. */
  at?: BusinessTime;
}

export interface ExecutorConfig {
  db: Kysely<Database>;
  dialect: Dialect;
  clock: Clock;
  /** The desktop queues synced commands for the server; the server itself does not. */
  writeOutbox: boolean;
  commands: ReadonlyArray<CommandDef>;
  /** The SQLite connection under `db`, for bulk inserts (absent on PostgreSQL). */
  rawSqlite?: BetterSqlite3.Database;
  queries: ReadonlyArray<QueryDef>;
  onChanged?: (entities: string[]) => void;
}

/**
 * Runs commands one at a time (one writer), each in one transaction holding its effect, its audit
 * entries, its command-log row and its outbox row, so nothing is half-written and nothing entered
 * offline is lost.
 */
export class Executor {
  private readonly commands = new Map<string, CommandDef>();
  private readonly queries = new Map<string, QueryDef>();
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly cfg: ExecutorConfig) {
    for (const c of cfg.commands) this.commands.set(c.name, c);
    for (const q of cfg.queries) this.queries.set(q.name, q);
  }

  hasCommand = (name: string): boolean => this.commands.has(name);
  hasQuery = (name: string): boolean => this.queries.has(name);
  command = (name: string): CommandDef | undefined => this.commands.get(name);

  async execute<O = unknown>(actor: Actor | null, name: string, rawInput: unknown, opts: ExecuteOptions = {}): Promise<Result<O>> {
    const def = this.commands.get(name);
    if (!def) return err('VALIDATION', `Unknown command: ${name}.`);
    if (!actor) return err('UNAUTHENTICATED', 'Sign in first.');
    if (!def.roles.includes(actor.role)) {
      await this.serial(() => this.auditDenied(actor, name));
      return err('FORBIDDEN', `Your role may not do this (${name}).`, { command: name, role: actor.role });
    }
    if (def.roleRule) {
      const rule = def.roleRule;
      const refused = await this.serial(async () => {
        try {
          await assertMay(this.cfg.db, actor.role, rule);
          return null;
        } catch (e) {
          await this.auditDenied(actor, name);
          return toResult(e);
        }
      });
      if (refused) return refused as Result<O>;
    }
    const parsed = def.input.safeParse(rawInput);
    if (!parsed.success) return { ok: false, error: zodToAppError(parsed.error) };
    let ids: Record<string, unknown>;
    try {
      // prepare may refuse (a weak password is checked where the plaintext is replaced by its hash).
      ids = def.prepare ? def.prepare(parsed.data) : {};
    } catch (e) {
      return toResult(e);
    }
    // Prepared ids are plain generated strings: merged into both forms, no second parse needed.
    const fullInput = Object.keys(ids).length > 0 ? { ...(rawInput as object), ...ids } : rawInput;
    const input = Object.keys(ids).length > 0 ? { ...(parsed.data as object), ...ids } : parsed.data;
    const commandId = opts.commandId ?? newId();
    return this.serial(() => this.runInTransaction(def, actor, input, fullInput, commandId, opts)) as Promise<Result<O>>;
  }

  async query<O = unknown>(actor: Actor | null, name: string, rawInput: unknown): Promise<Result<O>> {
    const def = this.queries.get(name);
    if (!def) return err('VALIDATION', `Unknown query: ${name}.`);
    if (!actor) return err('UNAUTHENTICATED', 'Sign in first.');
    if (!def.roles.includes(actor.role)) {
      await this.serial(() => this.auditDenied(actor, name));
      return err('FORBIDDEN', `Your role may not do this (${name}).`, { query: name, role: actor.role });
    }
    const parsed = def.input.safeParse(rawInput);
    if (!parsed.success) return { ok: false, error: zodToAppError(parsed.error) };
    try {
      return ok((await def.run({ db: this.cfg.db, dialect: this.cfg.dialect, actor, clock: this.cfg.clock }, parsed.data)) as O);
    } catch (e) {
      return toResult(e);
    }
  }

  /** Runs `fn` after every earlier command has finished: the single-writer queue. */
  serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async runInTransaction(
    def: CommandDef,
    actor: Actor,
    input: unknown,
    rawInput: unknown,
    commandId: string,
    opts: ExecuteOptions,
  ): Promise<Result<unknown>> {
    const { inputHash, outboxJson } = hashInput(def, input, rawInput);
    const changed = new Set<string>();
    try {
      const value = await this.cfg.db.transaction().execute(async (trx) => {
        const seen = await trx.selectFrom('command_log').selectAll().where('id', '=', commandId).executeTakeFirst();
        if (seen) {
          if (seen.input_hash !== inputHash) {
            throw new AppFailure('CONFLICT', 'This command id was already used with different arguments.', { commandId });
          }
          return { replay: true as const, value: JSON.parse(seen.result_json) as unknown };
        }
        const at = opts.at ?? businessTimeAt(this.cfg.clock.now(), await readOfficeTimeZone(trx), this.cfg.clock.today());
        const req = { db: trx, dialect: this.cfg.dialect, mode: 'local' as const, def, actor, commandId, at, changed, bulkInsert: this.bulkInsertIn(trx) };
        const result = await runCommand(req, input);
        await recordCommand(trx, def, { commandId, inputHash, result, actor, at });
        if (def.synced && this.cfg.writeOutbox && !opts.fromSync) {
          await trx
            .insertInto('sync_outbox')
            .values({
              command_id: commandId,
              name: def.name,
              version: def.version,
              input_json: outboxJson(),
              actor_id: actor.userId,
              subject_id: def.subject?.(input) ?? null,
              created_at: at.occurredAt,
              business_date: at.businessDate,
              state: 'pending',
            })
            .execute();
        }
        return { replay: false as const, value: result };
      });
      if (!value.replay && changed.size > 0) this.cfg.onChanged?.([...changed]);
      return ok(value.value);
    } catch (e) {
      return toResult(e);
    }
  }

  private readonly insertStatements = new Map<string, BetterSqlite3.Statement>();

  private insertStatement(raw: BetterSqlite3.Database, table: string, cols: string[], rowsPer: number): BetterSqlite3.Statement {
    const key = `${table}(${cols.join(',')})x${rowsPer}`;
    let st = this.insertStatements.get(key);
    if (!st) {
      st = raw.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES ${valuesList('sqlite', cols.length, rowsPer)}`);
      this.insertStatements.set(key, st);
    }
    return st;
  }

  private bulkInsertIn(trx: Kysely<Database>) {
    return <T extends keyof Database & string>(table: T, rows: Database[T][]) => this.bulkInsert(trx, table, rows as object[]);
  }

  private async bulkInsert(trx: Kysely<Database>, table: string, rows: object[]): Promise<void> {
    if (rows.length === 0) return;
    const raw = this.cfg.rawSqlite;
    if (raw) {
      // Same connection, inside the transaction Kysely opened on it. BULK_ROWS rows per statement
      // (measured, 100k charge lines alone: 0.70 s one row per statement, 0.52 s at 64; 256 was no better in a whole import), one row for the tail.
      const cols = Object.keys(rows[0]!);
      const whole = rows.length - (rows.length % BULK_ROWS);
      const many = whole > 0 ? this.insertStatement(raw, table, cols, BULK_ROWS) : null;
      const one = whole < rows.length ? this.insertStatement(raw, table, cols, 1) : null;
      // One parameter array per statement, refilled: no spread or per-row array for 100,000 rows.
      const values: unknown[] = new Array(cols.length * BULK_ROWS);
      const fill = (r: Record<string, unknown>, at: number) => {
        for (let c = 0; c < cols.length; c++) values[at + c] = r[cols[c]!] ?? null;
      };
      const list = rows as Record<string, unknown>[];
      for (let i = 0; i < whole; i += BULK_ROWS) {
        for (let k = 0; k < BULK_ROWS; k++) fill(list[i + k]!, k * cols.length);
        many!.run(values);
      }
      if (one) values.length = cols.length;
      for (let i = whole; i < rows.length; i++) {
        fill(list[i]!, 0);
        one!.run(values);
      }
      return;
    }
    await insertMany({ db: trx }, table as keyof Database & string, rows as never);
  }

  private async auditDenied(actor: Actor, name: string): Promise<void> {
    const now = this.cfg.clock.now().toISOString();
    await this.cfg.db.transaction().execute((trx) => auditDenied(trx, actor, name, now, newId()));
  }
}

/**
 * The command-log hash that tells a repeat from a reuse of a command id, and the outbox's JSON.
 * Default: canonicalJson({ input, name, version }) (keys sort in that order), its JSON built once
 * and reused for the outbox. With `sameInputKey` (file imports) the rows are never sorted and
 * hashed: the key is, and the outbox gets plain JSON (the server parses it and hashes it itself).
 */
function hashInput(def: CommandDef, input: unknown, rawInput: unknown): { inputHash: string; outboxJson: () => string } {
  const head = (json: string) => `{"input":${json},"name":${JSON.stringify(def.name)},"version":${def.version}}`;
  if (def.sameInputKey) {
    return { inputHash: sha256(head(JSON.stringify({ key: def.sameInputKey(input) }))), outboxJson: () => JSON.stringify(rawInput) };
  }
  const inputJson = canonicalJson(rawInput);
  return { inputHash: sha256(head(inputJson)), outboxJson: () => inputJson };
}

export function toResult(e: unknown): { ok: false; error: import('../../shared/result').AppError } {
  if (e instanceof AppFailure) return { ok: false, error: e.toError() };
  console.error('[ledgerdesk] internal error', e);
  return err('INTERNAL', 'Something went wrong; nothing was saved. The error has been logged.');
}
