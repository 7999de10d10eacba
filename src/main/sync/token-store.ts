import { chmodSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { readFileWithin } from '../files/read-within';

/** Tokens of a few dozen users are a few KB; anything near this is not a token file. */
const MAX_STORE_BYTES = 1024 * 1024;

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
  /** The desk's server-issued identity, kept beside the tokens (src/main/sync/device-identity.ts). */
  device?: DeviceStore;
}

/** A desk's client id issued by one server, with the device secret that proves it. */
export interface DeviceCredential {
  serverUrl: string;
  clientId: string;
  secret: string;
}

export interface DeviceStore {
  get(): Promise<DeviceCredential | null>;
  set(d: DeviceCredential | null): Promise<void>;
}

/** Encrypt/decrypt a whole file's contents; the identity for the browser host. */
interface Codec {
  encode(text: string): Buffer;
  decode(bytes: Buffer): string;
}

class FileBackedStore implements TokenStore {
  readonly device: DeviceStore;

  constructor(
    private readonly path: string,
    private readonly codec: Codec,
  ) {
    // Its own file, same protection: a restored ledger backup keeps the desk's identity.
    const devicePath = `${path}.device`;
    this.device = {
      get: async () => {
        if (!existsSync(devicePath)) return null;
        try {
          return JSON.parse(this.codec.decode(readFileWithin(devicePath, MAX_STORE_BYTES))) as DeviceCredential | null;
        } catch {
          return null;
        }
      },
      set: async (d) => this.writeFile(devicePath, JSON.stringify(d)),
    };
  }

  async all(): Promise<Record<string, StoredToken>> {
    if (!existsSync(this.path)) return {};
    try {
      return JSON.parse(this.codec.decode(readFileWithin(this.path, MAX_STORE_BYTES))) as Record<string, StoredToken>;
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
    this.writeFile(this.path, JSON.stringify(all));
  }
  private writeFile(path: string, text: string) {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.tmp`;
    writeFileSync(tmp, this.codec.encode(text), { mode: 0o600 });
    renameSync(tmp, path);
    try {
      chmodSync(path, 0o600);
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
