import { sql, type Kysely } from 'kysely';
import type { AgingAccountDTO, AgingBucket, AgingFigures, AgingReportDTO } from '../../shared/contract/periods';
import { AgingBuckets, periodsContract } from '../../shared/contract/periods';
import { addDays } from '../../shared/dates';
import { SUPERVISORS } from '../../shared/roles';
import { defineQuery } from '../commands/types';
import type { Database } from '../db/schema';
import { unappliedByAccountSql } from '../ledger/tie-out';

/**
 * A/R aging: what is still open on charge lines of current invoices, by how many days past its due
 * date it is on `asOf` (current = not yet past due; 1–30, 31–60, 61–90, 90+), and money not yet
 * applied as its own negative column, per division and in total, with drill-down to accounts. An
 * account's total is its balance, so a division's total is the sum of its balances. Amounts are
 * today's open amounts; `asOf` moves the ageing date.
 */

function bucketSums(asOf: string) {
  const d30 = addDays(asOf, -30);
  const d60 = addDays(asOf, -60);
  const d90 = addDays(asOf, -90);
  return {
    current: sql<number>`SUM(CASE WHEN c.due_date >= ${asOf} THEN c.open_cents ELSE 0 END)`,
    d1_30: sql<number>`SUM(CASE WHEN c.due_date < ${asOf} AND c.due_date >= ${d30} THEN c.open_cents ELSE 0 END)`,
    d31_60: sql<number>`SUM(CASE WHEN c.due_date < ${d30} AND c.due_date >= ${d60} THEN c.open_cents ELSE 0 END)`,
    d61_90: sql<number>`SUM(CASE WHEN c.due_date < ${d60} AND c.due_date >= ${d90} THEN c.open_cents ELSE 0 END)`,
    d90plus: sql<number>`SUM(CASE WHEN c.due_date < ${d90} THEN c.open_cents ELSE 0 END)`,
  };
}

const zero = (): AgingFigures => ({ current: 0, d1_30: 0, d31_60: 0, d61_90: 0, d90plus: 0, unapplied: 0, total: 0, accounts: 0 });

type AccountRow = { id: string; account_number: string; name: string; division_id: string; division_name: string } & Record<AgingBucket | 'unapplied', number>;

/**
 * One row per account with anything open or unapplied: its open charges by bucket, and its
 * unapplied money as a negative figure, so the row's total is the account's balance (ledger/tie-out.ts).
 */
async function accountRows(db: Kysely<Database>, asOf: string, divisionId?: string | null) {
  const s = bucketSums(asOf);
  const divFilter = divisionId ? sql`AND a.division_id = ${divisionId}` : sql``;
  const r = await sql<AccountRow>`
    WITH l AS (
      SELECT c.account_id, ${s.current} AS current, ${s.d1_30} AS d1_30, ${s.d31_60} AS d31_60, ${s.d61_90} AS d61_90, ${s.d90plus} AS d90plus, SUM(c.open_cents) AS open
      FROM charge_lines c JOIN invoices i ON i.id = c.invoice_id
      WHERE c.open_cents <> 0 AND i.status = 'open'
      GROUP BY c.account_id
    ), u AS (${unappliedByAccountSql()})
    SELECT a.id, a.account_number, a.name, a.division_id, dv.name AS division_name,
      COALESCE(l.current, 0) AS current, COALESCE(l.d1_30, 0) AS d1_30, COALESCE(l.d31_60, 0) AS d31_60,
      COALESCE(l.d61_90, 0) AS d61_90, COALESCE(l.d90plus, 0) AS d90plus, -COALESCE(u.unapplied, 0) AS unapplied
    FROM accounts a
    JOIN divisions dv ON dv.id = a.division_id
    LEFT JOIN l ON l.account_id = a.id
    LEFT JOIN u ON u.account_id = a.id
    WHERE (COALESCE(l.open, 0) <> 0 OR COALESCE(u.unapplied, 0) <> 0) ${divFilter}`.execute(db);
  return r.rows.map((x) => {
    const f = { current: Number(x.current), d1_30: Number(x.d1_30), d31_60: Number(x.d31_60), d61_90: Number(x.d61_90), d90plus: Number(x.d90plus), unapplied: Number(x.unapplied) };
    return { ...x, ...f, total: f.current + f.d1_30 + f.d31_60 + f.d61_90 + f.d90plus + f.unapplied };
  });
}

export async function agingReport(db: Kysely<Database>, asOf: string, divisionId?: string | null): Promise<AgingReportDTO> {
  const rows = await accountRows(db, asOf, divisionId);
  const total = zero();
  const byDivision = new Map<string, AgingReportDTO['divisions'][number]>();
  for (const r of rows) {
    let d = byDivision.get(r.division_id);
    if (!d) byDivision.set(r.division_id, (d = { divisionId: r.division_id, divisionName: r.division_name, ...zero() }));
    for (const k of [...AgingBuckets, 'unapplied', 'total'] as const) {
      d[k] += r[k];
      total[k] += r[k];
    }
    d.accounts++;
    total.accounts++;
  }
  const divisions = [...byDivision.values()].sort((a, b) => (a.divisionName < b.divisionName ? -1 : a.divisionName > b.divisionName ? 1 : 0));
  return { asOf, divisions, total };
}

export async function agingAccounts(
  db: Kysely<Database>,
  asOf: string,
  o: { divisionId?: string | null; bucket?: AgingBucket; limit?: number },
): Promise<{ rows: AgingAccountDTO[]; totalAccounts: number }> {
  const all = await accountRows(db, asOf, o.divisionId);
  const key = o.bucket ?? 'total';
  const visible = (o.bucket ? all.filter((x) => x[o.bucket!] !== 0) : all).sort((a, b) => b[key] - a[key] || (a.account_number < b.account_number ? -1 : a.account_number > b.account_number ? 1 : 0));
  const rows = visible.slice(0, o.limit ?? 1000).map((x) => ({
    accountId: x.id,
    accountNumber: x.account_number,
    accountName: x.name,
    divisionName: x.division_name,
    current: x.current,
    d1_30: x.d1_30,
    d31_60: x.d31_60,
    d61_90: x.d61_90,
    d90plus: x.d90plus,
    unapplied: x.unapplied,
    total: x.total,
  }));
  return { rows, totalAccounts: visible.length };
}

export const agingReportQuery = defineQuery({
  name: 'reports.aging',
  roles: SUPERVISORS,
  input: periodsContract['reports.aging'].input,
  run: ({ db, clock }, i) => agingReport(db, i.asOf ?? clock.today(), i.divisionId),
});

export const agingAccountsQuery = defineQuery({
  name: 'reports.agingAccounts',
  roles: SUPERVISORS,
  input: periodsContract['reports.agingAccounts'].input,
  run: ({ db, clock }, i) => agingAccounts(db, i.asOf ?? clock.today(), i),
});
