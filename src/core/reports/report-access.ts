import type { Kysely } from 'kysely';
import type { ReportCatalogDTO, ReportName } from '../../shared/contract/reports';
import { SUPERVISORS, type Role } from '../../shared/roles';
import { businessTimeAt, readOfficeTimeZone } from '../commands/business-time';
import type { Clock } from '../commands/types';
import type { Database } from '../db/schema';

/**
 * Who sees which report, decided here (the renderer only shows what this says): Supervisors and
 * Admins every report; a CSR only the payments report, limited to their own payments of today.
 */
export const CSR_PAYMENTS_SCOPE = 'As a CSR you see only the payments you entered today. Supervisors and Admins see every report.';

const CATALOG: { name: ReportName; title: string; description: string }[] = [
  { name: 'payments', title: 'Payments', description: 'Payments by date, method, user, division and status, with totals by method and by user.' },
  { name: 'deposits', title: 'Deposits (daily cash)', description: 'Each deposit with its checks and cash, open or closed, and totals.' },
  { name: 'reversals', title: 'Refunds, voids and returns', description: 'Money given back or taken back: what, when, who, why and how much.' },
  { name: 'credits', title: 'Credits and gift cards', description: 'Credits posted and applied; gift cards and prepayments issued and redeemed.' },
  { name: 'uploads', title: 'Uploads', description: 'Balance and bill files imported: who, when, rows, totals and result.' },
  { name: 'aging', title: 'A/R Aging', description: 'Open charges by days past due, less unapplied money: the sum of the balances.' },
  { name: 'collections', title: 'Collections over time', description: 'Money collected per day, week or month, with its trend.' },
];

export function reportsFor(role: Role): ReportName[] {
  return SUPERVISORS.includes(role) ? CATALOG.map((c) => c.name) : ['payments'];
}

export async function reportCatalog(db: Kysely<Database>, role: Role): Promise<ReportCatalogDTO> {
  const mine = new Set(reportsFor(role));
  const supervisor = SUPERVISORS.includes(role);
  const users = supervisor ? await db.selectFrom('users').select(['id', 'display_name as name']).orderBy('display_name').execute() : [];
  return {
    reports: CATALOG.filter((c) => mine.has(c.name)).map((c) => ({ ...c, scopeNote: !supervisor && c.name === 'payments' ? CSR_PAYMENTS_SCOPE : null })),
    users,
  };
}

/** The office's business day now (its time zone from Settings), as commands date their records. */
export async function businessToday(db: Kysely<Database>, clock: Clock): Promise<string> {
  return businessTimeAt(clock.now(), await readOfficeTimeZone(db), clock.today()).businessDate;
}
