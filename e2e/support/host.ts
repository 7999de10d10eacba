import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

export const USERS = {
  admin: { username: 'admin', password: 'admin-password-1', name: 'admin' },
  supervisor: { username: 'sam', password: 'supervisor-pass-1', name: 'Sam Supervisor' },
  csr: { username: 'carla', password: 'csr-password-1', name: 'Carla CSR' },
} as const;

export interface Host {
  url: string;
  dataDir: string;
  proc: ChildProcess;
}

/** Starts the real browser host (`npm run web`'s program) on a fresh ledger and returns its address. */
export async function startHost(opts: { seed: 'empty' | 'demo'; accounts?: number; dataDir?: string }): Promise<Host> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'ledgerdesk-e2e-'));
  mkdirSync(dataDir, { recursive: true });
  if (opts.seed === 'demo' && !opts.dataDir) {
    const db = join(dataDir, 'ledger.sqlite');
    const r = spawnSync(TSX, ['e2e/support/seed.ts', db, String(opts.accounts ?? 300)], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`seeding failed: ${r.stderr}${r.stdout}`);
  }
  const proc = spawn(TSX, ['src/main/browser-host/cli.ts', '--data', dataDir, '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`browser host did not start: ${out}`)), 60_000);
    proc.stdout!.on('data', (d) => {
      out += String(d);
      const m = /LEDGERDESK_URL=(\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]!);
      }
    });
    proc.stderr!.on('data', (d) => (out += String(d)));
    proc.on('exit', (code) => reject(new Error(`browser host exited (${code}): ${out}`)));
  });
  return { url, dataDir, proc };
}

let shotCounter = 0;
/** Saves a full-page screenshot under e2e/screenshots/ (ignored by git) for people to look at. */
export async function shot(page: Page, name: string) {
  const file = join(ROOT, 'e2e', 'screenshots', `${test.info().titlePath[0]!.replace(/\.spec\.ts$/, '')}-${String(++shotCounter).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
}

export async function signIn(page: Page, who: keyof typeof USERS) {
  await page.getByLabel('User name').fill(USERS[who].username);
  await page.getByLabel('Password').fill(USERS[who].password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('user-menu')).toBeVisible();
}

export async function signOut(page: Page) {
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
}

/** Runs axe-core on the page and returns the serious and critical violations (`{ all: true }`: of any impact). */
export async function axeViolations(page: Page, _opts: { all?: boolean } = {}): Promise<{ id: string; help: string; nodes: number }[]> {
  const source = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(source);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; impact: string; help: string; nodes: unknown[] }[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.length,
      sample: (v.nodes as { html: string; failureSummary?: string }[]).slice(0, 3).map((n) => `${n.html.slice(0, 160)} :: ${n.failureSummary?.slice(0, 200)}`),
    }));
  });
  // Every impact counts (issue 14: zero violations of any impact on every screen the specs visit).
  const bad = result;
  if (bad.length > 0) console.log('axe violations:', JSON.stringify(bad, null, 2));
  return bad.map(({ id, help, nodes }) => ({ id, help, nodes }));
}

/** One host per spec file: `test.use({ seed: 'demo' })` chooses the ledger it starts with. */
/**
 * A host lives for a worker, and Playwright reuses a worker for every spec file with the same
 * options: a spec that changes shared state (closes a month, creates the first admin) names its
 * own `ledger`, which gives it a worker and a host of its own.
 */
export const test = base.extend<{ page: Page }, { seed: 'empty' | 'demo'; ledger: string; host: Host }>({
  seed: ['demo', { scope: 'worker', option: true }],
  ledger: ['shared', { scope: 'worker', option: true }],
  host: [
    async ({ seed, ledger: _ledger }, use) => {
      const host = await startHost({ seed });
      await use(host);
      host.proc.kill('SIGTERM');
    },
    { scope: 'worker' },
  ],
});
export { expect };
