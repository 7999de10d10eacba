import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { canonicalJson, deriveId, sha256 } from '../util/canonical-json';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditRecord {
  userId: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
}

type Row = Database['audit_log'];

/** What each entry's hash covers: everything but the hash itself, chained to the previous hash. */
function entryHash(r: Omit<Row, 'hash'>): string {
  return sha256(
    canonicalJson([r.seq, r.id, r.at, r.user_id, r.action, r.entity, r.entity_id, r.before_json, r.after_json, r.prev_hash]),
  );
}

/**
 * The chain's last entry as one transaction knows it, so a batch of commands (a server push)
 * reads it once instead of once per entry. Only valid while every audit write of that transaction
 * goes through it (the runner's ctx.audit / ctx.auditBatch); whoever rolls back to a savepoint puts
 * back the head it had before (`copy` / `restore`).
 */
export class AuditChainHead {
  private head: { seq: number; hash: string } | null | undefined = undefined;

  async read(db: Kysely<Database>): Promise<{ seq: number; hash: string } | null> {
    if (this.head === undefined) this.head = (await readLast(db)) ?? null;
    return this.head;
  }

  set(seq: number, hash: string): void {
    this.head = { seq, hash };
  }

  copy(): { seq: number; hash: string } | null | undefined {
    return this.head;
  }

  restore(saved: { seq: number; hash: string } | null | undefined): void {
    this.head = saved;
  }
}

const readLast = (db: Kysely<Database>) => db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();

/**
 * Appends one entry to the hash chain. Must run inside the command's transaction (one writer), so
 * the previous row read here is still the last when this one is written.
 */
export async function appendAudit(db: Kysely<Database>, rec: AuditRecord, at: string, idSeed: string, chain?: AuditChainHead): Promise<void> {
  const last = chain ? await chain.read(db) : await readLast(db);
  const seq = (last?.seq ?? 0) + 1;
  const row: Omit<Row, 'hash'> = {
    seq,
    id: deriveId(idSeed, `audit/${seq}`),
    at,
    user_id: rec.userId,
    action: rec.action,
    entity: rec.entity,
    entity_id: rec.entityId,
    before_json: rec.before === undefined ? null : canonicalJson(rec.before),
    after_json: rec.after === undefined ? null : canonicalJson(rec.after),
    prev_hash: last?.hash ?? GENESIS_HASH,
  };
  const hash = entryHash(row);
  await db.insertInto('audit_log').values({ ...row, hash }).execute();
  chain?.set(seq, hash);
}

const GUARDS = ['audit_no_update', 'audit_no_delete'];

/** The append-only triggers (migrations 0001 on SQLite, 0011 on PostgreSQL) that are not there. */
export async function missingGuards(db: Kysely<Database>): Promise<string[]> {
  const sqlite = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'`
    .execute(db)
    .then((r) => r.rows.map((x) => x.name))
    .catch(() => null);
  const names =
    sqlite ??
    (await sql<{ name: string }>`SELECT tgname AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relname = 'audit_log' AND NOT t.tgisinternal`.execute(db)).rows.map(
      (x) => x.name,
    );
  return GUARDS.filter((g) => !names.includes(g));
}

export interface ChainCheck {
  ok: boolean;
  entries: number;
  brokenAt: number | null;
  reason: string | null;
}

/** Walks the chain; any edited, removed or inserted row breaks it at that row. */
export async function verifyAuditChain(db: Kysely<Database>): Promise<ChainCheck> {
  // Without its append-only guard the log could be edited in place: that alone fails the check.
  const missing = await missingGuards(db);
  if (missing.length > 0) return { ok: false, entries: 0, brokenAt: null, reason: `the audit log's append-only guard is missing (${missing.join(', ')})` };
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let n = 0;
  const pageSize = 5000;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>=', expectedSeq).orderBy('seq').limit(pageSize).execute();
    for (const r of rows) {
      if (r.seq !== expectedSeq) return { ok: false, entries: n, brokenAt: expectedSeq, reason: `entry ${expectedSeq} is missing` };
      if (r.prev_hash !== prev) return { ok: false, entries: n, brokenAt: r.seq, reason: `entry ${r.seq} does not follow entry ${r.seq - 1}` };
      const { hash, ...rest } = r;
      if (entryHash(rest) !== hash) return { ok: false, entries: n, brokenAt: r.seq, reason: `entry ${r.seq} was altered` };
      prev = hash;
      expectedSeq++;
      n++;
    }
    if (rows.length < pageSize) break;
  }
  return { ok: true, entries: n, brokenAt: null, reason: null };
}

/**
 * Appends many entries at once (a file import's thousands of changes), chained in memory and
 * inserted in multi-row statements. Same chain, same hashes as appending them one by one.
 */
export async function appendAuditBatch(db: Kysely<Database>, recs: AuditRecord[], at: string, idSeed: string, chain?: AuditChainHead): Promise<void> {
  if (recs.length === 0) return;
  const last = chain ? await chain.read(db) : await readLast(db);
  let seq = last?.seq ?? 0;
  let prev = last?.hash ?? GENESIS_HASH;
  const rows: Row[] = recs.map((rec, i) => {
    seq++;
    const row: Omit<Row, 'hash'> = {
      seq,
      id: deriveId(idSeed, `audit/${i}`),
      at,
      user_id: rec.userId,
      action: rec.action,
      entity: rec.entity,
      entity_id: rec.entityId,
      before_json: rec.before === undefined ? null : canonicalJson(rec.before),
      after_json: rec.after === undefined ? null : canonicalJson(rec.after),
      prev_hash: prev,
    };
    prev = entryHash(row);
    return { ...row, hash: prev };
  });
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('audit_log').values(rows.slice(i, i + 500)).execute();
  chain?.set(seq, prev);
}
