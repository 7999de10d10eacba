import { axeViolations, expect, shot, signIn, signOut, test } from './support/host';

test.use({ seed: 'demo' });

test('a CSR finds a payer, takes a payment and sees it Pending', async ({ page, host }) => {
  await page.goto(host.url);
  await signIn(page, 'csr');
  await shot(page, 'payer-support-empty');

  // Search answers as you type: by account number prefix.
  const search = page.getByTestId('payer-search');
  await search.fill('10000');
  const accounts = page.getByTestId('accounts-found');
  await expect(accounts.getByRole('row').nth(1)).toContainText('10000');
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'accounts-found');

  // Open the first account's Make Payment.
  const firstRow = accounts.getByRole('row').nth(1);
  const accountNumber = (await firstRow.getByRole('cell').first().innerText()).trim();
  await firstRow.getByRole('button', { name: /Make payment/i }).click();
  await expect(page.getByRole('heading', { name: 'Make Payment' })).toBeVisible();
  await shot(page, 'make-payment');

  // Every bad amount gets its own message and nothing is recorded.
  const amount = page.getByTestId('amount');
  for (const [bad, message] of [
    ['0', 'The amount must be more than $0.00.'],
    ['-5', 'The amount must be more than $0.00.'],
    ['12.345', 'Amounts have at most two decimal places.'],
    ['twelve', 'This is not an amount of money (for example 125.00).'],
    ['1000000000.01', 'Amounts cannot exceed $1,000,000,000.00.'],
  ] as const) {
    await amount.fill(bad);
    await page.getByRole('button', { name: 'Confirm' }).click();
    await expect(page.getByText(message)).toBeVisible();
  }
  await shot(page, 'bad-amount');

  await amount.fill('125.50');
  await page.locator('label', { hasText: /^Check$/ }).click();
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByText('Enter the check number.')).toBeVisible();
  await page.getByLabel('Check number').fill('4471');
  await page.getByLabel('Email for the receipt').fill('payer@example.com');
  await page.getByRole('button', { name: 'Confirm' }).click();

  await expect(page.getByRole('heading', { name: 'Review the payment' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Payment to make' })).toContainText('$125.50');
  await expect(page.getByRole('table', { name: 'Payment to make' })).toContainText('check 4471');
  await shot(page, 'review');
  await page.getByRole('button', { name: 'Make Payment' }).click();

  await expect(page.getByRole('heading', { name: 'Thanks for the payment!' })).toBeVisible();
  const reference = (await page.getByTestId('payment-reference').innerText()).trim();
  expect(reference).toMatch(/^PMT-[0-9A-Z]{5}-[0-9A-Z]{5}$/);
  await shot(page, 'thanks');
  // The printed receipt: only the receipt shows in print media.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByTestId('receipt')).toBeVisible();
  await expect(page.getByTestId('receipt')).toContainText(reference);
  await expect(page.getByTestId('receipt')).toContainText('$125.50');
  await shot(page, 'receipt-print');
  await page.emulateMedia({ media: 'screen' });
  await expect(page.getByTestId('receipt')).toBeHidden();
  await page.getByRole('button', { name: 'Done' }).click();

  // Back on Payer Support, the payment is in Payments Found as Pending.
  await expect(page.getByRole('heading', { name: 'Payer Support' })).toBeVisible();
  const paymentRow = page.getByTestId('payments-found').getByRole('row', { name: new RegExp(reference) });
  await expect(paymentRow).toContainText('Pending');
  await expect(paymentRow).toContainText('$125.50');
  await expect(paymentRow).toContainText(accountNumber);
  await shot(page, 'payment-pending');

  // The reference opens the payment's detail, where its applications are listed.
  await paymentRow.getByRole('button', { name: reference }).click();
  await expect(page.getByRole('heading', { name: `Payment ${reference}` })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Payment details' })).toContainText('check 4471');
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'payment-detail');

  // Searching by the reference finds it too.
  await page.getByRole('button', { name: 'Payer Support' }).click();
  await search.fill(reference);
  await expect(page.getByTestId('payments-found')).toContainText(reference);

  await signOut(page);
});

test('Ctrl+K finds a payer from anywhere and opens the account page', async ({ page, host }) => {
  await page.goto(host.url);
  await signIn(page, 'supervisor');
  await page.keyboard.press('Control+K');
  const dialog = page.getByRole('dialog', { name: 'Find a payer' });
  await expect(dialog.getByRole('textbox')).toBeFocused();
  await page.keyboard.type('Smith');
  await expect(dialog.getByRole('option').first()).toContainText('Smith');
  await shot(page, 'find-payer');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('account-balance')).toBeVisible();
  // Focus lands on the account's heading (not the page body), so Tab reaches its actions next.
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  await expect(page.getByRole('tab', { name: /Invoices/ })).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'account-page');
  await page.getByRole('tab', { name: 'Activity history' }).click();
  await expect(page.getByRole('table', { name: 'Activity history' })).toContainText('Invoice');
  await shot(page, 'account-activity');
});

test('an admin adds a user; a CSR does not see admin pages', async ({ page, host }) => {
  await page.goto(host.url);
  await signIn(page, 'admin');
  await page.getByRole('button', { name: 'Users' }).click();
  await page.getByRole('button', { name: 'Add user' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add user' });
  await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('Dana Desk');
  await dialog.getByLabel('User name').fill('dana');
  await dialog.getByLabel(/^Temporary password/).fill('short');
  await dialog.getByRole('button', { name: 'Add user' }).click();
  await expect(dialog.getByText('Passwords have at least 12 characters.').first()).toBeVisible();
  await dialog.getByLabel(/^Temporary password/).fill('dana-copper-lantern-42');
  await dialog.getByRole('button', { name: 'Add user' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('table', { name: 'Users' })).toContainText('dana');
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'users');
  await signOut(page);

  await signIn(page, 'csr');
  await expect(page.getByRole('button', { name: 'Users' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Settings' })).toHaveCount(0);
});
