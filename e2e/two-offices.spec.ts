import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type Page } from '@playwright/test';
import { axeViolations, shot, startHost, type Host } from './support/host';
import { startServer } from './support/server';

/**
 * Issue 10 end to end: two offices' browser hosts and a real server. A back-dated payment taken at
 * office B is refused because office A closed the month; office B's clerk sees it in Needs
 * Attention in plain words (kept On Hold, findable by its reference); a supervisor re-dates it into
 * an open month; it arrives at office A as a Pending payment.
 */
const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const test = base;

let server: ChildProcess;
let hostA: Host;
let hostB: Host;
let reference = '';

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const started = await startServer();
  server = started.proc;
  const url = started.url;
  const dirA = mkdtempSync(join(tmpdir(), 'ledgerdesk-e2e-a-'));
  const dirB = mkdtempSync(join(tmpdir(), 'ledgerdesk-e2e-b-'));
  const r = spawnSync(TSX, ['e2e/support/two-offices.ts', url, dirA, dirB], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`two offices: ${r.stderr}${r.stdout}`);
  reference = (JSON.parse(r.stdout.trim().split('\n').pop()!) as { reference: string }).reference;
  hostA = await startHost({ seed: 'empty', dataDir: dirA });
  hostB = await startHost({ seed: 'empty', dataDir: dirB });
});

test.afterAll(() => {
  hostA?.proc.kill('SIGTERM');
  hostB?.proc.kill('SIGTERM');
  server?.kill('SIGTERM');
});

async function signInAs(page: Page, host: Host, username: string, password: string) {
  await page.goto(host.url);
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('user-menu')).toBeVisible();
}

test('a payment refused by the server is kept On Hold, explained, re-dated by a supervisor, and reaches the other office', async ({ browser }) => {
  test.setTimeout(180_000);
  const b = await browser.newPage();
  await signInAs(b, hostB, 'carla', 'csr-password-1');
  // The header says something needs attention; the item says what, for whom, how much and why.
  const badge = b.getByTestId('sync-attention');
  await expect(badge).toBeVisible({ timeout: 30_000 });
  await badge.click();
  const item = b.getByTestId('attention-item');
  await expect(item).toHaveCount(1);
  await expect(item.getByRole('heading')).toHaveText('Payment of $120.00 for 100003 Jane Payer is On Hold');
  await expect(item).toContainText('2026-10 was closed in another office before this reached the server.');
  await expect(item).toContainText(reference);
  await expect(item).not.toContainText('Command');
  await shot(b, 'needs-attention-csr');
  expect(await axeViolations(b)).toEqual([]);
  // A void is explicit: it asks for a reason and says what it will do.
  await item.getByRole('button', { name: 'Void the payment…' }).click();
  await expect(item).toContainText(`Void ${reference} for $120.00?`);
  await item.getByRole('button', { name: 'Back' }).click();

  // A supervisor re-dates it into the open month.
  await b.getByTestId('user-menu').click();
  await b.getByRole('menuitem', { name: 'Sign out' }).click();
  await signInAs(b, hostB, 'sam', 'supervisor-pass-1');
  await b.getByTestId('sync-attention').click();
  const samItem = b.getByTestId('attention-item');
  await samItem.getByRole('button', { name: 'Re-date into an open month' }).click();
  const today = new Date().toISOString().slice(0, 10);
  await samItem.getByLabel('Post it on (a date in an open month)').fill(today);
  await samItem.getByRole('button', { name: 'Post on this date' }).click();
  await expect(b.getByTestId('attention-item')).toHaveCount(0);
  await expect(b.getByText('Nothing needs attention')).toBeVisible();
  await shot(b, 'needs-attention-resolved');

  // Office A sees it, posted and Pending, by its reference.
  const a = await browser.newPage();
  await signInAs(a, hostA, 'sam', 'supervisor-pass-1');
  await a.getByRole('button', { name: 'Payer Support' }).click();
  const search = a.getByTestId('payer-search');
  await expect(async () => {
    await search.fill('');
    await search.fill(reference);
    const row = a.getByTestId('payments-found').getByRole('row', { name: new RegExp(reference) });
    await expect(row).toContainText('Pending', { timeout: 2_000 });
    await expect(row).toContainText('$120.00');
  }).toPass({ timeout: 60_000 });
  await shot(a, 'office-a-sees-it');
});
