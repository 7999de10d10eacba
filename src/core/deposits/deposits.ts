import { sql } from 'kysely';
import { depositsContract } from '../../shared/contract/deposits';
import { newId, referenceFromId } from '../../shared/ids';
import { formatMoney } from '../../shared/money';
import { fail } from '../../shared/result';
import { SUPERVISORS } from '../../shared/roles';
import { defineCommand, defineQuery, type CommandCtx } from '../commands/types';
import type { DepositsTable } from '../db/schema-deposits';
import { assertPeriodOpen, getActiveAccount } from '../ledger/journal';
import { keepRefusedPayment } from '../payments/keep-payment';
import { assertEntryDate } from '../periods/business-date';
import { insertPayment } from '../payments/record-payment';
import { listDeposits, listUndeposited, loadDepositDetail, loadDepositPayment } from './deposit-views';
import { assertDepositEditable, loadDeposit } from './rules';

/**
 * Deposits: open -> closed (Complete Deposit) -> reopened -> closed. Payments join a deposit from
 * the undeposited list or by batch entry; a closed deposit (and a closed month) refuses every change.
 */

/** Many payment changes at once (a 5,000-payment deposit): one chained audit entry each, in batches. */
export async function auditPayments(ctx: CommandCtx, action: string, ids: string[], before: object, after: object, label: string): Promise<void> {
  await ctx.auditBatch(
    ids.map((id) => ({ action, entity: 'payment', entityId: id, before, after })),
    label,
  );
}

async function depositTotals(ctx: CommandCtx, depositId: string): Promise<{ count: number; total: number }> {
  const r = await ctx.db
    .selectFrom('payments')
    .select([sql<number>`COUNT(*)`.as('n'), sql<number>`COALESCE(SUM(amount_cents), 0)`.as('total')])
    .where('deposit_id', '=', depositId)
    .where('status', 'not in', ['voided', 'cancelled'])
    .executeTakeFirstOrThrow();
  return { count: Number(r.n), total: Number(r.total) };
}

