import type { Kysely } from 'kysely';
import type { CreditDTO, CreditItemDTO } from '../../shared/contract/credits';
import { fail } from '../../shared/result';
import type { Database } from '../db/schema';

function creditSelect(db: Kysely<Database>) {
  return db
    .selectFrom('credits')
    .innerJoin('accounts', 'accounts.id', 'credits.account_id')
    .leftJoin('credit_items', 'credit_items.id', 'credits.credit_item_id')
    .leftJoin('invoices', 'invoices.id', 'credits.invoice_id')
    .leftJoin('users as creator', 'creator.id', 'credits.created_by')
    .leftJoin('users as reverser', 'reverser.id', 'credits.reversed_by')
    .selectAll('credits')
    .select([
      'accounts.account_number',
      'accounts.name as account_name',
      'accounts.balance_cents',
      'credit_items.name as item_name',
      'credit_items.status as item_status',
      'invoices.invoice_number',
      'creator.display_name as creator_name',
      'reverser.display_name as reverser_name',
    ]);
}

type CreditRow = Awaited<ReturnType<ReturnType<typeof creditSelect>['execute']>>[number];

async function toDTOs(db: Kysely<Database>, rows: CreditRow[]): Promise<CreditDTO[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [apps, pending] = await Promise.all([
    db
      .selectFrom('credit_applications')
      .innerJoin('charge_lines', 'charge_lines.id', 'credit_applications.charge_line_id')
      .innerJoin('invoices', 'invoices.id', 'charge_lines.invoice_id')
      .select([
        'credit_applications.id',
        'credit_applications.credit_id',
        'credit_applications.charge_line_id',
        'invoices.invoice_number',
        'charge_lines.description',
        'credit_applications.amount_cents',
        'credit_applications.created_at',
      ])
      .where('credit_applications.credit_id', 'in', ids)
      .orderBy('credit_applications.created_at')
      .orderBy('charge_lines.due_date')
      .orderBy('invoices.invoice_number')
      .orderBy('charge_lines.line_no')
      .orderBy('credit_applications.id')
      .execute(),
    db.selectFrom('sync_outbox').select('subject_id').where('subject_id', 'in', ids).where('state', '=', 'pending').execute(),
  ]);
  const unsynced = new Set(pending.map((p) => p.subject_id));
  return rows.map((r) => {
    const mine = apps.filter((a) => a.credit_id === r.id);
    const applied = mine.reduce((s, a) => s + Number(a.amount_cents), 0);
    return {
      id: r.id,
      accountId: r.account_id,
      accountNumber: r.account_number,
      accountName: r.account_name,
      kind: r.kind,
      creditItemId: r.credit_item_id,
      creditItemName: r.item_name ?? null,
      creditItemRetired: r.item_status === 'retired',
      amountCents: Number(r.amount_cents),
      appliedCents: applied,
      unappliedCents: r.status === 'active' ? Number(r.open_cents) : 0,
      creditDate: r.credit_date,
      classification: r.classification,
      publicComment: r.public_comment,
      privateComment: r.private_comment,
      invoiceId: r.invoice_id,
      invoiceNumber: r.invoice_number ?? null,
      batchId: r.batch_id,
      status: r.status,
      replacesId: r.replaces_id,
      replacedBy: r.replaced_by,
      reversalReason: r.reversal_reason,
      reversedAt: r.reversed_at,
      reversedByName: r.reverser_name ?? r.reversed_by,
      createdAt: r.created_at,
      createdByName: r.creator_name ?? r.created_by,
      unsynced: unsynced.has(r.id),
      applications: mine.map((a) => ({
        id: a.id,
        chargeLineId: a.charge_line_id,
        invoiceNumber: a.invoice_number,
        description: a.description,
        amountCents: Number(a.amount_cents),
        createdAt: a.created_at,
      })),
      accountBalanceCents: Number(r.balance_cents),
    };
  });
}

export async function loadCredit(db: Kysely<Database>, creditId: string): Promise<CreditDTO> {
  const r = await creditSelect(db).where('credits.id', '=', creditId).executeTakeFirst();
  if (!r) fail('NOT_FOUND', 'That credit does not exist.', { field: 'creditId' });
  return (await toDTOs(db, [r]))[0]!;
}

/** An account's credits, newest first; corrected ones (replaced, reversed) only with the history. */
export async function listAccountCredits(db: Kysely<Database>, accountId: string, section?: 'credits' | 'gift', includeHistory = true): Promise<CreditDTO[]> {
  let q = creditSelect(db).where('credits.account_id', '=', accountId);
  if (section === 'credits') q = q.where('credits.kind', '=', 'credit');
  if (section === 'gift') q = q.where('credits.kind', 'in', ['gift_card', 'prepayment']);
  if (!includeHistory) q = q.where('credits.status', '=', 'active');
  const rows = await q.orderBy('credits.created_at', 'desc').orderBy('credits.id', 'desc').limit(1000).execute();
  return toDTOs(db, rows);
}

export async function loadCreditItem(db: Kysely<Database>, itemId: string): Promise<CreditItemDTO> {
  const rows = await listCreditItems(db, true, itemId);
  if (rows.length === 0) fail('NOT_FOUND', 'That credit item does not exist.', { field: 'creditItemId' });
  return rows[0]!;
}

export async function listCreditItems(db: Kysely<Database>, includeRetired: boolean, onlyId?: string): Promise<CreditItemDTO[]> {
  let q = db
    .selectFrom('credit_items')
    .leftJoin('credits', 'credits.credit_item_id', 'credit_items.id')
    .select([
      'credit_items.id',
      'credit_items.name',
      'credit_items.description',
      'credit_items.status',
      'credit_items.created_at',
      'credit_items.retired_at',
      (eb) => eb.fn.count<number>('credits.id').as('n'),
    ])
    .groupBy(['credit_items.id', 'credit_items.name', 'credit_items.description', 'credit_items.status', 'credit_items.created_at', 'credit_items.retired_at']);
  if (!includeRetired) q = q.where('credit_items.status', '=', 'active');
  if (onlyId) q = q.where('credit_items.id', '=', onlyId);
  const rows = await q.orderBy('credit_items.status').orderBy('credit_items.name').execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    status: r.status,
    creditCount: Number(r.n),
    createdAt: r.created_at,
    retiredAt: r.retired_at,
  }));
}
