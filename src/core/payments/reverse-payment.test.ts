import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeLedger, manualClock, seedAccount, type TestLedger } from '../../../test/helpers/ledger';
import { deriveId } from '../util/canonical-json';
import { verifyLedger } from '../ledger/checks';

/**
 * Void (payments.delete) and cancel (payments.cancel) share one reversal (reverse-payment.ts). These
 * tests pin what each wrote before the fold: the ids (derived from the command id and a label, so a
 * replayed command writes the same rows), the journal entry's kind, date and amount, the payment's
 * new status and the audit entry.
 */
let t: TestLedger;
beforeEach(async () => {
  t = await makeLedger({ clock: manualClock('2026-03-15T15:00:00Z') });
});
afterEach(async () => t.cleanup());

const lastCommandId = async (name: string) =>
  (await t.core.db.selectFrom('command_log').select('id').where('name', '=', name).orderBy('created_at', 'desc').executeTakeFirstOrThrow()).id;
const entriesOf = (paymentId: string) =>
  t.core.db.selectFrom('account_entries').select(['id', 'kind', 'entry_date', 'amount_cents', 'description']).where('source_id', '=', paymentId).orderBy('created_at').orderBy('id').execute();
const applicationsOf = (paymentId: string) =>
  t.core.db.selectFrom('applications').select(['id', 'charge_line_id', 'amount_cents', 'reverses_id']).where('payment_id', '=', paymentId).orderBy('created_at').orderBy('id').execute();
const auditOf = async (paymentId: string, action: string) => {
  const a = await t.core.db.selectFrom('audit_log').select(['before_json', 'after_json']).where('entity_id', '=', paymentId).where('action', '=', action).executeTakeFirstOrThrow();
  return { before: JSON.parse(a.before_json ?? 'null') as unknown, after: JSON.parse(a.after_json ?? 'null') as unknown };
};
const paymentRow = (id: string) => t.core.db.selectFrom('payments').select(['status', 'void_reason', 'voided_by', 'voided_at']).where('id', '=', id).executeTakeFirstOrThrow();
const linesOf = async (accountId: string) =>
  (await t.core.db.selectFrom('charge_lines').select(['id']).where('account_id', '=', accountId).orderBy('due_date').execute()).map((l) => l.id);

describe('payment reversal: void and cancel write what they wrote before the fold', () => {
  it('void (payments.delete): un-applies by line, posts payment_void on the payment date, status voided', async () => {
    const acct = await seedAccount(t, '9301', [
      { number: 'A', due: '2026-01-01', lines: ['80.00'] },
      { number: 'B', due: '2026-02-01', lines: ['40.00'] },
    ]);
    const p = await t.run(t.csr, 'payments.record', { accountId: acct.id, amount: '100.00', method: 'cash', paymentDate: '2026-03-10' });
    const [lineA, lineB] = await linesOf(acct.id);
    const applied = await applicationsOf(p.id);
    t.clock.set('2026-03-16T09:30:00Z');
    await t.run(t.supervisor, 'payments.delete', { paymentId: p.id, reason: 'Keyed twice' });
    const cmd = await lastCommandId('payments.delete');

    const entries = await entriesOf(p.id);
    expect(entries.slice(1)).toEqual([
      { id: deriveId(cmd, `entry/void/${p.id}`), kind: 'payment_void', entry_date: '2026-03-10', amount_cents: 10000, description: `Payment ${p.reference} deleted: Keyed twice` },
    ]);
    const byLine = new Map(applied.map((a) => [a.charge_line_id, a.id]));
    const sorted = [lineA!, lineB!].sort();
    const amounts = new Map([
      [lineA!, -8000],
      [lineB!, -2000],
    ]);
    expect((await applicationsOf(p.id)).slice(applied.length)).toEqual(
      sorted
        .map((line, n) => ({ id: deriveId(cmd, `application/void/self/${n}`), charge_line_id: line, amount_cents: amounts.get(line), reverses_id: byLine.get(line) }))
        .sort((a, b) => a.id.localeCompare(b.id)),
    );
    expect(await paymentRow(p.id)).toEqual({ status: 'voided', void_reason: 'Keyed twice', voided_by: t.supervisor.userId, voided_at: '2026-03-16T09:30:00.000Z' });
    expect(await auditOf(p.id, 'delete')).toEqual({
      before: { status: 'pending', applications: { [lineA!]: 8000, [lineB!]: 2000 } },
      after: { status: 'voided', void_reason: 'Keyed twice', voided_by: t.supervisor.userId, voided_at: '2026-03-16T09:30:00.000Z', applications: {} },
    });
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });

  it('cancel (payments.cancel): un-applies newest first, posts payment_cancelled today, status cancelled', async () => {
    const acct = await seedAccount(t, '9302', [
      { number: 'A', due: '2026-01-01', lines: ['80.00'] },
      { number: 'B', due: '2026-02-01', lines: ['40.00'] },
    ]);
    const p = await t.run(t.csr, 'payments.record', { accountId: acct.id, amount: '100.00', method: 'cash', paymentDate: '2026-03-10' });
    const [lineA, lineB] = await linesOf(acct.id);
    const applied = await applicationsOf(p.id);
    t.clock.set('2026-03-16T09:30:00Z');
    await t.run(t.csr, 'payments.cancel', { paymentId: p.id, reason: 'Card declined' });
    const cmd = await lastCommandId('payments.cancel');

    expect((await entriesOf(p.id)).slice(1)).toEqual([
      { id: deriveId(cmd, `entry/cancel/${p.id}`), kind: 'payment_cancelled', entry_date: '2026-03-16', amount_cents: 10000, description: `Payment ${p.reference} cancelled: Card declined` },
    ]);
    const byLine = new Map(applied.map((a) => [a.charge_line_id, a.id]));
    // Newest due first: B, then A.
    expect((await applicationsOf(p.id)).slice(applied.length)).toEqual(
      expect.arrayContaining([
        { id: deriveId(cmd, `application/cancel/${p.id}/${lineB}`), charge_line_id: lineB, amount_cents: -2000, reverses_id: byLine.get(lineB!) },
        { id: deriveId(cmd, `application/cancel/${p.id}/${lineA}`), charge_line_id: lineA, amount_cents: -8000, reverses_id: byLine.get(lineA!) },
      ]),
    );
    expect((await applicationsOf(p.id)).length).toBe(applied.length + 2);
    expect(await paymentRow(p.id)).toEqual({ status: 'cancelled', void_reason: 'Card declined', voided_by: t.csr.userId, voided_at: '2026-03-16T09:30:00.000Z' });
    expect(await auditOf(p.id, 'cancel')).toEqual({
      before: { status: 'pending' },
      after: { status: 'cancelled', void_reason: 'Card declined', voided_by: t.csr.userId, voided_at: '2026-03-16T09:30:00.000Z' },
    });
    expect(await verifyLedger(t.core.db)).toEqual([]);
  });
});
