import { readFileSync } from 'node:fs';
import * as XLSX from 'xlsx';
import { axeViolations, expect, shot, signIn, test } from './support/host';

test.use({ seed: 'demo' });

test('the audit log reads in plain words, filters by record, and exports', async ({ page, host }) => {
  await page.goto(host.url);
  await signIn(page, 'admin');
  // A payment to find in the log.
  await page.getByTestId('payer-search').fill('100004');
  await page.getByTestId('accounts-found').getByRole('row').nth(1).getByRole('button', { name: /Make payment/i }).click();
  await page.getByTestId('amount').fill('33.00');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Make Payment' }).click();
  const reference = (await page.getByTestId('payment-reference').innerText()).trim();

  await page.getByRole('button', { name: 'Audit Log' }).click();
  await page.getByTestId('audit-record').fill(reference);
  const log = page.getByTestId('audit-log');
  await expect(log.getByRole('row').nth(1)).toContainText(`admin created payment ${reference}`);
  await expect(log.getByRole('row').nth(1)).toContainText('$33.00');
  await expect(log).not.toContainText('{"');
  expect(await axeViolations(page, { all: true })).toEqual([]);
  await shot(page, 'audit-filtered');

  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  const text = readFileSync((await csv.path())!, 'utf8');
  expect(text.split('\r\n')[0]).toContain('Description');
  expect(text).toContain(`created payment ${reference}`);
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export XLSX' }).click()]);
  const wb = XLSX.read(readFileSync((await xlsx.path())!));
  const rows = XLSX.utils.sheet_to_json<string[]>(wb.Sheets[wb.SheetNames[0]!]!, { header: 1 });
  expect(rows.some((r) => String(r[6]).includes(reference))).toBe(true);
});