/** Every payment row of the deposit, deleted (voided) ones included: a deposit with any is a record. */
export async function depositRowCount(ctx: Pick<CommandCtx, 'db'>, depositId: string): Promise<number> {
  const r = await ctx.db.selectFrom('payments').select(sql<number>`COUNT(*)`.as('n')).where('deposit_id', '=', depositId).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Removes an open deposit that never held a payment; the audit keeps the whole row. */
export async function deleteEmptyDeposit(ctx: CommandCtx, d: DepositsTable, reason: string | null): Promise<void> {
  if (d.status !== 'open') fail('CONFLICT', `Deposit ${d.number} is closed; only an open, empty deposit can be deleted.`, { field: 'depositId' });
  if ((await depositRowCount(ctx, d.id)) > 0) {
    fail('CONFLICT', `Deposit ${d.number} holds payments (deleted ones stay as records); remove them or complete the deposit instead.`, { field: 'depositId' });
  }
  await ctx.db.deleteFrom('deposits').where('id', '=', d.id).execute();
  await ctx.audit({ action: 'delete', entity: 'deposit', entityId: d.id, before: d, after: { deleted: true, reason } });
  ctx.changed('deposits');
}

export const listDepositsQuery = defineQuery({
  name: 'deposits.list',
  roles: SUPERVISORS,
  input: depositsContract['deposits.list'].input,
  run: ({ db }, i) => listDeposits(db, i),
});

export const getDeposit = defineQuery({
  name: 'deposits.get',
  roles: SUPERVISORS,
  input: depositsContract['deposits.get'].input,
  run: ({ db }, i) => loadDepositDetail(db, i.depositId),
});

export const listUndepositedQuery = defineQuery({
  name: 'deposits.undeposited',
  roles: SUPERVISORS,
  input: depositsContract['deposits.undeposited'].input,
  run: ({ db }, i) => listUndeposited(db, i),
});

export const createDeposit = defineCommand({
  name: 'deposits.create',
  version: 1,
  roles: SUPERVISORS,
  input: depositsContract['deposits.create'].input,
  synced: true,
  prepare: (i) => (i.depositId ? {} : { depositId: newId() }),
  subject: (i) => i.depositId,
  run: async (ctx, i) => {
    const id = i.depositId!;
    const date = i.depositDate ?? ctx.today;
    await assertEntryDate(ctx, date, 'depositDate', i.postDated);
    const div = await ctx.db.selectFrom('divisions').select('id').where('id', '=', i.divisionId).executeTakeFirst();
    if (!div) fail('NOT_FOUND', 'That division does not exist.', { field: 'divisionId' });
    if (await ctx.db.selectFrom('deposits').select('id').where('id', '=', id).executeTakeFirst()) fail('CONFLICT', 'This deposit already exists.', { field: 'depositId' });
    const row: DepositsTable = {
      id,
      number: referenceFromId(id, 'DEP'),
      deposit_date: date,
      division_id: i.divisionId,
      bank_account: i.bankAccount || null,
      control_total_cents: i.controlTotal ?? null,
      status: 'open',
      opened_by: ctx.actor.userId,
      created_at: ctx.now,
      completed_at: null,
      completed_by: null,
      reopened_at: null,
      reopened_by: null,
      reopen_count: 0,
    };
    await ctx.db.insertInto('deposits').values(row).execute();
    await ctx.audit({ action: 'create', entity: 'deposit', entityId: id, after: row });
    ctx.changed('deposits');
    return loadDepositDetail(ctx.db, id);
  },
});

export const updateDeposit = defineCommand({
  name: 'deposits.update',
  version: 1,
  roles: SUPERVISORS,
  input: depositsContract['deposits.update'].input,
  synced: true,
  subject: (i) => i.depositId,
  run: async (ctx, i) => {
    const d = await loadDeposit(ctx.db, i.depositId);
    await assertDepositEditable(ctx, d);
    const patch: Partial<DepositsTable> = {};
    if (i.bankAccount !== undefined) patch.bank_account = i.bankAccount || null;
    // A deposit of returned payments has a negative control total (what the bank took back).
    if (i.controlTotal !== undefined) patch.control_total_cents = i.controlTotal;
    // A re-dated deposit must land in an open month and within the entry-date rules.
    if (i.depositDate !== undefined && i.depositDate !== d.deposit_date) {
      await assertEntryDate(ctx, i.depositDate, 'depositDate', i.postDated);
      patch.deposit_date = i.depositDate;
    }
    if (Object.keys(patch).length > 0) {
      await ctx.db.updateTable('deposits').set(patch).where('id', '=', d.id).execute();
      await ctx.audit({
        action: 'update',
        entity: 'deposit',
        entityId: d.id,
        before: { bank_account: d.bank_account, control_total_cents: d.control_total_cents, deposit_date: d.deposit_date },
        after: {
          bank_account: patch.bank_account ?? d.bank_account,
          control_total_cents: 'control_total_cents' in patch ? patch.control_total_cents : d.control_total_cents,
          deposit_date: patch.deposit_date ?? d.deposit_date,
        },
      });
      ctx.changed('deposits');
    }
    return loadDepositDetail(ctx.db, d.id);
  },
});

export const addPaymentsToDeposit = defineCommand({
  name: 'deposits.addPayments',
  version: 1,
  roles: SUPERVISORS,
  input: depositsContract['deposits.addPayments'].input,
  synced: true,
  subject: (i) => i.depositId,
  run: async (ctx, i) => {
    const d = await loadDeposit(ctx.db, i.depositId);
    await assertDepositEditable(ctx, d);
    const ids = [...new Set(i.paymentIds)];
    const rows = [];
    for (let k = 0; k < ids.length; k += 500) {
      rows.push(...(await ctx.db.selectFrom('payments').select(['id', 'reference', 'status', 'deposit_id', 'division_id']).where('id', 'in', ids.slice(k, k + 500)).execute()));
    }
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const id of ids) {
      const p = byId.get(id);
      if (!p) fail('NOT_FOUND', 'One of the chosen payments does not exist.', { field: 'paymentIds', paymentId: id });
      if (p.deposit_id === d.id) fail('CONFLICT', `Payment ${p.reference} is already in this deposit.`, { field: 'paymentIds', paymentId: id });
      if (p.deposit_id) fail('CONFLICT', `Payment ${p.reference} is already in another deposit.`, { field: 'paymentIds', paymentId: id });
      if (p.status !== 'pending') fail('CONFLICT', `Payment ${p.reference} is ${p.status}; only pending payments can be deposited.`, { field: 'paymentIds', paymentId: id });
      if (p.division_id !== d.division_id) fail('CONFLICT', `Payment ${p.reference} belongs to another division than this deposit.`, { field: 'paymentIds', paymentId: id });
    }
    for (let k = 0; k < ids.length; k += 500) {
      await ctx.db.updateTable('payments').set({ deposit_id: d.id }).where('id', 'in', ids.slice(k, k + 500)).execute();
    }
    await auditPayments(ctx, 'add-to-deposit', ids, { deposit_id: null }, { deposit_id: d.id }, 'add');
    await ctx.audit({ action: 'add-payments', entity: 'deposit', entityId: d.id, after: { paymentIds: ids } });
    ctx.changed('deposits', 'payments');
    return loadDepositDetail(ctx.db, d.id);
  },
});

