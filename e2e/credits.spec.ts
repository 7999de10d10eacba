import type { Page } from '@playwright/test';
import { parseMoney } from '../src/shared/money';
import { axeViolations, expect, shot, signIn, signOut, test } from './support/host';
import { rpc } from './support/rpc';

test.use({ seed: 'demo' });

const cents = (text: string) => {
  const r = parseMoney(text.trim());
  if (!r.ok) throw new Error(`not money: ${text}`);
  return r.cents;
};

/** Opens an account by number from Ctrl+K. */
async function openAccount(page: Page, accountNumber: string) {
  await page.keyboard.press('Control+K');
  const dialog = page.getByRole('dialog', { name: 'Find a payer' });
  await dialog.getByRole('textbox').fill(accountNumber);
  await expect(dialog.getByRole('option').first()).toContainText(accountNumber);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('account-balance')).toBeVisible();
}

test('a CSR posts one credit to three accounts with "Set all to" and sees three green checks and the balances', async ({ page, host }) => {
  await page.goto(host.url);
  await signIn(page, 'csr');
  await page.getByRole('button', { name: 'Post Credit' }).click();
  await expect(page.getByRole('heading', { name: 'Post Credit' })).toBeVisible();

  // Step 1: search and add three accounts.
  const search = page.getByTestId('credit-account-search');
  const numbers = ['100010', '100011', '100012'];
  for (const [i, n] of numbers.entries()) {
    if (i > 0) await page.getByRole('button', { name: 'Add another account' }).click();
    await page.getByTestId('credit-account-search').fill(n);
    await page.getByRole('button', { name: new RegExp(`^Add ${n} `) }).click();
  }
  await expect(search).toBeHidden();
  const chosen = page.getByRole('table', { name: 'Accounts to credit' });
  await expect(chosen.getByRole('row')).toHaveCount(3);
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'accounts');
  await page.getByRole('button', { name: 'Next' }).click();

  // Step 2: "$ Set all to…" one amount; a bad one is refused first.
  const amounts = page.getByRole('table', { name: 'Credit amounts' });
  const before: Record<string, number> = {};
  for (const n of numbers) before[n] = cents(await amounts.getByRole('row', { name: new RegExp(n) }).getByRole('cell').nth(1).innerText());
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText('Enter an amount.').first()).toBeVisible();
  await page.getByRole('button', { name: '$ Set all to…' }).click();
  await page.getByLabel('Amount for every account').fill('-5');
  await page.getByRole('button', { name: 'Set all', exact: true }).click();
  await expect(page.getByText('The amount must be more than $0.00.')).toBeVisible();
  await page.getByLabel('Amount for every account').fill('25.00');
  await page.getByRole('button', { name: 'Set all', exact: true }).click();
  for (const n of numbers) await expect(page.getByLabel(`Credit amount for ${n}`)).toHaveValue('25.00');
  await shot(page, 'amounts-set-all');
  await page.getByRole('button', { name: 'Next' }).click();

  // Step 3: transaction: a credit item created on the spot; Next checks it is chosen.
  await page.getByTestId('transaction-next').click();
  await expect(page.getByText('Choose a credit item (or create one).')).toBeVisible();
  await page.getByRole('button', { name: 'New credit item' }).click();
  await page.getByLabel('New credit item name').fill('Misc. Credit');
  await page.getByRole('button', { name: 'Add item' }).click();
  await expect(page.getByTestId('credit-item')).toHaveValue(/.+/);
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'transaction');
  await page.getByTestId('transaction-next').click();

  // Step 4: comments, checked on their own step: a public comment over 500 characters is caught at the field.
  await page.getByLabel('Public comment').fill('x'.repeat(501));
  await page.getByLabel('Private comment').fill('Approved by the office manager');
  await page.getByRole('button', { name: /^Post credit to 3 accounts/ }).click();
  await expect(page.getByText('Public comment is longer than 500 characters (now 501).')).toBeVisible();
  await expect(page.getByTestId('post-credit-results')).toHaveCount(0);
  await shot(page, 'comment-too-long');
  await page.getByLabel('Public comment').fill('Spring promotion');
  await page.getByRole('button', { name: /^Post credit to 3 accounts/ }).click();

  // Step 5: three green checks and each balance, lowered by the credit.
  const results = page.getByTestId('post-credit-results');
  await expect(results.getByRole('img', { name: 'Posted' })).toHaveCount(3);
  await expect(results.getByRole('img', { name: 'Not posted' })).toHaveCount(0);
  for (const n of numbers) {
    const bal = cents(await page.getByTestId(`balance-${n}`).innerText());
    expect(bal).toBe(before[n]! - 2500);
  }
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'results');

  // The account page agrees, and lists the credit with its comments.
  await openAccount(page, numbers[0]!);
  expect(cents(await page.getByTestId('account-balance').innerText())).toBe(before[numbers[0]!]! - 2500);
  await page.getByRole('tab', { name: 'Credits' }).click();
  await expect(page.getByRole('table', { name: 'Credits' })).toContainText('Spring promotion');
  await expect(page.getByRole('table', { name: 'Credits' })).toContainText('Misc. Credit');
  await shot(page, 'account-credits');
});

