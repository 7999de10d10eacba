import { sql, type Kysely } from 'kysely';
import type { ClosePreviewDTO, PeriodDTO } from '../../shared/contract/periods';
import { periodsContract } from '../../shared/contract/periods';
import { periodOf } from '../../shared/dates';
import { fail } from '../../shared/result';
import { ADMINS, SUPERVISORS } from '../../shared/roles';
import { defineCommand, defineQuery } from '../commands/types';
import type { Database } from '../db/schema';
import { deleteEmptyDeposit } from '../deposits/deposits';
import { loadDeposit } from '../deposits/rules';
import { countChangesAfterClose } from '../reports/after-close';

/**
 * Month close. A closed month accepts no posting dated in it (assertPeriodOpen in every command
 * that posts); closing first shows what is still open in it, and refuses while a deposit dated in
 * it is open. Reopening is for admins, with a reason.
 */

const monthStart = (period: string) => `${period}-01`;
const monthEnd = (period: string) => `${period}-31`; // text compare: every day of the month is <= 'YYYY-MM-31'

function shiftMonth(period: string, delta: number): string {
  const [y, m] = period.split('-').map(Number);
  const d = new Date(Date.UTC(y!, m! - 1 + delta, 1));
  return d.toISOString().slice(0, 7);
}

async function periodRow(db: Kysely<Database>, period: string) {
  return db.selectFrom('periods').selectAll().where('period', '=', period).executeTakeFirst();
}

async function toDTO(db: Kysely<Database>, period: string): Promise<PeriodDTO> {
  const r = await periodRow(db, period);
  const names = new Map<string, string>();
  for (const uid of [r?.closed_by, r?.reopened_by]) {
    if (uid && !names.has(uid)) {
      const u = await db.selectFrom('users').select('display_name').where('id', '=', uid).executeTakeFirst();
      names.set(uid, u?.display_name ?? uid);
    }
  }
  const open = await db
    .selectFrom('deposits')
    .select(sql<number>`COUNT(*)`.as('n'))
    .where('status', '=', 'open')
    .where('deposit_date', '>=', monthStart(period))
    .where('deposit_date', '<=', monthEnd(period))
    .executeTakeFirstOrThrow();
  return {
    period,
    status: r?.status ?? 'open',
    firstClosedAt: r?.first_closed_at ?? null,
    closedAt: r?.closed_at ?? null,
    closedBy: r?.closed_by ? names.get(r.closed_by)! : null,
    reopenedAt: r?.reopened_at ?? null,
    reopenedBy: r?.reopened_by ? names.get(r.reopened_by)! : null,
    reopenReason: r?.reopen_reason ?? null,
    openDeposits: Number(open.n),
    changesAfterClose: r?.first_closed_at ? await countChangesAfterClose(db, period, r.first_closed_at) : 0,
  };
}

/** The last 12 months at least, back to the oldest posting (at most 36 back), plus any closed earlier. */
export async function listPeriods(db: Kysely<Database>, today: string): Promise<PeriodDTO[]> {
  const current = periodOf(today);
  const oldest = await db
    .selectFrom('payments')
    .select((eb) => eb.fn.min('payment_date').as('d'))
    .executeTakeFirst();
  const oldestLine = await db.selectFrom('charge_lines').select((eb) => eb.fn.min('due_date').as('d')).executeTakeFirst();
  const floor = shiftMonth(current, -36);
  let start = [oldest?.d, oldestLine?.d, `${shiftMonth(current, -11)}-01`].filter((x): x is string => !!x).map(periodOf).sort()[0]!;
  if (start < floor) start = floor;
  const months = new Set<string>();
  for (let p = start; p <= current; p = shiftMonth(p, 1)) months.add(p);
  for (const r of await db.selectFrom('periods').select('period').execute()) months.add(r.period);
  const out: PeriodDTO[] = [];
  for (const p of [...months].sort().reverse()) out.push(await toDTO(db, p));
  return out;
}

