import type { Page } from '@playwright/test';
import { expect, shot, signIn, test } from './support/host';
import { rpc } from './support/rpc';

test.use({ seed: 'demo', ledger: 'corrections' });
test.describe.configure({ mode: 'serial' });

/** Issue 11: an empty deposit deleted then the month closed; a negative batch entry recorded as a returned check. */


const iso = (d: Date) => d.toISOString().slice(0, 10);
const today = new Date();
const monthsAgo = (n: number) => iso(new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - n, 10)));
const lastMonth = monthsAgo(1).slice(0, 7);

async function openDeposit(page: Page, number: string) {
  await page.getByRole('button', { name: 'Accounts Receivable' }).click();
  await page.getByRole('row', { name: new RegExp(number) }).click();
  await expect(page.getByRole('heading', { name: new RegExp(`Deposit ${number}`) })).toBeVisible();
}

test('a stray empty deposit is deleted, then last month closes', async ({ page, host }) => {
  await page.goto(host.url);
  await signIn(page, 'supervisor');
  const [divs] = await rpc(page, 'admin', [['divisions.list', {}]]);
  const north = divs!.value.find((d) => d.name === 'North Clinic')!.id;
  const [stray, second] = await rpc(page, 'supervisor', [
    ['deposits.create', { divisionId: north, depositDate: monthsAgo(1) }],
    ['deposits.create', { divisionId: north, depositDate: monthsAgo(1) }],
  ]);
  expect(stray!.ok && second!.ok).toBe(true);

  await openDeposit(page, stray!.value.number);
  await page.getByTestId('delete-deposit').click();
  const dialog = page.getByRole('dialog', { name: 'Delete empty deposit' });
  await dialog.getByLabel('Reason (optional)').fill('opened by mistake');
  await shot(page, 'delete-empty-deposit');
  await dialog.getByTestId('confirm-delete-deposit').click();
  await expect(page.getByRole('heading', { name: 'Accounts Receivable' })).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(stray!.value.number) })).toHaveCount(0);

  // The second stray one does not block the close either: the preview offers to delete it.
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Periods' }).click();
  const monthLabel = new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${lastMonth}-01T00:00:00Z`));
  await page.getByRole('button', { name: `Close ${monthLabel}` }).click();
  const close = page.getByRole('dialog', { name: `Close ${monthLabel}` });
  await expect(close.getByText(/Open deposits \(1\)/)).toBeVisible();
  await expect(close.getByText(/closing deletes it/)).toBeVisible();
  await expect(close.getByText(/still open in/)).toHaveCount(0);
  await close.getByTestId(`delete-empty-${second!.value.number}`).click();
  await expect(close.getByText(/Open deposits \(0\)/)).toBeVisible();
  await shot(page, 'close-after-empty-deleted');
  await close.getByTestId('confirm-close-month').click();
  await expect(close).toBeHidden();
  await expect(page.getByTestId(`period-${lastMonth}`)).toContainText('Closed');
  await shot(page, 'month-closed');
  const [audit] = await rpc(page, 'admin', [['audit.list', { entity: 'deposit', entityId: stray!.value.id }]]);
  expect(audit!.value.map((a) => a.action)).toContain('delete');
});

test('a negative amount in batch entry is recorded as a returned check against the earlier payment', async ({ page, host }) => {
  await page.goto(host.url);
  await signIn(page, 'supervisor');
  const [divs] = await rpc(page, 'admin', [['divisions.list', {}]]);
  const north = divs!.value.find((d) => d.name === 'North Clinic')!.id;
  const [acct] = await rpc(page, 'admin', [['accounts.create', { divisionId: north, accountNumber: 'NSF-1', name: 'Nina Bounce' }]]);
  const accountId = acct!.value.id;
  const t = iso(today);
  await rpc(page, 'admin', [['invoices.create', { accountId, invoiceNumber: 'NSF-A', invoiceDate: t, dueDate: t, lines: [{ category: 'Tuition', description: 'Tuition', amount: '100.00' }] }]]);
  const [first] = await rpc(page, 'supervisor', [['deposits.create', { divisionId: north }]]);
  const [paid] = await rpc(page, 'supervisor', [['deposits.enterPayment', { depositId: first!.value.id, accountId, amount: '100.00', method: 'check', checkNumber: '501' }]]);
  await rpc(page, 'supervisor', [['deposits.complete', { depositId: first!.value.id }]]);
  const [today2] = await rpc(page, 'supervisor', [['deposits.create', { divisionId: north }]]);

  await openDeposit(page, today2!.value.number);
  await page.getByTestId('entry-account').fill('NSF-1');
  await expect(page.getByText('Nina Bounce · balance $0.00')).toBeVisible();
  await page.keyboard.press('Enter');
  await page.keyboard.type('-100.00');
  await page.getByTestId('entry-check').fill('501');
  await page.getByTestId('entry-add').click();

  const chooser = page.getByRole('dialog', { name: /Returned payment: NSF-1/ });
  await expect(chooser.getByRole('table', { name: 'Earlier payments' })).toContainText(paid!.value.reference);
  await expect(chooser.getByRole('table', { name: 'Invoices of the account' })).toContainText('NSF-A');
  await shot(page, 'negative-entry-chooser');
  await chooser.getByTestId(`return-this-${paid!.value.reference}`).click();

  const ret = page.getByRole('dialog', { name: 'Return payment' });
  await expect(ret.getByTestId('return-amount')).toHaveValue('100.00');
  await expect(ret.getByRole('table', { name: 'Invoices of the account' })).toContainText('NSF-A');
  await shot(page, 'negative-entry-return');
  await ret.getByTestId('record-return').click();
  await expect(ret).toBeHidden();
  await expect(page.getByTestId('deposit-payments')).toContainText('Returned payment');
  await expect(page.getByTestId('deposit-payments')).toContainText('-$100.00');
  await shot(page, 'negative-entry-recorded');
  const [dep] = await rpc(page, 'supervisor', [['deposits.get', { depositId: today2!.value.id }]]);
  expect(dep!.value.payments).toEqual([expect.objectContaining({ kind: 'return', amountCents: -10000, relatedPaymentId: paid!.value.id })]);
  const [payer] = await rpc(page, 'supervisor', [['payers.get', { accountId }]]);
  expect(payer!.value.account.balanceCents).toBe(10000);
});
