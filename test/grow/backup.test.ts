import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupFirstAdmin } from '../../src/core/auth/sign-in';
import { openDesktopCore, systemClock } from '../../src/core/ledger-core';
import { registerBackupChannel } from '../../src/main/cli/backup-channel';
import { Router } from '../../src/main/router/router';

/** Issue 13, item 4: `npm run cli -- backup/restore` and the in-app backup channel. */
const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
let dir: string;
let db: string;
let adminId: string;
const cli = (...args: string[]) => spawnSync(TSX, ['src/main/cli/index.ts', ...args, '--db', db], { encoding: 'utf8' });
const divisions = async (path: string) => {
  const core = await openDesktopCore(path);
  try {
    return (await core.db.selectFrom('divisions').select('name').orderBy('name').execute()).map((r) => r.name);
  } finally {
    await core.close();
  }
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ld-backup-'));
  db = join(dir, 'ledger.sqlite');
  const core = await openDesktopCore(db);
  adminId = (await setupFirstAdmin(core.db, systemClock, { username: 'admin', displayName: 'Admin', password: 'cli-password-1' })).id;
  await core.executor.execute({ userId: adminId, role: 'admin' }, 'divisions.create', { name: 'North Clinic' });
  await core.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run cli -- backup / restore', () => {
  it('backs up, and a restore brings the ledger back to the backup, keeping the replaced one', async () => {
    const file = join(dir, 'nightly.sqlite');
    const b = cli('backup', file);
    expect(b.stderr).toMatch(/^Ledger: .*ledger\.sqlite\n$/);
    expect(b.status).toBe(0);
    expect(b.stdout).toContain('Backed up');
    expect(await divisions(file)).toEqual(['North Clinic']);
    // work after the backup
    const core = await openDesktopCore(db);
    await core.executor.execute({ userId: adminId, role: 'admin' }, 'divisions.create', { name: 'South Clinic' });
    await core.close();
    const r = cli('restore', file);
    expect(r.status).toBe(0);
    const kept = /kept as (\S+)\./.exec(r.stdout)?.[1];
    expect(kept && existsSync(kept)).toBe(true);
    expect(await divisions(db)).toEqual(['North Clinic']);
    expect(await divisions(kept!)).toEqual(['North Clinic', 'South Clinic']);
  }, 60_000);

  it('refuses to restore from a file that is not a ledger, changing nothing', async () => {
    writeFileSync(join(dir, 'junk.sqlite'), 'not a database at all');
    const r = cli('restore', join(dir, 'junk.sqlite'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/junk\.sqlite (is not a SQLite database|cannot be read as a ledger)/);
    expect(cli('restore', join(dir, 'missing.sqlite')).stderr).toContain('No such file');
    expect(cli('backup').status).toBe(2);
    expect(await divisions(db)).toEqual(['North Clinic']);
  }, 60_000);
});

describe('ledger.backup channel', () => {
  it('an Admin backs up the open ledger into the data folder; others may not', async () => {
    const data = mkdtempSync(join(tmpdir(), 'ld-backup-app-'));
    const core = await openDesktopCore(join(data, 'ledger.sqlite'));
    try {
      const admin = await setupFirstAdmin(core.db, systemClock, { username: 'admin', displayName: 'Admin', password: 'app-password-1' });
      await core.executor.execute({ userId: admin.id, role: 'admin' }, 'users.create', { username: 'carla', displayName: 'Carla', role: 'csr', password: 'csr-password-1' });
      await core.executor.execute({ userId: admin.id, role: 'admin' }, 'divisions.create', { name: 'East' });
      const router = new Router(core);
      registerBackupChannel(router, core, core.ledger.raw, data);
      const s = router.openSession(() => undefined);
      expect(await router.invoke(s, 'ledger.backup', {})).toMatchObject({ ok: false });
      await router.invoke(s, 'auth.signIn', { username: 'carla', password: 'csr-password-1' });
      expect(await router.invoke(s, 'ledger.backup', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      const s2 = router.openSession(() => undefined);
      await router.invoke(s2, 'auth.signIn', { username: 'admin', password: 'app-password-1' });
      const r = (await router.invoke(s2, 'ledger.backup', {})) as { ok: true; value: { path: string; bytes: number } };
      expect(r.ok).toBe(true);
      expect(r.value.path.startsWith(join(data, 'backups'))).toBe(true);
      expect(r.value.bytes).toBeGreaterThan(0);
      expect(await divisions(r.value.path)).toEqual(['East']);
    } finally {
      await core.close();
      rmSync(data, { recursive: true, force: true });
    }
  }, 60_000);
});
