import * as crypto from 'node:crypto';

/** JSON with object keys sorted, so equal values always hash equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) {
      const val = (v as Record<string, unknown>)[k];
      if (val !== undefined) out[k] = sortKeys(val);
    }
    return out;
  }
  return v;
}

// The one-shot digest (Node 20.12+) makes no hash object: a third of the cost on short texts (ids, audit entries).
const oneShot = (crypto as { hash?: (algorithm: string, data: string | Uint8Array, encoding: 'hex') => string }).hash;
export const sha256 = (s: string | Uint8Array): string => (oneShot ? oneShot('sha256', s, 'hex') : crypto.createHash('sha256').update(s).digest('hex'));

/**
 * A stable UUID-shaped id derived from a parent id and a label, so a command re-run on the server
 * creates rows with the very ids the desktop created (applications, journal entries).
 */
export function deriveId(parentId: string, label: string): string {
  const h = sha256(`${parentId}/${label}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The n-th id of a bulk insert: the base id's first 24 characters and n in hex. Deterministic like
 * deriveId, but ascending, so 100k new rows go into the primary-key index in order.
 */
export function sequentialId(baseId: string, n: number): string {
  return baseId.slice(0, 24) + n.toString(16).padStart(12, '0');
}
