import { CompiledQuery, Transaction, type DatabaseConnection, type Kysely, type QueryResult } from 'kysely';
import type { Database, Dialect } from '../../core/db/schema';
import { valuesList } from '../../core/db/values-list';
import { applyPatch, cacheKey, patchStatement, rowsPerStatement, shapeOf, type Patch, type UpdateShape } from './statement-shape';

/**
 * The database a pushed batch's commands see: the batch's transaction, with two things a long
 * batch (issue 13: a desk pushing a year of work) would otherwise pay for on every command.
 *
 * - Reads answered once per batch. Inside the batch's transaction nothing changes a table but the
 *   batch itself (the server's one writer on SQLite, the commit lock on PostgreSQL), so a SELECT run
 *   again with the same parameters gives the same rows until the batch writes to one of its tables.
 *   Settings, periods, role rules, users, divisions, open charges of an account: read once.
 * - Deferred INSERTs. A plain one-row INSERT (no RETURNING, no ON CONFLICT, only parameters) into a
 *   table nobody has read back in this batch is held and written later, together with the others of
 *   its table, as multi-row INSERTs: before any statement that names a held table (or a table
 *   triggers write, `derived`), before any raw statement (SAVEPOINT, ROLLBACK, locks) and at the end
 *   of the batch (`flush`). A table read back once is written straight through for the rest of the
 *   batch. Tables are flushed in the order they were first held (parents before children, as every
 *   command inserts them), and rows in the order they were held.
 *
 * - Held row updates. An UPDATE of one row by its id (`set "c" = ?` or `set "c" = c + ?` only) of a
 *   row this batch has read is held as a patch: later updates of the same row fold into it (the last
 *   value wins, increments add up), a read of that row by its id is answered from the batch's copy
 *   with the patch applied, and one UPDATE per row is written when the held rows are (or before any
 *   other statement naming its table). A desk pushing many payments to one account moves that
 *   account's balance once per batch instead of once per payment.
 *
 * - Held rows sent early (PostgreSQL). When a table's held rows fill one multi-row statement, every
 *   held row is sent at once, in the order held, without waiting for the answer: the database
 *   writes them while the next commands run (the server and PostgreSQL each use a core). The
 *   connection runs statements in the order sent, so whatever the batch sends next sees them. A
 *   sent statement that fails is reported (`FlushFailed`) by the next statement the batch awaits,
 *   whatever that statement is, and by `flush`.
 *
 * Nothing here decides a rule: the commands still run in the one runner and read what they read.
 * What changes is when a held row reaches the database, so an error it raises comes at the flush:
 * `FlushFailed` names the first command whose rows were in it, and the push runs the batch again
 * with a savepoint per command from that one on, with deferring off (`defer = false`).
 */
export class BatchDb {
  /** The transaction as the commands use it. */
  readonly db: Kysely<Database>;
  /** Hold INSERTs (fast attempt); off for commands that run in their own savepoint. */
  defer = true;
  /** The index of the command running now: the rows it holds are attributed to it. */
  current = 0;
  readonly stats = { statements: 0, cacheHits: 0, deferredRows: 0, heldUpdates: 0, flushStatements: 0 };

  private conn: DatabaseConnection | null = null;
  private wrapped: DatabaseConnection | null = null;
  private readonly held = new Map<string, Held>();
  private readonly heldTables = new Set<string>();
  private readonly readBack = new Set<string>();
  private firstHeld: number | null = null;
  /** Held rows sent early and not yet answered; the first of them that failed. */
  private sent: Promise<unknown>[] = [];
  private sentFailure: FlushFailed | null = null;
  /** The last statement given to the connection: each waits for the one before (a driver runs one at a time). */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly cache = new Map<string, Cached>();
  /** Cache keys by the tables their statement names: a write drops only its tables' entries. */
  private readonly cacheByTable = new Map<string, Set<string>>();
  /** Held row updates: table → row id → patch. */
  private readonly patches = new Map<string, Map<string, Patch>>();
  /** Rows this batch has read by id and found (only those may have an UPDATE held: it is known to touch one row). */
  private readonly known = new Map<string, Set<string>>();

