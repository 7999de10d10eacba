import { axeViolations, expect, shot, signIn, signOut, test } from './support/host';
import { rpc } from './support/rpc';

test.use({ seed: 'demo' });
test.describe.configure({ mode: 'serial' });


const iso = (d: Date) => d.toISOString().slice(0, 10);
const today = new Date();
const monthsAgo = (n: number) => iso(new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - n, 10)));
const lastMonth = monthsAgo(1).slice(0, 7);

let north = '';

test('a supervisor builds a deposit by keyboard, completes, reopens, moves an application, completes again', async ({ page, host }) => {
  await page.goto(host.url);
  await signIn(page, 'supervisor');
  // Known payers for this spec, made through the router as the admin.
  const [divs] = await rpc(page, 'admin', [['divisions.list', {}]]);
  north = divs!.value.find((d) => d.name === 'North Clinic')!.id;
  const made = await rpc(page, 'admin', [
    ['accounts.create', { divisionId: north, accountNumber: 'E2E-1', name: 'Erin Keyboard' }],
    ['accounts.create', { divisionId: north, accountNumber: 'E2E-2', name: 'Frank Cash' }],
    ['accounts.create', { divisionId: north, accountNumber: 'E2E-3', name: 'Gail Credit' }],
  ]);
  const [e1, e2] = made.map((r) => r.value.id);
  const inv = await rpc(page, 'admin', [
    ['invoices.create', { accountId: e1, invoiceNumber: 'E1-A', invoiceDate: monthsAgo(2), dueDate: monthsAgo(2), lines: [{ category: 'Tuition', description: 'Tuition A', amount: '100.00' }] }],
    ['invoices.create', { accountId: e1, invoiceNumber: 'E1-B', invoiceDate: monthsAgo(1), dueDate: monthsAgo(1), lines: [{ category: 'Tuition', description: 'Tuition B', amount: '50.00' }] }],
    ['invoices.create', { accountId: e2, invoiceNumber: 'E2-A', invoiceDate: monthsAgo(2), dueDate: monthsAgo(2), lines: [{ category: 'Tuition', description: 'Tuition', amount: '40.00' }] }],
    ['invoices.create', { accountId: e2, invoiceNumber: 'E2-B', invoiceDate: monthsAgo(1), dueDate: monthsAgo(1), lines: [{ category: 'Meals', description: 'Meals', amount: '60.00' }] }],
  ]);
  expect(inv.every((r) => r.ok)).toBe(true);

  await page.getByRole('button', { name: 'Accounts Receivable' }).click();
  await expect(page.getByRole('heading', { name: 'Accounts Receivable' })).toBeVisible();
  await shot(page, 'deposit-list-empty');
  await page.getByTestId('new-deposit').click();
  const dialog = page.getByRole('dialog', { name: 'New Deposit' });
  await dialog.getByRole('textbox', { name: 'Division' }).click();
  await page.getByRole('option', { name: 'North Clinic' }).click();
  await dialog.getByLabel('Control total').fill('200.00');
  await dialog.getByLabel('Bank account').fill('First Bank ••1234');
  await shot(page, 'new-deposit');
  await dialog.getByRole('button', { name: 'Create deposit' }).click();
  await expect(page.getByRole('heading', { name: /^Deposit DEP-/ })).toBeVisible();

  // Batch entry by keyboard only: account, Enter, amount, Tab, method, Tab, check number, Enter.
  const account = page.getByTestId('entry-account');
  await expect(account).toBeFocused();
  await page.keyboard.type('E2E-1');
  await expect(page.getByText('Erin Keyboard · balance $150.00')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('entry-amount')).toBeFocused();
  await page.keyboard.type('125.00');
  await page.keyboard.press('Tab'); // method: Check
  await page.keyboard.press('Tab');
  await page.keyboard.type('4471');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('deposit-payments')).toContainText('Erin Keyboard');
  await expect(account).toBeFocused();

  await page.keyboard.type('E2E-2');
  await expect(page.getByText('Frank Cash · balance $100.00')).toBeVisible();
  await page.keyboard.press('Enter');
  await page.keyboard.type('40');
  await page.keyboard.press('Tab');
  await page.getByTestId('entry-method').selectOption('cash'); // the focused select; keyboard arrows behave per platform
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('deposit-payments')).toContainText('Frank Cash');

  await page.keyboard.type('E2E-3');
  await expect(page.getByText('Gail Credit · balance $0.00')).toBeVisible();
  await page.keyboard.press('Enter');
  await page.keyboard.type('30.00');
  await page.keyboard.press('Tab');
  await page.getByTestId('entry-method').selectOption('cash');
  await page.keyboard.press('Tab'); // the check number is disabled for cash: straight to Add
  await expect(page.getByTestId('entry-add')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('deposit-payments')).toContainText('Gail Credit');
  await expect(page.getByTestId('deposit-total')).toHaveText('$195.00');
  await expect(page.getByTestId('running-total')).toContainText('$5.00 to go');
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'batch-entry');

  // The control total does not match: Complete is refused with the reason.
  await page.getByTestId('complete-deposit').click();
  await expect(page.getByText('The payments add up to $195.00 but the control total is $200.00 (off by -$5.00).')).toBeVisible();
  await shot(page, 'control-total-mismatch');
  await page.getByTestId('control-total').fill('195.00');
  await page.getByTestId('control-total').press('Enter');
  await expect(page.getByTestId('deposit-difference')).toHaveText('$0.00');
  await page.getByTestId('complete-deposit').click();
  await expect(page.getByText('This deposit is closed and read-only.')).toBeVisible();
  await expect(page.getByTestId('deposit-payments')).toContainText('Deposited');
  await expect(page.getByTestId('entry-account')).toHaveCount(0);
  await shot(page, 'deposit-closed');

  // The slip for the bank: checks with numbers, cash total, grand total.
  await page.emulateMedia({ media: 'print' });
  const slip = page.getByTestId('deposit-slip');
  await expect(slip).toBeVisible();
  await expect(slip).toContainText('4471');
  await expect(slip).toContainText('Cash (2)$70.00');
  await expect(slip).toContainText('Grand total$195.00');
  await shot(page, 'deposit-slip-print');
  await page.emulateMedia({ media: 'screen' });

  // Reopen, move $25 of the check from invoice E1-A to E1-B, complete again.
  await page.getByTestId('reopen-deposit').click();
  await page.getByRole('dialog', { name: 'Reopen Deposit' }).getByLabel('Reason (optional)').fill('move an application');
  await page.getByTestId('confirm-reopen').click();
  await expect(page.getByTestId('complete-deposit')).toBeVisible();
  await page.getByTestId('deposit-payments').getByRole('row', { name: /Erin Keyboard/ }).click();
  const details = page.getByRole('dialog', { name: 'Payment Details' });
  await expect(details.getByTestId('apply-E1-A-1')).toHaveValue('100.00');
  await expect(details.getByTestId('apply-E1-B-1')).toHaveValue('25.00');
  await details.getByTestId('apply-E1-A-1').fill('75.00');
  await details.getByTestId('apply-E1-B-1').fill('50.00');
  await details.getByTestId('apply-E1-B-1').press('Enter');
  await expect(details.getByTestId('apply-E1-A-1')).toHaveValue('75.00');
  await expect(details.getByTestId('details-unapplied')).toHaveText('$0.00');
  // Over-applying is refused by core with a reason.
  await details.getByTestId('apply-E1-A-1').fill('100.00');
  await details.getByRole('button', { name: 'Save applications' }).click();
  await expect(details.getByText(/more than the payment/)).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'payment-details');
  await details.getByRole('button', { name: 'Unapply' }).click();
  await expect(details.getByTestId('details-unapplied')).toHaveText('$125.00');
  await details.getByTestId('apply-E1-A-1').fill('75.00');
  await details.getByTestId('apply-E1-B-1').fill('50.00');
  await details.getByRole('button', { name: 'Save applications' }).click();
  await expect(details.getByTestId('details-unapplied')).toHaveText('$0.00');
  await page.keyboard.press('Escape');
  await page.getByTestId('complete-deposit').click();
  await expect(page.getByText('This deposit is closed and read-only.')).toBeVisible();
  await shot(page, 'deposit-completed-again');
});

