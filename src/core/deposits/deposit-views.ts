import { sql, type Kysely } from 'kysely';
import { DEPOSITS_LIST_LIMIT, type DepositDetailDTO, type DepositPaymentDTO, type DepositSlipDTO, type DepositSummaryDTO } from '../../shared/contract/deposits';
import { fail } from '../../shared/result';
import type { Database } from '../db/schema';
import { isPeriodClosed } from './rules';

/** Reads of deposits: the list, one deposit with its payments and slip, undeposited payments. */

export interface DepositFilter {
  status?: 'open' | 'closed';
  divisionId?: string | null;
  from?: string;
  to?: string;
  limit?: number;
  ids?: string[];
}

export async function listDeposits(db: Kysely<Database>, f: DepositFilter): Promise<DepositSummaryDTO[]> {
  let q = db
    .selectFrom('deposits')
    .innerJoin('divisions', 'divisions.id', 'deposits.division_id')
    .leftJoin('users as opener', 'opener.id', 'deposits.opened_by')
    .leftJoin('users as completer', 'completer.id', 'deposits.completed_by')
    .leftJoin('users as reopener', 'reopener.id', 'deposits.reopened_by')
    .selectAll('deposits')
    .select([
      'divisions.name as division_name',
      'opener.display_name as opener_name',
      'completer.display_name as completer_name',
      'reopener.display_name as reopener_name',
      sql<number>`(SELECT COUNT(*) FROM payments WHERE payments.deposit_id = deposits.id AND payments.status NOT IN ('voided', 'cancelled'))`.as('payment_count'),
      sql<number>`(SELECT COALESCE(SUM(payments.amount_cents), 0) FROM payments WHERE payments.deposit_id = deposits.id AND payments.status NOT IN ('voided', 'cancelled'))`.as('total_cents'),
    ]);
  if (f.ids) q = q.where('deposits.id', 'in', f.ids);
  if (f.status) q = q.where('deposits.status', '=', f.status);
  if (f.divisionId) q = q.where('deposits.division_id', '=', f.divisionId);
  if (f.from) q = q.where('deposits.deposit_date', '>=', f.from);
  if (f.to) q = q.where('deposits.deposit_date', '<=', f.to);
  const rows = await q.orderBy('deposits.deposit_date', 'desc').orderBy('deposits.created_at', 'desc').orderBy('deposits.id').limit(f.limit ?? DEPOSITS_LIST_LIMIT).execute();
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    depositDate: r.deposit_date,
    divisionId: r.division_id,
    divisionName: r.division_name,
    bankAccount: r.bank_account,
    controlTotalCents: r.control_total_cents === null ? null : Number(r.control_total_cents),
    status: r.status,
    openedBy: r.opener_name ?? r.opened_by,
    createdAt: r.created_at,
    paymentCount: Number(r.payment_count),
    totalCents: Number(r.total_cents),
    completedAt: r.completed_at,
    completedBy: r.completer_name ?? r.completed_by,
    reopenedAt: r.reopened_at,
    reopenedBy: r.reopener_name ?? r.reopened_by,
  }));
}

function depositPaymentSelect(db: Kysely<Database>) {
  return db
    .selectFrom('payments')
    .innerJoin('accounts', 'accounts.id', 'payments.account_id')
    .leftJoin('users as voider', 'voider.id', 'payments.voided_by')
    .select([
      'payments.id',
      'payments.reference',
      'payments.payment_date',
      'payments.account_id',
      'accounts.account_number',
      'accounts.name as account_name',
      'payments.amount_cents',
      'payments.method',
      'payments.check_number',
      'payments.status',
      'payments.kind',
      'payments.related_payment_id',
      'payments.void_reason',
      'payments.voided_at',
      'voider.display_name as voided_by_name',
      'payments.voided_by',
      'payments.created_at',
      sql<number>`(SELECT COALESCE(SUM(ap.amount_cents), 0) FROM applications ap WHERE ap.payment_id = payments.id)`.as('applied'),
    ]);
}

type DepositPaymentRow = Awaited<ReturnType<ReturnType<typeof depositPaymentSelect>['execute']>>[number];

