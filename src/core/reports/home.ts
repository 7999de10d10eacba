import type { Kysely } from 'kysely';
import type { AttentionItemDTO, HomeSummaryDTO } from '../../shared/contract/reports';
import { reportsContract } from '../../shared/contract/reports';
import { formatMoney } from '../../shared/money';
import { ANY_ROLE, SUPERVISORS, type Role } from '../../shared/roles';
import { defineQuery } from '../commands/types';
import type { Database } from '../db/schema';
import { agingReport } from './aging';

/** Money counted on Home: received and still standing (not cancelled, voided or only scheduled). */
const COUNTED = ['pending', 'deposited'] as const;

/**
 * The Home page's figures for one business day: today's payments and their total, open deposits,
 * what needs attention, and aging at a glance. What a role sees is decided here, not in the UI.
 */
// long: one query per Home figure, assembled in one result; each is a few lines and used nowhere else
export async function homeSummary(db: Kysely<Database>, o: { date: string; divisionId?: string | null; userId: string; role: Role }): Promise<HomeSummaryDTO> {
  const div = o.divisionId ?? null;
  const supervisor = SUPERVISORS.includes(o.role);

  let pq = db
    .selectFrom('payments')
    .select(['method', 'created_by'])
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('amount_cents').as('cents')])
    .where('payment_date', '=', o.date)
    .where('status', 'in', COUNTED)
    .groupBy(['method', 'created_by']);
  if (div) pq = pq.where('division_id', '=', div);
  const rows = await pq.execute();
  const byMethod = new Map<string, { count: number; totalCents: number }>();
  let mine = 0;
  for (const r of rows) {
    const m = byMethod.get(r.method) ?? { count: 0, totalCents: 0 };
    m.count += Number(r.n);
    m.totalCents += Number(r.cents);
    byMethod.set(r.method, m);
    if (r.created_by === o.userId) mine += Number(r.n);
  }
  const methods = (['cash', 'check', 'card', 'ach'] as const).filter((m) => byMethod.has(m)).map((m) => ({ method: m, ...byMethod.get(m)! }));
  const payments = {
    count: methods.reduce((s, m) => s + m.count, 0),
    totalCents: methods.reduce((s, m) => s + m.totalCents, 0),
    mine,
    byMethod: methods,
  };

  const attention: AttentionItemDTO[] = [];
  let openDeposits: HomeSummaryDTO['openDeposits'] = null;
  let aging: HomeSummaryDTO['aging'] = null;
  if (supervisor) {
    let dq = db
      .selectFrom('deposits')
      .innerJoin('divisions', 'divisions.id', 'deposits.division_id')
      .leftJoin('payments', 'payments.deposit_id', 'deposits.id')
      .select(['deposits.id', 'deposits.number', 'deposits.deposit_date', 'divisions.name as division_name'])
      .select((eb) => [eb.fn.count<number>('payments.id').as('n'), eb.fn.sum<number>('payments.amount_cents').as('cents')])
      .where('deposits.status', '=', 'open')
      .groupBy(['deposits.id', 'deposits.number', 'deposits.deposit_date', 'divisions.name'])
      .orderBy('deposits.deposit_date')
      .orderBy('deposits.number');
    if (div) dq = dq.where('deposits.division_id', '=', div);
    openDeposits = (await dq.execute()).map((d) => ({
      id: d.id,
      number: d.number,
      depositDate: d.deposit_date,
      divisionName: d.division_name,
      payments: Number(d.n),
      totalCents: Number(d.cents ?? 0),
    }));
    const stale = openDeposits.filter((d) => d.depositDate < o.date);
    if (stale.length > 0)
      attention.push({
        kind: 'stale-deposit',
        count: stale.length,
        amountCents: stale.reduce((s, d) => s + d.totalCents, 0),
        text: `${stale.length} deposit${stale.length === 1 ? '' : 's'} from before today still open`,
      });

    let uq = db
      .selectFrom('payments')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('amount_cents').as('cents')])
      .where('status', '=', 'pending')
      .where('deposit_id', 'is', null)
      .where('payment_date', '<', o.date);
    if (div) uq = uq.where('division_id', '=', div);
    const u = await uq.executeTakeFirst();
    if (u && Number(u.n) > 0)
      attention.push({
        kind: 'undeposited',
        count: Number(u.n),
        amountCents: Number(u.cents),
        text: `${Number(u.n)} payment${Number(u.n) === 1 ? '' : 's'} from before today not in a deposit (${formatMoney(Number(u.cents))})`,
      });

    let nq = db
      .selectFrom('notifications')
      .innerJoin('accounts', 'accounts.id', 'notifications.account_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('notifications.status', '=', 'error');
    if (div) nq = nq.where('accounts.division_id', '=', div);
    const n = Number((await nq.executeTakeFirst())?.n ?? 0);
    if (n > 0) attention.push({ kind: 'notification-errors', count: n, amountCents: null, text: `${n} statement notification${n === 1 ? '' : 's'} could not be sent` });

    aging = (await agingReport(db, o.date, div)).total;
  }
  return { date: o.date, payments, openDeposits, attention, aging };
}

export const homeSummaryQuery = defineQuery({
  name: 'reports.home',
  roles: ANY_ROLE,
  input: reportsContract['reports.home'].input,
  run: ({ db, clock, actor }, i) => homeSummary(db, { date: i.date ?? clock.today(), divisionId: i.divisionId, userId: actor.userId, role: actor.role }),
});
