import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import * as XLSX from 'xlsx';
import type { Download, Page } from '@playwright/test';
import { join } from 'node:path';
import { axeViolations, expect, shot, signIn, test } from './support/host';
import { rpc } from './support/rpc';

// Its own ledger: the test opens a deposit and cancels a payment (the demo seed has neither).
test.use({ seed: 'demo', ledger: 'reports' });

type Row = (string | number | null)[];
const cents = (v: unknown) => Math.round(Number(String(v ?? '0').replace(/[$,]/g, '')) * 100);
const screenCents = async (page: Page, label: string) => cents((await page.getByTestId(`total-${label}`).innerText()).replace(/[−–]/g, '-'));

/** A downloaded report file as rows (CSV and XLSX read by the same library a spreadsheet user's tools use). */
async function fileRows(d: Download): Promise<{ name: string; sheets: Record<string, Row[]> }> {
  const bytes = readFileSync((await d.path())!);
  const wb = d.suggestedFilename().endsWith('.csv') ? XLSX.read(bytes.toString('utf8').replace(/^\ufeff/, ''), { type: 'string', raw: true }) : XLSX.read(bytes);
  const sheets: Record<string, Row[]> = {};
  for (const n of wb.SheetNames) sheets[n] = XLSX.utils.sheet_to_json<Row>(wb.Sheets[n]!, { header: 1, blankrows: true, defval: null });
  return { name: d.suggestedFilename(), sheets };
}

/** One table of a CSV export: the rows after its title and header, up to the blank line; the last is the total. */
function csvTable(rows: Row[], title: string): { header: string[]; body: Row[]; total: Row } {
  // The last match: the report's own title line comes first and may read the same.
  let at = -1;
  rows.forEach((r, i) => {
    if (r[0] === title && r.slice(1).every((c) => c === null || c === '')) at = i;
  });
  expect(at, `table "${title}" in the CSV`).toBeGreaterThanOrEqual(0);
  const header = rows[at + 1] as string[];
  let end = at + 2;
  while (end < rows.length && rows[end]!.some((c) => c !== null && c !== '')) end++;
  const all = rows.slice(at + 2, end);
  return { header, body: all.slice(0, -1), total: all[all.length - 1]! };
}

/** Sum of a money column of the body equals the total row's, in cents; returns the total. */
function checkColumn(t: { header: string[]; body: Row[]; total: Row }, column: string): number {
  const i = t.header.indexOf(column);
  expect(i, `column "${column}"`).toBeGreaterThanOrEqual(0);
  const sum = t.body.reduce((s, r) => s + cents(r[i]), 0);
  expect(cents(t.total[i])).toBe(sum);
  return sum;
}

async function download(page: Page, button: string): Promise<Download> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  return d;
}

async function openReport(page: Page, title: string, heading: string) {
  await page.getByRole('group', { name: 'Choose a report' }).getByRole('button', { name: title, exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name: heading })).toBeVisible();
  await expect(page.getByTestId('report-totals')).toBeVisible();
}

/** The print view: only the report's title, filters, totals and rows, no app around it. */
async function printShot(page: Page, name: string) {
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByTestId('report-print')).toBeVisible();
  await expect(page.getByTestId('user-menu')).toBeHidden();
  // The first printed page as it looks (a full-page shot of every row would be pages long).
  mkdirSync('e2e/screenshots', { recursive: true });
  await page.screenshot({ path: join('e2e', 'screenshots', `reports-print-${name}.png`) });
  await page.emulateMedia({ media: 'screen' });
}

