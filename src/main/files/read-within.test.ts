import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileStore } from '../imports/file-store';
import { FileTokenStore } from '../sync/token-store';
import { FileTooLarge, readFileWithin } from './read-within';

const dir = mkdtempSync(join(tmpdir(), 'ld-read-within-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Sparse: no disk taken, but reading it whole would load every byte (3 GB is more than Node can). */
function sparse(path: string, bytes: number): string {
  const fd = openSync(path, 'w');
  ftruncateSync(fd, bytes);
  closeSync(fd);
  return path;
}

describe('readers of files in the data folder check the size first', () => {
  it('readFileWithin refuses by size alone, and reads what fits', () => {
    const huge = sparse(join(dir, 'huge.bin'), 3 * 1024 ** 3);
    expect(() => readFileWithin(huge, 1024)).toThrow(FileTooLarge);
    expect(() => readFileWithin(huge, 1024)).toThrow(`The file ${huge} is 3,221,225,472 bytes; at most 1,024 are read.`);
    writeFileSync(join(dir, 'small.txt'), 'hello');
    expect(readFileWithin(join(dir, 'small.txt'), 5).toString()).toBe('hello');
  });

  it('the token store treats a planted 1 GB token file as no tokens, without reading it', async () => {
    const path = sparse(join(dir, 'server-tokens.json'), 1024 ** 3);
    sparse(`${path}.device`, 1024 ** 3);
    const store = new FileTokenStore(path);
    const before = process.memoryUsage().rss;
    expect(await store.all()).toEqual({});
    expect(await store.device.get()).toBeNull();
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  });

  it('the upload file store refuses a stored file bigger than any upload', () => {
    const files = new FileStore(join(dir, 'files'), 1000);
    const sha = files.put(new Uint8Array(10));
    expect(files.get(sha)).toHaveLength(10);
    sparse(files.pathOf(sha), 1001);
    expect(() => files.get(sha)).toThrow(FileTooLarge);
  });
});
