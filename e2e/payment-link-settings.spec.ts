import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { axeViolations, expect, shot, signIn, signOut, test } from './support/host';

// Its own ledger: it publishes a server address and changes the payment link settings.
test.use({ seed: 'demo', ledger: 'payment-link-settings' });

/** What the central server writes at start (PUBLIC_URL, no gateway) and a desk receives by sync. */
function publishServer(dataDir: string) {
  const native = join(process.cwd(), '.native', 'node', 'better_sqlite3.node');
  const db = new BetterSqlite3(join(dataDir, 'ledger.sqlite'), existsSync(native) ? { nativeBinding: native } : {});
  db.pragma('busy_timeout = 5000');
  db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
    'paymentLinks.server',
    JSON.stringify({ publicUrl: 'https://pay.example.org', gateway: false }),
    '2026-01-01T00:00:00.000Z',
  );
  db.close();
}

test('an Admin changes the payment link settings; core refuses a bad value on its field; the payer page follows', async ({ page, host }) => {
  publishServer(host.dataDir);
  await page.goto(host.url);
  await signIn(page, 'admin');
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Settings' }).click();
  const card = page.getByRole('region', { name: 'Payment links' });
  await expect(card).toContainText('Payers open links at https://pay.example.org');
  await expect(card).toContainText('No payment gateway');
  const days = card.getByLabel('Links are good for (days)');
  await expect(days).toHaveValue('14');

  // Core's message, on the field; nothing saved.
  await days.fill('');
  await card.getByRole('button', { name: 'Save payment link settings' }).click();
  await expect(card.getByText('Enter the number of days a link stays good.')).toBeVisible();
  await card.getByLabel('Currency').fill('USD');
  await days.fill('30');
  await card.getByRole('button', { name: 'Save payment link settings' }).click();
  await expect(card.getByText('A currency is three lower-case letters, e.g. usd.')).toBeVisible();
  await expect(card).toHaveCSS('opacity', '1');
  expect(await axeViolations(page, { all: true })).toEqual([]);
  await shot(page, 'payment-link-settings-error');

  await card.getByLabel('Currency').fill('usd');
  await card.getByLabel('How to pay by check or transfer').fill('Mail a check to Ledgerdesk Office, 1 Main St, Springfield.');
  await card.getByRole('button', { name: 'Save payment link settings' }).click();
  await expect(page.getByText('Payment link settings saved.')).toBeVisible();
  await expect(card.getByText('A currency is three lower-case letters, e.g. usd.')).toBeHidden();
  await shot(page, 'payment-link-settings-saved');
  // Kept: a reload reads them back from the ledger.
  await page.reload();
  await expect(page.getByRole('region', { name: 'Payment links' }).getByLabel('Links are good for (days)')).toHaveValue('30');
  await signOut(page);

  // A CSR's new link is good for 30 days by default; its payer page shows the instructions.
  await signIn(page, 'csr');
  await page.getByTestId('payer-search').fill('100007');
  await page.getByTestId('accounts-found').getByRole('button', { name: '100007', exact: true }).click();
  await page.getByRole('button', { name: 'Payment link' }).click();
  const dialog = page.getByRole('dialog', { name: 'Payment link for 100007' });
  await expect(dialog.getByLabel(/good for/i)).toHaveValue('30');
  await dialog.getByRole('button', { name: 'Create link to copy' }).click();
  const url = await dialog.getByLabel('Payment link', { exact: true }).inputValue();
  const token = url.split('/pay/')[1]!;
  const html = execFileSync(join(process.cwd(), 'node_modules', '.bin', 'tsx'), ['e2e/support/payer-page.ts', join(host.dataDir, 'ledger.sqlite'), token], { encoding: 'utf8' });
  await page.setContent(html);
  await expect(page.getByRole('heading', { name: 'How to pay' })).toBeVisible();
  await expect(page.getByText('Mail a check to Ledgerdesk Office, 1 Main St, Springfield.')).toBeVisible();
  await shot(page, 'payer-page-instructions');
});
