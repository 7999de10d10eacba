import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readFileWithin } from '../files/read-within';

/**
 * Uploaded files kept by their SHA-256 in the data folder (files/ab/abcdef…), written atomically
 * and verified when read back, ready for sync to carry them to the server.
 */
export class FileStore {
  /** `maxBytes`: the largest file ever put here (uploads are refused above the import limit). */
  constructor(
    private readonly root: string,
    private readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  static sha256(bytes: Uint8Array): string {
    return createHash('sha256').update(bytes).digest('hex');
  }

  pathOf(sha256: string): string {
    return join(this.root, sha256.slice(0, 2), sha256);
  }

  has(sha256: string): boolean {
    return existsSync(this.pathOf(sha256));
  }

  put(bytes: Uint8Array): string {
    const sha = FileStore.sha256(bytes);
    const path = this.pathOf(sha);
    if (!existsSync(path)) {
      mkdirSync(dirname(path), { recursive: true });
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, bytes);
      renameSync(tmp, path);
    }
    return sha;
  }

  get(sha256: string): Buffer {
    const bytes = readFileWithin(this.pathOf(sha256), this.maxBytes);
    if (FileStore.sha256(bytes) !== sha256) throw new Error(`Stored file ${sha256} is damaged (its content no longer matches its hash).`);
    return bytes;
  }
}