test('Post Transaction from an account page fills the account in; an inactive account is refused while others post', async ({ page, host }) => {
  await page.goto(host.url);
  await signIn(page, 'supervisor');
  // Make 100021 inactive (supervisors may), through core.
  const [search] = await rpc(page, 'supervisor', [['payers.search', { query: '100021' }]]);
  const inactiveId = search.value.accounts.find((a: any) => a.accountNumber === '100021').id;
  const [setStatus] = await rpc(page, 'supervisor', [['accounts.setStatus', { accountId: inactiveId, status: 'inactive', reason: 'Moved away' }]]);
  expect(setStatus.ok).toBe(true);

  await openAccount(page, '100020');
  await page.getByRole('button', { name: 'Post Transaction' }).click();
  await expect(page.getByRole('table', { name: 'Accounts to credit' })).toContainText('100020');
  await page.getByRole('button', { name: 'Add another account' }).click();
  await page.getByTestId('credit-account-search').fill('100021');
  await page.getByRole('button', { name: /^Add 100021 / }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Credit amount for 100020').fill('10.00');
  await page.getByLabel('Credit amount for 100021').fill('10.00');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByTestId('credit-item').selectOption({ label: 'Misc. Credit' });
  await page.getByTestId('transaction-next').click();
  await page.getByRole('button', { name: /^Post credit to 2 accounts/ }).click();
  const results = page.getByTestId('post-credit-results');
  await expect(results.getByTestId('result-100020').getByRole('img', { name: 'Posted' })).toBeVisible();
  await expect(results.getByTestId('result-100021').getByRole('img', { name: 'Not posted' })).toBeVisible();
  await expect(results.getByTestId('result-100021')).toContainText('Account 100021 is inactive; nothing can be posted to it.');
  await expect(page.getByText('1 of 2 accounts could not be credited. The others keep their credit.')).toBeVisible();
  await shot(page, 'partial-results');
  // Back to fix keeps every entry: the comments step is shown again with what was typed.
  await page.getByTestId('back-to-fix').click();
  await expect(page.getByRole('heading', { name: 'Comments' })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Post credit to 2 accounts/ })).toBeVisible();
});

