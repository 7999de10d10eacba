import { axeViolations, expect, shot, signIn, test } from './support/host';

test.use({ seed: 'demo' });

test('the Audit Log verifies the sealed chain when it opens and lists security alerts for Admins', async ({ page, host }) => {
  await page.goto(host.url);
  await signIn(page, 'admin');
  await page.getByRole('button', { name: 'Audit Log' }).click();
  const verified = page.getByTestId('audit-verified');
  await expect(verified).toContainText(/Verified ✓ \d+ entries, sealed with this computer’s audit key/);
  const alerts = page.getByTestId('security-alerts');
  await expect(alerts).toContainText('Security alerts');
  await expect(alerts).toContainText('No open security alerts.');
  expect(await axeViolations(page, { all: true })).toEqual([]);
  await shot(page, 'audit-sealed');
});
