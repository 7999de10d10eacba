import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { canonicalJson, deriveId, sha256 } from '../util/canonical-json';
import { auditKeyOf, auditMac, sameMac } from './audit-key';
import { insertRow } from '../db/prepared';

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

/** What each entry's hash covers: everything but the hash and seal, chained to the previous hash. */
function entryHash(r: Omit<Row, 'hash' | 'mac'>): string {
  // Canonical JSON of an array of plain values is its JSON (no keys to sort): the same text, one pass.
  return sha256(JSON.stringify([r.seq, r.id, r.at, r.user_id, r.action, r.entity, r.entity_id, r.before_json, r.after_json, r.prev_hash]));
}

/**
 * The chain's last entry as one transaction knows it, so a batch of commands (a server push)
 * reads it once instead of once per entry. Only valid while every audit write of that transaction
 * goes through it (the runner's ctx.audit / ctx.auditBatch); whoever rolls back to a savepoint puts
 * back the head it had before (`copy` / `restore`).
 */
export class AuditChainHead {
  private head: { seq: number; hash: string } | null | undefined = undefined;
  /** The sealed head (audit_head) as this transaction moved it; written (and MACed) once by `save`. */
  private sealed: { row: Head | null; moved: boolean; key?: Buffer } | undefined = undefined;

  async read(db: Kysely<Database>): Promise<{ seq: number; hash: string } | null> {
    if (this.head === undefined) this.head = (await readLast(db)) ?? null;
    return this.head;
  }

  set(seq: number, hash: string): void {
    this.head = { seq, hash };
  }

  /** The sealed head, read once per transaction. */
  async readSealed(db: Kysely<Database>): Promise<Head | null> {
    if (this.sealed === undefined) this.sealed = { row: (await readHead(db)) ?? null, moved: false };
    return this.sealed.row;
  }

  /** The head moved to `row`; its MAC under `key` is computed once, when it is saved. */
  moveSealed(row: Head, key: Buffer): void {
    this.sealed = { row, moved: true, key };
  }

  /** True when this chain itself moved the sealed head (so it is genuine without checking its MAC again). */
  movedHere(): boolean {
    return this.sealed?.moved === true;
  }

  /** Writes the sealed head where the entries moved it: whoever uses a chain calls this before committing. */
  async save(db: Kysely<Database>): Promise<void> {
    const s = this.sealed;
    if (!s?.moved || !s.row) return;
    const row = s.key ? { ...s.row, mac: headMac(s.key, s.row) } : s.row;
    await db.updateTable('audit_head').set({ seq: row.seq, hash: row.hash, mac: row.mac }).where('id', '=', 1).execute();
    this.sealed = { row, moved: false };
  }

  copy(): ChainState {
    return { head: this.head, sealed: this.sealed };
  }

  restore(saved: ChainState): void {
    this.head = saved.head;
    this.sealed = saved.sealed;
  }
}

type ChainState = { head: { seq: number; hash: string } | null | undefined; sealed: { row: Head | null; moved: boolean; key?: Buffer } | undefined };

const readLast = (db: Kysely<Database>) => db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();

/**
 * Appends one entry to the hash chain. Must run inside the command's transaction (one writer), so
 * the previous row read here is still the last when this one is written.
 */
