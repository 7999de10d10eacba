import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect } from '@playwright/test';
import { axeViolations, shot, startHost, type Host } from './support/host';
import { startServer } from './support/server';

/**
 * Issue 13, item 1 end to end: a fresh desk's first run offers "Join my office's server"; the desk
 * joins a running server with the server's account (no local administrator is made), with plain
 * errors for an unsafe address, an unreachable server and a wrong password on the way.
 */
const test = base;

let server: ChildProcess;
let emptyServer: ChildProcess;
let serverUrl = '';
let emptyUrl = '';
let host: Host;
let standalone: Host;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const prefix = 'ledgerdesk-e2e-join-server-';
  const env = { LEDGERDESK_ADMIN_NAME: 'Office Administrator' };
  [{ url: serverUrl, proc: server }, { url: emptyUrl, proc: emptyServer }] = await Promise.all([startServer({ prefix, env }), startServer({ prefix, env })]);
  host = await startHost({ seed: 'empty', dataDir: mkdtempSync(join(tmpdir(), 'ledgerdesk-e2e-join-desk-')) });
  standalone = await startHost({ seed: 'demo', accounts: 40 });
});

test.afterAll(() => {
  host?.proc.kill('SIGTERM');
  standalone?.proc.kill('SIGTERM');
  server?.kill('SIGTERM');
  emptyServer?.kill('SIGTERM');
});

test("first run: join my office's server with the server account", async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Set up Ledgerdesk' })).toBeVisible();
  await shot(page, 'choices');
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole('button', { name: "Join my office's server" }).click();
  await expect(page.getByRole('heading', { name: "Join my office's server" })).toBeVisible();

  const address = page.getByLabel(/^Server address/);
  const alert = page.getByRole('alert');
  // Not https to another machine: refused before anything is sent.
  await address.fill('http://ledger.example.org');
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel(/^Password/).fill('admin-password-1');
  await page.getByRole('button', { name: 'Join and sign in' }).click();
  await expect(alert).toContainText('must start with https://');
  await shot(page, 'not-https');
  expect(await axeViolations(page)).toEqual([]);

  // Nothing answers there.
  await address.fill('http://127.0.0.1:9');
  await page.getByRole('button', { name: 'Join and sign in' }).click();
  await expect(alert).toContainText('cannot be reached');

  // The right server, the wrong password.
  await address.fill(serverUrl);
  await page.getByLabel(/^Password/).fill('not-the-password');
  await page.getByRole('button', { name: 'Join and sign in' }).click();
  await expect(alert).toContainText('The user name or password is incorrect.');
  await shot(page, 'wrong-password');

  await page.getByLabel(/^Password/).fill('admin-password-1');
  // The office is chosen here, so the Admin's list of desks says where this computer works.
  await page.getByLabel("This computer's office (optional)").fill('Downtown front desk');
  await page.getByRole('button', { name: 'Join and sign in' }).click();
  // Signed in as the server's administrator: no local administrator was made.
  await expect(page.getByTestId('user-menu')).toContainText('Office Administrator', { timeout: 90_000 });
  await page.getByRole('button', { name: 'Users' }).click();
  await expect(page.getByRole('row', { name: /Office Administrator/ })).toBeVisible();
  await shot(page, 'joined-users');
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Desks' }).click();
  await expect(page.getByTestId('desks').getByRole('row', { name: /This computer/ })).toContainText('Downtown front desk');

  // After a sign-out, the same server account opens this desk again.
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password').fill('admin-password-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  // (online sign-in first: the server's slow password checks, under a loaded machine)
  await expect(page.getByTestId('user-menu')).toContainText('Office Administrator', { timeout: 30_000 });
});

test('a desk that worked alone backs up, then joins an empty server with its ledger, checked table by table', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto(standalone.url);
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password').fill('admin-password-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('user-menu')).toBeVisible({ timeout: 30_000 });

  // Backup in the app: it says where the file went.
  await page.getByRole('button', { name: 'Backup' }).click();
  await page.getByRole('button', { name: 'Back up now' }).click();
  await expect(page.getByTestId('backup-path')).toContainText(/backups\/ledger-.*\.sqlite/);
  await shot(page, 'backup');
  expect(await axeViolations(page)).toEqual([]);

  // Setting the address the old way would replace this ledger: refused, pointing to the join.
  await page.getByRole('button', { name: 'Needs Attention' }).click();
  const panel = page.getByTestId('join-server');
  await expect(panel).toBeVisible();
  await page.getByLabel('Server address', { exact: true }).last().fill(emptyUrl);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'holds its own ledger' })).toBeVisible();

  await panel.getByLabel('Server address').fill(emptyUrl);
  await panel.getByLabel("Server administrator's user name").fill('admin');
  await panel.getByLabel('Password on the server').fill('admin-password-1');
  await panel.getByLabel("This computer's office (optional)").fill('Main Street office');
  await panel.getByRole('button', { name: 'Join and fill the server' }).click();
  const report = page.getByTestId('join-report');
  await expect(report).toContainText('Joined: the server holds this ledger, checked', { timeout: 180_000 });
  await expect(report.getByRole('row', { name: /^accounts (\d+) \1 / })).toContainText('Same');
  await expect(report).not.toContainText('DIFFERENT');
  await shot(page, 'joined-with-ledger');
  expect(await axeViolations(page)).toEqual([]);

  // The Admin's list of desks shows this computer.
  await page.getByRole('button', { name: 'Desks' }).click();
  await expect(page.getByTestId('desks').getByRole('row', { name: /This computer/ })).toContainText('Main Street office');
  await shot(page, 'desks');
  expect(await axeViolations(page)).toEqual([]);
});
