import { afterEach, describe, expect, it } from 'vitest';
import { makeLedger, seedAccount, type TestLedger } from '../../../test/helpers/ledger';
import { saveProfile } from '../../../test/notifications/fixtures';
import { verifyLedger } from '../ledger/checks';

let t: TestLedger;
afterEach(async () => {
  expect(await verifyLedger(t.core.db)).toEqual([]);
  await t.cleanup();
});

const forAccount = async (accountId: string) => (await t.run(t.supervisor, 'notifications.list', { view: 'all', accountId })).rows as any[];
const pendingOf = async (accountId: string) => (await forAccount(accountId)).filter((n) => n.status === 'queued' || n.status === 'error');
const historyOf = async (id: string) => (await t.run(t.supervisor, 'notifications.get', { notificationId: id })).history as any[];
const fileRows = (accountNumber: string, level: number | null) => [{ row: 2, accountNumber, amountDueCents: 5_000, dueDate: '2026-03-01', level }];

/** Today is 2026-03-15 (the test clock). */
describe('the highest dunning level wins (issue 11, observation 3)', () => {
  it('a Final notice queued by a run stays when a statement file says Level 1 and a payer asks for a notice', async () => {
    t = await makeLedger();
    const a = await seedAccount(t, '349001', [{ number: 'OLD', due: '2025-03-31', lines: ['410.00'] }]); // 349 days overdue
    const profile = await saveProfile(t);
    await t.run(t.supervisor, 'statements.run', { profileId: profile.id });
    const [final] = await pendingOf(a.id);
    expect(final).toMatchObject({ level: 3, levelName: 'Final notice', status: 'queued' });

    t.clock.advance(60_000);
    const onDemand = await t.run(t.csr, 'notifications.onDemand', { accountId: a.id, profileId: profile.id, channel: 'auto' });
    expect(onDemand.level).toBe(3); // the same level: it replaces the run's notice, never lowers it
    t.clock.advance(120_000);
    const batch = await t.run(t.supervisor, 'statements.uploadFile', { profileId: profile.id, fileName: 'notices.csv', rows: fileRows('349001', 1) });
    expect(batch.notifications).toBe(0);
    expect(batch.issues.map((i: any) => i.message).join(' ')).toContain('Final notice');

    const pending = await pendingOf(a.id);
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ id: onDemand.id, level: 3, levelName: 'Final notice', status: 'queued' });
    const lower = (await forAccount(a.id)).find((n) => n.level === 1)!;
    expect(lower.status).toBe('cancelled');
    const h = await historyOf(lower.id);
    expect(h.at(-1).detail).toMatch(/^Superseded by the Final notice \(level 3\)/);
    // The queued Final notice's history says nothing was taken from it.
    expect((await historyOf(onDemand.id)).map((x) => x.status)).toEqual(['queued']);
  });

  it('a Level 3 from a file stays when a lower file row and an on-demand notice come later', async () => {
    t = await makeLedger();
    const a = await seedAccount(t, '100020', [{ number: 'N', due: '2026-03-05', lines: ['90.00'] }]); // 10 days: level 1 by days
    const profile = await saveProfile(t);
    const first = await t.run(t.supervisor, 'statements.uploadFile', { profileId: profile.id, fileName: 'final.csv', rows: fileRows('100020', 3) });
    expect(first.notifications).toBe(1);
    const [final] = await pendingOf(a.id);
    expect(final.level).toBe(3);

    await t.run(t.supervisor, 'statements.uploadFile', { profileId: profile.id, fileName: 'level1.csv', rows: fileRows('100020', 1) });
    const od = await t.run(t.csr, 'notifications.onDemand', { accountId: a.id, profileId: profile.id, channel: 'auto' });
    expect(od.status).toBe('cancelled');
    const pending = await pendingOf(a.id);
    expect(pending.map((n) => [n.id, n.level, n.status])).toEqual([[final.id, 3, 'queued']]);
    for (const n of (await forAccount(a.id)).filter((x) => x.id !== final.id)) {
      expect(n.status).toBe('cancelled');
      expect((await historyOf(n.id)).at(-1).detail).toContain('Superseded by the Final notice (level 3)');
    }
  });

  it('a higher request still replaces a lower queued one', async () => {
    t = await makeLedger();
    const a = await seedAccount(t, '100021', [{ number: 'N', due: '2026-03-05', lines: ['90.00'] }]);
    const profile = await saveProfile(t);
    await t.run(t.supervisor, 'statements.uploadFile', { profileId: profile.id, fileName: 'l1.csv', rows: fileRows('100021', 1) });
    await t.run(t.supervisor, 'statements.uploadFile', { profileId: profile.id, fileName: 'l2.csv', rows: fileRows('100021', 2) });
    const pending = await pendingOf(a.id);
    expect(pending.map((n) => n.level)).toEqual([2]);
  });
});