export async function closePreview(db: Kysely<Database>, period: string): Promise<ClosePreviewDTO> {
  const from = monthStart(period);
  const to = monthEnd(period);
  const r = await periodRow(db, period);
  const deposits = await db
    .selectFrom('deposits')
    .innerJoin('divisions', 'divisions.id', 'deposits.division_id')
    .select([
      'deposits.id',
      'deposits.number',
      'deposits.deposit_date',
      'divisions.name',
      sql<number>`(SELECT COUNT(*) FROM payments WHERE payments.deposit_id = deposits.id AND payments.status NOT IN ('voided', 'cancelled'))`.as('n'),
      sql<number>`(SELECT COALESCE(SUM(amount_cents), 0) FROM payments WHERE payments.deposit_id = deposits.id AND payments.status NOT IN ('voided', 'cancelled'))`.as('total'),
      sql<number>`(SELECT COUNT(*) FROM payments WHERE payments.deposit_id = deposits.id)`.as('rows'),
    ])
    .where('deposits.status', '=', 'open')
    .where('deposits.deposit_date', '>=', from)
    .where('deposits.deposit_date', '<=', to)
    .orderBy('deposits.deposit_date')
    .execute();
  const pending = await db
    .selectFrom('payments')
    .innerJoin('accounts', 'accounts.id', 'payments.account_id')
    .select(['payments.id', 'payments.reference', 'payments.payment_date', 'accounts.account_number', 'accounts.name', 'payments.amount_cents'])
    .where('payments.status', '=', 'pending')
    .where('payments.deposit_id', 'is', null)
    .where('payments.payment_date', '>=', from)
    .where('payments.payment_date', '<=', to)
    .orderBy('payments.payment_date')
    .limit(1000)
    .execute();
  const unapplied = await db
    .selectFrom('payments')
    .innerJoin('accounts', 'accounts.id', 'payments.account_id')
    .select([
      'payments.id',
      'payments.reference',
      'payments.payment_date',
      'accounts.account_number',
      'accounts.name',
      'payments.amount_cents',
      sql<number>`payments.amount_cents - (SELECT COALESCE(SUM(ap.amount_cents), 0) FROM applications ap WHERE ap.payment_id = payments.id)`.as('unapplied'),
    ])
    .where('payments.status', 'not in', ['voided', 'cancelled', 'scheduled'])
    .where('payments.payment_date', '>=', from)
    .where('payments.payment_date', '<=', to)
    .where(sql<boolean>`payments.amount_cents - (SELECT COALESCE(SUM(ap.amount_cents), 0) FROM applications ap WHERE ap.payment_id = payments.id) <> 0`)
    .orderBy('payments.payment_date')
    .limit(1000)
    .execute();
  const blockers: string[] = [];
  // An empty deposit (a stray click on New Deposit) holds no money: closing deletes it instead of blocking.
  const holding = deposits.filter((d) => Number(d.rows) > 0);
  if (holding.length > 0) blockers.push(`${holding.length} deposit${holding.length === 1 ? ' is' : 's are'} still open in ${period}: complete ${holding.length === 1 ? 'it' : 'them'} first.`);
  if (r?.status === 'closed') blockers.push(`${period} is already closed.`);
  return {
    period,
    status: r?.status ?? 'open',
    openDeposits: deposits.map((d) => ({ id: d.id, number: d.number, depositDate: d.deposit_date, divisionName: d.name, paymentCount: Number(d.n), totalCents: Number(d.total), empty: Number(d.rows) === 0 })),
    pendingPayments: pending.map((p) => ({ id: p.id, reference: p.reference, paymentDate: p.payment_date, accountNumber: p.account_number, accountName: p.name, amountCents: Number(p.amount_cents) })),
    unappliedPayments: unapplied.map((p) => ({
      id: p.id,
      reference: p.reference,
      paymentDate: p.payment_date,
      accountNumber: p.account_number,
      accountName: p.name,
      amountCents: Number(p.amount_cents),
      unappliedCents: Number(p.unapplied),
    })),
    canClose: blockers.length === 0,
    blockers,
  };
}

export const listPeriodsQuery = defineQuery({
  name: 'periods.list',
  roles: SUPERVISORS,
  input: periodsContract['periods.list'].input,
  run: ({ db, clock }) => listPeriods(db, clock.today()),
});

export const closePreviewQuery = defineQuery({
  name: 'periods.closePreview',
  roles: SUPERVISORS,
  input: periodsContract['periods.closePreview'].input,
  run: ({ db }, i) => closePreview(db, i.period),
});

export const closePeriod = defineCommand({
  name: 'periods.close',
  version: 1,
  roles: SUPERVISORS,
  input: periodsContract['periods.close'].input,
  synced: true,
  subject: (i) => i.period,
  run: async (ctx, i) => {
    if (i.period > periodOf(ctx.today)) fail('CONFLICT', `${i.period} has not started yet; only past and current months can be closed.`, { field: 'period' });
    const preview = await closePreview(ctx.db, i.period);
    if (!preview.canClose) fail('CONFLICT', preview.blockers.join(' '), { field: 'period', openDeposits: preview.openDeposits.map((d) => d.number) });
    for (const e of preview.openDeposits.filter((d) => d.empty)) {
      await deleteEmptyDeposit(ctx, await loadDeposit(ctx.db, e.id), `empty at the close of ${i.period}`);
    }
    const before = await periodRow(ctx.db, i.period);
    const row = {
      period: i.period,
      status: 'closed' as const,
      first_closed_at: before?.first_closed_at ?? ctx.now,
      closed_at: ctx.now,
      closed_by: ctx.actor.userId,
      reopened_at: before?.reopened_at ?? null,
      reopened_by: before?.reopened_by ?? null,
      reopen_reason: before?.reopen_reason ?? null,
    };
    if (before) await ctx.db.updateTable('periods').set(row).where('period', '=', i.period).execute();
    else await ctx.db.insertInto('periods').values(row).execute();
    await ctx.audit({
      action: 'close',
      entity: 'period',
      entityId: i.period,
      before: before ?? { status: 'open' },
      after: { ...row, pendingPayments: preview.pendingPayments.length, unappliedPayments: preview.unappliedPayments.length },
    });
    ctx.changed('periods');
    return toDTO(ctx.db, i.period);
  },
});

export const reopenPeriod = defineCommand({
  name: 'periods.reopen',
  version: 1,
  roles: ADMINS,
  input: periodsContract['periods.reopen'].input,
  synced: true,
  subject: (i) => i.period,
  run: async (ctx, i) => {
    const before = await periodRow(ctx.db, i.period);
    if (!before || before.status !== 'closed') fail('CONFLICT', `${i.period} is not closed.`, { field: 'period' });
    const patch = { status: 'open' as const, reopened_at: ctx.now, reopened_by: ctx.actor.userId, reopen_reason: i.reason };
    await ctx.db.updateTable('periods').set(patch).where('period', '=', i.period).execute();
    await ctx.audit({ action: 'reopen', entity: 'period', entityId: i.period, before, after: { ...before, ...patch } });
    ctx.changed('periods');
    return toDTO(ctx.db, i.period);
  },
});