test('a deposited payment is refunded in two parts, with a refund receipt', async ({ page, host }) => {
  await page.goto(host.url);
  await signIn(page, 'supervisor');
  await openAccount(page, '100030');
  await page.getByRole('tab', { name: /^Payments/ }).click();
  const deposited = page.getByRole('table', { name: 'Payments' }).getByRole('row').filter({ hasText: 'Deposited' }).first();
  const amount = cents(await deposited.getByRole('cell').nth(2).innerText());
  await deposited.getByRole('button').first().click();
  await expect(page.getByRole('heading', { name: /^Payment PMT-/ })).toBeVisible();
  const balanceBefore = cents(await page.getByText('Account balance now').locator('..').locator('span').last().innerText());

  // Part one: too much is refused with the amount left; then $10.00.
  await page.getByRole('button', { name: 'Refund…' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByLabel(/^Refund amount/)).toHaveValue((amount / 100).toFixed(2));
  await dialog.getByLabel(/^Refund amount/).fill(((amount + 1) / 100).toFixed(2));
  await dialog.getByLabel(/^Reason/).fill('Overcharged');
  await dialog.getByRole('button', { name: 'Refund', exact: true }).click();
  await expect(dialog.getByText(/can still be refunded/).last()).toBeVisible();
  await shot(page, 'refund-too-much');
  await dialog.getByLabel(/^Refund amount/).fill('10.00');
  await dialog.getByLabel('Email the refund receipt to').fill('payer@example.com');
  await dialog.getByRole('button', { name: 'Refund', exact: true }).click();
  await expect(dialog.getByText('$10.00 refunded')).toBeVisible();
  const ref1 = (await dialog.getByTestId('refund-reference').innerText()).trim();
  expect(ref1).toMatch(/^RFD-[0-9A-Z]{5}-[0-9A-Z]{5}$/);
  await shot(page, 'refund-one');
  // The refund receipt prints alone (not the payment receipt).
  await page.evaluate(() => (document.body.dataset.print = 'refund'));
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByTestId('refund-receipt')).toBeVisible();
  await expect(page.getByTestId('refund-receipt')).toContainText(ref1);
  await expect(page.getByTestId('receipt')).toBeHidden();
  await shot(page, 'refund-receipt-print');
  await page.emulateMedia({ media: 'screen' });
  await page.evaluate(() => delete document.body.dataset.print);
  await dialog.getByRole('button', { name: 'Done' }).click();

  // Part two: the rest (the amount offered is what is left).
  await page.getByRole('button', { name: 'Refund…' }).click();
  await expect(dialog.getByLabel(/^Refund amount/)).toHaveValue(((amount - 1000) / 100).toFixed(2));
  await dialog.getByLabel(/^Reason/).fill('Withdrew from the program');
  await dialog.getByRole('button', { name: 'Refund', exact: true }).click();
  await expect(dialog.getByText(/refunded so far/)).toContainText(`${(amount / 100).toFixed(2)} of`);
  await dialog.getByRole('button', { name: 'Done' }).click();

  // Fully refunded: no more Refund button; both refunds listed; the balance went back up.
  await expect(page.getByRole('button', { name: 'Refund…' })).toHaveCount(0);
  await page.getByRole('button', { name: /^Refunds \(2\)/ }).click();
  const list = page.getByRole('table', { name: 'Refunds' });
  await expect(list.getByRole('row')).toHaveCount(3);
  await expect(list).toContainText(ref1);
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'refunds-list');
  await page.keyboard.press('Escape');
  const balanceAfter = cents(await page.getByText('Account balance now').locator('..').locator('span').last().innerText());
  expect(balanceAfter).toBe(balanceBefore + amount);
});

test('a CSR sets up a recurring payment and cancels it', async ({ page, host }) => {
  await page.goto(host.url);
  await signIn(page, 'csr');
  await openAccount(page, '100040');
  await page.getByRole('tab', { name: 'Recurring payments' }).click();
  await page.getByRole('button', { name: 'Set up recurring payment' }).click();
  const dialog = page.getByRole('dialog', { name: /Set up a recurring payment/ });
  await dialog.getByRole('button', { name: 'Set up recurring payment' }).click();
  await expect(dialog.getByText('Enter an amount.')).toBeVisible();
  await dialog.getByLabel(/^Payment amount/).fill('50.00');
  await dialog.getByLabel('Frequency').selectOption('monthly');
  await shot(page, 'recurring-setup');
  await dialog.getByRole('button', { name: 'Set up recurring payment' }).click();
  await expect(dialog).toBeHidden();

  const card = page.locator('[data-testid^="recurring-"]').first();
  await expect(card).toContainText('$50.00 · Card · Monthly');
  await expect(card).toContainText('Active');
  // Starting tomorrow, its first payment is already Scheduled.
  await expect(card.getByRole('table', { name: 'Payments of this recurring payment' })).toContainText('Scheduled');
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'recurring-active');

  await card.getByRole('button', { name: 'Cancel recurring payment' }).click();
  const confirm = page.getByRole('dialog', { name: 'Cancel recurring payment' });
  await confirm.getByLabel('Reason').fill('Paying by check from now on');
  await confirm.getByRole('button', { name: 'Cancel recurring payment' }).click();
  await expect(card).toContainText('Cancelled');
  await expect(card).toContainText('Paying by check from now on');
  await expect(card.getByRole('table', { name: 'Payments of this recurring payment' })).not.toContainText('Scheduled');
  await shot(page, 'recurring-cancelled');
});

