import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** A server token kept for one user of this desktop. */
export interface StoredToken {
  token: string;
  expiresAt: string;
  username: string;
}

/** Where the desktop keeps its server tokens (one per user who signed in online). */
export interface TokenStore {
  get(userId: string): Promise<StoredToken | null>;
  set(userId: string, t: StoredToken): Promise<void>;
  delete(userId: string): Promise<void>;
  all(): Promise<Record<string, StoredToken>>;
}

/** Encrypt/decrypt a whole file's contents; the identity for the browser host. */
interface Codec {
  encode(text: string): Buffer;
  decode(bytes: Buffer): string;
}

class FileBackedStore implements TokenStore {
  constructor(
    private readonly path: string,
    private readonly codec: Codec,
  ) {}

  async all(): Promise<Record<string, StoredToken>> {
    if (!existsSync(this.path)) return {};
    try {
      return JSON.parse(this.codec.decode(readFileSync(this.path))) as Record<string, StoredToken>;
    } catch {
      return {};
    }
  }
  async get(userId: string) {
    return (await this.all())[userId] ?? null;
  }
  async set(userId: string, t: StoredToken) {
    this.write({ ...(await this.all()), [userId]: t });
  }
  async delete(userId: string) {
    const all = await this.all();
    delete all[userId];
    this.write(all);
  }
  private write(all: Record<string, StoredToken>) {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, this.codec.encode(JSON.stringify(all)), { mode: 0o600 });
    renameSync(tmp, this.path);
    try {
      chmodSync(this.path, 0o600);
    } catch {
      // Windows: the file inherits the user profile's ACL.
    }
  }
}

/** The browser host's store: a JSON file only the user can read (mode 0600). */
export class FileTokenStore extends FileBackedStore {
  constructor(path: string) {
    super(path, { encode: (s) => Buffer.from(s, 'utf8'), decode: (b) => b.toString('utf8') });
  }
}

/** The subset of Electron's `safeStorage` used here (passed in, so only src/main/electron imports electron). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/** Electron's store: the same file, encrypted with the operating system's key store (safeStorage). */
export class SafeStorageTokenStore extends FileBackedStore {
  constructor(path: string, safeStorage: SafeStorageLike) {
    if (!safeStorage.isEncryptionAvailable()) throw new Error('The operating system key store is not available; server tokens cannot be kept safely.');
    super(path, { encode: (s) => safeStorage.encryptString(s), decode: (b) => safeStorage.decryptString(b) });
  }
}
