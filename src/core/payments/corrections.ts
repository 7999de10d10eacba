import type { Kysely } from 'kysely';
import { paymentsContract, ReturnReasonLabels, type PaymentCorrectionsDTO } from '../../shared/contract/payments';
import { periodOf } from '../../shared/dates';
import { newId, referenceFromId } from '../../shared/ids';
import { formatMoney } from '../../shared/money';
import { fail } from '../../shared/result';
import { SUPERVISORS } from '../../shared/roles';
import { defineCommand, defineQuery, type CommandCtx } from '../commands/types';
import type { Database } from '../db/schema';
import { insertInvoice } from '../invoices/create-invoice';
import { assertPeriodOpen } from '../ledger/journal';
import { loadPaymentDetail } from './payment-views';
import { insertPayment } from './record-payment';
import { readSettings } from '../settings/settings';
import { assertCanEnterInto } from '../deposits/deposits';
import { assertPaymentEditable, autoAllocation, loadPayment, netByLine, paymentLockedReason, setAllocation, targetFromLines, type PaymentRow } from '../deposits/rules';
import { refundedTotal } from './refunds/refund-views';
import { reversePayment } from './reverse-payment';

/**
 * Corrections supervisors make to payments: un-apply and re-apply, delete (void), returned
 * payments (negative payments) and credit transfers. All append-only: new application rows,
 * new payments, reversing journal entries.
 */

export async function loadCorrections(db: Kysely<Database>, paymentId: string): Promise<PaymentCorrectionsDTO> {
  const payment = await loadPaymentDetail(db, paymentId);
  const row = await loadPayment(db, paymentId);
  const net = await netByLine(db, paymentId);
  const lines = await db
    .selectFrom('charge_lines')
    .innerJoin('invoices', 'invoices.id', 'charge_lines.invoice_id')
    .select([
      'charge_lines.id',
      'charge_lines.invoice_id',
      'invoices.invoice_number',
      'invoices.status as invoice_status',
      'charge_lines.line_no',
      'charge_lines.description',
      'charge_lines.due_date',
      'charge_lines.amount_cents',
      'charge_lines.open_cents',
    ])
    .where('charge_lines.account_id', '=', row.account_id)
    .orderBy('charge_lines.due_date', 'desc')
    .orderBy('invoices.invoice_number', 'desc')
    .orderBy('charge_lines.line_no')
    .limit(2000)
    .execute();
  const byId = new Map(lines.map((l) => [l.id, l]));
  const related = await db
    .selectFrom('payments')
    .innerJoin('accounts', 'accounts.id', 'payments.account_id')
    .select(['payments.id', 'payments.reference', 'payments.kind', 'payments.amount_cents', 'payments.status', 'accounts.account_number', 'payments.payment_date'])
    .where((eb) => eb.or([eb('payments.related_payment_id', '=', paymentId), ...(row.related_payment_id ? [eb('payments.id', '=', row.related_payment_id)] : [])]))
    .orderBy('payments.created_at')
    .execute();
  const returned = related.filter((r) => r.kind === 'return' && r.status !== 'voided').reduce((s, r) => s + -Number(r.amount_cents), 0);
  const locked = await paymentLockedReason(db, row);
  return {
    payment,
    allocation: [...net.entries()].map(([lineId, v]) => {
      const l = byId.get(lineId);
      return {
        chargeLineId: lineId,
        invoiceNumber: l?.invoice_number ?? '?',
        description: l?.description ?? '',
        dueDate: l?.due_date ?? '',
        appliedCents: v,
        lineAmountCents: Number(l?.amount_cents ?? 0),
        lineOpenCents: Number(l?.open_cents ?? 0),
      };
    }),
    lines: lines.map((l) => ({
      chargeLineId: l.id,
      invoiceId: l.invoice_id,
      invoiceNumber: l.invoice_number,
      invoiceStatus: l.invoice_status,
      lineNo: l.line_no,
      description: l.description,
      dueDate: l.due_date,
      amountCents: Number(l.amount_cents),
      openCents: Number(l.open_cents),
    })),
    related: related.map((r) => ({ id: r.id, reference: r.reference, kind: r.kind, amountCents: Number(r.amount_cents), status: r.status, accountNumber: r.account_number, paymentDate: r.payment_date })),
    returnableCents: Number(row.amount_cents) > 0 && row.kind !== 'transfer_in' && row.status !== 'voided' ? Math.max(0, Number(row.amount_cents) - returned) : 0,
    lockedReason: locked?.message ?? null,
  };
}

