import type { Page } from '@playwright/test';
import { axeViolations, expect, shot, signIn, test } from './support/host';

test.use({ seed: 'demo' });

/** Drops a real file on the page: a drop event carrying a File, as a person dragging from the desktop. */
async function dropFile(page: Page, name: string, content: string, mime = 'text/csv') {
  const dataTransfer = await page.evaluateHandle(
    ({ name, content, mime }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([content], name, { type: mime }));
      return dt;
    },
    { name, content, mime },
  );
  const zone = page.getByTestId('file-transfers-drop');
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
}

async function chooseDivision(page: Page, name: string) {
  await page.getByRole('textbox', { name: 'Division' }).last().click();
  await page.getByRole('option', { name }).click();
}

const GOOD = [
  'Balance report exported 11/22/2026', // a title line above the header
  '',
  'Account #,Payer Name,E-mail,Balance Due',
  '100000,James Williams,jw@example.com,"$1,234.56"',
  '100003,Karen Miller,,(25.00)',
  'N-777,Nora New,nora@example.com,80.00',
  'Total,,,"$1,289.56"', // a totals line below the data
].join('\r\n');

test('an admin drops a balance file, previews it, applies it and finds the new balances', async ({ page, host }) => {
  await page.goto(host.url);
  await signIn(page, 'admin');
  await page.getByRole('button', { name: 'File Transfers' }).click();
  await expect(page.getByRole('heading', { name: 'File Transfers' })).toBeVisible();
  await chooseDivision(page, 'North Clinic');
  await dropFile(page, 'balances-nov.csv', GOOD);
  await expect(page.getByTestId('chosen-files')).toContainText('balances-nov.csv');
  await page.getByTestId('upload-button').click();

  const preview = page.getByTestId('import-preview');
  await expect(preview).toBeVisible();
  await expect(page.getByTestId('summary-rows-read')).toHaveText('3');
  await expect(page.getByTestId('summary-accounts-updated')).toHaveText('2');
  await expect(page.getByTestId('summary-accounts-created')).toHaveText('1');
  const changes = page.getByTestId('import-changes');
  await expect(changes.getByRole('row', { name: /100000/ })).toContainText('$1,234.56');
  await expect(changes.getByRole('row', { name: /100003/ })).toContainText('-$25.00');
  await expect(changes.getByRole('row', { name: /N-777/ })).toContainText('Create');
  // The file's names/emails differ from the ledger's: shown old -> new, and nothing applies until the admin decides.
  await expect(page.getByTestId('identity-changes')).toBeVisible();
  await expect(page.getByTestId('apply-button')).toBeDisabled();
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'preview');
  // The choice is recorded by main (imports.decide), then shown checked.
  await page.getByRole('radio', { name: 'Keep existing details (only balances change)' }).click();
  await expect(page.getByRole('radio', { name: 'Keep existing details (only balances change)' })).toBeChecked();
  await expect(page.getByTestId('apply-button')).toBeEnabled();

  await page.getByTestId('apply-button').click();
  await expect(page.getByRole('heading', { name: 'Upload result: balances-nov.csv' })).toBeVisible();
  await expect(page.getByTestId('summary-accounts-updated')).toHaveText('2');
  await shot(page, 'result');

  // Recent Uploads lists it; the file name opens its result.
  await page.getByRole('button', { name: 'Back to File Transfers' }).click();
  await page.getByTestId('recent-uploads').getByRole('button', { name: 'balances-nov.csv' }).click();
  await expect(page.getByRole('heading', { name: 'Upload result: balances-nov.csv' })).toBeVisible();

  // Payer Support shows the new balances.
  await page.getByRole('button', { name: 'Payer Support' }).click();
  await page.getByTestId('payer-search').fill('100000');
  await expect(page.getByTestId('accounts-found').getByRole('row', { name: /^100000 / })).toContainText('$1,234.56');
  await page.getByTestId('payer-search').fill('N-777');
  await expect(page.getByTestId('accounts-found').getByRole('row', { name: /N-777/ })).toContainText('Nora New');
  // The new account's opening balance is an adjustment charge with a number of its own, open for the amount.
  await page.getByTestId('accounts-found').getByRole('button', { name: 'N-777', exact: true }).click();
  await expect(page.getByTestId('account-balance')).toHaveText('$80.00');
  await page.getByRole('tab', { name: /Invoices/ }).click();
  await expect(page.getByRole('tabpanel')).toContainText(/Invoice ADJ-[0-9A-Z]{5}-[0-9A-Z]{5}/);
  await expect(page.getByRole('tabpanel')).toContainText('Balance set to 80.00 by file upload');
  await shot(page, 'new-account-opening-charge');

  // The same file again is recognised and changes nothing.
  await page.getByRole('button', { name: 'File Transfers' }).click();
  await chooseDivision(page, 'North Clinic');
  await dropFile(page, 'balances-nov.csv', GOOD);
  await page.getByTestId('upload-button').click();
  await expect(page.getByRole('status').filter({ hasText: 'Already uploaded' })).toContainText('already uploaded on');
  await shot(page, 'already-uploaded');
});

test('a bad file is refused with its reason and changes nothing', async ({ page, host }) => {
  await page.goto(host.url);
  await signIn(page, 'admin');
  await page.getByRole('button', { name: 'File Transfers' }).click();
  await chooseDivision(page, 'North Clinic');
  const before = await page.getByTestId('recent-uploads').getByRole('row').count();
  await dropFile(page, 'no-balance.csv', 'Account Number,Name\r\n100000,James\r\n');
  await page.getByTestId('upload-button').click();
  await expect(page.getByRole('alert')).toContainText('no-balance.csv');
  await expect(page.getByRole('alert')).toContainText(/Balance/);
  await shot(page, 'refused');

  // Row errors: listed with row, column and reason; the good rows can still be applied.
  await dropFile(page, 'some-bad-rows.csv', 'Account Number,Balance\r\n100000,12.345\r\n100003,abc\r\n100006,10.00\r\n100006,11.00\r\n');
  await page.getByTestId('upload-button').click();
  await expect(page.getByTestId('import-preview')).toBeVisible();
  const issues = page.getByTestId('import-issues');
  await expect(issues.getByRole('row', { name: /^Error 2 / })).toContainText('Balance');
  await expect(issues.getByRole('row', { name: /^Error 3 / })).toContainText('Balance');
  await expect(issues.getByRole('row', { name: /^Error 5 / })).toContainText('Account');
  await shot(page, 'row-errors');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('import-preview')).toBeHidden();
  await expect(page.getByTestId('recent-uploads').getByRole('row')).toHaveCount(before);
});