  constructor(
    trx: { getExecutor(): ReturnType<Kysely<Database>["getExecutor"]> },
    private readonly opts: {
      dialect: Dialect;
      /** Tables written by triggers (the change stream, search indexes): never cached; naming one flushes every held row. */
      derived: (table: string) => boolean;
      /** Send held rows as soon as a table's fill a statement (default: on PostgreSQL, whose connection runs them while the batch goes on). */
      sendEarly?: boolean;
    },
  ) {
    const inner = trx.getExecutor();
    const executor = inner.withConnectionProvider({
      provideConnection: (consumer) =>
        inner.provideConnection((conn) => {
          // One wrapper per connection, not per statement (a batch sends thousands).
          if (this.conn !== conn || !this.wrapped) this.wrapped = this.connection(conn);
          this.conn = conn;
          return consumer(this.wrapped);
        }),
    });
    // Once the batch holds its transaction's connection, a statement goes straight to it: most are
    // answered from the cache or held, and the connection provider's queue cost more than they did.
    // (The connection runs what it is sent in order; nothing here transforms results: no plugins.)
    const direct = inner.plugins.length === 0;
    const executeQuery = (q: CompiledQuery) => (direct && this.conn ? this.execute(this.conn, q) : executor.executeQuery(q));
    const bound = new Map<PropertyKey, unknown>();
    const fast = new Proxy(executor, {
      get(target, p) {
        if (p === 'executeQuery') return executeQuery;
        const v = Reflect.get(target, p, target) as unknown;
        if (typeof v !== 'function') return v;
        let f = bound.get(p);
        if (!f) bound.set(p, (f = (v as (...a: unknown[]) => unknown).bind(target)));
        return f;
      },
    });
    // Only the executor is used: the batch never opens a transaction of its own through this handle.
    this.db = new Transaction<Database>({ config: {} as never, driver: {} as never, dialect: {} as never, executor: fast });
  }

  /** Writes every held row (multi-row), in the order held. */
  async flush(): Promise<void> {
    await this.sentAnswered();
    if (this.held.size === 0 && this.patches.size === 0) return;
    const conn = this.conn;
    if (!conn) throw new Error('batch-db: rows held without a connection');
    const groups = [...this.held.values()];
    const patches = [...this.patches];
    const first = this.firstHeld ?? 0;
    this.held.clear();
    this.heldTables.clear();
    this.patches.clear();
    this.firstHeld = null;
    // The rows read before are now stale as the base the patches applied to.
    for (const [table] of patches) this.invalidate([table]);
    try {
      for (const g of groups) {
        const per = rowsPerStatement(g.width);
        for (let i = 0; i < g.rows.length; i += per) {
          const part = g.rows.slice(i, i + per);
          this.stats.flushStatements++;
          await this.enqueue(conn, CompiledQuery.raw(g.head + valuesList(this.opts.dialect, g.width, part.length), part.flat()));
        }
      }
      for (const [table, rows] of patches) {
        for (const [id, patch] of rows) {
          this.stats.flushStatements++;
          await this.enqueue(conn, patchStatement(this.opts.dialect, table, id, patch));
        }
      }
    } catch (e) {
      throw new FlushFailed(first, e);
    }
  }

