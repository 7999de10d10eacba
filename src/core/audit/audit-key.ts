import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Kysely } from 'kysely';

/**
 * The audit key: 32 random bytes per machine, never in the database, that seal the audit chain
 * (HMAC-SHA-256). Someone who can write the ledger file but not read the key cannot re-seal an
 * edited chain. Where the key lives is the binding's choice: the OS key store (Electron safeStorage,
 * src/main/electron/audit-key.ts) on a desk, a user-only file for the browser host and the CLI,
 * `AUDIT_KEY_FILE` or the data folder on the server.
 */
export interface AuditKeyProvider {
  /** Where the key is kept, in words (for the start-up log and the Audit Log screen). */
  readonly describe: string;
  /** The key; made (and kept) the first time. */
  load(): Promise<Buffer>;
}

const KEY_BYTES = 32;

function parseKey(text: string, where: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== KEY_BYTES) throw new Error(`The audit key in ${where} is not ${KEY_BYTES} bytes of base64.`);
  return key;
}

/** A key in a file only this user can read (mode 0600), created on first use. */
export function fileAuditKey(path: string): AuditKeyProvider {
  return {
    describe: `a file only this user can read (${path})`,
    load: async () => {
      try {
        return parseKey(readFileSync(path, 'utf8'), path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
      mkdirSync(dirname(path), { recursive: true });
      try {
        // 'wx': several server processes starting at once agree on the first one's key.
        writeFileSync(path, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      chmodSync(path, 0o600);
      return parseKey(readFileSync(path, 'utf8'), path);
    },
  };
}

/** A key kept encrypted by something else (the OS key store), in a file of its own. */
export function encryptedFileAuditKey(path: string, describe: string, codec: { encrypt(plain: string): Buffer; decrypt(data: Buffer): string }): AuditKeyProvider {
  return {
    describe,
    load: async () => {
      try {
        return parseKey(codec.decrypt(readFileSync(path)), path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, codec.encrypt(randomBytes(KEY_BYTES).toString('base64')), { mode: 0o600, flag: 'wx' });
      return parseKey(codec.decrypt(readFileSync(path)), path);
    },
  };
}

/*
 * The key travels with the database handle: every Kysely made from one root (its transactions,
 * savepoints, withPlugin copies) shares the root's dialect adapter, so the audit functions, which
 * are handed whatever transaction they run in, find the key without every caller passing it.
 */
const keys = new WeakMap<object, Buffer>();
const anchor = <DB>(db: Kysely<DB>): object => db.getExecutor().adapter;

export function bindAuditKey<DB>(db: Kysely<DB>, key: Buffer): void {
  keys.set(anchor(db), key);
}

export function auditKeyOf<DB>(db: Kysely<DB>): Buffer | null {
  return keys.get(anchor(db)) ?? null;
}

export function auditMac(key: Buffer, ...parts: (string | number)[]): string {
  return createHmac('sha256', key).update(parts.join('\u0000')).digest('hex');
}

export function sameMac(a: string | null | undefined, b: string): boolean {
  if (!a || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