export const paymentCorrections = defineQuery({
  name: 'payments.corrections',
  roles: SUPERVISORS,
  input: paymentsContract['payments.corrections'].input,
  run: ({ db }, i) => loadCorrections(db, i.paymentId),
});

async function changeAllocation(ctx: CommandCtx, p: PaymentRow, target: Map<string, number>, action: string): Promise<void> {
  const { before, after } = await setAllocation(ctx, p, target, `${action}/${p.id}`);
  await ctx.audit({ action, entity: 'payment', entityId: p.id, before: { applications: before }, after: { applications: after } });
  ctx.changed('payments', 'applications', 'accounts', 'deposits');
}

export const unapplyPayment = defineCommand({
  name: 'payments.unapply',
  version: 1,
  roles: SUPERVISORS,
  input: paymentsContract['payments.unapply'].input,
  synced: true,
  subject: (i) => i.paymentId,
  run: async (ctx, i) => {
    const p = await loadPayment(ctx.db, i.paymentId);
    await assertPaymentEditable(ctx, p);
    const target = await netByLine(ctx.db, p.id);
    if (i.chargeLineIds) {
      for (const l of i.chargeLineIds) {
        if (!target.has(l)) fail('VALIDATION', 'The payment is not applied to that charge line.', { field: 'chargeLineIds', chargeLineId: l });
        target.delete(l);
      }
    } else target.clear();
    await changeAllocation(ctx, p, target, 'unapply');
    return loadCorrections(ctx.db, p.id);
  },
});

export const reapplyPayment = defineCommand({
  name: 'payments.reapply',
  version: 1,
  roles: SUPERVISORS,
  input: paymentsContract['payments.reapply'].input,
  synced: true,
  subject: (i) => i.paymentId,
  run: async (ctx, i) => {
    const p = await loadPayment(ctx.db, i.paymentId);
    await assertPaymentEditable(ctx, p);
    const sign = Math.sign(Number(p.amount_cents));
    const target = i.mode === 'none' ? new Map<string, number>() : i.mode === 'auto' ? await autoAllocation(ctx.db, p) : targetFromLines(i.lines ?? [], sign);
    await changeAllocation(ctx, p, target, 'reapply');
    return loadCorrections(ctx.db, p.id);
  },
});

/** Voids one payment: un-applies it, reverses its journal entry, keeps the row with who, when, why. */
async function voidPayment(ctx: CommandCtx, p: PaymentRow, reason: string, label: string): Promise<void> {
  await assertPaymentEditable(ctx, p);
  const returns = await ctx.db
    .selectFrom('payments')
    .select(['reference'])
    .where('related_payment_id', '=', p.id)
    .where('kind', '=', 'return')
    .where('status', '!=', 'voided')
    .executeTakeFirst();
  if (returns) fail('CONFLICT', `Payment ${p.reference} has a returned payment (${returns.reference}) recorded against it; delete that first.`, { field: 'paymentId' });
  const { before } = await setAllocation(ctx, p, new Map(), `void/${label}`);
  await reversePayment(ctx, p, {
    status: 'voided',
    auditAction: 'delete',
    reason,
    entry: { kind: 'payment_void', date: p.payment_date, amountCents: Number(p.amount_cents), description: `Payment ${p.reference} deleted: ${reason}`, label: `void/${p.id}` },
    auditBefore: { applications: before },
    auditAfter: { applications: {} },
  });
}