export async function appendAudit(db: Kysely<Database>, rec: AuditRecord, at: string, idSeed: string, chain?: AuditChainHead): Promise<void> {
  const last = chain ? await chain.read(db) : await readLast(db);
  const seq = (last?.seq ?? 0) + 1;
  const row: Omit<Row, 'hash' | 'mac'> = {
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
  const key = auditKeyOf(db);
  await insertRow(db, 'audit_log', { ...row, hash, mac: key ? entryMac(key, seq, hash) : null });
  chain?.set(seq, hash);
  if (key) await advanceHead(db, key, { seq: last?.seq ?? 0, hash: last?.hash ?? GENESIS_HASH }, { seq, hash }, chain);
}

const entryMac = (key: Buffer, seq: number, hash: string) => auditMac(key, 'entry', seq, hash);
const headMac = (key: Buffer, h: { mac_from: number; seq: number; hash: string }) => auditMac(key, 'head', h.mac_from, h.seq, h.hash);
const ackMac = (key: Buffer, seq: number, hash: string) => auditMac(key, 'ack', seq, hash);

type Head = Database['audit_head'];
const readHead = (db: Kysely<Database>) => db.selectFrom('audit_head').selectAll().where('id', '=', 1).executeTakeFirst();

/** A head that is sealed under this key, or not sealed yet because no entry carries a MAC. */
function headIsGenuine(key: Buffer, h: Head): boolean {
  return h.mac ? sameMac(h.mac, headMac(key, h)) : h.seq < h.mac_from;
}

/**
 * Moves the sealed head (count and last hash, MACed) to the entry just written. Only a genuine
 * head that named the previous last entry moves: a head that disagrees with the log is evidence
 * (a removed tail, a forged head) and stays as it is, so verification keeps failing.
 */
async function advanceHead(db: Kysely<Database>, key: Buffer, prev: { seq: number; hash: string }, next: { seq: number; hash: string }, chain?: AuditChainHead): Promise<void> {
  const h = chain ? await chain.readSealed(db) : await readHead(db);
  if (!h || h.seq !== prev.seq || h.hash !== prev.hash || !(chain?.movedHere() || headIsGenuine(key, h))) return;
  const moved = { mac_from: h.mac_from, seq: next.seq, hash: next.hash };
  // A batch's chain (server push) moves the head in memory and seals and writes it once (`save`).
  if (chain) return chain.moveSealed({ ...h, seq: next.seq, hash: next.hash }, key);
  await db.updateTable('audit_head').set({ seq: next.seq, hash: next.hash, mac: headMac(key, moved) }).where('id', '=', 1).execute();
}

/**
 * At start-up: a head not sealed yet (a new ledger, or one upgraded from the plain-hash chain by
 * migration 0012) is sealed under this machine's key, once the plain chain up to it checks out.
 * From then on every entry is MACed; the entries before `mac_from` keep their plain links.
 */
export async function sealAuditHead(db: Kysely<Database>): Promise<void> {
  const key = auditKeyOf(db);
  const h = await readHead(db);
  if (!key || !h || h.mac || h.seq >= h.mac_from) return;
  const last = await db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  if ((last?.seq ?? 0) !== h.seq || (last?.hash ?? GENESIS_HASH) !== h.hash) return;
  if (!(await verifyAuditChain(db)).ok) return;
  await db.updateTable('audit_head').set({ mac: headMac(key, h) }).where('id', '=', 1).where('mac', 'is', null).execute();
}

/** The server acknowledged this desk's chain through (seq, hash): kept, sealed, never moved back. */
export async function recordAuditAck(db: Kysely<Database>, seq: number, hash: string): Promise<void> {
  const key = auditKeyOf(db);
  if (!key) return;
  await db
    .updateTable('audit_head')
    .set({ ack_seq: seq, ack_hash: hash, ack_mac: ackMac(key, seq, hash) })
    .where('id', '=', 1)
    .where((w) => w.or([w('ack_seq', 'is', null), w('ack_seq', '<=', seq)]))
    .execute();
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
  /** True when the chain was checked with this machine's audit key (MACs and the sealed head). */
  keyed: boolean;
  /** The last entry the server acknowledged holding, when it has. */
  acknowledgedThrough: number | null;
}

/**
 * Walks the chain; any edited, removed, inserted or reordered row breaks it at that row. With the
 * audit key it also checks each entry's MAC (an edit re-hashed without the key is caught), the sealed
 * head (a removed tail is caught) and the server's acknowledgement (a tail removed together with
 * an old copy of the head put back is caught once the server had acknowledged it).
 */
export async function verifyAuditChain(db: Kysely<Database>): Promise<ChainCheck> {
  const key = auditKeyOf(db);
  const fail = (entries: number, brokenAt: number | null, reason: string): ChainCheck => ({ ok: false, entries, brokenAt, reason, keyed: key !== null, acknowledgedThrough: null });
  // Without its append-only guard the log could be edited in place: that alone fails the check.
  const missing = await missingGuards(db);
  if (missing.length > 0) return fail(0, null, `the audit log's append-only guard is missing (${missing.join(', ')})`);
  const head = key ? await readHead(db) : undefined;
  if (key && !head) return fail(0, null, "the audit log's sealed head is missing");
  if (key && head && !headIsGenuine(key, head)) return fail(0, null, "the audit log's sealed head was altered or its seal removed");
  if (key && head?.ack_seq != null && !sameMac(head.ack_mac, ackMac(key, head.ack_seq, head.ack_hash ?? ''))) return fail(0, null, "the server's acknowledgement of this audit log was altered");
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let n = 0;
  const pageSize = 5000;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>=', expectedSeq).orderBy('seq').limit(pageSize).execute();
    for (const r of rows) {
      if (r.seq !== expectedSeq) return fail(n, expectedSeq, `entry ${expectedSeq} is missing`);
      if (r.prev_hash !== prev) return fail(n, r.seq, `entry ${r.seq} does not follow entry ${r.seq - 1}`);
      const { hash, mac, ...rest } = r;
      if (entryHash(rest) !== hash) return fail(n, r.seq, `entry ${r.seq} was altered`);
      // A MAC is required from the sealed head's first keyed entry on, and checked wherever present.
      if (key && head && (r.seq >= head.mac_from || mac !== null) && !sameMac(mac, entryMac(key, r.seq, hash))) {
        return fail(n, r.seq, `entry ${r.seq} was altered (its seal does not match: rewritten without the audit key)`);
      }
      if (key && head?.ack_seq === r.seq && head.ack_hash !== hash) return fail(n, r.seq, `entry ${r.seq} differs from the one the server acknowledged`);
      prev = hash;
      expectedSeq++;
      n++;
    }
    if (rows.length < pageSize) break;
  }
  if (key && head) {
    if (n < head.seq) return fail(n, n + 1, `entries ${n + 1} to ${head.seq} were removed from the end`);
    if (n > head.seq) return fail(n, head.seq + 1, `entries after ${head.seq} were added outside the sealed chain`);
    if (prev !== head.hash) return fail(n, n, `entry ${n} is not the one the sealed head names`);
    if (head.ack_seq != null && n < head.ack_seq) return fail(n, n + 1, `entries ${n + 1} to ${head.ack_seq} were removed after the server acknowledged them`);
  }
  return { ok: true, entries: n, brokenAt: null, reason: null, keyed: key !== null, acknowledgedThrough: head?.ack_seq ?? null };
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
  const key = auditKeyOf(db);
  const rows: Row[] = recs.map((rec, i) => {
    seq++;
    const row: Omit<Row, 'hash' | 'mac'> = {
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
    return { ...row, hash: prev, mac: key ? entryMac(key, seq, prev) : null };
  });
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('audit_log').values(rows.slice(i, i + 500)).execute();
  if (key) await advanceHead(db, key, { seq: last?.seq ?? 0, hash: last?.hash ?? GENESIS_HASH }, { seq, hash: prev }, chain);
  chain?.set(seq, prev);
}
