import type { Compilable, CompiledQuery, Insertable, Kysely, QueryResult, RootOperationNode } from 'kysely';
import type { Database } from './schema';

/**
 * Statements on a hot path (every pushed payment runs a dozen) built and compiled by Kysely once
 * per dialect, then run again with new parameters. Building and compiling a statement cost more
 * than SQLite running it (issue 13: fast push). The statement is the same one Kysely would build:
 * the builder runs once with a marker in place of each argument, and each marker's place among the
 * compiled parameters is where later arguments go.
 *
 * Arguments must be plain values the statement binds (ids, dates, amounts), never parts of its
 * shape (a column, an operator, a list's length); a builder that does not bind each marker as one
 * parameter, exactly, is built anew on every call, as without this module.
 */
export interface Prepared<A extends unknown[], R> {
  /** All rows. */
  rows(db: Kysely<Database>, ...args: A): Promise<R[]>;
  /** The first row, or undefined. */
  first(db: Kysely<Database>, ...args: A): Promise<R | undefined>;
  /** The driver's whole answer (writes: `numAffectedRows`). */
  run(db: Kysely<Database>, ...args: A): Promise<QueryResult<R>>;
}

type Slot = { arg: number } | { value: unknown };
type Template = { sql: string; query: RootOperationNode; slots: Slot[] } | null;

const bindable = (v: unknown): boolean => v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint';

const MARK = '\u0000ld-prepared-arg:';
const markers = (n: number) => Array.from({ length: n }, (_, i) => `${MARK}${i}\u0000`);

/** One template per dialect (the adapter's class): the same builder compiles alike on every handle of a dialect. */
function templateCache() {
  const byAdapter = new Map<unknown, Template>();
  return (db: Kysely<Database>, make: () => Template): Template => {
    const exec = db.getExecutor();
    // A plugin may rewrite each statement or result by its query id: then nothing is reused.
    if (exec.plugins.length > 0) return null;
    const key = exec.adapter.constructor;
    let t = byAdapter.get(key);
    if (t === undefined) byAdapter.set(key, (t = make()));
    return t;
  };
}

/** Where each marker landed among the compiled parameters; null when a marker is not exactly one parameter. */
function templateOf(q: CompiledQuery, marks: string[]): Template {
  if (marks.some((m) => q.sql.includes(m))) return null;
  const seen = new Set<number>();
  const slots: Slot[] = q.parameters.map((p) => {
    const arg = typeof p === 'string' ? marks.indexOf(p) : -1;
    if (arg >= 0) seen.add(arg);
    return arg >= 0 ? { arg } : { value: p };
  });
  if (seen.size !== marks.length) return null;
  if (q.parameters.some((p) => typeof p === 'string' && p.includes(MARK) && !marks.includes(p))) return null;
  return { sql: q.sql, query: q.query, slots };
}

function compiled<R>(t: NonNullable<Template>, args: readonly unknown[]): CompiledQuery<R> {
  const parameters: unknown[] = new Array(t.slots.length);
  for (let i = 0; i < t.slots.length; i++) {
    const s = t.slots[i]!;
    parameters[i] = 'arg' in s ? args[s.arg] : s.value;
  }
  // No plugin reads the query id (checked above), so no new one is made per run.
  return { sql: t.sql, query: t.query, parameters, queryId: NO_ID } as CompiledQuery<R>;
}
const NO_ID = Object.freeze({ queryId: 'prepared' });

export function prepared<A extends unknown[], R>(build: (db: Kysely<Database>, ...args: A) => Compilable<R>): Prepared<A, R> {
  const cache = templateCache();
  const run = (db: Kysely<Database>, args: A): Promise<QueryResult<R>> => {
    // A list or an object in the place of a marker may change the statement (`in (?, ?)`): built as usual.
    if (!args.every(bindable)) return db.executeQuery<R>(build(db, ...args).compile());
    const t = cache(db, () => {
      const marks = markers(args.length);
      return templateOf(build(db, ...(marks as unknown as A)).compile(), marks);
    });
    return db.executeQuery<R>(t ? compiled<R>(t, args) : build(db, ...args).compile());
  };
  return {
    rows: async (db, ...args) => (await run(db, args)).rows,
    first: async (db, ...args) => (await run(db, args)).rows[0],
    run: (db, ...args) => run(db, args),
  };
}

type Row = Record<string, unknown>;

const inserts = new Map<string, ReturnType<typeof templateCache>>();

/**
 * `db.insertInto(table).values(row).execute()` for one row of plain values, compiled once per table
 * and set of columns (undefined values are left out, as Kysely does). Other rows (expressions,
 * booleans, dates) are built as usual.
 */
export async function insertRow<T extends keyof Database & string>(db: Kysely<Database>, table: T, given: Insertable<Database[T]>): Promise<void> {
  const row = given as Row;
  const cols: string[] = [];
  const values: unknown[] = [];
  let plainValues = true;
  for (const k in row) {
    const v = row[k];
    if (v === undefined) continue;
    cols.push(k);
    values.push(v);
    plainValues &&= bindable(v);
  }
  const plain = () => db.insertInto(table).values(row as never);
  if (!plainValues) {
    await plain().execute();
    return;
  }
  const key = `${table}\u0000${cols.join(',')}`;
  let cache = inserts.get(key);
  if (!cache) {
    // A bound keeps an odd stream of column sets from growing it.
    if (inserts.size > 500) inserts.clear();
    inserts.set(key, (cache = templateCache()));
  }
  const t = cache(db, () => {
    const marks = markers(cols.length);
    return templateOf(db.insertInto(table).values(Object.fromEntries(cols.map((c, i) => [c, marks[i]])) as never).compile(), marks);
  });
  await db.executeQuery(t ? compiled(t, values) : plain().compile());
}
