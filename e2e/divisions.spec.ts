import { axeViolations, expect, shot, test } from './support/host';

test.use({ seed: 'empty', ledger: 'divisions' });

/** Issue 13, observation 6: a new office starts without the command line: its first division is made in the app. */
test('a new office creates and renames a division in the app', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Start on this computer' }).click();
  await page.getByLabel('Your name').fill('Olivia Owner');
  await page.getByLabel('User name').fill('olivia');
  await page.getByLabel(/^Password/).fill('a-long-enough-password');
  await page.getByLabel('Confirm password').fill('a-long-enough-password');
  await page.getByRole('button', { name: 'Create administrator' }).click();
  await expect(page.getByTestId('user-menu')).toContainText('Olivia Owner', { timeout: 30_000 });

  await page.getByRole('button', { name: 'Divisions' }).click();
  await expect(page.getByRole('heading', { name: 'Divisions' })).toBeVisible();
  await expect(page.getByText('No divisions yet.')).toBeVisible();
  await page.getByRole('button', { name: 'Add division' }).click();
  const dialog = page.getByRole('dialog');
  // Empty first: the core's message, on the field.
  await dialog.getByRole('button', { name: 'Add division' }).click();
  await expect(dialog.getByText('Division name is required.').last()).toBeVisible();
  await dialog.getByLabel('Division name').fill('North Clinic');
  await dialog.getByRole('button', { name: 'Add division' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('cell', { name: 'North Clinic', exact: true })).toBeVisible();
  await shot(page, 'created');

  // A second with the same name is refused, nothing added.
  await page.getByRole('button', { name: 'Add division' }).click();
  await page.getByRole('dialog').getByLabel('Division name').fill('North Clinic');
  await page.getByRole('dialog').getByRole('button', { name: 'Add division' }).click();
  await expect(page.getByRole('dialog').getByText('A division named "North Clinic" already exists.').first()).toBeVisible();
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

  await page.getByRole('button', { name: 'Rename North Clinic' }).click();
  await page.getByRole('dialog').getByLabel('Division name').fill('North Campus');
  await page.getByRole('dialog').getByRole('button', { name: 'Rename' }).click();
  await expect(page.getByRole('cell', { name: 'North Campus', exact: true })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'North Clinic', exact: true })).toHaveCount(0);
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'renamed');
});
