/**
 * Finding 7 (the CLI half): `npm run cli -- import` read a 1 GB file whole before refusing it.
 * It must refuse by the file's size, before reading it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, ftruncateSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupFirstAdmin } from '../../src/core/auth/sign-in';
import { openDesktopCore, systemClock } from '../../src/core/ledger-core';
import { STRONG } from './support';

let dir: string;
let db: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ld-sec-cli-'));
  db = join(dir, 'ledger.sqlite');
  const core = await openDesktopCore(db);
  const admin = await setupFirstAdmin(core.db, systemClock, { username: 'admin', displayName: 'Admin', password: STRONG });
  await core.executor.execute({ userId: admin.id, role: 'admin' }, 'divisions.create', { name: 'North Clinic' });
  await core.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('file readers check the size first', () => {
  const importCli = (file: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/main/cli/index.ts', 'import', file, '--kind', 'balance', '--division', 'North Clinic', '--db', db, '--json'], { encoding: 'utf8' });
  const sparse = (name: string, bytes: number) => {
    const file = join(dir, name);
    const fd = openSync(file, 'w');
    ftruncateSync(fd, bytes); // sparse: takes no disk, but reading it whole would load every byte
    closeSync(fd);
    return file;
  };

  it('the import CLI refuses a 1 GB file, and a 3 GB one (more than Node can read whole), by size alone', () => {
    for (const [file, text] of [
      [sparse('huge.csv', 1024 ** 3), '1,073.7 MB'],
      [sparse('huger.csv', 3 * 1024 ** 3), '3,221.2 MB'],
    ] as const) {
      const r = importCli(file);
      expect(r.status, r.stderr).toBe(1);
      const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
      expect(out).toEqual({ ok: false, error: { code: 'LIMIT', message: `The file is ${text}; files up to 50 MB can be imported.` } });
    }
  });
});
