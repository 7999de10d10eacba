import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BatchDb, FlushFailed } from './batch-db';

/** The batch handle on a real SQLite file's transaction: what it holds, when it writes, what it answers from cache. */
type T = {
  parent: { id: string; name: string };
  child: { id: string; parent_id: string };
  acct: { id: string; name: string; balance: number };
  srv_changes: { seq: number; tbl: string };
};

let raw: BetterSqlite3.Database;
let db: Kysely<T>;
const statements: string[] = [];

beforeEach(async () => {
  raw = new BetterSqlite3(':memory:');
  raw.pragma('foreign_keys = ON');
  raw.exec(`CREATE TABLE parent (id TEXT PRIMARY KEY, name TEXT NOT NULL);
    CREATE TABLE child (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL REFERENCES parent(id));
    CREATE TABLE srv_changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, tbl TEXT NOT NULL);
    CREATE TABLE acct (id TEXT PRIMARY KEY, name TEXT NOT NULL, balance INTEGER NOT NULL CHECK (balance >= 0));
    CREATE TRIGGER c_i AFTER INSERT ON child BEGIN INSERT INTO srv_changes (tbl) VALUES ('child'); END;
    CREATE TRIGGER a_u AFTER UPDATE ON acct BEGIN INSERT INTO srv_changes (tbl) VALUES ('acct'); END;`);
  statements.length = 0;
  db = new Kysely<T>({ dialect: new SqliteDialect({ database: raw }), log: (e) => void statements.push(e.query.sql) });
});
afterEach(async () => {
  await db.destroy();
});

const batch = (trx: Kysely<T>) => new BatchDb(trx as never, { dialect: 'sqlite', derived: (t) => t.startsWith('srv_') });

