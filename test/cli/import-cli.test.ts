import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupFirstAdmin } from '../../src/core/auth/sign-in';
import { openDesktopCore, systemClock } from '../../src/core/ledger-core';

// The command line as `npm run cli` runs it: built JavaScript (scripts/build-cli.mjs), no TypeScript loader.
const { CLI_ENTRY, cliIsStale, ensureCliBuilt } = (await import(join(process.cwd(), 'scripts', 'build-cli.mjs'))) as { CLI_ENTRY: string; cliIsStale(): boolean; ensureCliBuilt(): Promise<void> };
let dir: string;
let db: string;

beforeAll(async () => {
  await ensureCliBuilt();
  dir = mkdtempSync(join(tmpdir(), 'ld-cli-'));
  db = join(dir, 'ledger.sqlite');
  const core = await openDesktopCore(db);
  const admin = await setupFirstAdmin(core.db, systemClock, { username: 'admin', displayName: 'Admin', password: 'cli-password-1' });
  await core.executor.execute({ userId: admin.id, role: 'admin' }, 'divisions.create', { name: 'North Clinic' });
  await core.close();
  writeFileSync(join(dir, 'good.csv'), 'Account Number,Name,Balance\r\nA-1,Ann,10.00\r\nA-2,Bob,20.50\r\n');
  writeFileSync(join(dir, 'bad.csv'), 'Account Number,Name\r\nA-1,Ann\r\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (...args: string[]) => spawnSync(process.execPath, [CLI_ENTRY, 'import', ...args, '--db', db], { encoding: 'utf8' });

// Each case starts several node processes; on a busy machine that takes longer than the default.
describe('npm run cli -- import', { timeout: 240_000 }, () => {
  it('is up to date right after a build (else every `npm run cli` would build again)', () => {
    expect(cliIsStale()).toBe(false);
  });

  it('answers --help without opening a ledger', () => {
    const r = spawnSync(process.execPath, [CLI_ENTRY, '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('import FILE --kind balance|bill');
    const imp = spawnSync(process.execPath, [CLI_ENTRY, 'import', '--help'], { encoding: 'utf8' });
    expect(imp.status).toBe(0);
    expect(imp.stdout).toContain('--other-division');
  });

  it('exits 2 on usage errors', () => {
    expect(cli().status).toBe(2);
    expect(cli(join(dir, 'good.csv'), '--kind', 'nonsense').status).toBe(2);
    expect(cli(join(dir, 'missing.csv'), '--kind', 'balance').status).toBe(2);
    const unknownDivision = cli(join(dir, 'good.csv'), '--kind', 'balance', '--division', 'Atlantis');
    expect(unknownDivision.status).toBe(2);
    expect(unknownDivision.stderr).toContain('Unknown division "Atlantis". Divisions: North Clinic');
  });

  it('a dry run says what would change and writes nothing; --json prints the result', () => {
    const r = cli(join(dir, 'good.csv'), '--kind', 'balance', '--division', 'North Clinic', '--dry-run', '--json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(out).toMatchObject({ ok: true, dryRun: true, rowsRead: 2, accountsCreated: 2, errors: 0 });
    const again = JSON.parse(cli(join(dir, 'good.csv'), '--kind', 'balance', '--division', 'North Clinic', '--dry-run', '--json').stdout.trim().split('\n').pop()!);
    expect(again.accountsCreated).toBe(2); // nothing was written by the first dry run
  });

  it('applies (exit 0), recognises the same file again, and refuses a bad file (exit 1)', () => {
    const r = cli(join(dir, 'good.csv'), '--kind', 'balance', '--division', 'North Clinic', '--json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(out).toMatchObject({ ok: true, dryRun: false, accountsCreated: 2, duplicateOf: null });
    const again = JSON.parse(cli(join(dir, 'good.csv'), '--kind', 'balance', '--division', 'North Clinic', '--json').stdout.trim().split('\n').pop()!);
    expect(again.duplicateOf).toBe(out.id);
    const bad = cli(join(dir, 'bad.csv'), '--kind', 'balance', '--division', 'North Clinic', '--json');
    expect(bad.status).toBe(1);
    expect(JSON.parse(bad.stdout.trim().split('\n').pop()!)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const human = cli(join(dir, 'bad.csv'), '--kind', 'balance', '--division', 'North Clinic');
    expect(human.status).toBe(1);
    expect(human.stderr).toMatch(/^Refused: .*Balance/m);
  });
});
