import { sql, type Kysely } from 'kysely';
import type { AccountSummaryDTO, PaymentSummaryDTO, SearchResultDTO } from '../../shared/contract/dto';
import { payersContract } from '../../shared/contract/payers';
import { ANY_ROLE } from '../../shared/roles';
import { defineQuery } from '../commands/types';
import type { Database, Dialect } from '../db/schema';
import { paymentSummarySelect, toPaymentSummary } from '../payments/payment-views';

const accountSelect = [
  'accounts.id',
  'accounts.account_number',
  'accounts.name',
  'accounts.division_id',
  'divisions.name as division_name',
  'accounts.email',
  'accounts.phone',
  'accounts.postal_address',
  'accounts.portal_user_id',
  'accounts.status',
  'accounts.balance_cents',
] as const;

type AccountRow = {
  id: string;
  account_number: string;
  name: string;
  division_id: string;
  division_name: string;
  email: string | null;
  phone?: string | null;
  postal_address?: string | null;
  portal_user_id: string | null;
  status: 'active' | 'inactive';
  balance_cents: number;
};

export const toAccountSummary = (r: AccountRow): AccountSummaryDTO => ({
  id: r.id,
  accountNumber: r.account_number,
  name: r.name,
  divisionId: r.division_id,
  divisionName: r.division_name,
  email: r.email,
  phone: r.phone ?? null,
  postalAddress: r.postal_address ?? null,
  portalUserId: r.portal_user_id,
  status: r.status,
  balanceCents: Number(r.balance_cents),
});

export function accountsQuery(db: Kysely<Database>) {
  return db.selectFrom('accounts').innerJoin('divisions', 'divisions.id', 'accounts.division_id').select(accountSelect);
}

/** FTS5 prefix query from what was typed: every word must start a word of the name. */
function ftsQuery(q: string): string | null {
  const words = q
    .normalize('NFKC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 6);
  if (words.length === 0) return null;
  return words.map((w) => `"${w.replace(/"/g, '')}"*`).join(' ');
}

/** Upper bound for a prefix range scan that uses the index: 'AB' -> ['AB', 'AB\uffff'). */
const prefixEnd = (p: string) => p + '\uffff';

/**
 * Payer Support search, answering as you type: account-number prefix, name words, portal user ID
 * and payment reference. Each part is an index range scan, so it stays fast at a million accounts.
 */
export async function searchPayers(
  db: Kysely<Database>,
  dialect: Dialect,
  input: { query: string; divisionId?: string | null; limit?: number },
): Promise<SearchResultDTO> {
  const q = input.query.trim();
  const limit = input.limit ?? 50;
  const div = input.divisionId ?? null;
  if (q === '') return { accounts: [], payments: [], accountsTotal: 0 };

  const byId = new Map<string, AccountSummaryDTO>();
  const add = (rows: AccountRow[]) => rows.forEach((r) => byId.size < limit && !byId.has(r.id) && byId.set(r.id, toAccountSummary(r)));
  const scoped = <T extends { where: (...a: never[]) => T }>(qb: ReturnType<typeof accountsQuery>) =>
    div ? qb.where('accounts.division_id', '=', div) : qb;

  // 1. Account number: exact first, then prefix (index range on account_number).
  add(
    (await scoped(accountsQuery(db))
      .where('accounts.account_number', '>=', q)
      .where('accounts.account_number', '<', prefixEnd(q))
      .orderBy('accounts.account_number')
      .limit(limit)
      .execute()) as AccountRow[],
  );
  // 2. Portal user ID (exact, case-insensitive as stored lower-case).
  if (byId.size < limit) {
    add((await scoped(accountsQuery(db)).where('accounts.portal_user_id', '=', q.toLowerCase()).limit(limit).execute()) as AccountRow[]);
  }
  // 3. Name words.
  if (byId.size < limit && /\p{L}/u.test(q)) {
    if (dialect === 'sqlite') {
      const fts = ftsQuery(q);
      if (fts) {
        const rows = await scoped(accountsQuery(db))
          .where(sql<boolean>`accounts.rowid IN (SELECT rowid FROM accounts_fts WHERE accounts_fts MATCH ${fts} LIMIT ${limit * 4})`)
          .orderBy('accounts.name')
          .limit(limit)
          .execute();
        add(rows as AccountRow[]);
      }
    } else {
      const rows = await scoped(accountsQuery(db))
        .where(sql<boolean>`lower(accounts.name) LIKE ${'%' + q.toLowerCase().replace(/[%_\\]/g, (c) => '\\' + c) + '%'}`)
        .orderBy('accounts.name')
        .limit(limit)
        .execute();
      add(rows as AccountRow[]);
    }
  }

  // Payments: by reference prefix, then the recent payments of the accounts found.
  const payments = new Map<string, PaymentSummaryDTO>();
  const ref = q.toUpperCase();
  if (/^[A-Z0-9-]{3,}$/.test(ref)) {
    let pq = paymentSummarySelect(db).where('payments.reference', '>=', ref).where('payments.reference', '<', prefixEnd(ref));
    if (div) pq = pq.where('payments.division_id', '=', div);
    for (const r of await pq.orderBy('payments.reference').limit(limit).execute()) payments.set(r.id, toPaymentSummary(r));
    // A reference found means its account is of interest too.
    const missing = [...payments.values()].map((p) => p.accountId).filter((id) => !byId.has(id));
    if (missing.length > 0) add((await accountsQuery(db).where('accounts.id', 'in', missing.slice(0, limit)).execute()) as AccountRow[]);
  }
  const accountIds = [...byId.keys()].slice(0, 20);
  if (accountIds.length > 0 && payments.size < limit) {
    const rows = await paymentSummarySelect(db)
      .where('payments.account_id', 'in', accountIds)
      .orderBy('payments.payment_date', 'desc')
      .orderBy('payments.created_at', 'desc')
      .limit(limit)
      .execute();
    for (const r of rows) if (!payments.has(r.id)) payments.set(r.id, toPaymentSummary(r));
  }
  return { accounts: [...byId.values()], payments: [...payments.values()].slice(0, limit), accountsTotal: byId.size };
}

export const searchPayersQuery = defineQuery({
  name: 'payers.search',
  roles: ANY_ROLE,
  input: payersContract['payers.search'].input,
  run: ({ db, dialect }, i) => searchPayers(db, dialect, i),
});
