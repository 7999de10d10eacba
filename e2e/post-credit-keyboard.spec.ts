import type { Locator, Page } from '@playwright/test';
import { axeViolations, expect, shot, signIn, test } from './support/host';

// A ledger of its own: this spec makes a credit item and posts a credit.
test.use({ seed: 'demo', ledger: 'post-credit-keyboard' });

/** Presses Tab (forward only) until `target` has focus, as a keyboard user would; fails after 60 presses. */
async function tabTo(page: Page, target: Locator) {
  for (let i = 0; i < 60; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
}

test('keyboard only: Post Credit from the menu to the results, Escape steps back, focus on each step heading', async ({ page, host }) => {
  await page.goto(host.url);
  await signIn(page, 'csr');

  // The menu by keyboard.
  const menuItem = page.getByRole('navigation').getByRole('button', { name: 'Post Credit' });
  await tabTo(page, menuItem);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Post Credit' })).toBeVisible();

  // Step 1: the search field has focus; type, Tab to the account found, Enter adds it.
  await expect(page.getByTestId('credit-account-search')).toBeFocused();
  await page.keyboard.type('100020');
  const add = page.getByRole('button', { name: /^Add 100020 / });
  await expect(add).toBeVisible();
  await tabTo(page, add);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('table', { name: 'Accounts to credit' }).getByRole('row')).toHaveCount(1);
  await tabTo(page, page.getByRole('button', { name: 'Next', exact: true }));
  await page.keyboard.press('Enter');

  // Step 2: focus on its heading; the amount field selects what it holds; Enter goes on.
  await expect(page.getByRole('heading', { name: 'Credit amounts' })).toBeFocused();
  const amount = page.getByLabel('Credit amount for 100020');
  await tabTo(page, amount);
  await page.keyboard.type('12.50');
  await expect(amount).toHaveValue('12.50');
  await page.keyboard.press('Enter');

  // Step 3: focus on its heading; a new credit item made and chosen by keyboard.
  await expect(page.getByRole('heading', { name: 'Set up the transaction' })).toBeFocused();
  const newItem = page.getByRole('button', { name: 'New credit item' });
  await tabTo(page, newItem);
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('New credit item name')).toBeFocused();
  // Escape in the new item's field closes the field; the wizard stays on this step.
  await page.keyboard.press('Escape');
  await expect(page.getByLabel('New credit item name')).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Set up the transaction' })).toBeVisible();
  await expect(newItem).toBeFocused(); // focus goes back to the button that opened the field
  await tabTo(page, newItem);
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('New credit item name')).toBeFocused();
  await page.keyboard.type('Keyboard discount');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('credit-item')).toHaveValue(/.+/);
  expect(await axeViolations(page)).toEqual([]);
  await tabTo(page, page.getByTestId('transaction-next'));
  await page.keyboard.press('Enter');

  // Step 4: Escape steps back to the transaction (its heading focused), then on again.
  await expect(page.getByRole('heading', { name: 'Comments' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('heading', { name: 'Set up the transaction' })).toBeFocused();
  await expect(page.getByTestId('credit-item')).toHaveValue(/.+/); // nothing entered was lost
  await tabTo(page, page.getByTestId('transaction-next'));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Comments' })).toBeFocused();
  await tabTo(page, page.getByLabel('Public comment'));
  await page.keyboard.type('Thank you for your patience');
  await tabTo(page, page.getByTestId('post-credit'));
  await page.keyboard.press('Enter');

  // Results: posted, with focus on the results heading.
  await expect(page.getByRole('heading', { name: 'Results' })).toBeFocused();
  const results = page.getByTestId('post-credit-results');
  await expect(results.getByRole('img', { name: 'Posted' })).toHaveCount(1);
  await expect(results).toContainText('$12.50');
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'keyboard-results');
});
