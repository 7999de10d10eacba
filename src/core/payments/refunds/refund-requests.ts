import type { Kysely } from 'kysely';
import { refundsContract, type RefundRequestDTO } from '../../../shared/contract/refunds';
import { newId } from '../../../shared/ids';
import { formatMoney } from '../../../shared/money';
import { fail } from '../../../shared/result';
import { ANY_ROLE } from '../../../shared/roles';
import { assertMay } from '../../settings/role-rules';
import { defineCommand, defineQuery, type CommandCtx } from '../../commands/types';
import type { Database } from '../../db/schema';
import type { RefundRequestsTable } from '../../db/schema-refund-requests';
import { refundApprovalNeeded } from './refund-approval';
import { blockedReason, refundedTotal, returnedTotal } from './refund-views';
import { performRefund } from './refunds';

/**
 * Approval where money leaves: a CSR asks for a refund that needs a Supervisor or Admin; the
 * request waits in a list for them; approving makes the refund as the approver, declining keeps
 * the request with the reason. Every step is audited.
 */

function requestSelect(db: Kysely<Database>) {
  return db
    .selectFrom('refund_requests as r')
    .innerJoin('payments as p', 'p.id', 'r.payment_id')
    .innerJoin('accounts as a', 'a.id', 'r.account_id')
    .leftJoin('users as ru', 'ru.id', 'r.requested_by')
    .leftJoin('users as du', 'du.id', 'r.decided_by')
    .selectAll('r')
    .select(['p.reference as payment_reference', 'p.payment_date', 'p.amount_cents as payment_amount', 'a.account_number', 'a.name as account_name', 'ru.display_name as requester', 'du.display_name as decider']);
}

type RequestRow = Awaited<ReturnType<ReturnType<typeof requestSelect>['execute']>>[number];

function toDTO(r: RequestRow): RefundRequestDTO {
  return {
    id: r.id,
    paymentId: r.payment_id,
    paymentReference: r.payment_reference,
    paymentDate: r.payment_date,
    paymentAmountCents: Number(r.payment_amount),
    accountId: r.account_id,
    accountNumber: r.account_number,
    accountName: r.account_name,
    amountCents: Number(r.amount_cents),
    reason: r.reason,
    receiptEmail: r.receipt_email,
    needsApprovalBecause: r.needs_approval_because,
    status: r.status,
    requestedAt: r.requested_at,
    requestedByName: r.requester ?? r.requested_by,
    decidedAt: r.decided_at,
    decidedByName: r.decided_by ? (r.decider ?? r.decided_by) : null,
    declineReason: r.decline_reason,
    refundId: r.refund_id,
  };
}

export async function loadRefundRequest(db: Kysely<Database>, requestId: string): Promise<RefundRequestDTO> {
  const r = await requestSelect(db).where('r.id', '=', requestId).executeTakeFirst();
  if (!r) fail('NOT_FOUND', 'That refund request does not exist.', { field: 'requestId' });
  return toDTO(r);
}

export async function listRefundRequests(db: Kysely<Database>, f: { status?: RefundRequestsTable['status']; paymentId?: string; limit?: number }): Promise<RefundRequestDTO[]> {
  let q = requestSelect(db);
  if (f.status) q = q.where('r.status', '=', f.status);
  if (f.paymentId) q = q.where('r.payment_id', '=', f.paymentId);
  const rows = await q.orderBy('r.requested_at', 'desc').orderBy('r.id', 'desc').limit(f.limit ?? 500).execute();
  return rows.map(toDTO);
}

async function loadPending(ctx: CommandCtx, requestId: string): Promise<RefundRequestsTable> {
  const r = await ctx.db.selectFrom('refund_requests').selectAll().where('id', '=', requestId).executeTakeFirst();
  if (!r) fail('NOT_FOUND', 'That refund request does not exist.', { field: 'requestId' });
  if (r.status !== 'pending') fail('CONFLICT', `This refund request was already ${r.status}.`, { field: 'requestId' });
  return r;
}