export const removePaymentFromDeposit = defineCommand({
  name: 'deposits.removePayment',
  version: 1,
  roles: SUPERVISORS,
  input: depositsContract['deposits.removePayment'].input,
  synced: true,
  subject: (i) => i.depositId,
  run: async (ctx, i) => {
    const d = await loadDeposit(ctx.db, i.depositId);
    await assertDepositEditable(ctx, d);
    const p = await ctx.db.selectFrom('payments').select(['id', 'reference', 'status', 'deposit_id', 'kind']).where('id', '=', i.paymentId).executeTakeFirst();
    if (!p || p.deposit_id !== d.id) fail('NOT_FOUND', 'That payment is not in this deposit.', { field: 'paymentId' });
    if (p.status === 'voided') fail('CONFLICT', `Payment ${p.reference} was deleted; it stays with the deposit as a record.`, { field: 'paymentId' });
    if (p.kind === 'transfer_out' || p.kind === 'transfer_in') {
      fail('CONFLICT', `Payment ${p.reference} is half of a credit transfer; both halves stay in one deposit (delete the transfer instead).`, { field: 'paymentId' });
    }
    await ctx.db.updateTable('payments').set({ deposit_id: null, status: 'pending' }).where('id', '=', p.id).execute();
    await ctx.audit({ action: 'remove-from-deposit', entity: 'payment', entityId: p.id, before: { deposit_id: d.id, status: p.status }, after: { deposit_id: null, status: 'pending' } });
    await ctx.audit({ action: 'remove-payment', entity: 'deposit', entityId: d.id, after: { paymentId: p.id } });
    ctx.changed('deposits', 'payments');
    return loadDepositDetail(ctx.db, d.id);
  },
});

/** Checks that a new payment for `accountId` may go into deposit `depositId`. */
export async function assertCanEnterInto(ctx: CommandCtx, depositId: string, accountId: string, field = 'accountId'): Promise<DepositsTable> {
  const d = await loadDeposit(ctx.db, depositId);
  await assertDepositEditable(ctx, d);
  const acct = await getActiveAccount(ctx, accountId);
  if (acct.division_id !== d.division_id) {
    fail('CONFLICT', `Account ${acct.account_number} is in another division than deposit ${d.number}.`, { field });
  }
  return d;
}

export const enterDepositPayment = defineCommand({
  name: 'deposits.enterPayment',
  version: 1,
  roles: SUPERVISORS,
  input: depositsContract['deposits.enterPayment'].input,
  synced: true,
  prepare: (i) => (i.paymentId ? {} : { paymentId: newId() }),
  subject: (i) => i.paymentId,
  run: async (ctx, i) => {
    if (i.amount < 0) {
      // The seed's way of recording a bounced check: it is a returned payment of an earlier one.
      fail('VALIDATION', 'A negative amount is a returned payment: choose the payment that came back and record it as returned (NSF, stop payment, take-back).', {
        field: 'amount',
        returnedPayment: true,
      });
    }
    const d = await assertCanEnterInto(ctx, i.depositId, i.accountId);
    const paymentDate = i.paymentDate ?? d.deposit_date;
    await assertEntryDate(ctx, paymentDate, 'paymentDate', i.postDated ?? (paymentDate === d.deposit_date ? true : undefined));
    await insertPayment(ctx, {
      paymentId: i.paymentId!,
      accountId: i.accountId,
      amountCents: i.amount,
      method: i.method,
      checkNumber: i.checkNumber,
      paymentDate,
      memo: i.memo,
      depositId: d.id,
      autoApply: i.apply !== 'none',
    });
    ctx.changed('deposits');
    return loadDepositPayment(ctx.db, i.paymentId!);
  },
  // Refused (the deposit was completed in another office meanwhile): the payment is kept, undeposited or On Hold.
  keep: async (ctx, i, error) => {
    const d = await ctx.db.selectFrom('deposits').select('deposit_date').where('id', '=', i.depositId).executeTakeFirst();
    return keepRefusedPayment(ctx, error, {
      paymentId: i.paymentId!,
      accountId: i.accountId,
      amountCents: i.amount,
      method: i.method,
      checkNumber: i.checkNumber,
      paymentDate: i.paymentDate ?? d?.deposit_date ?? ctx.today,
      memo: i.memo,
      depositId: i.depositId,
      autoApply: i.apply !== 'none',
    });
  },
});

