import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertRow, prepared } from './prepared';
import type { Database } from './schema';

/** Statements compiled once and run again with new parameters: the same SQL, the same rows, built once. */
type T = { item: { id: string; name: string; qty: number; note: string | null } };

let raw: BetterSqlite3.Database;
let db: Kysely<Database>;
const statements: { sql: string; parameters: readonly unknown[] }[] = [];

beforeEach(() => {
  raw = new BetterSqlite3(':memory:');
  raw.exec(`CREATE TABLE item (id TEXT PRIMARY KEY, name TEXT NOT NULL, qty INTEGER NOT NULL, note TEXT)`);
  statements.length = 0;
  db = new Kysely<T>({ dialect: new SqliteDialect({ database: raw }), log: (e) => void statements.push({ sql: e.query.sql, parameters: e.query.parameters }) }) as unknown as Kysely<Database>;
});
afterEach(async () => {
  await db.destroy();
});

const items = (d: Kysely<Database>) => d as unknown as Kysely<T>;

describe('prepared', () => {
  it('builds once and runs the same statement with each call’s arguments and the constants kept', async () => {
    let builds = 0;
    const byName = prepared((d, name: string, min: number) => {
      builds++;
      return items(d).selectFrom('item').select(['id', 'qty']).where('name', '=', name).where('qty', '>=', min).where('note', 'is not', null).orderBy('id').limit(5);
    });
    await items(db).insertInto('item').values([
      { id: 'a', name: 'x', qty: 1, note: 'n' },
      { id: 'b', name: 'x', qty: 5, note: 'n' },
      { id: 'c', name: 'y', qty: 9, note: 'n' },
    ]).execute();
    expect(await byName.rows(db, 'x', 2)).toEqual([{ id: 'b', qty: 5 }]);
    expect(await byName.rows(db, 'x', 0)).toEqual([{ id: 'a', qty: 1 }, { id: 'b', qty: 5 }]);
    expect(await byName.first(db, 'y', 0)).toEqual({ id: 'c', qty: 9 });
    expect(await byName.first(db, 'z', 0)).toBeUndefined();
    expect(builds).toBe(1);
    const plain = items(db).selectFrom('item').select(['id', 'qty']).where('name', '=', 'y').where('qty', '>=', 0).where('note', 'is not', null).orderBy('id').limit(5).compile();
    expect(statements.at(-2)).toEqual({ sql: plain.sql, parameters: ['y', 0, 5] });
  });

  it('binds arguments inside sql templates of an update, and works inside a transaction', async () => {
    await items(db).insertInto('item').values({ id: 'a', name: 'x', qty: 1, note: null }).execute();
    const add = prepared((d, by: number, id: string) => items(d).updateTable('item').set({ qty: sql<number>`qty + ${by}` }).where('id', '=', id));
    await db.transaction().execute(async (trx) => {
      expect(Number((await add.run(trx, 4, 'a')).numAffectedRows)).toBe(1);
      await add.run(trx, 2, 'a');
    });
    expect(raw.prepare('SELECT qty FROM item').get()).toEqual({ qty: 7 });
  });

  it('builds anew each call when an argument is part of the statement’s shape (not one parameter)', async () => {
    let builds = 0;
    const inList = prepared((d, ids: string[]) => {
      builds++;
      return items(d).selectFrom('item').select('id').where('id', 'in', ids).orderBy('id');
    });
    await items(db).insertInto('item').values([
      { id: 'a', name: 'x', qty: 1, note: null },
      { id: 'b', name: 'x', qty: 1, note: null },
    ]).execute();
    expect(await inList.rows(db, ['a', 'b'])).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(await inList.rows(db, ['b'])).toEqual([{ id: 'b' }]);
    // A list is never taken for one parameter: built per call.
    expect(builds).toBe(2);
    const column = prepared((d, c: string) => items(d).selectFrom('item').select(sql<string>`${sql.ref(c)}`.as('v')).orderBy('id'));
    expect(await column.rows(db, 'name')).toEqual([{ v: 'x' }, { v: 'x' }]);
  });
});

describe('insertRow', () => {
  it('writes what Kysely writes, compiled once per table and columns, leaving undefined out', async () => {
    await insertRow(db, 'item' as never, { id: 'a', name: 'x', qty: 1, note: undefined });
    await insertRow(db, 'item' as never, { id: 'b', name: 'y', qty: 2, note: 'n' });
    await insertRow(db, 'item' as never, { id: 'c', name: 'z', qty: 3, note: null });
    expect(raw.prepare('SELECT * FROM item ORDER BY id').all()).toEqual([
      { id: 'a', name: 'x', qty: 1, note: null },
      { id: 'b', name: 'y', qty: 2, note: 'n' },
      { id: 'c', name: 'z', qty: 3, note: null },
    ]);
    expect(statements.map((s) => s.sql)).toEqual([
      'insert into "item" ("id", "name", "qty") values (?, ?, ?)',
      'insert into "item" ("id", "name", "qty", "note") values (?, ?, ?, ?)',
      'insert into "item" ("id", "name", "qty", "note") values (?, ?, ?, ?)',
    ]);
    // An expression value is not a plain one: built as usual.
    await insertRow(db, 'item' as never, { id: 'd', name: sql`'q' || 'r'`, qty: 4, note: null });
    expect(raw.prepare(`SELECT name FROM item WHERE id = 'd'`).get()).toEqual({ name: 'qr' });
  });
});
