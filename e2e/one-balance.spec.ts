import type { Page } from '@playwright/test';
import { axeViolations, expect, shot, signIn, test } from './support/host';

test.use({ seed: 'demo' });

/** Drops a real file on the File Transfers page, as a person dragging it from the desktop. */
async function dropFile(page: Page, name: string, content: string) {
  const dataTransfer = await page.evaluateHandle(
    ({ name, content }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([content], name, { type: 'text/csv' }));
      return dt;
    },
    { name, content },
  );
  const zone = page.getByTestId('file-transfers-drop');
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
}

async function upload(page: Page, kind: 'Universal balance file' | 'Bill file', name: string, content: string) {
  await page.getByRole('button', { name: 'File Transfers', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'File Transfers' })).toBeVisible();
  await page.getByRole('radiogroup', { name: 'File kind' }).getByText(kind, { exact: true }).click();
  await page.getByRole('textbox', { name: 'Division' }).last().click();
  await page.getByRole('option', { name: 'North Clinic' }).click();
  await dropFile(page, name, content);
  await page.getByTestId('upload-button').click();
  await expect(page.getByTestId('import-preview')).toBeVisible();
  await page.getByTestId('apply-button').click();
  await expect(page.getByRole('heading', { name: `Upload result: ${name}` })).toBeVisible();
}

const cents = (text: string) => {
  const neg = /^-|\(/.test(text.trim());
  const n = Math.round(Number(text.replace(/[^0-9.]/g, '')) * 100);
  return neg ? -n : n;
};

// Dates for the bill file: this month's invoice, due later (the host's business date is today).
const today = new Date();
const mmddyyyy = (d: Date) => `${String(d.getMonth() + 1).padStart(2, '0')}/${String(d.getDate()).padStart(2, '0')}/${d.getFullYear()}`;
const invoiceDate = mmddyyyy(new Date(today.getFullYear(), today.getMonth(), 1));
const dueDate = mmddyyyy(new Date(today.getFullYear(), today.getMonth() + 1, 15));

test('a balance file then a bill file: one balance on the account page and in aging (issue 11, observation 1)', async ({ page, host }) => {
  await page.goto(host.url);
  await signIn(page, 'admin');
  await upload(page, 'Universal balance file', 'one-row-balance.csv', ['Account #,Balance Due', '100003,250.00'].join('\r\n'));
  await upload(
    page,
    'Bill file',
    'bills.csv',
    ['Account Number,Invoice Number,Invoice Date,Due Date,Category,Description,Amount', `100003,E2E-7,${invoiceDate},${dueDate},Tuition,Tuition,350.00`, `100003,E2E-8,${invoiceDate},${dueDate},Meals,Meals,80.00`].join('\r\n'),
  );

  // The account page: balance = open charges − unapplied.
  await page.getByRole('button', { name: 'Payer Support', exact: true }).click();
  await page.getByTestId('payer-search').fill('100003');
  await page.getByTestId('accounts-found').getByRole('button', { name: '100003', exact: true }).click();
  const balance = page.getByTestId('account-balance');
  await expect(balance).toHaveText('$680.00');
  const open = cents(await page.getByTestId('account-open-charges').innerText());
  const unapplied = cents(await page.getByTestId('account-unapplied').innerText());
  expect(open - unapplied).toBe(68_000);
  await page.getByRole('tab', { name: 'Activity history' }).click();
  const history = page.getByTestId('activity-history');
  await expect(history.getByRole('row', { name: /Balance set to 250\.00/ })).toContainText('$250.00');
  await expect(history.getByRole('row').nth(1)).toContainText('$680.00');
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'account-one-balance');

  // Aging: the account's row totals its balance.
  await page.getByRole('button', { name: 'A/R Aging', exact: true }).click();
  await page.getByRole('button', { name: /: North Clinic all accounts$/ }).click();
  // The list is long (and virtual): sort by account number to bring 100003 to the top.
  await page.getByTestId('aging-accounts').getByRole('button', { name: 'Account', exact: true }).click();
  const row = page.getByTestId('aging-accounts').getByRole('row', { name: /100003/ });
  await expect(row).toContainText('$680.00');
  const cells = await row.getByRole('cell').allInnerTexts();
  expect(cents(cells.at(-1)!)).toBe(68_000);
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'aging-one-balance');
});