export const deleteDeposit = defineCommand({
  name: 'deposits.delete',
  version: 1,
  roles: SUPERVISORS,
  input: depositsContract['deposits.delete'].input,
  synced: true,
  subject: (i) => i.depositId,
  run: async (ctx, i) => {
    const d = await loadDeposit(ctx.db, i.depositId);
    await assertDepositEditable(ctx, d);
    await deleteEmptyDeposit(ctx, d, i.reason || null);
    return { depositId: d.id, number: d.number, deleted: true as const };
  },
});

export const completeDeposit = defineCommand({
  name: 'deposits.complete',
  version: 1,
  roles: SUPERVISORS,
  input: depositsContract['deposits.complete'].input,
  synced: true,
  subject: (i) => i.depositId,
  run: async (ctx, i) => {
    const d = await loadDeposit(ctx.db, i.depositId);
    await assertDepositEditable(ctx, d);
    const { count, total } = await depositTotals(ctx, d.id);
    // A deposit whose payments were all deleted still completes: it keeps them as records.
    if (count === 0 && (await depositRowCount(ctx, d.id)) === 0) {
      fail('CONFLICT', `Deposit ${d.number} has no payments: add payments, or delete the empty deposit.`, { field: 'depositId' });
    }
    const control = d.control_total_cents === null ? null : Number(d.control_total_cents);
    if (control !== null && total !== control) {
      fail('CONFLICT', `The payments add up to ${formatMoney(total)} but the control total is ${formatMoney(control)} (off by ${formatMoney(total - control)}).`, {
        field: 'controlTotal',
        totalCents: total,
        controlTotalCents: control,
      });
    }
    const ids = (await ctx.db.selectFrom('payments').select('id').where('deposit_id', '=', d.id).where('status', '=', 'pending').orderBy('id').execute()).map((r) => r.id);
    await ctx.db.updateTable('payments').set({ status: 'deposited' }).where('deposit_id', '=', d.id).where('status', '=', 'pending').execute();
    await ctx.db.updateTable('deposits').set({ status: 'closed', completed_at: ctx.now, completed_by: ctx.actor.userId }).where('id', '=', d.id).execute();
    await auditPayments(ctx, 'deposit', ids, { status: 'pending' }, { status: 'deposited', deposit_id: d.id }, 'complete');
    await ctx.audit({ action: 'complete', entity: 'deposit', entityId: d.id, before: { status: 'open' }, after: { status: 'closed', payments: count, totalCents: total } });
    ctx.changed('deposits', 'payments');
    return loadDepositDetail(ctx.db, d.id);
  },
});

export const reopenDeposit = defineCommand({
  name: 'deposits.reopen',
  version: 1,
  roles: SUPERVISORS,
  input: depositsContract['deposits.reopen'].input,
  synced: true,
  subject: (i) => i.depositId,
  run: async (ctx, i) => {
    const d = await loadDeposit(ctx.db, i.depositId);
    await assertPeriodOpen(ctx, d.deposit_date, 'depositId');
    if (d.status !== 'closed') fail('CONFLICT', `Deposit ${d.number} is already open.`, { field: 'depositId' });
    const ids = (await ctx.db.selectFrom('payments').select('id').where('deposit_id', '=', d.id).where('status', '=', 'deposited').orderBy('id').execute()).map((r) => r.id);
    await ctx.db.updateTable('payments').set({ status: 'pending' }).where('deposit_id', '=', d.id).where('status', '=', 'deposited').execute();
    await ctx.db
      .updateTable('deposits')
      .set({ status: 'open', reopened_at: ctx.now, reopened_by: ctx.actor.userId, reopen_count: sql<number>`reopen_count + 1` })
      .where('id', '=', d.id)
      .execute();
    await auditPayments(ctx, 'deposit-reopened', ids, { status: 'deposited' }, { status: 'pending', deposit_id: d.id }, 'reopen');
    await ctx.audit({ action: 'reopen', entity: 'deposit', entityId: d.id, before: { status: 'closed' }, after: { status: 'open', reason: i.reason ?? null } });
    ctx.changed('deposits', 'payments');
    return loadDepositDetail(ctx.db, d.id);
  },
});
