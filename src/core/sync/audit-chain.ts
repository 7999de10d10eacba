import { GENESIS_HASH } from '../audit/audit-log';
import type { Database } from '../db/schema';
import { canonicalJson, sha256 } from '../util/canonical-json';

type Row = Database['audit_log'];

/** The audit chain's per-entry hash (the same formula as audit/audit-log.ts). */
export function auditEntryHash(r: Omit<Row, 'hash' | 'mac'>): string {
  return sha256(canonicalJson([r.seq, r.id, r.at, r.user_id, r.action, r.entity, r.entity_id, r.before_json, r.after_json, r.prev_hash]));
}

/**
 * Checks that `entries` continue a chain whose last known entry is (headSeq, headHash): each one
 * follows the previous by seq and prev_hash, and its hash covers its content.
 */
export function verifyChainSegment(headSeq: number, headHash: string, entries: Omit<Row, 'mac'>[]): { ok: true } | { ok: false; seq: number; reason: string } {
  let seq = headSeq;
  let prev = headHash || GENESIS_HASH;
  for (const e of entries) {
    if (e.seq !== seq + 1) return { ok: false, seq: e.seq, reason: `expected entry ${seq + 1}, got ${e.seq}` };
    if (e.prev_hash !== prev) return { ok: false, seq: e.seq, reason: `entry ${e.seq} does not follow entry ${seq}` };
    const { hash, ...rest } = e;
    if (auditEntryHash(rest) !== hash) return { ok: false, seq: e.seq, reason: `entry ${e.seq} was altered` };
    seq = e.seq;
    prev = hash;
  }
  return { ok: true };
}