test('a supervisor filters, exports and prints every report; totals in the files are the screen’s', async ({ page, host }) => {
  test.setTimeout(420_000);
  await page.goto(host.url);
  await signIn(page, 'supervisor');
  // Payments taken today (two checks, a cash payment), put into a deposit; one more cancelled.
  const [found] = await rpc(page, 'supervisor', [['payers.search', { query: '10000', limit: 5 }]]);
  const acct = (found!.value.accounts as { id: string; divisionId: string }[])[0]!;
  const taken = await rpc(page, 'supervisor', [
    ['payments.record', { accountId: acct.id, amount: '101.00', method: 'check', checkNumber: '5501' }],
    ['payments.record', { accountId: acct.id, amount: '202.00', method: 'check', checkNumber: '5502' }],
    ['payments.record', { accountId: acct.id, amount: '33.00', method: 'cash' }],
    ['payments.record', { accountId: acct.id, amount: '9.00', method: 'cash' }],
  ]);
  expect(taken.every((r) => r.ok)).toBe(true);
  const [cancelled] = await rpc(page, 'supervisor', [['payments.cancel', { paymentId: taken[3]!.value.id, reason: 'Entered twice' }]]);
  expect(cancelled!.ok).toBe(true);
  const [dep] = await rpc(page, 'supervisor', [['deposits.create', { divisionId: acct.divisionId }]]);
  const [added] = await rpc(page, 'supervisor', [['deposits.addPayments', { depositId: dep!.value.id, paymentIds: taken.slice(0, 3).map((p) => p.value.id) }]]);
  expect(added!.ok).toBe(true);

  await page.getByRole('button', { name: 'Reports', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Reports');

  // Payments: this month by default; the per-day chart draws bars with the same figures in a table.
  await expect(page.getByRole('heading', { level: 2, name: 'Payments' })).toBeVisible();
  await page.getByLabel('From').fill('2026-01-01');
  await expect(page.getByTestId('report-filter-text')).toContainText('2026 –');
  await expect(page.getByTestId('report-chart').locator('.recharts-bar-rectangle').first()).toBeVisible();
  await expect(page.getByTestId('report-chart-table')).toBeVisible();
  expect(await axeViolations(page, { all: true })).toEqual([]);
  await shot(page, 'payments');
  const allAmount = await screenCents(page, 'Amount');
  // Filter by method: the checks only.
  await page.getByTestId('report-method').click();
  await page.getByRole('option', { name: 'Check' }).click();
  await expect(page.getByTestId('report-filter-text')).toContainText('Check');
  const checkAmount = await screenCents(page, 'Amount');
  expect(checkAmount).toBeGreaterThan(0);
  expect(checkAmount).toBeLessThan(allAmount);
  const csv = await fileRows(await download(page, 'Export CSV'));
  expect(csv.name).toMatch(/^payments-report-\d{4}-\d{2}-\d{2}\.csv$/);
  const sheet = Object.values(csv.sheets)[0]!;
  expect(checkColumn(csvTable(sheet, 'Payments'), 'Amount')).toBe(checkAmount);
  expect(csvTable(sheet, 'Payments').body.every((r) => r[5] === 'Check')).toBe(true);
  const xlsx = await fileRows(await download(page, 'Export XLSX'));
  const pay = xlsx.sheets['Payments']!;
  const amountCol = (pay[0] as string[]).indexOf('Amount');
  const body = pay.slice(1, -1);
  expect(body.reduce((s, r) => s + Math.round(Number(r[amountCol]) * 100), 0)).toBe(checkAmount);
  expect(Math.round(Number(pay[pay.length - 1]![amountCol]) * 100)).toBe(checkAmount);
  await printShot(page, 'payments');
  mkdirSync('test-results', { recursive: true });
  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ format: 'Letter' });
  writeFileSync('test-results/payments-report.pdf', pdf);
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  await page.emulateMedia({ media: 'screen' });

  // Deposits: each deposit with its checks and cash.
  await openReport(page, 'Deposits (daily cash)', 'Deposits (daily cash)');
  await page.getByLabel('From').fill('2026-01-01');
  await expect(page.getByTestId('report-table-deposits').getByRole('row').nth(1)).toBeVisible();
  expect(await axeViolations(page, { all: true })).toEqual([]);
  await shot(page, 'deposits');
  const depFile = Object.values((await fileRows(await download(page, 'Export CSV'))).sheets)[0]!;
  expect(checkColumn(csvTable(depFile, 'Deposits'), 'Deposit total')).toBe(await screenCents(page, 'Total deposited'));
  expect(checkColumn(csvTable(depFile, 'Checks'), 'Amount')).toBe(await screenCents(page, 'Checks'));
  expect(await screenCents(page, 'Checks')).toBe(30_300);
  expect(await screenCents(page, 'Cash')).toBe(3_300);
  expect(checkColumn(csvTable(depFile, 'Cash'), 'Cash')).toBe(await screenCents(page, 'Cash'));
  await printShot(page, 'deposits');

  // Refunds, voids and returns; credits and gift cards; uploads: each filtered, exported, checked.
  for (const [title, heading, table, column, total] of [
    ['Refunds, voids and returns', 'Refunds, voids and returned payments', 'Refunds, voids and returns', 'Amount', 'Amount'],
    ['Credits and gift cards', 'Credits and gift cards', 'Credits, gift cards and prepayments', 'Not yet applied', null],
    ['Uploads', 'Uploads', 'Files imported', 'Net change to balances', 'Net change to balances'],
  ] as const) {
    await openReport(page, title, heading);
    await page.getByLabel('From').fill('2025-01-01');
    await expect(page.getByTestId('report-filter-text')).toContainText('2025');
    expect(await axeViolations(page, { all: true })).toEqual([]);
    await shot(page, title.split(' ')[0]!.replace(/\W/g, '').toLowerCase());
    const rows = Object.values((await fileRows(await download(page, 'Export CSV'))).sheets)[0]!;
    const sum = checkColumn(csvTable(rows, table), column);
    if (title.startsWith('Refunds')) expect(csvTable(rows, table).body.some((r) => r[1] === 'Cancelled payment' && r[8] === 'Sam Supervisor' && r[9] === 'Entered twice')).toBe(true);
    if (total) expect(sum).toBe(await screenCents(page, total));
    const x = await fileRows(await download(page, 'Export XLSX'));
    expect(Object.keys(x.sheets)[0]).toBe('Summary');
  }
  await printShot(page, 'uploads');

  // A/R aging in the report picker: the bucket chart, and the accounts add up to the total of balances.
  await openReport(page, 'A/R Aging', 'A/R Aging');
  await expect(page.getByTestId('report-chart').locator('.recharts-bar-rectangle').first()).toBeVisible();
  expect(await axeViolations(page, { all: true })).toEqual([]);
  await shot(page, 'aging');
  const aging = await fileRows(await download(page, 'Export XLSX'));
  const acc = aging.sheets['Accounts']!;
  const totalCol = (acc[0] as string[]).indexOf('Total (balances)');
  const accSum = acc.slice(1, -1).reduce((s, r) => s + Math.round(Number(r[totalCol]) * 100), 0);
  expect(accSum).toBe(await screenCents(page, 'Total (sum of balances)'));

  // Collections over time: a trend line per week, then per month.
  await openReport(page, 'Collections over time', 'Collections over time');
  await expect(page.getByTestId('report-chart').locator('.recharts-line-curve')).toBeVisible();
  await page.getByTestId('report-every').click();
  await page.getByRole('option', { name: 'Month' }).click();
  await expect(page.getByTestId('report-filter-text')).toContainText('Per month');
  expect(await axeViolations(page, { all: true })).toEqual([]);
  await shot(page, 'collections');
  const col = Object.values((await fileRows(await download(page, 'Export CSV'))).sheets)[0]!;
  expect(checkColumn(csvTable(col, 'Collected per month'), 'Net collected')).toBe(await screenCents(page, 'Net collected'));
  await printShot(page, 'collections');
});

