import { afterEach, describe, expect, it } from 'vitest';
import { makeLedger, seedAccount, type TestLedger } from '../../../test/helpers/ledger';
import { saveProfile } from '../../../test/notifications/fixtures';
import { verifyLedger } from '../ledger/checks';

let t: TestLedger;
afterEach(async () => {
  expect(await verifyLedger(t.core.db)).toEqual([]);
  await t.cleanup();
});

const forAccount = async (accountId: string) => (await t.run(t.supervisor, 'notifications.list', { view: 'all', accountId })).rows;
const pendingOf = async (accountId: string) => (await forAccount(accountId)).filter((n) => n.status === 'queued' || n.status === 'error');
const historyOf = async (id: string) => (await t.run(t.supervisor, 'notifications.get', { notificationId: id })).history;
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
    expect(batch.issues.map((i) => i.message).join(' ')).toContain('Final notice');

    const pending = await pendingOf(a.id);
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ id: onDemand.id, level: 3, levelName: 'Final notice', status: 'queued' });
    const lower = (await forAccount(a.id)).find((n) => n.level === 1)!;
    expect(lower.status).toBe('cancelled');
    const h = await historyOf(lower.id);
    expect(h.at(-1)!.detail).toMatch(/^Superseded by the Final notice \(level 3\)/);
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
      expect((await historyOf(n.id)).at(-1)!.detail).toContain('Superseded by the Final notice (level 3)');
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

  it('"Run statements" previews how many of each level it will queue, counting accounts a higher level keeps', async () => {
    t = await makeLedger();
    await seedAccount(t, '300001', [{ number: 'A', due: '2025-03-31', lines: ['410.00'] }]); // level 3
    await seedAccount(t, '300002', [{ number: 'B', due: '2026-03-01', lines: ['20.00'] }]); // level 1
    const c = await seedAccount(t, '300003', [{ number: 'C', due: '2026-03-05', lines: ['30.00'] }]); // level 1, but a Final notice queued
    const profile = await saveProfile(t);
    await t.run(t.supervisor, 'statements.uploadFile', { profileId: profile.id, fileName: 'final.csv', rows: fileRows('300003', 3) });
    const p = await t.run(t.supervisor, 'statements.previewRun', { profileId: profile.id });
    expect(p.levels.map((l) => [l.level, l.count])).toEqual([[1, 1], [2, 0], [3, 1]]);
    expect([p.toQueue, p.higherQueued, p.alreadyNotified, p.optedOut]).toEqual([2, 1, 0, 0]);
    // Nothing was queued by the preview; the run then queues exactly that.
    expect((await t.run(t.supervisor, 'notifications.list', { view: 'all' })).total).toBe(1);
    const batch = await t.run(t.supervisor, 'statements.run', { profileId: profile.id });
    expect(batch.notifications).toBe(2);
    expect((await pendingOf(c.id)).map((n) => n.level)).toEqual([3]);
    const again = await t.run(t.supervisor, 'statements.previewRun', { profileId: profile.id });
    expect([again.toQueue, again.alreadyNotified, again.higherQueued]).toEqual([0, 2, 1]);
  });

  it('the queue can be searched by account and filtered by level and status', async () => {
    t = await makeLedger();
    await seedAccount(t, '400001', [{ number: 'A', due: '2025-03-31', lines: ['410.00'] }], 'Quinn Zephyr');
    await seedAccount(t, '400002', [{ number: 'B', due: '2026-03-01', lines: ['20.00'] }], 'Rita Young');
    const profile = await saveProfile(t);
    await t.run(t.supervisor, 'statements.run', { profileId: profile.id });
    await t.run(t.supervisor, 'statements.uploadFile', { profileId: profile.id, fileName: 'l1.csv', rows: fileRows('400001', 1) });
    const list = (f: Record<string, unknown>) => t.run(t.supervisor, 'notifications.list', { view: 'all', ...f });
    expect((await list({ search: '400001' })).rows.map((r) => r.accountNumber)).toEqual(['400001', '400001']);
    expect((await list({ search: 'zeph' })).total).toBe(2);
    expect((await list({ search: '4000' })).total).toBe(3);
    expect((await list({ level: 3 })).rows.map((r) => [r.accountNumber, r.status])).toEqual([['400001', 'queued']]);
    expect((await list({ status: 'cancelled' })).rows.map((r) => [r.accountNumber, r.level])).toEqual([['400001', 1]]);
    expect((await list({ search: '400001', level: 1, status: 'queued' })).total).toBe(0);
    expect((await list({ search: '%' })).total).toBe(0);
  });
});
