import { sql, type Kysely } from 'kysely';
import type { PaymentRefundsDTO, RefundDTO } from '../../../shared/contract/refunds';
import { fail } from '../../../shared/result';
import type { Database } from '../../db/schema';
import { listRefundRequests } from './refund-requests';

/** Kinds of payment that are real money received from the payer, and so can be refunded. */
export const REFUNDABLE_KINDS = new Set(['payment', 'category', 'recurring']);

export async function refundedTotal(db: Kysely<Database>, paymentId: string): Promise<number> {
  const r = await db
    .selectFrom('refunds')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_cents'), sql<number>`0`).as('t'))
    .where('payment_id', '=', paymentId)
    .executeTakeFirst();
  return Number(r?.t ?? 0);
}

/** What returned-payment records (NSF, stop payment: deposits engineer's negative payments) took back. */
export async function returnedTotal(db: Kysely<Database>, paymentId: string): Promise<number> {
  const r = await db
    .selectFrom('payments')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_cents'), sql<number>`0`).as('t'))
    .where('related_payment_id', '=', paymentId)
    .where('kind', '=', 'return')
    .where('status', 'not in', ['voided', 'cancelled'])
    .executeTakeFirst();
  return -Number(r?.t ?? 0);
}

function refundSelect(db: Kysely<Database>) {
  return db
    .selectFrom('refunds')
    .innerJoin('payments', 'payments.id', 'refunds.payment_id')
    .innerJoin('accounts', 'accounts.id', 'refunds.account_id')
    .innerJoin('divisions', 'divisions.id', 'accounts.division_id')
    .leftJoin('users', 'users.id', 'refunds.created_by')
    .selectAll('refunds')
    .select([
      'payments.reference as payment_reference',
      'payments.amount_cents as payment_amount',
      'payments.payment_date',
      'accounts.account_number',
      'accounts.name as account_name',
      'accounts.balance_cents',
      'divisions.name as division_name',
      'users.display_name as creator_name',
    ]);
}

type RefundRow = Awaited<ReturnType<ReturnType<typeof refundSelect>['execute']>>[number];

async function toDTOs(db: Kysely<Database>, rows: RefundRow[]): Promise<RefundDTO[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [pending, all] = await Promise.all([
    db.selectFrom('sync_outbox').select('subject_id').where('subject_id', 'in', ids).where('state', '=', 'pending').execute(),
    db.selectFrom('refunds').select(['id', 'payment_id', 'amount_cents', 'created_at']).where('payment_id', 'in', [...new Set(rows.map((r) => r.payment_id))]).execute(),
  ]);
  const unsynced = new Set(pending.map((p) => p.subject_id));
  const order = (a: { created_at: string; id: string }, b: { created_at: string; id: string }) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return rows.map((r) => {
    const toDate = all.filter((x) => x.payment_id === r.payment_id && order(x, r) <= 0).reduce((s, x) => s + Number(x.amount_cents), 0);
    return {
      id: r.id,
      reference: r.reference,
      paymentId: r.payment_id,
      paymentReference: r.payment_reference,
      paymentAmountCents: Number(r.payment_amount),
      paymentDate: r.payment_date,
      accountId: r.account_id,
      accountNumber: r.account_number,
      accountName: r.account_name,
      divisionName: r.division_name,
      amountCents: Number(r.amount_cents),
      refundDate: r.refund_date,
      method: r.method,
      reason: r.reason,
      receiptEmail: r.receipt_email,
      createdAt: r.created_at,
      createdByName: r.creator_name ?? r.created_by,
      unappliedCents: Number(r.unapplied_cents),
      chargedAgainCents: Number(r.charged_again_cents),
      refundedToDateCents: toDate,
      accountBalanceCents: Number(r.balance_cents),
      unsynced: unsynced.has(r.id),
    };
  });
}

export async function loadRefund(db: Kysely<Database>, refundId: string): Promise<RefundDTO> {
  const r = await refundSelect(db).where('refunds.id', '=', refundId).executeTakeFirst();
  if (!r) fail('NOT_FOUND', 'That refund does not exist.', { field: 'refundId' });
  return (await toDTOs(db, [r]))[0]!;
}

/** Why a payment can be neither cancelled nor refunded now, or null. */
export function blockedReason(p: Database['payments'], refundable: number): string | null {
  if (p.status === 'cancelled') return `Payment ${p.reference} was cancelled.`;
  if (p.status === 'voided') return `Payment ${p.reference} was deleted (voided).`;
  if (Number(p.amount_cents) <= 0 || !REFUNDABLE_KINDS.has(p.kind)) return `Payment ${p.reference} is a ${p.kind.replace('_', ' ')} record, not money received; it cannot be cancelled or refunded here.`;
  if (p.status === 'deposited' && refundable === 0) return `Payment ${p.reference} has been refunded in full (or returned).`;
  return null;
}

export async function loadPaymentRefunds(db: Kysely<Database>, paymentId: string): Promise<PaymentRefundsDTO> {
  const p = await db.selectFrom('payments').selectAll().where('id', '=', paymentId).executeTakeFirst();
  if (!p) fail('NOT_FOUND', 'That payment does not exist.', { field: 'paymentId' });
  const rows = await refundSelect(db).where('refunds.payment_id', '=', paymentId).orderBy('refunds.created_at').orderBy('refunds.id').execute();
  const refunds = await toDTOs(db, rows);
  const refunded = refunds.reduce((s, r) => s + r.amountCents, 0);
  const eligible = Number(p.amount_cents) > 0 && REFUNDABLE_KINDS.has(p.kind);
  const refundable = p.status === 'deposited' && eligible ? Math.max(0, Number(p.amount_cents) - refunded - (await returnedTotal(db, paymentId))) : 0;
  return {
    paymentId: p.id,
    status: p.status,
    amountCents: Number(p.amount_cents),
    refundedCents: refunded,
    refundableCents: refundable,
    cancellable: eligible && (p.status === 'pending' || p.status === 'scheduled'),
    blockedReason: blockedReason(p, refundable),
    cancelReason: p.status === 'cancelled' ? p.void_reason : null,
    cancelledAt: p.status === 'cancelled' ? p.voided_at : null,
    refunds,
    requests: await listRefundRequests(db, { paymentId }),
  };
}
