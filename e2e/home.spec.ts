import { axeViolations, expect, shot, signIn, signOut, test } from './support/host';

test.use({ seed: 'demo' });

test('each role lands on a Home with the day at a glance', async ({ page, host }) => {
  await page.goto(host.url);
  await signIn(page, 'csr');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Home');
  await expect(page.getByTestId('today-count')).toBeVisible();
  // CSRs do not see aging or deposits.
  await expect(page.getByRole('heading', { name: 'Aging at a glance' })).toHaveCount(0);
  expect(await axeViolations(page, { all: true })).toEqual([]);
  await shot(page, 'csr-home');

  // Take a payment from Home's search; Home then counts it.
  const before = Number(await page.getByTestId('today-count').innerText());
  await page.getByTestId('payer-search').fill('100003');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Payer Support');
  await page.getByTestId('accounts-found').getByRole('row').nth(1).getByRole('button', { name: /Make payment/i }).click();
  await page.getByTestId('amount').fill('20.00');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Make Payment' }).click();
  await expect(page.getByRole('heading', { name: 'Thanks for the payment!' })).toBeVisible();
  await page.getByRole('button', { name: 'Home' }).click();
  await expect(page.getByTestId('today-count')).toHaveText(String(before + 1));
  await expect(page.getByRole('table', { name: 'Today’s payments by method' })).toContainText('Cash');
  await signOut(page);

  await signIn(page, 'supervisor');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Home');
  await expect(page.getByRole('heading', { name: 'Aging at a glance' })).toBeVisible();
  // The chart draws bars, and the same figures are in a table.
  await expect(page.getByTestId('aging-chart').locator('.recharts-bar-rectangle').first()).toBeVisible();
  await expect(page.getByRole('table', { name: 'Aging at a glance' })).toContainText('90+ days');
  await expect(page.getByRole('heading', { name: 'Open deposits' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Needs your attention' })).toBeVisible();
  expect(await axeViolations(page, { all: true })).toEqual([]);
  await shot(page, 'supervisor-home');

  // The division selector on Home is the header's.
  await page.getByTestId('home-division').click();
  await page.getByRole('option', { name: 'South Clinic' }).click();
  await expect(page.getByTestId('division-select')).toHaveValue('South Clinic');
  await shot(page, 'supervisor-home-south');
});