test('A/R Aging has export and print; a CSR sees only their own payments today, and is told so', async ({ page, host }) => {
  await page.goto(host.url);
  await signIn(page, 'supervisor');
  await page.getByRole('button', { name: 'A/R Aging', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('A/R Aging');
  const total = cents((await page.getByTestId('aging').getByRole('row').last().getByRole('cell').nth(7).innerText()).trim());
  const csv = Object.values((await fileRows(await download(page, 'Export CSV'))).sheets)[0]!;
  const byDivision = csvTable(csv, 'Aging by division');
  expect(checkColumn(byDivision, 'Total (balances)')).toBe(total);
  await expect(page.getByRole('button', { name: 'Print' })).toBeVisible();
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByTestId('report-print')).toBeVisible();
  await shot(page, 'aging-page-print');
  await page.emulateMedia({ media: 'screen' });
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();

  await signIn(page, 'csr');
  // Carla takes a payment; her report lists it, and only hers.
  await page.getByTestId('payer-search').fill('100003');
  await page.getByTestId('accounts-found').getByRole('row').nth(1).getByRole('button', { name: /Make payment/i }).click();
  await page.getByTestId('amount').fill('21.50');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Make Payment' }).click();
  await expect(page.getByRole('heading', { name: 'Thanks for the payment!' })).toBeVisible();
  await page.getByRole('button', { name: 'Reports', exact: true }).click();
  await expect(page.getByRole('group', { name: 'Choose a report' }).getByRole('button')).toHaveCount(1);
  await expect(page.getByTestId('report-scope')).toContainText('only the payments you entered today');
  await expect(page.getByLabel('From')).toHaveCount(0);
  expect(await axeViolations(page, { all: true })).toEqual([]);
  await shot(page, 'csr-payments');
  const mine = Object.values((await fileRows(await download(page, 'Export CSV'))).sheets)[0]!;
  const t = csvTable(mine, 'Payments');
  expect(t.body.length).toBeGreaterThan(0);
  expect(t.body.every((r) => r[8] === 'Carla CSR')).toBe(true);
  expect(t.body.some((r) => r[10] === '21.50')).toBe(true);
  expect(checkColumn(t, 'Amount')).toBe(await screenCents(page, 'Amount'));
});

test('report filters live in the address: reload, Back/Forward and a link restore them', async ({ page, host }) => {
  test.setTimeout(180_000);
  await page.goto(host.url);
  await signIn(page, 'supervisor');
  await page.getByRole('button', { name: 'Reports', exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Payments' })).toBeVisible();
  await page.getByLabel('From').fill('2026-01-01');
  await page.getByTestId('report-method').click();
  await page.getByRole('option', { name: 'Check' }).click();
  await page.getByTestId('report-division').click();
  const division = (await page.getByRole('option').nth(1).innerText()).trim();
  await page.getByRole('option', { name: division, exact: true }).click();
  await expect(page).toHaveURL(/#\/reports\?r=payments&from=2026-01-01&division=[^&]+&method=check$/);
  const filterText = page.getByTestId('report-filter-text');
  await expect(filterText).toContainText('Check');
  await expect(filterText).toContainText(division);
  const expected = await filterText.innerText();

  const restored = async () => {
    await expect(page.getByLabel('From')).toHaveValue('2026-01-01');
    await expect(page.getByTestId('report-method')).toHaveValue('Check');
    await expect(page.getByTestId('report-division')).toHaveValue(division);
    await expect(filterText).toHaveText(expected);
  };
  await page.reload();
  await restored();
  // Another screen, then Back: the same filters; Forward and Back again.
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Home' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Home');
  await page.goBack();
  await restored();
  await page.goForward();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Home');
  await page.goBack();
  await restored();

  // A link someone shared: collections per day, cash, all divisions, from June.
  const base = page.url().replace(/#.*$/, '');
  await page.goto(`${base}#/reports?r=collections&from=2026-06-01&division=all&method=cash&every=day`);
  await expect(page.getByRole('heading', { level: 2, name: 'Collections over time' })).toBeVisible();
  await expect(page.getByLabel('From')).toHaveValue('2026-06-01');
  await expect(page.getByTestId('report-every')).toHaveValue('Day');
  await expect(page.getByTestId('report-method')).toHaveValue('Cash');
  await expect(page.getByTestId('report-division')).toHaveValue('All divisions');
  expect(await axeViolations(page, { all: true })).toEqual([]);
  await shot(page, 'filters-from-link');
});
