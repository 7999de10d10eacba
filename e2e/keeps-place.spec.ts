import { axeViolations, expect, shot, signIn, signOut, test } from './support/host';

test.use({ seed: 'demo' });

const heading = (page: import('@playwright/test').Page) => page.getByRole('heading', { level: 1 });

test('the UI keeps its place: addresses, Back/Forward, reload, Done, user switch, other divisions', async ({ page, host }) => {
  await page.goto(host.url);
  await signIn(page, 'admin');
  // Each role lands on its Home, with an address of its own.
  await expect(heading(page)).toHaveText('Home');
  await expect(page).toHaveURL(/#\/home$/);
  expect(await axeViolations(page, { all: true })).toEqual([]);

  await page.getByRole('button', { name: 'Payer Support' }).click();
  await page.getByTestId('payer-search').fill('100000');
  await expect(page).toHaveURL(/#\/payer-support\?q=100000$/);
  const row = page.getByTestId('accounts-found').getByRole('row').nth(1);
  await expect(row).toContainText('100000');
  // Enter on the row's Make Payment button is that button's (it used to open the account page).
  await row.getByRole('button', { name: /Make payment/i }).focus();
  await page.keyboard.press('Enter');
  await expect(heading(page)).toHaveText('Make Payment');
  await expect(page).toHaveURL(/#\/make-payment\?accountId=/);

  // The pre-filled amount is selected: typing replaces it.
  const amount = page.getByTestId('amount');
  await expect(amount).toBeFocused();
  await page.keyboard.type('12.50');
  await expect(amount).toHaveValue('12.50');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/step=review/);
  const review = page.getByRole('heading', { name: 'Review the payment' });
  await expect(review).toBeFocused();
  expect(await axeViolations(page, { all: true })).toEqual([]);
  await shot(page, 'review');

  // Back, Forward and reload at the review step.
  await page.goBack();
  await expect(amount).toHaveValue('12.50');
  await page.goForward();
  await expect(review).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('user-menu')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Payment to make' })).toContainText('$12.50');
  // Escape steps back in the wizard.
  await page.keyboard.press('Escape');
  await expect(amount).toHaveValue('12.50');
  await page.keyboard.press('Enter');
  await expect(review).toBeVisible();
  await page.getByRole('button', { name: 'Make Payment' }).click();
  const thanks = page.getByRole('heading', { name: 'Thanks for the payment!' });
  await expect(thanks).toBeFocused();
  const reference = (await page.getByTestId('payment-reference').innerText()).trim();
  await page.reload();
  await expect(thanks).toBeVisible();
  await expect(page.getByTestId('payment-reference')).toHaveText(reference);
  expect(await axeViolations(page, { all: true })).toEqual([]);

  // Done shows the payer's payments, the new one first.
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(heading(page)).toHaveText('Payer Support');
  await expect(page.getByTestId('payer-search')).toHaveValue('100000');
  const firstPayment = page.getByTestId('payments-found').getByRole('row').nth(1);
  await expect(firstPayment).toContainText(reference);
  await expect(firstPayment).toContainText('$12.50');
  expect(await axeViolations(page, { all: true })).toEqual([]);
  await shot(page, 'after-done');

  // Leaving a half-filled Make Payment asks first.
  await page.getByTestId('accounts-found').getByRole('row').nth(1).getByRole('button', { name: /Make payment/i }).click();
  await amount.fill('7.00');
  page.once('dialog', (d) => void d.dismiss());
  await page.getByRole('button', { name: 'Home' }).click();
  await expect(heading(page)).toHaveText('Make Payment');
  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Home' }).click();
  await expect(heading(page)).toHaveText('Home');

  // A search with nothing in the selected division says where the payer is, and offers to switch.
  await page.getByTestId('division-select').click();
  await page.getByRole('option', { name: 'North Clinic' }).click();
  await page.getByRole('button', { name: 'Payer Support' }).click();
  await page.getByTestId('payer-search').fill('100001');
  const hint = page.getByTestId('other-divisions');
  await expect(hint).toContainText('South Clinic');
  expect(await axeViolations(page, { all: true })).toEqual([]);
  await shot(page, 'other-division');
  await hint.getByRole('button', { name: 'Switch to South Clinic' }).click();
  await expect(page.getByTestId('division-select')).toHaveValue('South Clinic');
  await expect(page.getByTestId('accounts-found')).toContainText('100001');

  // Half-way through a payment, the admin signs out; the CSR starts on Home with all divisions.
  await page.getByTestId('accounts-found').getByRole('row').nth(1).getByRole('button', { name: /Make payment/i }).click();
  await expect(heading(page)).toHaveText('Make Payment');
  await signOut(page);
  await signIn(page, 'csr');
  await expect(heading(page)).toHaveText('Home');
  await expect(page.getByTestId('division-select')).toHaveValue('All divisions');
  // Back does not return to the admin's screens.
  await page.goBack();
  await expect(page.getByText('This page is not available to your role.')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Make Payment' })).toHaveCount(0);
  // And the admin's division comes back with the admin.
  await signOut(page);
  await signIn(page, 'admin');
  await expect(page.getByTestId('division-select')).toHaveValue('South Clinic');
});

test('a deep link opens its screen after sign-in', async ({ page, host }) => {
  await page.goto(host.url);
  const base = page.url().replace(/#.*$/, '');
  await page.goto(`${base}#/payer-support?q=100002`);
  await signIn(page, 'supervisor');
  await expect(heading(page)).toHaveText('Payer Support');
  await expect(page.getByTestId('accounts-found')).toContainText('100002');
});