test('gift cards are kept apart; a CSR is refused editing one, an Admin corrects it', async ({ page, host }) => {
  await page.goto(host.url);
  await signIn(page, 'csr');
  await openAccount(page, '100050');
  await page.getByRole('tab', { name: 'Gift Cards & Prepayments' }).click();
  await expect(page.getByText(/Do not post regular credits/)).toBeVisible();
  await page.getByRole('button', { name: 'Add gift card or prepayment' }).click();
  const add = page.getByRole('dialog', { name: 'Add gift card or prepayment' });
  await add.getByLabel(/^Amount/).fill('40.00');
  await add.getByLabel('Public comment').fill('Gift card #5521');
  await add.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(add).toBeHidden();
  await expect(page.getByTestId('gift-cards')).toContainText('Gift card #5521');
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'gift-cards');

  // The history window: a CSR's edit and delete are not offered…
  await page.getByRole('button', { name: 'Gift Cards or Prepayments history' }).click();
  const history = page.getByRole('dialog', { name: /Gift Cards & Prepayments/ });
  await expect(history.getByRole('button', { name: /^Edit Gift card/ })).toBeDisabled();
  await expect(history.getByText('Only an Administrator can edit or delete gift cards and prepayments.')).toBeVisible();
  await shot(page, 'gift-history-csr');
  await page.keyboard.press('Escape');

  // …and core refuses a CSR who asks anyway.
  const [search] = await rpc(page, 'csr', [['payers.search', { query: '100050' }]]);
  const accountId = search.value.accounts.find((a: any) => a.accountNumber === '100050').id;
  const [gifts] = await rpc(page, 'csr', [['credits.listForAccount', { accountId, section: 'gift' }]]);
  const giftId = gifts.value[0].id;
  const [refused] = await rpc(page, 'csr', [['giftCards.edit', { creditId: giftId, amount: '400.00', reason: 'trying' }]]);
  expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  await signOut(page);

  // An Admin corrects it: the old entry stays in the history as corrected.
  await signIn(page, 'admin');
  await openAccount(page, '100050');
  await page.getByRole('tab', { name: 'Gift Cards & Prepayments' }).click();
  await page.getByRole('button', { name: 'Gift Cards or Prepayments history' }).click();
  await history.getByRole('button', { name: 'Edit Gift card of 40.00' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit gift card' });
  await edit.getByLabel(/^Amount/).fill('45.00');
  await edit.getByLabel(/^Reason for the change/).fill('Card was $45');
  await edit.getByRole('button', { name: 'Save correction' }).click();
  await expect(edit).toBeHidden();
  await expect(history.getByTestId('gift-cards')).toContainText('Corrected');
  await expect(history.getByTestId('gift-cards')).toContainText('Card was $45');
  await expect(history.getByTestId('gift-cards')).toContainText('$45.00');
  await shot(page, 'gift-history-admin');
});

test('an Admin manages credit items and payment categories; a used category is retired, not deleted', async ({ page, host }) => {
  await page.goto(host.url);
  await signIn(page, 'admin');
  await page.getByRole('button', { name: 'Credit Items' }).click();
  await page.getByRole('button', { name: 'Add credit item' }).click();
  await page.getByRole('dialog').getByLabel(/^Name/).fill('Sibling discount');
  await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('table', { name: 'Credit items' })).toContainText('Sibling discount');
  await page.getByRole('button', { name: 'Retire Sibling discount' }).click();
  await expect(page.getByRole('table', { name: 'Credit items' }).getByRole('row', { name: /Sibling discount/ })).toContainText('Retired');
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'credit-items');

  await page.getByRole('button', { name: 'Payment Categories' }).click();
  await page.getByRole('button', { name: 'Add category' }).click();
  await page.getByRole('dialog').getByLabel(/^Name/).fill('Tuition');
  await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('table', { name: 'Payment categories' })).toContainText('Tuition');

  // A category payment from the account page.
  await openAccount(page, '100060');
  await page.getByRole('button', { name: 'Category payment' }).click();
  const pay = page.getByRole('dialog', { name: /Category payment/ });
  await pay.getByLabel(/^Category/).selectOption({ label: 'Tuition' });
  await pay.getByLabel(/^Amount/).fill('20.00');
  await pay.getByRole('button', { name: 'Make payment' }).click();
  await expect(pay.getByText('Payment recorded')).toBeVisible();
  await pay.getByRole('button', { name: 'Done' }).click();

  await page.getByRole('button', { name: 'Payment Categories' }).click();
  await page.getByRole('button', { name: 'Delete Tuition' }).click();
  await expect(page.getByRole('alert')).toContainText('1 payment was made toward "Tuition"; deleting it would leave it without a category. Retire it instead.');
  await shot(page, 'category-delete-refused');
  await page.getByRole('button', { name: 'Retire Tuition' }).click();
  await expect(page.getByRole('table', { name: 'Payment categories' }).getByRole('row', { name: /Tuition/ })).toContainText('Retired');
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'categories');
});