export const deletePayment = defineCommand({
  name: 'payments.delete',
  version: 1,
  roles: SUPERVISORS,
  input: paymentsContract['payments.delete'].input,
  synced: true,
  subject: (i) => i.paymentId,
  run: async (ctx, i) => {
    const p = await loadPayment(ctx.db, i.paymentId);
    await assertPaymentEditable(ctx, p);
    if (p.status !== 'pending') fail('CONFLICT', `Payment ${p.reference} is ${p.status}; only payments in an open deposit or not yet deposited can be deleted.`, { field: 'paymentId' });
    const settings = await readSettings(ctx.db);
    if (settings.strictClose && periodOf(p.payment_date) !== periodOf(ctx.today)) {
      fail('CONFLICT', `Strict Close is on: only payments dated in the current month can be deleted (${p.reference} is dated ${p.payment_date}).`, { field: 'paymentId' });
    }
    await voidPayment(ctx, p, i.reason, 'self');
    // A credit transfer is one action: deleting one half deletes the other.
    if ((p.kind === 'transfer_out' || p.kind === 'transfer_in') && p.related_payment_id) {
      const other = await loadPayment(ctx.db, p.related_payment_id);
      if (other.status !== 'voided') await voidPayment(ctx, other, `${i.reason} (other half of transfer ${p.reference})`, 'partner');
    }
    ctx.changed('payments', 'applications', 'accounts', 'deposits');
    return loadCorrections(ctx.db, p.id);
  },
});

export const returnPayment = defineCommand({
  name: 'payments.return',
  version: 1,
  roles: SUPERVISORS,
  input: paymentsContract['payments.return'].input,
  synced: true,
  prepare: (i) => ({ ...(i.returnPaymentId ? {} : { returnPaymentId: newId() }), ...(i.fee && !i.feeInvoiceId ? { feeInvoiceId: newId() } : {}) }),
  subject: (i) => i.returnPaymentId,
  run: async (ctx, i) => {
    const orig = await loadPayment(ctx.db, i.paymentId);
    if (orig.status === 'voided' || orig.status === 'cancelled') fail('CONFLICT', `Payment ${orig.reference} was ${orig.status}; there is nothing to return.`, { field: 'paymentId' });
    if (Number(orig.amount_cents) <= 0 || orig.kind === 'return') fail('CONFLICT', `Payment ${orig.reference} is itself a returned payment.`, { field: 'paymentId' });
    if (orig.kind === 'transfer_in' || orig.kind === 'transfer_out') fail('CONFLICT', `Payment ${orig.reference} is a credit transfer; delete the transfer instead.`, { field: 'paymentId' });
    const returnedRows = await ctx.db
      .selectFrom('payments')
      .select('amount_cents')
      .where('related_payment_id', '=', orig.id)
      .where('kind', '=', 'return')
      .where('status', '!=', 'voided')
      .execute();
    // What was already returned or refunded to the payer cannot bounce again.
    const refunded = await refundedTotal(ctx.db, orig.id);
    const returnable = Number(orig.amount_cents) + returnedRows.reduce((s, r) => s + Number(r.amount_cents), 0) - refunded;
    const amount = i.amount ?? returnable;
    if (returnable <= 0) fail('CONFLICT', `Payment ${orig.reference} has already been returned in full.`, { field: 'paymentId' });
    if (amount > returnable) fail('CONFLICT', `Only ${formatMoney(returnable)} of payment ${orig.reference} can still be returned.`, { field: 'amount' });
    const returnDate = i.returnDate ?? ctx.today;
    if (i.depositId) await assertCanEnterInto(ctx, i.depositId, orig.account_id, 'depositId');
    const reasonText = `${ReturnReasonLabels[i.reason]}${i.note ? `: ${i.note}` : ''}`;
    const returnId = i.returnPaymentId!;
    await insertPayment(ctx, {
      paymentId: returnId,
      accountId: orig.account_id,
      amountCents: -amount,
      method: orig.method,
      checkNumber: orig.check_number ?? undefined,
      paymentDate: returnDate,
      memo: `Returned payment ${orig.reference} — ${reasonText}`,
      kind: 'return',
      relatedPaymentId: orig.id,
      depositId: i.depositId,
      autoApply: false,
    });
    const ret = await loadPayment(ctx.db, returnId);
    const mode = i.mode ?? 'auto';
    const target = mode === 'none' ? new Map<string, number>() : mode === 'auto' ? await autoAllocation(ctx.db, ret) : targetFromLines(i.lines ?? [], -1);
    if (target.size > 0) {
      const { after } = await setAllocation(ctx, ret, target, `return/${returnId}`);
      await ctx.audit({ action: 'apply', entity: 'payment', entityId: returnId, before: { applications: {} }, after: { applications: after } });
    }
    if (i.fee) {
      await insertInvoice(ctx, {
        invoiceId: i.feeInvoiceId!,
        accountId: orig.account_id,
        invoiceNumber: `FEE-${referenceFromId(returnId, 'RP').slice(3)}`,
        invoiceDate: returnDate,
        dueDate: returnDate,
        lines: [{ category: 'Returned Payment Fee', description: `Returned payment fee (${ReturnReasonLabels[i.reason]}) for ${orig.reference}`, amountCents: i.fee }],
      });
    }
    await ctx.audit({ action: 'return', entity: 'payment', entityId: orig.id, after: { returnPaymentId: returnId, amountCents: amount, reason: i.reason, note: i.note ?? null, feeCents: i.fee ?? null } });
    ctx.changed('payments', 'applications', 'accounts', 'deposits', 'invoices');
    return loadCorrections(ctx.db, returnId);
  },
});

