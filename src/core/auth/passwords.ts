import { randomBytes, scrypt as scryptCb, scryptSync, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (pw: string, salt: Buffer, len: number, opts: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCb(pw, salt, len, opts, (e, key) => (e ? reject(e) : resolve(key))));

// The server's stored form: scrypt with N=2^15, r=8, p=1. It never leaves the server (pull and
// snapshot send a blank, src/core/sync/tables.ts); desks sign in offline with the separate verifier below.
const PARAMS = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEYLEN = 32;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize('NFKC'), salt, KEYLEN, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/**
 * The same stored form, computed synchronously: a command's `prepare` turns the password an
 * Admin typed into this before the input is written anywhere (outbox, command log), so the
 * plaintext is never at rest. Blocks for ~0.1 s, once per user created or password reset.
 */
export function hashPasswordSync(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password.normalize('NFKC'), salt, KEYLEN, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** A stored form a pushed command may carry: scrypt, at least the server's own cost, a real salt. */
export function isAcceptableStoredHash(s: string): boolean {
  const m = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/]{22}==|[A-Za-z0-9+/]{24,}={0,2})\$([A-Za-z0-9+/]{43}=|[A-Za-z0-9+/]{44,}={0,2})$/.exec(s);
  if (!m) return false;
  const [n, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return n >= PARAMS.N && n <= 1 << 20 && (n & (n - 1)) === 0 && r >= 8 && r <= 16 && p >= 1 && p <= 4;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltB64, keyB64] = stored.split('$');
  if (scheme !== 'scrypt' || !saltB64 || !keyB64) return false;
  const expected = Buffer.from(keyB64, 'base64');
  const key = await scrypt(password.normalize('NFKC'), Buffer.from(saltB64, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 64 * 1024 * 1024,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

// The offline verifier: purpose-made for one desk, its own salt, scrypt at N=2^17 (OWASP's
// interactive minimum), so a copied desk file is far slower to attack than the server's form.
const OFFLINE = { N: 1 << 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 };
const OFFLINE_SCHEME = 'offline-scrypt';

export async function deriveOfflineVerifier(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize('NFKC'), salt, KEYLEN, OFFLINE);
  return `${OFFLINE_SCHEME}$${OFFLINE.N}$${OFFLINE.r}$${OFFLINE.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyOfflineVerifier(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltB64, keyB64] = stored.split('$');
  if (scheme !== OFFLINE_SCHEME || !saltB64 || !keyB64 || Number(n) < OFFLINE.N) return false;
  const expected = Buffer.from(keyB64, 'base64');
  const key = await scrypt(password.normalize('NFKC'), Buffer.from(saltB64, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: OFFLINE.maxmem,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash to verify against when the user name is unknown, so timing does not reveal which names exist. */
let dummy: Promise<string> | null = null;
export const dummyHash = (): Promise<string> => (dummy ??= hashPassword('not-a-real-password-' + Math.random()));
