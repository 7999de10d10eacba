import { v7 as uuidv7 } from 'uuid';

/** Client-generated, time-ordered ids for every record (docs/design.md: reused on every retry). */
export const newId = (): string => uuidv7();

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A human-readable payment reference derived from the payment's UUIDv7: its 50 low random bits
 * in Crockford base32 ("PMT-7K3M9-QX2D4"). Unique across offices without coordination.
 */
export function referenceFromId(id: string, prefix = 'PMT'): string {
  const hex = id.replace(/-/g, '').slice(-13); // 52 bits of randomness
  let n = BigInt('0x' + hex) & ((1n << 50n) - 1n);
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[Number(n & 31n)] + out;
    n >>= 5n;
  }
  return `${prefix}-${out.slice(0, 5)}-${out.slice(5)}`;
}