test('a supervisor records a returned check against a paid invoice and the balance comes back; transfers a credit', async ({ page, host }) => {
  await page.goto(host.url);
  await signIn(page, 'supervisor');
  await page.getByRole('button', { name: 'Accounts Receivable' }).click();
  // The list says how many deposits it holds, so a long list is never silently cut.
  await expect(page.getByTestId('deposits-count')).toHaveText(/^[1-9]\d* deposits?$/);
  await page.getByTestId('deposits').getByRole('row').nth(1).click();
  await page.getByTestId('deposit-payments').getByRole('row', { name: /Erin Keyboard/ }).click();
  const details = page.getByRole('dialog', { name: 'Payment Details' });
  await expect(details.getByText(/is closed: reopen the deposit first/)).toBeVisible();
  await details.getByRole('button', { name: 'Return payment…' }).click();
  const ret = page.getByRole('dialog', { name: 'Return payment' });
  await expect(ret.getByTestId('return-amount')).toHaveValue('125.00');
  await ret.getByLabel('Note').fill('NSF notice from bank');
  await ret.getByTestId('return-fee').fill('25.00');
  await ret.getByText('Choose charge lines').click();
  await expect(ret.getByRole('table', { name: 'Invoices of the account' })).toContainText('E1-A'); // paid in full, still shown
  await shot(page, 'return-payment');
  await ret.getByTestId('record-return').click();
  await expect(ret).toBeHidden();
  await page.keyboard.press('Escape');
  // The closing dialog hands focus back to the row it came from: wait for that before opening the finder.
  await expect(details).toBeHidden();

  // The balance is back: $150 charged, the $125 check returned, a $25 fee.
  await page.keyboard.press('Control+K');
  // Type only once the finder's field has focus (keys pressed before that go elsewhere).
  await expect(page.getByRole('dialog', { name: 'Find a payer' }).getByRole('textbox')).toBeFocused();
  await page.keyboard.type('Erin Keyboard');
  await expect(page.getByRole('dialog', { name: 'Find a payer' }).getByRole('option').first()).toContainText('E2E-1');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('account-balance')).toHaveText('$175.00');
  await expect(page.getByTestId('invoice-E1-A')).toContainText('$100.00');
  await shot(page, 'returned-check-balance');

  // Transfer Gail's $30 credit to Frank, in a new deposit.
  await page.getByRole('button', { name: 'Accounts Receivable' }).click();
  await page.getByTestId('new-deposit').click();
  const dialog = page.getByRole('dialog', { name: 'New Deposit' });
  await dialog.getByRole('textbox', { name: 'Division' }).click();
  await page.getByRole('option', { name: 'North Clinic' }).click();
  await dialog.getByRole('button', { name: 'Create deposit' }).click();
  await page.getByRole('button', { name: 'Transfer credit…' }).click();
  const tr = page.getByRole('dialog', { name: 'Transfer credit' });
  await tr.getByTestId('transfer-from').fill('E2E-3');
  await expect(tr.getByText('Gail Credit · balance -$30.00')).toBeVisible();
  await tr.getByTestId('transfer-to').fill('E2E-2');
  await expect(tr.getByText('Frank Cash · balance $60.00')).toBeVisible();
  await tr.getByTestId('transfer-amount').fill('30.01');
  await tr.getByTestId('transfer-submit').click();
  await expect(tr.getByText('Account E2E-3 has only $30.00 of credit to transfer.')).toBeVisible();
  await tr.getByTestId('transfer-amount').fill('30.00');
  await shot(page, 'transfer-credit');
  await tr.getByTestId('transfer-submit').click();
  await expect(tr).toBeHidden();
  const rows = page.getByTestId('deposit-payments');
  await expect(rows).toContainText('Credit transfer (out)');
  await expect(rows).toContainText('Credit transfer (in)');
  await expect(page.getByTestId('deposit-total')).toHaveText('$0.00');
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'transfer-in-deposit');
  await page.getByTestId('complete-deposit').click();
  await expect(page.getByText('This deposit is closed and read-only.')).toBeVisible();
});

