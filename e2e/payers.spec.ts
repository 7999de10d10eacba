import { axeViolations, expect, shot, signIn, signOut, test } from './support/host';
import type { Page } from '@playwright/test';

// Adds a payer: a ledger of its own, so other specs' account lists stay as they were.
test.use({ seed: 'demo', ledger: 'payers' });

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

test('a supervisor adds a payer with phone and postal address; a CSR changes them by keyboard', async ({ page, host }) => {
  await page.goto(host.url);
  await signIn(page, 'supervisor');
  await page.getByRole('button', { name: 'Payer Support' }).click();
  await page.getByRole('button', { name: 'Add payer' }).click();
  const add = page.getByRole('dialog', { name: 'Add payer' });
  await add.getByRole('textbox', { name: 'Division' }).click();
  await page.getByRole('option').first().click();
  await add.getByLabel('Account number').fill('NEW-9001');
  await add.getByLabel('Name').fill('Nora New');
  await add.getByLabel('Email').fill('nora@example.com');
  await add.getByLabel('Phone').fill('call me');
  await add.getByLabel('Postal address').fill('12 Elm Street\nSpringfield, IL 62701');
  await add.getByRole('button', { name: 'Add payer' }).click();
  // The contract's own rule, before anything is sent.
  await expect(add.getByText('Phone numbers use digits')).toBeVisible();
  await add.getByLabel('Phone').fill('(555) 010-2000');
  expect(await axeViolations(page, { all: true })).toEqual([]);
  await shot(page, 'add-payer');
  await add.getByRole('button', { name: 'Add payer' }).click();
  await expect(add).toBeHidden();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('NEW-9001 · Nora New');
  await expect(page.getByText('(555) 010-2000')).toBeVisible();
  // The same number again in the same division: core refuses it, named at the field.
  await page.getByRole('button', { name: 'Payer Support' }).click();
  await page.getByRole('button', { name: 'Add payer' }).click();
  await add.getByRole('textbox', { name: 'Division' }).click();
  await page.getByRole('option').first().click();
  await add.getByLabel('Account number').fill('NEW-9001');
  await add.getByLabel('Name').fill('Someone Else');
  await add.getByRole('button', { name: 'Add payer' }).click();
  await expect(add.getByText('Account number NEW-9001 already exists in this division.').first()).toBeVisible();
  await add.getByRole('button', { name: 'Cancel' }).click();
  await signOut(page);

  await signIn(page, 'csr');
  await openAccount(page, 'NEW-9001');
  await page.getByRole('button', { name: 'Edit payer' }).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Edit payer NEW-9001' });
  await expect(dialog.getByLabel('Email')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(dialog.getByLabel('Phone')).toBeFocused();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('555-0199');
  await page.keyboard.press('Tab');
  await expect(dialog.getByLabel('Postal address')).toBeFocused();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('9 Pine Road');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Riverton, WY 82501');
  await shot(page, 'csr-edits-address');
  await dialog.getByRole('button', { name: 'Save' }).focus();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.getByText('555-0199')).toBeVisible();
  await page.getByRole('button', { name: 'Edit payer' }).click();
  await expect(dialog.getByLabel('Postal address')).toHaveValue('9 Pine Road\nRiverton, WY 82501');
  await page.keyboard.press('Escape');
  await signOut(page);

  await signIn(page, 'supervisor');
  await page.getByRole('button', { name: 'Audit Log' }).click();
  await page.getByTestId('audit-record').fill('NEW-9001');
  await expect(page.getByTestId('audit-log')).toContainText('Carla CSR changed account NEW-9001');
  await expect(page.getByTestId('audit-log')).toContainText('9 Pine Road');
  await expect(page.getByTestId('audit-log')).toContainText('(555) 010-2000');
});

test('Post Credit asks before it is left with accounts chosen; staying keeps them', async ({ page, host }) => {
  await page.goto(host.url);
  await signIn(page, 'csr');
  await page.getByRole('button', { name: 'Post Credit' }).click();
  await page.getByTestId('credit-account-search').fill('100010');
  await page.getByRole('button', { name: /^Add 100010 / }).click();
  const asked: string[] = [];
  page.once('dialog', (d) => {
    asked.push(d.message());
    void d.dismiss();
  });
  await page.getByRole('button', { name: 'Home' }).click();
  await expect(page.getByRole('heading', { name: 'Post Credit' })).toBeVisible();
  expect(asked).toEqual(['Leave Post Credit? The credit has not been posted.']);
  await expect(page.getByText('100010').first()).toBeVisible();
  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Home' }).click();
  await expect(page.getByRole('heading', { name: 'Post Credit' })).toHaveCount(0);
});
