import { sql, type Kysely } from 'kysely';
import type { PaymentDetailDTO, PaymentSummaryDTO } from '../../shared/contract/dto';
import { fail } from '../../shared/result';
import type { Database } from '../db/schema';

export function paymentSummarySelect(db: Kysely<Database>) {
  return db
    .selectFrom('payments')
    .innerJoin('accounts', 'accounts.id', 'payments.account_id')
    .select([
      'payments.id',
      'payments.reference',
      'payments.payment_date',
      'payments.account_id',
      'accounts.account_number',
      'accounts.name as account_name',
      'payments.amount_cents',
      'payments.method',
      'payments.status',
      'payments.kind',
      'payments.deposit_id',
      'payments.created_at',
      sql<number>`EXISTS (SELECT 1 FROM sync_outbox so WHERE so.subject_id = payments.id AND so.state = 'pending')`.as('unsynced'),
    ]);
}

type SummaryRow = Awaited<ReturnType<ReturnType<typeof paymentSummarySelect>['execute']>>[number];

export const toPaymentSummary = (r: SummaryRow): PaymentSummaryDTO => ({
  id: r.id,
  reference: r.reference,
  paymentDate: r.payment_date,
  accountId: r.account_id,
  accountNumber: r.account_number,
  accountName: r.account_name,
  amountCents: Number(r.amount_cents),
  method: r.method,
  status: r.status,
  kind: r.kind,
  depositId: r.deposit_id,
  unsynced: Number(r.unsynced) > 0,
});

export async function loadPaymentDetail(db: Kysely<Database>, paymentId: string): Promise<PaymentDetailDTO> {
  const p = await db
    .selectFrom('payments')
    .innerJoin('accounts', 'accounts.id', 'payments.account_id')
    .innerJoin('divisions', 'divisions.id', 'payments.division_id')
    .leftJoin('users', 'users.id', 'payments.created_by')
    .selectAll('payments')
    .select(['accounts.account_number', 'accounts.name as account_name', 'accounts.balance_cents', 'divisions.name as division_name', 'users.display_name as created_by_name'])
    .where('payments.id', '=', paymentId)
    .executeTakeFirst();
  if (!p) fail('NOT_FOUND', 'That payment does not exist.', { field: 'paymentId' });
  const apps = await db
    .selectFrom('applications')
    .innerJoin('charge_lines', 'charge_lines.id', 'applications.charge_line_id')
    .innerJoin('invoices', 'invoices.id', 'charge_lines.invoice_id')
    .select([
      'applications.id',
      'applications.charge_line_id',
      'invoices.invoice_number',
      'charge_lines.description',
      'applications.amount_cents',
      'applications.created_at',
    ])
    .where('applications.payment_id', '=', paymentId)
    .orderBy('applications.created_at')
    .orderBy('charge_lines.due_date')
    .orderBy('invoices.invoice_number')
    .orderBy('charge_lines.line_no')
    .orderBy('applications.id')
    .execute();
  const applied = apps.reduce((s, a) => s + Number(a.amount_cents), 0);
  const refunds = await db
    .selectFrom('refunds')
    .select((eb) => [eb.fn.coalesce(eb.fn.sum<number>('amount_cents'), eb.lit(0)).as('total'), eb.fn.coalesce(eb.fn.sum<number>('charged_again_cents'), eb.lit(0)).as('charged')])
    .where('payment_id', '=', paymentId)
    .executeTakeFirst();
  const refunded = Number(refunds?.total ?? 0);
  // A refund that charged again left the payment's applications as recorded (closed is closed).
  const chargedAgain = Number(refunds?.charged ?? 0);
  const pending = await db
    .selectFrom('sync_outbox')
    .select('seq')
    .where('subject_id', '=', paymentId)
    .where('state', '=', 'pending')
    .limit(1)
    .executeTakeFirst();
  return {
    id: p.id,
    reference: p.reference,
    paymentDate: p.payment_date,
    accountId: p.account_id,
    accountNumber: p.account_number,
    accountName: p.account_name,
    amountCents: Number(p.amount_cents),
    method: p.method,
    status: p.status,
    kind: p.kind,
    depositId: p.deposit_id,
    unsynced: !!pending,
    checkNumber: p.check_number,
    receiptEmail: p.receipt_email,
    memo: p.memo,
    divisionName: p.division_name,
    createdAt: p.created_at,
    createdBy: p.created_by_name ?? p.created_by,
    appliedCents: applied,
    refundedCents: refunded,
    unappliedCents: Number(p.amount_cents) - applied - (refunded - chargedAgain),
    applications: apps.map((a) => ({
      id: a.id,
      chargeLineId: a.charge_line_id,
      invoiceNumber: a.invoice_number,
      description: a.description,
      amountCents: Number(a.amount_cents),
      createdAt: a.created_at,
    })),
    accountBalanceCents: Number(p.balance_cents),
  };
}