test('closing last month shows what is open, then a back-dated payment is refused; reopening needs an admin and a reason', async ({ page, host }) => {
  await page.goto(host.url);
  await signIn(page, 'supervisor');
  await page.getByRole('button', { name: 'A/R Aging', exact: true }).click();
  await expect(page.getByRole('table', { name: 'Aging by division' })).toContainText('North Clinic');
  await page.getByRole('button', { name: /North Clinic 90\+ days accounts/ }).click();
  await expect(page.getByTestId('aging-accounts').getByRole('row').nth(1)).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'aging');

  await page.getByRole('button', { name: 'Periods', exact: true }).click();
  const monthLabel = new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${lastMonth}-01T00:00:00Z`));
  await page.getByRole('button', { name: `Close ${monthLabel}` }).click();
  const close = page.getByRole('dialog', { name: `Close ${monthLabel}` });
  await expect(close.getByText(/Open deposits \(0\)/)).toBeVisible();
  await expect(close.getByText(/Pending payments not in any deposit/)).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'close-month-preview');
  await close.getByTestId('confirm-close-month').click();
  await expect(close).toBeHidden();
  await expect(page.getByTestId(`period-${lastMonth}`)).toContainText('Closed');
  await expect(page.getByTestId(`period-${lastMonth}`)).toContainText('Sam Supervisor');
  await expect(page.getByRole('button', { name: `Reopen ${monthLabel}` })).toHaveCount(0); // admins only
  await shot(page, 'periods');

  // A back-dated payment is refused, in the UI (Make Payment) and through the router.
  await page.getByRole('button', { name: /Find payer/ }).click();
  const find = page.getByRole('dialog', { name: 'Find a payer' });
  await expect(find.getByRole('textbox')).toBeFocused();
  await page.keyboard.type('Frank Cash');
  await expect(find.getByRole('option').first()).toContainText('E2E-2');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Make Payment' }).click();
  await page.getByTestId('amount').fill('10.00');
  await page.getByLabel('Payment date').fill(`${lastMonth}-15`);
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.getByRole('button', { name: 'Make Payment' }).click();
  await expect(page.getByText(`${lastMonth} is closed: nothing dated in it can be posted or changed.`).first()).toBeVisible();
  await shot(page, 'back-dated-refused');
  const [accts] = await rpc(page, 'supervisor', [['payers.search', { query: 'E2E-2' }]]);
  const [refused] = await rpc(page, 'supervisor', [['payments.record', { accountId: accts!.value.accounts[0].id, amount: '5.00', method: 'cash', paymentDate: `${lastMonth}-20` }]]);
  expect(refused!.error!.code).toBe('PERIOD_CLOSED');
  const [supReopen] = await rpc(page, 'supervisor', [['periods.reopen', { period: lastMonth, reason: 'fix' }]]);
  expect(supReopen!.error!.code).toBe('FORBIDDEN');
  await signOut(page);

  await signIn(page, 'admin');
  await page.getByRole('button', { name: 'Periods', exact: true }).click();
  await page.getByRole('button', { name: `Reopen ${monthLabel}` }).click();
  const reopen = page.getByRole('dialog', { name: `Reopen ${monthLabel}` });
  await reopen.getByRole('button', { name: 'Reopen month' }).click();
  await expect(reopen.getByText('Reason is required.')).toBeVisible();
  await reopen.getByLabel(/^Reason/).fill('bank correction');
  await reopen.getByRole('button', { name: 'Reopen month' }).click();
  await expect(page.getByTestId(`period-${lastMonth}`)).toContainText('bank correction');
  await shot(page, 'period-reopened');
});

test('a CSR calling reopen, delete or close through the router is refused, and sees no deposit screens', async ({ page, host }) => {
  await page.goto(host.url);
  await signIn(page, 'supervisor');
  const [list] = await rpc(page, 'supervisor', [['deposits.list', { status: 'closed' }]]);
  const dep = list!.value[0];
  const [detail] = await rpc(page, 'supervisor', [['deposits.get', { depositId: dep.id }]]);
  const paymentId = detail!.value.payments[0].id;
  await signOut(page);
  await signIn(page, 'csr');
  await expect(page.getByRole('button', { name: 'Accounts Receivable' })).toHaveCount(0);
  const results = await rpc(page, 'csr', [
    ['deposits.reopen', { depositId: dep.id }],
    ['payments.delete', { paymentId, reason: 'try' }],
    ['periods.close', { period: lastMonth }],
    ['deposits.list', {}],
  ]);
  expect(results.map((r) => r.error?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
  const [after] = await rpc(page, 'supervisor', [['deposits.get', { depositId: dep.id }]]);
  expect(after!.value.status).toBe('closed');
});