export const requestRefund = defineCommand({
  name: 'refunds.request',
  version: 1,
  roles: ANY_ROLE,
  input: refundsContract['refunds.request'].input,
  synced: true,
  prepare: (i) => (i.requestId ? {} : { requestId: newId() }),
  subject: (i) => i.requestId,
  run: async (ctx, i) => {
    const id = i.requestId!;
    const p = await ctx.db.selectFrom('payments').selectAll().where('id', '=', i.paymentId).executeTakeFirst();
    if (!p) fail('NOT_FOUND', 'That payment does not exist.', { field: 'paymentId' });
    if (p.status !== 'deposited') fail('CONFLICT', `Payment ${p.reference} is ${p.status}; only deposited payments are refunded.`, { field: 'paymentId' });
    const left = Math.max(0, Number(p.amount_cents) - (await refundedTotal(ctx.db, p.id)) - (await returnedTotal(ctx.db, p.id)));
    const blocked = blockedReason(p, left);
    if (blocked) fail('CONFLICT', blocked, { field: 'paymentId' });
    if (i.amount > left) fail('CONFLICT', `Only ${formatMoney(left)} of payment ${p.reference} can still be refunded.`, { field: 'amount', refundableCents: left });
    const waiting = await ctx.db.selectFrom('refund_requests').select('id').where('payment_id', '=', p.id).where('status', '=', 'pending').executeTakeFirst();
    if (waiting) fail('CONFLICT', `A refund of payment ${p.reference} is already waiting for approval.`, { field: 'paymentId', requestId: waiting.id });
    const because = (await refundApprovalNeeded(ctx.db, p, i.amount)) ?? 'Requested for approval by the clerk.';
    const row: RefundRequestsTable = {
      id,
      payment_id: p.id,
      account_id: p.account_id,
      amount_cents: i.amount,
      reason: i.reason,
      receipt_email: i.receiptEmail || null,
      needs_approval_because: because,
      status: 'pending',
      requested_by: ctx.actor.userId,
      requested_at: ctx.now,
      decided_by: null,
      decided_at: null,
      decline_reason: null,
      refund_id: null,
    };
    await ctx.db.insertInto('refund_requests').values(row).execute();
    await ctx.audit({ action: 'request', entity: 'refund_request', entityId: id, after: row });
    ctx.changed('refunds');
    return loadRefundRequest(ctx.db, id);
  },
});

export const approveRefundRequest = defineCommand({
  name: 'refunds.approveRequest',
  version: 1,
  roles: ANY_ROLE,
  roleRule: 'refundApproverRoles',
  input: refundsContract['refunds.approveRequest'].input,
  synced: true,
  prepare: (i) => (i.refundId ? {} : { refundId: newId() }),
  subject: (i) => i.requestId,
  run: async (ctx, i) => {
    await assertMay(ctx.db, ctx.actor.role, 'refundApproverRoles');
    const r = await loadPending(ctx, i.requestId);
    const requester = await ctx.db.selectFrom('users').select('display_name').where('id', '=', r.requested_by).executeTakeFirst();
    // The refund is the approver's: made now, in today's open month, with every refund rule.
    await performRefund(
      ctx,
      { refundId: i.refundId!, paymentId: r.payment_id, amount: Number(r.amount_cents), reason: `${r.reason} (requested by ${requester?.display_name ?? r.requested_by})`, receiptEmail: r.receipt_email ?? undefined },
      { approved: true },
    );
    const after = { status: 'approved' as const, decided_by: ctx.actor.userId, decided_at: ctx.now, refund_id: i.refundId! };
    await ctx.db.updateTable('refund_requests').set(after).where('id', '=', r.id).execute();
    await ctx.audit({ action: 'approve', entity: 'refund_request', entityId: r.id, before: { status: r.status }, after });
    ctx.changed('refunds');
    return loadRefundRequest(ctx.db, r.id);
  },
});

export const declineRefundRequest = defineCommand({
  name: 'refunds.declineRequest',
  version: 1,
  roles: ANY_ROLE,
  roleRule: 'refundApproverRoles',
  input: refundsContract['refunds.declineRequest'].input,
  synced: true,
  subject: (i) => i.requestId,
  run: async (ctx, i) => {
    await assertMay(ctx.db, ctx.actor.role, 'refundApproverRoles');
    const r = await loadPending(ctx, i.requestId);
    const after = { status: 'declined' as const, decided_by: ctx.actor.userId, decided_at: ctx.now, decline_reason: i.reason };
    await ctx.db.updateTable('refund_requests').set(after).where('id', '=', r.id).execute();
    await ctx.audit({ action: 'decline', entity: 'refund_request', entityId: r.id, before: { status: r.status }, after });
    ctx.changed('refunds');
    return loadRefundRequest(ctx.db, r.id);
  },
});

export const listRefundRequestsQuery = defineQuery({
  name: 'refunds.requests',
  roles: ANY_ROLE,
  input: refundsContract['refunds.requests'].input,
  run: async ({ db, actor }, i) => {
    await assertMay(db, actor.role, 'refundApproverRoles');
    return listRefundRequests(db, i);
  },
});
