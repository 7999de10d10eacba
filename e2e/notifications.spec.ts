import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { receivedMails, startSink, type Sink } from '../test/notifications/sink';
import { axeViolations, expect, shot, signIn, test } from './support/host';

test.use({ seed: 'demo', ledger: 'notifications' });
// The two tests share a ledger (the second uses the profile and payer of the first), and the first
// drives two real processes (the SMTP sink and the deliver worker) against the host's SQLite file.
test.describe.configure({ mode: 'serial' });

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

/** The server's sender, run against the host's ledger file as the central server would. */
function deliver(dataDir: string, port: number): Promise<Record<string, unknown>> {
  return new Promise((res, rej) => {
    const args = ['src/server/notifications/deliver-worker.ts', '--db', join(dataDir, 'ledger.sqlite'), '--smtp-host', '127.0.0.1', '--smtp-port', String(port), '--smtp-tls', 'none'];
    const w = spawn(TSX, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    w.stdout.on('data', (d) => (out += String(d)));
    w.stderr.on('data', (d) => (out += String(d)));
    w.on('exit', (code) => (code === 0 ? res(JSON.parse(/DELIVERY (.*)/.exec(out)![1]!)) : rej(new Error(out))));
  });
}

async function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

let sink: Sink | null = null;
/** An account with a balance, found in the first test's batch. */
let owingAccount = '';
test.afterAll(async () => {
  await sink?.stop();
});

test('statement profile with three levels, statement run, queue Queued → Sent, Status History, retry from Errors', async ({ page, host }) => {
  // A safety net, not a speed check: at load 50 on two cores this test ran past 3 minutes once (every step passed).
  test.setTimeout(420_000);
  await page.goto(host.url);
  await signIn(page, 'admin');

  // 1. A statement profile with three dunning levels; an unknown merge field is refused by name.
  await page.getByRole('button', { name: 'Statement Profiles' }).click();
  await expect(page.getByRole('heading', { name: 'Statement Profiles' })).toBeVisible();
  await page.getByRole('button', { name: 'New profile' }).click();
  const dialog = page.getByRole('dialog', { name: 'New statement profile' });
  await dialog.getByLabel(/^Profile name/).fill('Monthly statements');
  await dialog.getByLabel('Send at (time of day)').fill('00:00');
  await dialog.getByRole('button', { name: 'Add level' }).click();
  await dialog.getByRole('button', { name: 'Add level' }).click();
  await expect(dialog.getByRole('button', { name: /Level 3: Final notice · 60 days after the due date/ })).toBeVisible();
  await dialog.getByLabel('Level 1 email subject').fill('Statement for {{payer_nmae}}');
  await dialog.getByRole('button', { name: 'Save profile' }).click();
  await expect(dialog.getByRole('alert')).toContainText('Level 1 (Statement) email subject: unknown merge field {{payer_nmae}}.');
  await shot(page, 'unknown-merge-field');
  await dialog.getByLabel('Level 1 email subject').fill('Statement for {{payer_name}}: {{amount_due}}');
  await dialog.getByRole('button', { name: /Level 2: Reminder/ }).click();
  await expect(dialog.getByLabel('Level 2 email subject')).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'profile-editor');
  await dialog.getByRole('button', { name: 'Save profile' }).click();
  await expect(dialog).toBeHidden();
  const profiles = page.getByRole('table', { name: 'Statement profiles' });
  await expect(profiles).toContainText('Statement → Reminder → Final notice');
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'profiles');

  // 2. Run statements.
  await page.getByRole('button', { name: 'Statements', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Statements', exact: true })).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
  // It asks first: how many of each level it will queue.
  await page.getByRole('button', { name: 'Run statements…' }).click();
  const runPreview = page.getByTestId('run-preview');
  await expect(runPreview).toContainText('Level 3 Final notice:');
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'run-preview');
  await runPreview.getByRole('button', { name: /^Queue [\d,]+ notification/ }).click();
  await expect(page.getByRole('heading', { name: /^Statement batch STB-/ })).toBeVisible();
  const count = Number((await page.getByTestId('batch-statements').innerText()).replace(/,/g, ''));
  expect(count).toBeGreaterThan(10);
  await expect(page.getByRole('table', { name: 'Statements' })).toContainText('Queued');
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'batch');

  // 3. The batch's notifications: all Queued.
  await page.getByRole('button', { name: 'Notifications', exact: true }).click();
  const queue = page.getByTestId('queue-counts');
  await expect(queue).toContainText(`Queued: ${count}`);
  await expect(page.getByRole('table', { name: 'Notification queue' })).toContainText('Final notice');
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'queue-queued');

  // 4. The server's sender finds no SMTP server: the first goes to Error (retryable), the run stops.
  const dead = await freePort();
  const r1 = await deliver(host.dataDir, dead);
  expect(r1.retryable).toBe(1);
  expect(r1.stoppedBecause).toBeTruthy();
  await expect(queue).toContainText('Error: 1', { timeout: 10_000 });
  await page.locator('label', { hasText: /^Errors/ }).click();
  const errors = page.getByRole('table', { name: 'Notification errors' });
  await expect(errors).toContainText('The mail server is unavailable');
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'errors-view');

  // 5. Retry it from the Errors view: open its Status History there and press Retry.
  sink = await startSink(mkdtempSync(join(tmpdir(), 'ledgerdesk-mail-')));
  await errors.getByRole('button', { name: 'History' }).first().click();
  const modal = page.getByRole('dialog');
  const history = modal.getByRole('table', { name: 'Status History' });
  await expect(history).toContainText('Error (retryable), attempt 1: The mail server is unavailable');
  await modal.getByRole('button', { name: 'Retry' }).click();
  await expect(history).toContainText('Queued again: retry requested.');

  // 6. The sender runs with the SMTP server up: everything goes out, the retried one too.
  const r2 = await deliver(host.dataDir, sink.port);
  expect(r2.sent, JSON.stringify(r2)).toBe(count);
  await expect(history.getByRole('row')).toHaveCount(7, { timeout: 10_000 }); // header + Queued, Sending, Error, Queued, Sending, Sent
  await expect(history.getByRole('row').nth(6)).toContainText(/Sent to .+ attempt 2, with the statement PDF attached/);
  await expect(history).toContainText('Monthly statements v1 · level');
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'status-history');
  await modal.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByText('No errors.')).toBeVisible();

  await page.locator('label', { hasText: /^All notifications$/ }).click();
  await expect(queue).toContainText(`Sent: ${count}`, { timeout: 10_000 });
  await expect(queue).not.toContainText('Queued');
  await expect(page.getByRole('table', { name: 'Notification queue' })).toContainText('Sent');
  await shot(page, 'queue-sent');
  owingAccount = (await page.getByRole('table', { name: 'Notification queue' }).getByRole('row').nth(1).getByRole('cell').first().innerText()).split(' · ')[0]!.trim();
  const mails = receivedMails(sink.dir);
  expect(mails).toHaveLength(count);
  expect(new Set(mails.map((m) => m.messageId)).size).toBe(count);
  expect(mails[0]!.attachments[0]!.contentType).toBe('application/pdf');
});

test('on demand: a CSR sends one payer their statement from the account page', async ({ page, host }) => {
  await page.goto(host.url);
  await signIn(page, 'csr');
  expect(owingAccount).not.toBe('');
  await page.getByTestId('payer-search').fill(owingAccount);
  const row = page.getByTestId('accounts-found').getByRole('row').filter({ hasText: owingAccount }).first();
  await row.getByRole('cell').first().click();
  await expect(page.getByTestId('account-balance')).toBeVisible();
  await page.getByRole('button', { name: 'Send statement' }).click();
  const dialog = page.getByRole('dialog', { name: /Send a statement to/ });
  await expect(dialog.getByRole('textbox', { name: 'Statement profile' })).toHaveValue('Monthly statements');
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'on-demand');
  await dialog.getByRole('button', { name: 'Queue statement now' }).click();
  await expect(page.getByText(/Statement queued/)).toBeVisible();
  void host;
});
