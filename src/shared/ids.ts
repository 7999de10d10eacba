import { v7 as uuidv7 } from 'uuid';

/** Client-generated, time-ordered ids for every record (docs/design.md: reused on every retry). */
export const newId = (): string => uuidv7();

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

const BITS_50 = 2 ** 50;

/** 50 bits (an integer in [0, 2^50): exact in a double) as "XXXXX-XXXXX" in Crockford base32. */
function crockford50(n: number): string {
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[n % 32] + out;
    n = Math.floor(n / 32);
  }
  return `${out.slice(0, 5)}-${out.slice(5)}`;
}

/**
 * A human-readable payment reference derived from the payment's UUIDv7: its 50 low random bits
 * in Crockford base32 ("PMT-7K3M9-QX2D4"). Unique across offices without coordination.
 */
export function referenceFromId(id: string, prefix = 'PMT'): string {
  // 13 hex digits are 52 bits, exact in a double (no BigInt: 100,000 references a file).
  const hex = id.replace(/-/g, '').slice(-13);
  return `${prefix}-${crockford50(parseInt(hex, 16) % BITS_50)}`;
}

/**
 * The reference of one of a batch's sequential ids (`sequentialId(base, n)`: the first 20 hex digits
 * of a base that is a hash (ctx.id), then n in the last 12). Its low bits are only n, so referenceFromId would give the n-th
 * id of every batch nearly the same reference; here the base's bits are added to n instead: one
 * batch's references run on consecutively, and another batch's start anywhere else.
 */
export function referenceFromSequentialId(id: string, prefix: string): string {
  const hex = id.replace(/-/g, '');
  const start = parseInt(hex.slice(0, 13), 16) % BITS_50;
  return `${prefix}-${crockford50((start + parseInt(hex.slice(-12), 16)) % BITS_50)}`;
}