describe('BatchDb', () => {
  it('holds one-row INSERTs and writes them multi-row before a read of their table', async () => {
    await db.transaction().execute(async (trx) => {
      const b = batch(trx);
      const h = b.db as unknown as Kysely<T>;
      await h.insertInto('parent').values({ id: 'p1', name: 'one' }).execute();
      await h.insertInto('parent').values({ id: 'p2', name: 'two' }).execute();
      await h.insertInto('child').values({ id: 'c1', parent_id: 'p1' }).execute();
      expect(statements.filter((s) => s.startsWith('insert'))).toEqual([]);
      expect((await h.selectFrom('parent').select('id').orderBy('id').execute()).map((r) => r.id)).toEqual(['p1', 'p2']);
      // Parents first, in the order held; the children's table too (everything held is written).
      expect(statements.filter((s) => s.startsWith('insert'))).toEqual(['insert into "parent" ("id", "name") values (?, ?), (?, ?)', 'insert into "child" ("id", "parent_id") values (?, ?)']);
      // A table read back is written straight through from then on.
      await h.insertInto('parent').values({ id: 'p3', name: 'three' }).execute();
      expect(statements.at(-1)).toBe('insert into "parent" ("id", "name") values (?, ?)');
    });
    expect(raw.prepare('SELECT COUNT(*) AS n FROM srv_changes').get()).toEqual({ n: 1 });
  });

  it('writes held rows before reading a table triggers write, before raw SQL and at flush', async () => {
    await db.transaction().execute(async (trx) => {
      const b = batch(trx);
      const h = b.db as unknown as Kysely<T>;
      await h.insertInto('parent').values({ id: 'p1', name: 'one' }).execute();
      await h.insertInto('child').values({ id: 'c1', parent_id: 'p1' }).execute();
      expect((await h.selectFrom('srv_changes').select('tbl').execute()).map((r) => r.tbl)).toEqual(['child']);
      await h.insertInto('child').values({ id: 'c2', parent_id: 'p1' }).execute();
      await sql`SAVEPOINT x`.execute(h);
      expect(raw.prepare('SELECT COUNT(*) AS n FROM child').get()).toEqual({ n: 2 });
      await sql`RELEASE SAVEPOINT x`.execute(h);
      await h.insertInto('child').values({ id: 'c3', parent_id: 'p1' }).execute();
      await b.flush();
      expect(raw.prepare('SELECT COUNT(*) AS n FROM child').get()).toEqual({ n: 3 });
    });
  });

  it('answers a repeated read from its cache until the batch writes to that table', async () => {
    raw.exec(`INSERT INTO parent VALUES ('p1', 'one')`);
    await db.transaction().execute(async (trx) => {
      const b = batch(trx);
      b.defer = false;
      const h = b.db as unknown as Kysely<T>;
      const read = () => h.selectFrom('parent').select('name').where('id', '=', 'p1').executeTakeFirstOrThrow();
      expect(await read()).toEqual({ name: 'one' });
      expect(await read()).toEqual({ name: 'one' });
      expect(b.stats.cacheHits).toBe(1);
      await h.updateTable('parent').set({ name: 'uno' }).where('id', '=', 'p1').execute();
      expect(await read()).toEqual({ name: 'uno' });
      expect(b.stats.cacheHits).toBe(1);
    });
  });

  it('a held row that fails when written names the first command whose rows were in that flush', async () => {
    raw.exec(`INSERT INTO parent VALUES ('p1', 'one')`);
    const err = await db
      .transaction()
      .execute(async (trx) => {
        const b = batch(trx);
        const h = b.db as unknown as Kysely<T>;
        b.current = 4;
        await h.insertInto('child').values({ id: 'c1', parent_id: 'p1' }).execute();
        b.current = 5;
        await h.insertInto('child').values({ id: 'c2', parent_id: 'nobody' }).execute();
        b.current = 6;
        await b.flush();
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlushFailed);
    expect((err as FlushFailed).first).toBe(4);
    expect(raw.prepare('SELECT COUNT(*) AS n FROM child').get()).toEqual({ n: 0 });
  });

  it('with deferring off, every INSERT runs at once (a command in its own savepoint)', async () => {
    await db.transaction().execute(async (trx) => {
      const b = batch(trx);
      b.defer = false;
      await (b.db as unknown as Kysely<T>).insertInto('parent').values({ id: 'p1', name: 'one' }).execute();
      expect(raw.prepare('SELECT COUNT(*) AS n FROM parent').get()).toEqual({ n: 1 });
    });
  });

  it('insertRows writes held rows first, then the rows multi-row with every statement sent before the first answer, and drops cached reads of the table', async () => {
    await db.transaction().execute(async (trx) => {
      const b = batch(trx);
      const h = b.db as unknown as Kysely<T>;
      await h.insertInto('parent').values({ id: 'p0', name: 'zero' }).execute();
      expect(await h.selectFrom('child').select('id').execute()).toEqual([]);
      await b.insertRows(
        'child',
        Array.from({ length: 300 }, (_, i) => ({ id: `c${i}`, parent_id: 'p0' })),
      );
      const inserts = statements.filter((s) => s.startsWith('insert'));
      // The held parent first (the children need it), then 250 + 50 children.
      expect(inserts.map((s) => (s.match(/\(\?, \?\)/g) ?? []).length)).toEqual([1, 250, 50]);
      expect(inserts[1]).toMatch(/^insert into "child" \("id", "parent_id"\) values/);
      expect((await h.selectFrom('child').select('id').execute()).length).toBe(300);
    });
    expect(raw.prepare('SELECT COUNT(*) AS n FROM child').get()).toEqual({ n: 300 });
  });

  describe('held rows sent early (PostgreSQL: the database writes them while the batch goes on)', () => {
    const early = (trx: Kysely<T>) => new BatchDb(trx as never, { dialect: 'sqlite', derived: (t) => t.startsWith('srv_'), sendEarly: true });

    it('sends every held row once a table fills a statement, in the order held; a later read sees them', async () => {
      await db.transaction().execute(async (trx) => {
        const b = early(trx);
        const h = b.db as unknown as Kysely<T>;
        await h.insertInto('parent').values({ id: 'p0', name: 'zero' }).execute();
        await h.insertInto('child').values({ id: 'c0', parent_id: 'p0' }).execute();
        for (let i = 1; i < 250; i++) await h.insertInto('parent').values({ id: `p${i}`, name: 'n' }).execute();
        // 250 parents fill one statement: parents and the child are sent, parents first; the next statement runs after them.
        await h.selectFrom('acct').selectAll().execute();
        expect(statements.filter((s) => s.startsWith('insert')).map((s) => /^insert into "(\w+)"/.exec(s)?.[1])).toEqual(['parent', 'child']);
        expect(raw.prepare('SELECT COUNT(*) AS n FROM parent').get()).toEqual({ n: 250 });
        await h.insertInto('parent').values({ id: 'p250', name: 'n' }).execute();
        expect(raw.prepare('SELECT COUNT(*) AS n FROM parent').get()).toEqual({ n: 250 });
        await b.flush();
        expect(raw.prepare('SELECT COUNT(*) AS n FROM parent').get()).toEqual({ n: 251 });
      });
    });

    it('a sent row that fails is reported by the next statement the batch awaits, naming the first command whose rows were sent', async () => {
      raw.exec(`INSERT INTO parent VALUES ('p1', 'one')`);
      const err = await db
        .transaction()
        .execute(async (trx) => {
          const b = early(trx);
          const h = b.db as unknown as Kysely<T>;
          b.current = 2;
          await h.insertInto('child').values({ id: 'c1', parent_id: 'p1' }).execute();
          b.current = 3;
          await h.insertInto('child').values({ id: 'c2', parent_id: 'nobody' }).execute();
          b.current = 4;
          for (let i = 0; i < 249; i++) await h.insertInto('child').values({ id: `d${i}`, parent_id: 'p1' }).execute();
          b.current = 9;
          // Another table's read: it succeeds on SQLite, yet the sent failure is what the batch hears.
          await h.selectFrom('acct').selectAll().execute();
        })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FlushFailed);
      expect((err as FlushFailed).first).toBe(2);
    });
  });

  describe('held row updates', () => {
    beforeEach(() => {
      raw.exec(`INSERT INTO acct VALUES ('a1', 'one', 100), ('a2', 'two', 100)`);
    });
    const balance = (h: Kysely<T>, id: string) => h.selectFrom('acct').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const move = (h: Kysely<T>, id: string, by: number, name: string) =>
      h
        .updateTable('acct')
        .set({ balance: sql<number>`balance + ${by}`, name })
        .where('id', '=', id)
        .execute();

    it('a read of the row after a held update sees it; the row is written once, at the flush, with the last value and the sum', async () => {
      await db.transaction().execute(async (trx) => {
        const b = batch(trx);
        const h = b.db as unknown as Kysely<T>;
        expect(await balance(h, 'a1')).toEqual({ id: 'a1', name: 'one', balance: 100 });
        await move(h, 'a1', -30, 'uno');
        expect(await balance(h, 'a1')).toEqual({ id: 'a1', name: 'uno', balance: 70 });
        await move(h, 'a1', 5, 'eins');
        expect(await h.selectFrom('acct').select('balance').where('id', '=', 'a1').executeTakeFirstOrThrow()).toEqual({ balance: 75 });
        expect(await balance(h, 'a1')).toEqual({ id: 'a1', name: 'eins', balance: 75 });
        // Nothing reached the database yet: one read of the row, no UPDATE.
        expect(statements.filter((q) => q.startsWith('update'))).toEqual([]);
        expect(raw.prepare(`SELECT balance FROM acct WHERE id = 'a1'`).get()).toEqual({ balance: 100 });
        await b.flush();
        expect(statements.filter((q) => q.startsWith('update'))).toEqual(['update "acct" set "name" = ?, "balance" = "balance" + ? where "id" = ?']);
        expect(raw.prepare(`SELECT name, balance FROM acct WHERE id = 'a1'`).get()).toEqual({ name: 'eins', balance: 75 });
        expect(raw.prepare('SELECT COUNT(*) AS n FROM srv_changes').get()).toEqual({ n: 1 });
        // After the flush the row is read again from the database (the cached copy was the old base).
        expect(await balance(h, 'a1')).toEqual({ id: 'a1', name: 'eins', balance: 75 });
      });
    });

    it('an update of a row the batch has not read runs at once, and any other read of a patched table writes the patch first', async () => {
      await db.transaction().execute(async (trx) => {
        const b = batch(trx);
        const h = b.db as unknown as Kysely<T>;
        await move(h, 'a2', -1, 'two');
        expect(raw.prepare(`SELECT balance FROM acct WHERE id = 'a2'`).get()).toEqual({ balance: 99 });
        await balance(h, 'a1');
        await move(h, 'a1', -10, 'one');
        expect(raw.prepare(`SELECT balance FROM acct WHERE id = 'a1'`).get()).toEqual({ balance: 100 });
        const all = await h.selectFrom('acct').select(['id', 'balance']).orderBy('id').execute();
        expect(all).toEqual([
          { id: 'a1', balance: 90 },
          { id: 'a2', balance: 99 },
        ]);
        // A table triggers write sees the held update's trigger output.
        expect(await h.selectFrom('srv_changes').select('tbl').execute()).toHaveLength(2);
      });
    });

    it('a write of one row keeps the cached reads of the other rows', async () => {
      await db.transaction().execute(async (trx) => {
        const b = batch(trx);
        b.defer = false;
        const h = b.db as unknown as Kysely<T>;
        await balance(h, 'a1');
        await balance(h, 'a2');
        await move(h, 'a2', 1, 'two');
        expect(await balance(h, 'a1')).toEqual({ id: 'a1', name: 'one', balance: 100 });
        expect(b.stats.cacheHits).toBe(1);
        expect(await balance(h, 'a2')).toEqual({ id: 'a2', name: 'two', balance: 101 });
        expect(b.stats.cacheHits).toBe(1);
      });
    });

    it('a held update that fails when written names the first command that moved a held row', async () => {
      const err = await db
        .transaction()
        .execute(async (trx) => {
          const b = batch(trx);
          const h = b.db as unknown as Kysely<T>;
          b.current = 3;
          await balance(h, 'a1');
          await move(h, 'a1', -60, 'one');
          b.current = 4;
          await move(h, 'a1', -60, 'one');
          expect((await balance(h, 'a1')).balance).toBe(-20);
          b.current = 5;
          await b.flush();
        })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FlushFailed);
      expect((err as FlushFailed).first).toBe(3);
      expect(raw.prepare(`SELECT balance FROM acct WHERE id = 'a1'`).get()).toEqual({ balance: 100 });
    });

    it('a raw statement (a savepoint) writes held updates first, and forgets which rows exist (a rollback may remove them)', async () => {
      await db.transaction().execute(async (trx) => {
        const b = batch(trx);
        const h = b.db as unknown as Kysely<T>;
        await balance(h, 'a1');
        await move(h, 'a1', -1, 'one');
        await sql`SAVEPOINT x`.execute(h);
        expect(raw.prepare(`SELECT balance FROM acct WHERE id = 'a1'`).get()).toEqual({ balance: 99 });
        await move(h, 'a1', -1, 'one');
        expect(raw.prepare(`SELECT balance FROM acct WHERE id = 'a1'`).get()).toEqual({ balance: 98 });
        await sql`RELEASE SAVEPOINT x`.execute(h);
      });
    });
  });
});
