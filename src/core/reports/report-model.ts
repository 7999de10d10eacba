import { sql, type Expression, type Kysely } from 'kysely';
import type { ReportCell, ReportColumnDTO, ReportColumnType, ReportTableDTO } from '../../shared/contract/reports';
import { formatDate } from '../../shared/dates';
import type { Database } from '../db/schema';
import type { OfficeDays } from '../commands/office-days';

/** How many rows one report table shows; beyond it the report says it is truncated (narrow the filters). */
export const ROW_LIMIT = 20_000;

export const col = (key: string, label: string, type: ReportColumnType = 'text'): ReportColumnDTO => ({ key, label, type });

export function table(key: string, title: string, columns: ReportColumnDTO[], rows: ReportCell[][], total: ReportCell[] | null): ReportTableDTO {
  return { key, title, columns, rows, total };
}

/** A total row: the label in the first column, the sums of the money and count columns. */
export function totalRow(columns: ReportColumnDTO[], rows: ReportCell[][], label = 'Total'): ReportCell[] {
  return columns.map((c, i) => {
    if (i === 0) return label;
    if (c.type !== 'money' && c.type !== 'count') return null;
    return rows.reduce<number>((s, r) => s + (typeof r[i] === 'number' ? (r[i] as number) : 0), 0);
  });
}

/** A table whose last row totals its money and count columns: how every report table ends. */
export function totalledTable(key: string, title: string, columns: ReportColumnDTO[], rows: ReportCell[][]): ReportTableDTO {
  return table(key, title, columns, rows, totalRow(columns, rows));
}

/** One figure of a report's summary line. */
export const money = (label: string, value: number) => ({ label, value, type: 'money' as const });
export const count = (label: string, value: number) => ({ label, value, type: 'count' as const });

/** Any query a report narrows with `where` (a Kysely select builder). */
interface Narrowable<Q> {
  where(lhs: Expression<unknown>, op: '>=' | '<=' | '<' | '=', rhs: string): Q;
}

/**
 * The filters the reports share: a date range on `date` (inclusive), a division and the user who
 * entered the row. Columns are named per report. A column holding instants (a void's or an upload's
 * time) is bounded by the office's days (`instantDays`), not the UTC ones.
 */
export function commonFilters<Q extends Narrowable<Q>>(
  q: Q,
  cols: { date: string | Expression<unknown>; instantDays?: OfficeDays; division: string; user?: string },
  f: { from?: string; to?: string; divisionId?: string | null; userId?: string },
): Q {
  const ref = (c: string | Expression<unknown>) => (typeof c === 'string' ? sql.ref<unknown>(c) : c);
  const days = cols.instantDays;
  if (f.from) q = q.where(ref(cols.date), '>=', days ? days.startOf(f.from) : f.from);
  if (f.to) q = days ? q.where(ref(cols.date), '<', days.endOf(f.to)) : q.where(ref(cols.date), '<=', f.to);
  if (f.divisionId) q = q.where(ref(cols.division), '=', f.divisionId);
  if (f.userId && cols.user) q = q.where(ref(cols.user), '=', f.userId);
  return q;
}

/** The first ROW_LIMIT rows of a query, and whether there were more (the report then says so). */
export async function firstRows<T>(q: { limit(n: number): { execute(): Promise<T[]> } }): Promise<{ rows: T[]; truncated: boolean }> {
  const all = await q.limit(ROW_LIMIT + 1).execute();
  return { rows: all.slice(0, ROW_LIMIT), truncated: all.length > ROW_LIMIT };
}

export const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((s, x) => s + f(x), 0);

/** Groups rows by a key into count and amount, in first-seen order unless sorted by the caller. */
export function groupTotals<T>(xs: T[], key: (x: T) => string, cents: (x: T) => number): { key: string; count: number; cents: number }[] {
  const m = new Map<string, { key: string; count: number; cents: number }>();
  for (const x of xs) {
    const k = key(x);
    const g = m.get(k) ?? { key: k, count: 0, cents: 0 };
    g.count++;
    g.cents += cents(x);
    m.set(k, g);
  }
  return [...m.values()];
}

/** The filters in words, for the screen, the printout and the file name's reader. */
export async function filterWords(
  db: Kysely<Database>,
  f: { from?: string; to?: string; asOf?: string; divisionId?: string | null; userId?: string },
  extra: (string | null | undefined)[] = [],
): Promise<string> {
  const parts: string[] = [];
  if (f.asOf) parts.push(`As of ${formatDate(f.asOf)}`);
  else if (f.from && f.to) parts.push(f.from === f.to ? formatDate(f.from) : `${formatDate(f.from)} – ${formatDate(f.to)}`);
  else if (f.from) parts.push(`From ${formatDate(f.from)}`);
  else if (f.to) parts.push(`Up to ${formatDate(f.to)}`);
  else parts.push('All dates');
  if (f.divisionId) {
    const d = await db.selectFrom('divisions').select('name').where('id', '=', f.divisionId).executeTakeFirst();
    parts.push(d?.name ?? 'Unknown division');
  } else parts.push('All divisions');
  if (f.userId) {
    const u = await db.selectFrom('users').select('display_name').where('id', '=', f.userId).executeTakeFirst();
    parts.push(`Entered by ${u?.display_name ?? 'unknown user'}`);
  }
  for (const e of extra) if (e) parts.push(e);
  return parts.join(' · ');
}

/** ISO week start (Monday) of a date, for per-week grouping. */
export function weekOf(isoDate: string): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  const back = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - back);
  return d.toISOString().slice(0, 10);
}
