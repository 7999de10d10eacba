import { sql, type Kysely } from 'kysely';
import type { AgingAccountDTO, AgingBucket, AgingFigures, AgingReportDTO } from '../../shared/contract/periods';
import { periodsContract } from '../../shared/contract/periods';
import { addDays } from '../../shared/dates';
import { SUPERVISORS } from '../../shared/roles';
import { defineQuery } from '../commands/types';
import type { Database } from '../db/schema';

/**
 * A/R aging: what is still open on charge lines of current invoices, by how many days past its due
 * date it is on `asOf` (current = not yet past due; 1–30, 31–60, 61–90, 90+), per division and in
 * total, with drill-down to accounts. Amounts are today's open amounts; `asOf` moves the ageing date.
 * Reads only lines with something open (a partial index, migration 0003).
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

function bucketWhere(asOf: string, b: AgingBucket) {
  const d30 = addDays(asOf, -30);
  const d60 = addDays(asOf, -60);
  const d90 = addDays(asOf, -90);
  switch (b) {
    case 'current':
      return sql`c.due_date >= ${asOf}`;
    case 'd1_30':
      return sql`c.due_date < ${asOf} AND c.due_date >= ${d30}`;
    case 'd31_60':
      return sql`c.due_date < ${d30} AND c.due_date >= ${d60}`;
    case 'd61_90':
      return sql`c.due_date < ${d60} AND c.due_date >= ${d90}`;
    case 'd90plus':
      return sql`c.due_date < ${d90}`;
  }
}

const zero = (): AgingFigures => ({ current: 0, d1_30: 0, d31_60: 0, d61_90: 0, d90plus: 0, total: 0, accounts: 0 });

export async function agingReport(db: Kysely<Database>, asOf: string, divisionId?: string | null): Promise<AgingReportDTO> {
  const s = bucketSums(asOf);
  const divFilter = divisionId ? sql`AND a.division_id = ${divisionId}` : sql``;
  const rows = await sql<{ division_id: string; division_name: string } & Record<AgingBucket | 'total' | 'accounts', number>>`
    SELECT a.division_id, dv.name AS division_name,
      ${s.current} AS current, ${s.d1_30} AS d1_30, ${s.d31_60} AS d31_60, ${s.d61_90} AS d61_90, ${s.d90plus} AS d90plus,
      SUM(c.open_cents) AS total, COUNT(DISTINCT c.account_id) AS accounts
    FROM charge_lines c
    JOIN invoices i ON i.id = c.invoice_id
    JOIN accounts a ON a.id = c.account_id
    JOIN divisions dv ON dv.id = a.division_id
    WHERE c.open_cents <> 0 AND i.status = 'open' ${divFilter}
    GROUP BY a.division_id, dv.name
    ORDER BY dv.name`.execute(db);
  const total = zero();
  const divisions = rows.rows.map((r) => {
    const f: AgingFigures = {
      current: Number(r.current),
      d1_30: Number(r.d1_30),
      d31_60: Number(r.d31_60),
      d61_90: Number(r.d61_90),
      d90plus: Number(r.d90plus),
      total: Number(r.total),
      accounts: Number(r.accounts),
    };
    for (const k of Object.keys(total) as (keyof AgingFigures)[]) total[k] += f[k];
    return { divisionId: r.division_id, divisionName: r.division_name, ...f };
  });
  return { asOf, divisions, total };
}

export async function agingAccounts(
  db: Kysely<Database>,
  asOf: string,
  o: { divisionId?: string | null; bucket?: AgingBucket; limit?: number },
): Promise<{ rows: AgingAccountDTO[]; totalAccounts: number }> {
  const s = bucketSums(asOf);
  const divFilter = o.divisionId ? sql`AND a.division_id = ${o.divisionId}` : sql``;
  const bucketFilter = o.bucket ? sql`AND ${bucketWhere(asOf, o.bucket)}` : sql``;
  const r = await sql<{ id: string; account_number: string; name: string; division_name: string } & Record<AgingBucket | 'total', number>>`
    SELECT a.id, a.account_number, a.name, dv.name AS division_name,
      ${s.current} AS current, ${s.d1_30} AS d1_30, ${s.d31_60} AS d31_60, ${s.d61_90} AS d61_90, ${s.d90plus} AS d90plus,
      SUM(c.open_cents) AS total
    FROM charge_lines c
    JOIN invoices i ON i.id = c.invoice_id
    JOIN accounts a ON a.id = c.account_id
    JOIN divisions dv ON dv.id = a.division_id
    WHERE c.open_cents <> 0 AND i.status = 'open' ${divFilter}
      AND c.account_id IN (SELECT c.account_id FROM charge_lines c WHERE c.open_cents <> 0 ${bucketFilter})
    GROUP BY a.id, a.account_number, a.name, dv.name
    ORDER BY ${o.bucket ? sql.raw(o.bucket) : sql.raw('total')} DESC, a.account_number`.execute(db);
  const rows = r.rows.map((x) => ({
    accountId: x.id,
    accountNumber: x.account_number,
    accountName: x.name,
    divisionName: x.division_name,
    current: Number(x.current),
    d1_30: Number(x.d1_30),
    d31_60: Number(x.d31_60),
    d61_90: Number(x.d61_90),
    d90plus: Number(x.d90plus),
    total: Number(x.total),
  }));
  const visible = o.bucket ? rows.filter((x) => x[o.bucket!] !== 0) : rows;
  return { rows: visible.slice(0, o.limit ?? 1000), totalAccounts: visible.length };
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