const toDepositPayment = (r: DepositPaymentRow): DepositPaymentDTO => ({
  id: r.id,
  reference: r.reference,
  paymentDate: r.payment_date,
  accountId: r.account_id,
  accountNumber: r.account_number,
  accountName: r.account_name,
  amountCents: Number(r.amount_cents),
  method: r.method,
  checkNumber: r.check_number,
  status: r.status,
  kind: r.kind,
  relatedPaymentId: r.related_payment_id,
  appliedCents: Number(r.applied),
  unappliedCents: Number(r.amount_cents) - Number(r.applied),
  voidReason: r.void_reason,
  voidedAt: r.voided_at,
  voidedBy: r.voided_by_name ?? r.voided_by,
  createdAt: r.created_at,
});

export async function loadDepositPayment(db: Kysely<Database>, paymentId: string): Promise<DepositPaymentDTO> {
  const r = await depositPaymentSelect(db).where('payments.id', '=', paymentId).executeTakeFirst();
  if (!r) fail('NOT_FOUND', 'That payment does not exist.', { field: 'paymentId' });
  return toDepositPayment(r);
}

export function depositSlip(payments: DepositPaymentDTO[]): DepositSlipDTO {
  const live = payments.filter((p) => p.status !== 'voided' && p.status !== 'cancelled');
  const transfer = (p: DepositPaymentDTO) => p.kind === 'transfer_out' || p.kind === 'transfer_in';
  const received = live.filter((p) => !transfer(p) && p.amountCents > 0);
  const checks = received.filter((p) => p.method === 'check');
  const cash = received.filter((p) => p.method === 'cash');
  const total = (xs: DepositPaymentDTO[]) => xs.reduce((s, p) => s + p.amountCents, 0);
  return {
    checks: checks.map((p) => ({ reference: p.reference, checkNumber: p.checkNumber, accountNumber: p.accountNumber, accountName: p.accountName, amountCents: p.amountCents })),
    checkTotalCents: total(checks),
    cashCount: cash.length,
    cashTotalCents: total(cash),
    electronicTotalCents: total(received.filter((p) => p.method === 'card' || p.method === 'ach')),
    returnsTotalCents: total(live.filter((p) => !transfer(p) && p.amountCents < 0)),
    transfersNetCents: total(live.filter(transfer)),
    grandTotalCents: total(live),
  };
}

export async function loadDepositDetail(db: Kysely<Database>, depositId: string): Promise<DepositDetailDTO> {
  const [summary] = await listDeposits(db, { ids: [depositId], limit: 1 });
  if (!summary) fail('NOT_FOUND', 'That deposit does not exist.', { field: 'depositId' });
  const rows = await depositPaymentSelect(db).where('payments.deposit_id', '=', depositId).orderBy('payments.created_at').orderBy('payments.id').execute();
  const payments = rows.map(toDepositPayment);
  return { ...summary, payments, slip: depositSlip(payments), periodClosed: await isPeriodClosed(db, summary.depositDate) };
}

export async function listUndeposited(db: Kysely<Database>, f: { divisionId: string; from?: string; to?: string; query?: string; limit?: number }): Promise<DepositPaymentDTO[]> {
  let q = depositPaymentSelect(db)
    .where('payments.status', '=', 'pending')
    .where('payments.deposit_id', 'is', null)
    .where('payments.division_id', '=', f.divisionId);
  if (f.from) q = q.where('payments.payment_date', '>=', f.from);
  if (f.to) q = q.where('payments.payment_date', '<=', f.to);
  if (f.query) {
    const like = `${f.query.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or([
        eb(sql`accounts.account_number`, 'like', sql`${like} ESCAPE '\\'`),
        eb(sql`payments.reference`, 'like', sql`${like.toUpperCase()} ESCAPE '\\'`),
        eb(sql`payments.check_number`, 'like', sql`${like} ESCAPE '\\'`),
        eb(sql`lower(accounts.name)`, 'like', sql`${'%' + like.toLowerCase()} ESCAPE '\\'`),
      ]),
    );
  }
  const rows = await q.orderBy('payments.payment_date').orderBy('payments.created_at').limit(f.limit ?? 500).execute();
  return rows.map(toDepositPayment);
}
