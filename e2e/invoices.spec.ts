import { axeViolations, expect, shot, signIn, test } from './support/host';
import { rpc } from './support/rpc';

// Creates and edits invoices: a ledger of its own.
test.use({ seed: 'demo', ledger: 'invoices' });

test('a supervisor edits an invoice line that a payment was applied to; balance and open charges agree', async ({ page, host }) => {
  await page.goto(host.url);
  await signIn(page, 'supervisor');
  const [divs] = await rpc(page, 'supervisor', [['divisions.list', {}]]);
  const divisionId = divs!.value[0].id;
  const [acct] = await rpc(page, 'supervisor', [['accounts.create', { divisionId, accountNumber: 'INV-E2E', name: 'Ivy Invoice' }]]);
  const accountId = acct!.value.id;
  const r = await rpc(page, 'supervisor', [
    ['invoices.create', { accountId, invoiceNumber: 'E-1', invoiceDate: '2026-11-02', dueDate: '2026-11-02', lines: [{ category: 'Tuition', description: 'Term fee', amount: '100.00' }, { category: 'Fees', description: 'Lab fee', amount: '50.00' }] }],
    ['payments.record', { accountId, amount: '120.00', method: 'cash' }],
  ]);
  expect(r.map((x) => x.ok)).toEqual([true, true]);

  await page.getByTestId('payer-search').fill('INV-E2E');
  await page.getByTestId('accounts-found').getByRole('button', { name: 'INV-E2E', exact: true }).click();
  await expect(page.getByTestId('account-balance')).toHaveText('$30.00');
  const card = page.getByTestId('invoice-E-1').filter({ hasText: 'open' });
  await card.getByRole('button', { name: 'Edit invoice' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit invoice E-1' });
  await dialog.getByLabel('Line 1 amount').fill('80.00');
  await dialog.getByLabel('Line 1 description').fill('Term fee (corrected)');
  await dialog.getByRole('button', { name: 'Add line' }).click();
  await dialog.getByLabel('Line 3 category').fill('Fees');
  await dialog.getByLabel('Line 3 description').fill('Late fee');
  await dialog.getByLabel('Line 3 amount').fill('25.00');
  await dialog.getByRole('button', { name: 'Save invoice' }).click();
  await expect(dialog.getByText('Reason is required.').first()).toBeVisible();
  await dialog.getByLabel('Reason').fill('Fee corrected');
  expect(await axeViolations(page, { all: true })).toEqual([]);
  await shot(page, 'edit-invoice');
  await dialog.getByRole('button', { name: 'Save invoice' }).click();
  await expect(dialog).toBeHidden();
  // 80 + 50 + 25 − 120 paid = 35; the payment is applied again oldest due first.
  await expect(page.getByTestId('account-balance')).toHaveText('$35.00');
  await expect(page.getByTestId('account-open-charges')).toHaveText('$35.00');
  await expect(page.getByTestId('account-unapplied')).toHaveText('$0.00');
  // Open invoices show first; All shows the superseded version too.
  await expect(page.getByTestId('invoice-E-1')).toHaveCount(1);
  await page.locator('label', { hasText: 'All (2)' }).click();
  await expect(page.getByTestId('invoice-E-1')).toHaveCount(2); // the new version and the superseded one
  await shot(page, 'after-edit');

  // Void the late fee.
  await page.getByTestId('invoice-E-1').filter({ hasText: 'Late fee' }).filter({ has: page.getByRole('button', { name: 'Edit invoice' }) }).getByRole('button', { name: 'Edit invoice' }).click();
  await dialog.getByLabel('Void line 3').check();
  await dialog.getByLabel('Reason').fill('Waived');
  await dialog.getByRole('button', { name: 'Save invoice' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('account-balance')).toHaveText('$10.00');
  await expect(page.getByTestId('account-open-charges')).toHaveText('$10.00');
});

test('a supervisor creates an invoice by hand', async ({ page, host }) => {
  await page.goto(host.url);
  await signIn(page, 'supervisor');
  await page.getByTestId('payer-search').fill('INV-E2E');
  await page.getByTestId('accounts-found').getByRole('button', { name: 'INV-E2E', exact: true }).click();
  const before = await page.getByTestId('account-balance').textContent();
  await page.getByRole('button', { name: 'New invoice' }).click();
  const dialog = page.getByRole('dialog', { name: 'New invoice for INV-E2E' });
  await dialog.getByLabel('Invoice number').fill('E-2');
  await dialog.getByLabel('Invoice date').fill('2026-11-20');
  await dialog.getByLabel('Due date').fill('2026-12-20');
  await dialog.getByLabel('Line 1 category').fill('Tuition');
  await dialog.getByLabel('Line 1 description').fill('Winter term');
  await dialog.getByLabel('Line 1 amount').fill('12.5o');
  await dialog.getByRole('button', { name: 'Create invoice' }).click();
  await expect(dialog.getByRole('alert')).toBeVisible();
  await dialog.getByLabel('Line 1 amount').fill('12.50');
  expect(await axeViolations(page, { all: true })).toEqual([]);
  await dialog.getByRole('button', { name: 'Create invoice' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('invoice-E-2')).toContainText('Winter term');
  expect(before).toBe('$10.00');
  await expect(page.getByTestId('account-balance')).toHaveText('$22.50');
  await shot(page, 'new-invoice');
});