  /**
   * Rows of one table written now, multi-row, all statements sent before the first answer is
   * awaited (the batch's own bookkeeping at its end: command log, answers). Every row has the first
   * row's columns. Built here rather than by Kysely: parsing thousands of row objects cost more
   * than writing them.
   */
  async insertRows(table: string, rows: readonly object[]): Promise<void> {
    if (rows.length === 0) return;
    const cols = Object.keys(rows[0]!);
    if (![table, ...cols].every((n) => /^[a-z_][a-z0-9_]*$/.test(n))) throw new Error(`batch-db: not a plain name in ${table} (${cols.join(', ')})`);
    // Every held row first: the rows written here may name them.
    await this.flush();
    const conn = this.conn;
    if (!conn) {
      await this.db.insertInto(table as never).values(rows as never).execute();
      return;
    }
    this.invalidate([table]);
    this.known.delete(table);
    const head = `insert into "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) values `;
    const per = rowsPerStatement(cols.length);
    const sent: Promise<QueryResult<unknown>>[] = [];
    for (let i = 0; i < rows.length; i += per) {
      const part = rows.slice(i, i + per);
      const params: unknown[] = [];
      for (const r of part) for (const c of cols) params.push((r as Record<string, unknown>)[c]);
      this.stats.statements++;
      sent.push(this.send(conn, CompiledQuery.raw(head + valuesList(this.opts.dialect, cols.length, part.length), params)));
    }
    // All sent in order; the first failure (in the order sent) is the one reported.
    const done = await Promise.allSettled(sent);
    const failed = done.find((d) => d.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private connection(conn: DatabaseConnection): DatabaseConnection {
    return {
      executeQuery: <R>(q: CompiledQuery) => this.execute(conn, q) as Promise<QueryResult<R>>,
      streamQuery: async function* (this: BatchDb, q: CompiledQuery, chunkSize?: number) {
        await this.flush();
        this.clearCache();
        this.known.clear();
        yield* conn.streamQuery(q, chunkSize);
      }.bind(this) as DatabaseConnection['streamQuery'],
    };
  }

  private async execute(conn: DatabaseConnection, q: CompiledQuery): Promise<QueryResult<unknown>> {
    const kind = q.query.kind;
    if (kind === 'SelectQueryNode') return this.select(conn, q);
    if (kind === 'InsertQueryNode' || kind === 'UpdateQueryNode' || kind === 'DeleteQueryNode' || kind === 'MergeQueryNode') {
      const shape = shapeOf(q);
      const tables = shape.tables;
      const table = tables[0];
      const row = shape.update && table ? String(q.parameters[shape.update.idParam]) : null;
      if (row !== null && table && this.defer && !this.derived(table) && this.known.get(table)?.has(row) && this.holdUpdate(table, row, shape.update!, q.parameters)) {
        return { rows: [], numAffectedRows: 1n };
      }
      this.invalidate(tables, row !== null ? { table: table!, id: row } : shape.insertId !== null ? { table: table!, id: String(q.parameters[shape.insertId]) } : undefined);
      // A row removed, or rows changed by anything but their id, are no longer known to be there.
      if (table && (kind === 'DeleteQueryNode' || kind === 'MergeQueryNode' || (kind === 'UpdateQueryNode' && row === null))) this.known.delete(table);
      if (shape.held && table && this.defer && !this.readBack.has(table) && !this.derived(table) && !this.patches.has(table) && (!this.heldTables.size || !tables.slice(1).some((t) => this.heldTables.has(t)))) {
        this.hold(table, shape.held, q.parameters);
        return { rows: [], numAffectedRows: 1n };
      }
      if (this.namesHeld(tables)) await this.flush();
      this.stats.statements++;
      return this.send(conn, q);
    }
    // Raw SQL (savepoints, locks, anything unparsed): every held row first, and no cached answer (nor known row: a rollback) survives it.
    await this.flush();
    this.clearCache();
    this.known.clear();
    this.stats.statements++;
    return this.send(conn, q);
  }

  /** One statement, awaited; an earlier early-sent statement's failure is the one reported (it came first). */
  private async send(conn: DatabaseConnection, q: CompiledQuery): Promise<QueryResult<unknown>> {
    if (this.sentFailure) throw this.sentFailure;
    try {
      const result = await this.enqueue(conn, q);
      // Everything sent before it has been answered by now.
      if (this.sentFailure) throw this.sentFailure;
      return result;
    } catch (e) {
      await this.sentAnswered();
      throw e;
    }
  }

  /**
   * Gives the connection a statement once the one before it is answered: statements sent early (or
   * several at once) run in the order sent, and the driver is never asked to run two at a time.
   */
  private enqueue(conn: DatabaseConnection, q: CompiledQuery): Promise<QueryResult<unknown>> {
    const run = this.queue.then(() => conn.executeQuery(q));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Waits for the rows sent early; throws the first failure among them. */
  private async sentAnswered(): Promise<void> {
    if (this.sent.length > 0) {
      const sent = this.sent;
      this.sent = [];
      await Promise.all(sent);
    }
    if (this.sentFailure) throw this.sentFailure;
  }

  /** Every held INSERT sent now, in the order held, not awaited (held row updates stay held for the end). */
  private sendHeld(): void {
    const conn = this.conn;
    if (!conn) return;
    const first = this.firstHeld ?? 0;
    const groups = [...this.held.values()];
    this.held.clear();
    this.heldTables.clear();
    // Patches still held keep their first command for the flush that writes them.
    if (this.patches.size === 0) this.firstHeld = null;
    for (const g of groups) {
      const per = rowsPerStatement(g.width);
      for (let i = 0; i < g.rows.length; i += per) {
        const part = g.rows.slice(i, i + per);
        this.stats.flushStatements++;
        // Called now, in order: the connection queues each before anything the batch sends later.
        this.sent.push(
          this.enqueue(conn, CompiledQuery.raw(g.head + valuesList(this.opts.dialect, g.width, part.length), part.flat())).catch((e: unknown) => {
            this.sentFailure ??= new FlushFailed(first, e);
          }),
        );
      }
    }
  }

  private async select(conn: DatabaseConnection, q: CompiledQuery): Promise<QueryResult<unknown>> {
    const shape = shapeOf(q);
    const { tables, rowRead } = shape;
    const row = rowRead ? { table: rowRead.table, id: String(q.parameters[rowRead.idParam]) } : undefined;
    // A table whose held rows a read needed is written straight through from then on.
    for (const t of tables) if (this.heldTables.has(t)) this.readBack.add(t);
    // A read of one row by its id sees that row's held patch; any other read of a patched table needs it written.
    if (this.namesHeld(tables, row?.table)) await this.flush();
    const key = tables.length > 0 && !tables.some((t) => this.derived(t)) ? cacheKey(shape, q.parameters) : null;
    const hit = key !== null ? this.cache.get(key) : undefined;
    let result: QueryResult<unknown>;
    if (hit) {
      this.stats.cacheHits++;
      result = hit.result;
    } else {
      this.stats.statements++;
      result = await this.send(conn, q);
      if (key !== null) this.remember(key, tables, row, result);
      if (row && result.rows.length === 1) this.knownSet(row.table).add(row.id);
    }
    const patch = row ? this.patches.get(row.table)?.get(row.id) : undefined;
    // Callers get their own objects: the cached rows stay as read.
    return { ...result, rows: result.rows.map((r) => (patch ? applyPatch(r as Record<string, unknown>, patch) : { ...(r as object) })) };
  }

  private remember(key: string, tables: string[], row: RowRef | undefined, result: QueryResult<unknown>): void {
    this.cache.set(key, { tables, row, result: { ...result, rows: result.rows.map((r) => ({ ...(r as object) })) } });
    for (const t of tables) {
      let keys = this.cacheByTable.get(t);
      if (!keys) this.cacheByTable.set(t, (keys = new Set()));
      keys.add(key);
    }
  }

  private knownSet(table: string): Set<string> {
    let ids = this.known.get(table);
    if (!ids) this.known.set(table, (ids = new Set()));
    return ids;
  }

  /** Folds a one-row UPDATE into the row's held patch; false (nothing held) when it cannot be folded. */
  private holdUpdate(table: string, id: string, shape: UpdateShape, params: readonly unknown[]): boolean {
    const rows = this.patches.get(table);
    const prev = rows?.get(id);
    const next: Patch = prev ? { set: new Map(prev.set), add: new Map(prev.add) } : { set: new Map(), add: new Map() };
    for (const s of shape.set) {
      const v = params[s.param];
      // Only values a read gives back as they were written (no dates, bytes or booleans the driver converts).
      if (v !== null && typeof v !== 'string' && typeof v !== 'number') return false;
      next.set.set(s.column, v);
      next.add.delete(s.column);
    }
    for (const a of shape.add) {
      const by = params[a.param];
      if (typeof by !== 'number') return false;
      const base = next.set.get(a.column);
      if (next.set.has(a.column)) {
        if (typeof base !== 'number') return false;
        next.set.set(a.column, base + by);
      } else next.add.set(a.column, (next.add.get(a.column) ?? 0) + by);
    }
    if (rows) rows.set(id, next);
    else this.patches.set(table, new Map([[id, next]]));
    this.firstHeld ??= this.current;
    this.stats.heldUpdates++;
    return true;
  }

  private derived(table: string): boolean {
    return this.opts.derived(table);
  }

  /** True when the statement names a held or patched table (`rowOf`: a read by id, which sees its patch) or a derived one: the held rows go first. */
  private namesHeld(tables: string[], rowOf?: string): boolean {
    if (this.heldTables.size === 0 && this.patches.size === 0) return false;
    for (const t of tables) if (this.heldTables.has(t) || this.derived(t) || (this.patches.has(t) && t !== rowOf)) return true;
    return false;
  }

  /** Drops the cached reads of the written tables; a write of one row (`row`) keeps the other rows' reads by id. */
  private invalidate(tables: string[], row?: RowRef): void {
    for (const t of tables) {
      const keys = this.cacheByTable.get(t);
      if (!keys) continue;
      for (const k of keys) {
        const c = this.cache.get(k);
        if (!c) {
          keys.delete(k);
          continue;
        }
        if (row && c.row && c.row.table === row.table && c.row.id !== row.id && t === row.table && c.tables.length === 1) continue;
        this.cache.delete(k);
        keys.delete(k);
      }
    }
  }

  private clearCache(): void {
    this.cache.clear();
    this.cacheByTable.clear();
  }

  private hold(table: string, shape: { head: string; width: number }, params: readonly unknown[]): void {
    let g = this.held.get(shape.head);
    if (!g) this.held.set(shape.head, (g = { head: shape.head, width: shape.width, rows: [] }));
    g.rows.push(params);
    this.heldTables.add(table);
    this.firstHeld ??= this.current;
    this.stats.deferredRows++;
    if ((this.opts.sendEarly ?? this.opts.dialect === 'postgres') && g.rows.length >= rowsPerStatement(g.width)) this.sendHeld();
  }
}

/** A held row failed when written: `first` is the first command whose rows were in that flush. */
export class FlushFailed extends Error {
  constructor(
    readonly first: number,
    override readonly cause: unknown,
  ) {
    super(`writing held rows failed (from command ${first}): ${(cause as Error)?.message ?? String(cause)}`);
  }
}

type Held = { head: string; width: number; rows: (readonly unknown[])[] };
type RowRef = { table: string; id: string };
type Cached = { tables: string[]; row: RowRef | undefined; result: QueryResult<unknown> };