export const transferCredit = defineCommand({
  name: 'payments.transferCredit',
  version: 1,
  roles: SUPERVISORS,
  input: paymentsContract['payments.transferCredit'].input,
  synced: true,
  prepare: (i) => ({ ...(i.outPaymentId ? {} : { outPaymentId: newId() }), ...(i.inPaymentId ? {} : { inPaymentId: newId() }) }),
  subject: (i) => i.outPaymentId,
  run: async (ctx, i) => {
    const outId = i.outPaymentId!;
    const inId = i.inPaymentId!;
    const d = await assertCanEnterInto(ctx, i.depositId, i.fromAccountId, 'fromAccountId');
    await assertCanEnterInto(ctx, i.depositId, i.toAccountId, 'toAccountId');
    const date = i.transferDate ?? d.deposit_date;
    await assertPeriodOpen(ctx, date, 'transferDate');
    const from = await ctx.db.selectFrom('accounts').select(['account_number', 'balance_cents']).where('id', '=', i.fromAccountId).executeTakeFirstOrThrow();
    const to = await ctx.db.selectFrom('accounts').select(['account_number']).where('id', '=', i.toAccountId).executeTakeFirstOrThrow();
    const credit = -Number(from.balance_cents);
    if (credit < i.amount) {
      fail('CONFLICT', `Account ${from.account_number} has ${credit > 0 ? `only ${formatMoney(credit)} of` : 'no'} credit to transfer.`, { field: 'amount', creditCents: Math.max(0, credit) });
    }
    const memo = i.memo ? ` — ${i.memo}` : '';
    await insertPayment(ctx, {
      paymentId: outId,
      accountId: i.fromAccountId,
      amountCents: -i.amount,
      method: 'cash',
      paymentDate: date,
      memo: `Credit transferred to account ${to.account_number}${memo}`,
      kind: 'transfer_out',
      relatedPaymentId: inId,
      depositId: d.id,
      autoApply: false,
    });
    await insertPayment(ctx, {
      paymentId: inId,
      accountId: i.toAccountId,
      amountCents: i.amount,
      method: 'cash',
      paymentDate: date,
      memo: `Credit transferred from account ${from.account_number}${memo}`,
      kind: 'transfer_in',
      relatedPaymentId: outId,
      depositId: d.id,
      autoApply: false,
    });
    if (i.fromMode === 'lines' && i.fromLines?.length) {
      const out = await loadPayment(ctx.db, outId);
      await changeAllocation(ctx, out, targetFromLines(i.fromLines, -1), 'apply');
    }
    const inn = await loadPayment(ctx.db, inId);
    const toMode = i.toMode ?? 'auto';
    if (toMode !== 'none') {
      await changeAllocation(ctx, inn, toMode === 'auto' ? await autoAllocation(ctx.db, inn) : targetFromLines(i.toLines ?? [], 1), 'apply');
    }
    await ctx.audit({ action: 'transfer-credit', entity: 'deposit', entityId: d.id, after: { outPaymentId: outId, inPaymentId: inId, amountCents: i.amount, from: i.fromAccountId, to: i.toAccountId } });
    ctx.changed('payments', 'applications', 'accounts', 'deposits');
    return { out: await loadCorrections(ctx.db, outId), in: await loadCorrections(ctx.db, inId) };
  },
});
