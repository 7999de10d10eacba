import { CompiledQuery } from 'kysely';
import type { Dialect } from '../../core/db/schema';

/**
 * What the push batch's handle (batch-db.ts) needs to know of a statement: the tables it names, and
 * whether it is one of the shapes the batch may hold (a plain one-row INSERT, an UPDATE of one row by
 * id, a read of one row by id). Worked out from the compiled text once per text; plus the multi-row
 * and patch statements the batch writes.
 */

/** A held row update: columns set to a value (the last wins) and columns moved by an amount (they add up). */
export type Patch = { set: Map<string, unknown>; add: Map<string, number> };
export type UpdateShape = { set: { column: string; param: number }[]; add: { column: string; param: number }[]; idParam: number };

/** What the batch needs to know of a statement text, worked out once per text. */
export type Shape = {
  /** A short stand-in for the text in cache keys (hashing a long text per read cost more than the read). */
  id: number;
  tables: string[];
  /** A plain one-row INSERT: the part before the values and the row width. */
  held: { head: string; width: number } | null;
  /** The parameter giving an INSERT's "id" column. */
  insertId: number | null;
  /** `select <columns> from "t" where "id" = ?`. */
  rowRead: { table: string; idParam: number } | null;
  /** `update "t" set "a" = ?, "b" = b + ? where "id" = ?`. */
  update: UpdateShape | null;
};

const shapes = new Map<string, Shape>();
let shapeIds = 0;

/** The shape of a compiled statement, worked out once per text. */
export function shapeOf(q: CompiledQuery): Shape {
  let s = shapes.get(q.sql);
  if (s) return s;
  const tables = tablesOf(q.query);
  const kind = q.query.kind;
  const held = kind === 'InsertQueryNode' ? heldShape(q.sql) : null;
  s = {
    id: ++shapeIds,
    tables,
    held,
    insertId: held ? insertIdParam(q.sql) : null,
    rowRead: kind === 'SelectQueryNode' ? rowReadShape(q.sql) : null,
    update: kind === 'UpdateQueryNode' ? updateShape(q.sql) : null,
  };
  // Texts repeat (a statement per shape, not per row); a bound keeps a stream of odd texts from growing it.
  if (shapes.size > 5000) shapes.clear();
  shapes.set(q.sql, s);
  return s;
}

const PARAM = String.raw`(?:\?|\$\d+)`;
const IDENT = String.raw`"([a-z_][a-z0-9_]*)"`;

function rowReadShape(text: string): Shape['rowRead'] {
  const m = new RegExp(String.raw`^select (?:\*|${IDENT}(?:, ${IDENT})*) from ${IDENT} where "id" = ${PARAM}$`).exec(text);
  if (!m) return null;
  return { table: m.at(-1)!, idParam: countParams(text) - 1 };
}

function updateShape(text: string): UpdateShape | null {
  const m = new RegExp(String.raw`^update ${IDENT} set (.+) where "id" = ${PARAM}$`).exec(text);
  if (!m) return null;
  const out: UpdateShape = { set: [], add: [], idParam: 0 };
  let n = 0;
  for (const item of m[2]!.split(', ')) {
    const set = new RegExp(String.raw`^${IDENT} = ${PARAM}$`).exec(item);
    const add = new RegExp(String.raw`^${IDENT} = "?([a-z_][a-z0-9_]*)"? \+ ${PARAM}$`).exec(item);
    if (set) out.set.push({ column: set[1]!, param: n++ });
    else if (add && add[1] === add[2]) out.add.push({ column: add[1]!, param: n++ });
    else return null;
  }
  out.idParam = n;
  return countParams(text) === n + 1 ? out : null;
}

function insertIdParam(text: string): number | null {
  const m = /^insert into "[^"]+" \(([^()]*)\) values/i.exec(text);
  const at = m ? m[1]!.split(', ').indexOf('"id"') : -1;
  return at >= 0 ? at : null;
}

const countParams = (text: string) => (text.match(/\?|\$\d+/g) ?? []).length;

export function applyPatch(row: Record<string, unknown>, p: Patch): Record<string, unknown> {
  const out = { ...row };
  for (const [c, v] of p.set) if (c in out) out[c] = v;
  for (const [c, by] of p.add) if (c in out && out[c] !== null) out[c] = Number(out[c]) + by;
  return out;
}

/** One UPDATE carrying a row's whole held patch. */
export function patchStatement(dialect: Dialect, table: string, id: string, p: Patch): CompiledQuery {
  const params: unknown[] = [];
  const slot = (v: unknown) => (params.push(v), dialect === 'postgres' ? `$${params.length}` : '?');
  const sets = [...[...p.set].map(([c, v]) => `"${c}" = ${slot(v)}`), ...[...p.add].map(([c, by]) => `"${c}" = "${c}" + ${slot(by)}`)];
  return CompiledQuery.raw(`update "${table}" set ${sets.join(', ')} where "id" = ${slot(id)}`, params);
}

// SQLite allows 32,766 parameters a statement and PostgreSQL 65,535; fewer rows keep statement texts few.
const MAX_PARAMS = 30_000;
const MAX_ROWS = 250;
export const rowsPerStatement = (width: number) => Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMS / width)));

/** `insert into "t" ("a", "b") values (?, ?)` (or `$1, $2`): the part before the values and the row width; null for any other shape. */
function heldShape(text: string): { head: string; width: number } | null {
  const m = /^(insert into "[^"]+" \([^()]*\) values )\(([^()]*)\)$/i.exec(text);
  if (!m) return null;
  const slots = m[2]!.split(',').map((s) => s.trim());
  if (!slots.every((s) => s === '?' || /^\$\d+$/.test(s))) return null;
  return { head: m[1]!, width: slots.length };
}

/** Statement (its text's id) and parameters; null (not cached) for parameters JSON cannot spell (bigint, bytes). */
export function cacheKey(shape: Shape, parameters: readonly unknown[]): string | null {
  if (!parameters.every((p) => p === null || typeof p === 'string' || typeof p === 'number' || typeof p === 'boolean')) return null;
  return `${shape.id}:${JSON.stringify(parameters)}`;
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
