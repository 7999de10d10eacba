import { existsSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Page } from '@playwright/test';
import { axeViolations, expect, shot, signIn, test } from './support/host';

// Its own ledger: it publishes a server address into it.
test.use({ seed: 'demo', ledger: 'payment-links' });

async function openAccount(page: Page, accountNumber: string) {
  await page.getByTestId('payer-search').fill(accountNumber);
  await page.getByTestId('accounts-found').getByRole('button', { name: accountNumber, exact: true }).click();
  await expect(page.getByTestId('account-balance')).toBeVisible();
}

/** What the central server writes at start (PUBLIC_URL) and a desk receives by sync. */
function publishServer(dataDir: string, publicUrl: string) {
  const native = join(process.cwd(), '.native', 'node', 'better_sqlite3.node');
  const db = new BetterSqlite3(join(dataDir, 'ledger.sqlite'), existsSync(native) ? { nativeBinding: native } : {});
  db.pragma('busy_timeout = 5000');
  db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
    'paymentLinks.server',
    JSON.stringify({ publicUrl, gateway: true }),
    new Date().toISOString(),
  );
  db.close();
}

test('a standalone desk explains why; with a server a CSR creates, copies and revokes a link', async ({ page, host }) => {
  await page.goto(host.url);
  await signIn(page, 'csr');
  await openAccount(page, '100007');
  await page.getByRole('button', { name: 'Payment link' }).click();
  const dialog = page.getByRole('dialog', { name: 'Payment link for 100007' });
  await expect(dialog.getByText('Payment links are not available on this desk')).toBeVisible();
  await expect(dialog).toContainText('central server');
  // Axe reads colours: wait until the dialog has finished fading in.
  await expect(dialog).toHaveCSS('opacity', '1');
  expect(await axeViolations(page, { all: true })).toEqual([]);
  await shot(page, 'standalone');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  publishServer(host.dataDir, 'https://pay.example.org');
  await page.getByRole('button', { name: 'Payment link' }).click();
  await expect(dialog.getByRole('button', { name: 'Create link to copy' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Create link to copy' }).click();
  const link = dialog.getByLabel('Payment link', { exact: true });
  await expect(link).toHaveValue(/^https:\/\/pay\.example\.org\/pay\/[A-Za-z0-9_-]{43}$/);
  await expect(dialog.getByRole('button', { name: 'Copy link' })).toBeVisible();
  await expect(dialog.getByRole('table')).toContainText('open');
  await expect(dialog).toHaveCSS('opacity', '1');
  expect(await axeViolations(page, { all: true })).toEqual([]);
  await shot(page, 'created');

  await dialog.getByRole('button', { name: 'Revoke' }).click();
  await dialog.getByLabel('Reason').fill('Payer called: pays by check');
  await dialog.getByRole('button', { name: 'Revoke link' }).click();
  await expect(dialog.getByRole('table')).toContainText('revoked');
  await shot(page, 'revoked');
});
