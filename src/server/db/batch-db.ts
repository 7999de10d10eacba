import { CompiledQuery, Transaction, type DatabaseConnection, type Kysely, type QueryResult } from 'kysely';
import type { Database, Dialect } from '../../core/db/schema';

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
  readonly stats = { statements: 0, cacheHits: 0, deferredRows: 0, flushStatements: 0 };

  private conn: DatabaseConnection | null = null;
  private readonly held = new Map<string, Held>();
  private readonly heldTables = new Set<string>();
  private readonly readBack = new Set<string>();
  private firstHeld: number | null = null;
  private readonly cache = new Map<string, { tables: string[]; result: QueryResult<unknown> }>();

  constructor(
    trx: { getExecutor(): ReturnType<Kysely<Database>["getExecutor"]> },
    private readonly opts: {
      dialect: Dialect;
      /** Tables written by triggers (the change stream, search indexes): never cached; naming one flushes every held row. */
      derived: (table: string) => boolean;
    },
  ) {
    const inner = trx.getExecutor();
    const executor = inner.withConnectionProvider({
      provideConnection: (consumer) =>
        inner.provideConnection((conn) => {
          this.conn = conn;
          return consumer(this.connection(conn));
        }),
    });
    // Only the executor is used: the batch never opens a transaction of its own through this handle.
    this.db = new Transaction<Database>({ config: {} as never, driver: {} as never, dialect: {} as never, executor });
  }

  /** Writes every held row (multi-row), in the order held. */
  async flush(): Promise<void> {
    if (this.held.size === 0) return;
    const conn = this.conn;
    if (!conn) throw new Error('batch-db: rows held without a connection');
    const groups = [...this.held.values()];
    const first = this.firstHeld ?? 0;
    this.held.clear();
    this.heldTables.clear();
    this.firstHeld = null;
    try {
      for (const g of groups) {
        const per = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMS / g.width)));
        for (let i = 0; i < g.rows.length; i += per) {
          const part = g.rows.slice(i, i + per);
          this.stats.flushStatements++;
          await conn.executeQuery(CompiledQuery.raw(g.head + valuesList(this.opts.dialect, g.width, part.length), part.flat()));
        }
      }
    } catch (e) {
      throw new FlushFailed(first, e);
    }
  }

  private connection(conn: DatabaseConnection): DatabaseConnection {
    return {
      executeQuery: <R>(q: CompiledQuery) => this.execute(conn, q) as Promise<QueryResult<R>>,
      streamQuery: async function* (this: BatchDb, q: CompiledQuery, chunkSize?: number) {
        await this.flush();
        this.cache.clear();
        yield* conn.streamQuery(q, chunkSize);
      }.bind(this) as DatabaseConnection['streamQuery'],
    };
  }

  private async execute(conn: DatabaseConnection, q: CompiledQuery): Promise<QueryResult<unknown>> {
    const kind = q.query.kind;
    if (kind === 'SelectQueryNode') {
      const tables = tablesOf(q.query);
      // A table whose held rows a read needed is written straight through from then on.
      for (const t of tables) if (this.heldTables.has(t)) this.readBack.add(t);
      await this.flushIfNamed(tables);
      const key = tables.length > 0 && !tables.some((t) => this.derived(t)) ? cacheKey(q) : null;
      const hit = key !== null ? this.cache.get(key) : undefined;
      if (hit) {
        this.stats.cacheHits++;
        return { ...hit.result, rows: hit.result.rows.map((r) => ({ ...(r as object) })) };
      }
      this.stats.statements++;
      const result = await conn.executeQuery(q);
      if (key !== null) this.cache.set(key, { tables, result: { ...result, rows: result.rows.map((r) => ({ ...(r as object) })) } });
      return result;
    }
    if (kind === 'InsertQueryNode' || kind === 'UpdateQueryNode' || kind === 'DeleteQueryNode' || kind === 'MergeQueryNode') {
      const tables = tablesOf(q.query);
      this.invalidate(tables);
      const into = kind === 'InsertQueryNode' ? heldShape(q.sql) : null;
      const table = tables[0];
      if (into && table && this.defer && !this.readBack.has(table) && !this.derived(table) && (!this.heldTables.size || !tables.slice(1).some((t) => this.heldTables.has(t)))) {
        this.hold(table, into, q.parameters);
        return { rows: [], numAffectedRows: 1n };
      }
      await this.flushIfNamed(tables);
      this.stats.statements++;
      return conn.executeQuery(q);
    }
    // Raw SQL (savepoints, locks, anything unparsed): every held row first, and no cached answer survives it.
    await this.flush();
    this.cache.clear();
    this.stats.statements++;
    return conn.executeQuery(q);
  }

  private derived(table: string): boolean {
    return this.opts.derived(table);
  }

  private async flushIfNamed(tables: string[]): Promise<void> {
    if (this.heldTables.size > 0 && tables.some((t) => this.heldTables.has(t) || this.derived(t))) await this.flush();
  }

  private invalidate(tables: string[]): void {
    for (const [k, v] of this.cache) if (v.tables.some((t) => tables.includes(t))) this.cache.delete(k);
  }

  private hold(table: string, shape: { head: string; width: number }, params: readonly unknown[]): void {
    let g = this.held.get(shape.head);
    if (!g) this.held.set(shape.head, (g = { head: shape.head, width: shape.width, rows: [] }));
    g.rows.push(params);
    this.heldTables.add(table);
    this.firstHeld ??= this.current;
    this.stats.deferredRows++;
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

// SQLite allows 32,766 parameters a statement and PostgreSQL 65,535; fewer rows keep statement texts few.
const MAX_PARAMS = 30_000;
const MAX_ROWS = 250;

/** `insert into "t" ("a", "b") values (?, ?)` (or `$1, $2`): the part before the values and the row width; null for any other shape. */
function heldShape(text: string): { head: string; width: number } | null {
  const m = /^(insert into "[^"]+" \([^()]*\) values )\(([^()]*)\)$/i.exec(text);
  if (!m) return null;
  const slots = m[2]!.split(',').map((s) => s.trim());
  if (!slots.every((s) => s === '?' || /^\$\d+$/.test(s))) return null;
  return { head: m[1]!, width: slots.length };
}

function valuesList(dialect: Dialect, width: number, rows: number): string {
  const out: string[] = [];
  let n = 0;
  for (let r = 0; r < rows; r++) {
    const slots: string[] = [];
    for (let c = 0; c < width; c++) slots.push(dialect === 'postgres' ? `$${++n}` : '?');
    out.push(`(${slots.join(', ')})`);
  }
  return out.join(', ');
}

/** Statement text and parameters; null (not cached) for parameters JSON cannot spell (bigint, bytes). */
function cacheKey(q: CompiledQuery): string | null {
  if (!q.parameters.every((p) => p === null || typeof p === 'string' || typeof p === 'number' || typeof p === 'boolean')) return null;
  return `${q.sql}\u0000${JSON.stringify(q.parameters)}`;
}

/** Every table a statement names (joins, subqueries, the target of a write first). */
function tablesOf(node: unknown): string[] {
  const out: string[] = [];
  const walk = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) {
      for (const x of n) walk(x);
      return;
    }
    const o = n as { kind?: string; table?: { identifier?: { name?: string } } };
    if (o.kind === 'TableNode') {
      const name = o.table?.identifier?.name;
      if (name && !out.includes(name)) out.push(name);
      return;
    }
    for (const v of Object.values(o)) if (v && typeof v === 'object') walk(v);
  };
  const root = node as { kind: string; into?: unknown; table?: unknown };
  // The written table first: `hold` keys on it.
  if (root.kind === 'InsertQueryNode') walk(root.into);
  else if (root.kind === 'UpdateQueryNode') walk(root.table);
  walk(node);
  return out;
}
