import { describe, expect, it } from 'vitest';
import { newId, referenceFromId, referenceFromSequentialId } from './ids';

/** The first version (BigInt): every reference already printed on a receipt must read the same. */
function referenceWithBigInt(id: string, prefix: string): string {
  const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let n = BigInt('0x' + id.replace(/-/g, '').slice(-13)) & ((1n << 50n) - 1n);
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[Number(n & 31n)] + out;
    n >>= 5n;
  }
  return `${prefix}-${out.slice(0, 5)}-${out.slice(5)}`;
}

describe('references', () => {
  it('referenceFromId reads as it always has, at the edges and for random ids', () => {
    const edges = ['00000000-0000-7000-8000-000000000000', 'ffffffff-ffff-7fff-bfff-ffffffffffff', '01a22c35-76c4-74e8-9a6c-5fe9f11d97c2', '01a22c35-76c4-74e8-9a6c-c00000000000'];
    for (const id of [...edges, ...Array.from({ length: 500 }, newId)]) expect(referenceFromId(id, 'PMT')).toBe(referenceWithBigInt(id, 'PMT'));
  });

  it("referenceFromSequentialId: one batch's run on consecutively; the same position in another batch reads differently", () => {
    const seq = (base: string, n: number) => base.slice(0, 24) + n.toString(16).padStart(12, '0');
    // Bases are hashes (deriveId): random from their first digit, unlike a UUIDv7's time prefix.
    const a = crypto.randomUUID();
    const b = crypto.randomUUID();
    expect(referenceFromSequentialId(seq(a, 0), 'ADJ')).not.toBe(referenceFromSequentialId(seq(b, 0), 'ADJ'));
    const run = Array.from({ length: 40 }, (_, n) => referenceFromSequentialId(seq(a, n), 'ADJ'));
    expect(new Set(run).size).toBe(40);
    // At the top of the 50-bit range it wraps instead of overflowing.
    expect(referenceFromSequentialId('ffffffff-ffff-ffff-ffff-000000000001', 'ADJ')).toBe('ADJ-00000-00000');
  });
});
