import { axeViolations, expect, shot, signIn, signOut, test } from './support/host';
import type { Page } from '@playwright/test';

test.use({ seed: 'demo' });

async function openAccount(page: Page, accountNumber: string) {
  await page.getByTestId('payer-search').fill(accountNumber);
  await page.getByTestId('accounts-found').getByRole('button', { name: accountNumber, exact: true }).click();
  await expect(page.getByTestId('account-balance')).toBeVisible();
}

test('a CSR edits contact details; a supervisor renames and deactivates, with a reason', async ({ page, host }) => {
  await page.goto(host.url);
  await signIn(page, 'csr');
  await openAccount(page, '100006');
  await page.getByRole('button', { name: 'Edit payer' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit payer 100006' });
  await expect(dialog.getByLabel('Name')).toBeDisabled();
  await dialog.getByLabel('Email').fill('new.address@example.com');
  expect(await axeViolations(page, { all: true })).toEqual([]);
  await shot(page, 'csr-edit');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('new.address@example.com')).toBeVisible();
  await signOut(page);

  await signIn(page, 'supervisor');
  await openAccount(page, '100006');
  await page.getByRole('button', { name: 'Edit payer' }).click();
  await dialog.getByLabel('Name').fill('Renamed Payer');
  await dialog.locator('label', { hasText: /^Inactive$/ }).click();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText('Enter a reason', { exact: false }).or(dialog.getByRole('alert'))).toBeVisible();
  await dialog.getByLabel(/^Reason for the status change/).fill('Moved away');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Renamed Payer');
  await shot(page, 'supervisor-after-edit');

  await page.getByRole('button', { name: 'Audit Log' }).click();
  await page.getByTestId('audit-record').fill('100006');
  await expect(page.getByTestId('audit-log')).toContainText('Sam Supervisor changed account 100006');
  await expect(page.getByTestId('audit-log')).toContainText('Renamed Payer');
  await expect(page.getByTestId('audit-log')).toContainText('Carla CSR changed account 100006');
});
